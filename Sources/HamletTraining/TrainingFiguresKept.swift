import Vapor
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletWorkforce

/// The training figures as the pages and exports ask them: read where a moment's lag is allowed
/// (`readingMayLag`) and kept while nothing a figure reads has changed (`req.kept`).
extension TrainingFigures {
    package static func keptShares(_ req: Request, unit: AdminUnit?, dates: [String], staff: StaffCriteria, trained: TrainedCriteria) async throws -> [String: TrainedShare] {
        let question = Question("training-shares", unit?.path ?? "VN", Set(dates).sorted().joined(separator: ","), Question.part(staff), Question.part(trained))
        return try await req.readingMayLag { db in
            try await req.kept(question, on: db, reads: { [DataVersions.figures] }) {
                try await TrainingFigures(db: db).shares(unit: unit, dates: dates, staff: staff, trained: trained)
            }
        }
    }

    package static func keptYears(_ req: Request, unit: AdminUnit?, from: Int, to: Int, trained: TrainedCriteria) async throws -> TrainingYears {
        let question = Question("training-years", unit?.path ?? "VN", String(from), String(to), Question.part(trained))
        return try await req.readingMayLag { db in
            try await req.kept(question, on: db, reads: { [DataVersions.figures] }) {
                try await TrainingFigures(db: db).years(unit: unit, from: from, to: to, trained: trained)
            }
        }
    }
}
