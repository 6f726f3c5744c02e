import Vapor
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits

extension ReportCompleteness {
    /// The matrix as the page and API ask it: read where a moment's lag is allowed and kept while
    /// no report, value, form or unit has changed. Today is in the question: what is late or not
    /// yet due moves with the day.
    package static func kept(_ req: Request, _ set: DataSet, unit: AdminUnit?, periods: [Period]) async throws -> Result {
        let today = req.today
        let question = Question("completeness", set.code, unit?.path ?? "VN", periods.map(\.id).joined(separator: ","), today.iso)
        return try await req.readingMayLag { db in
            try await req.kept(question, on: db, reads: { [DataVersions.figures, DataVersions.reports] }) {
                try await ReportCompleteness(db: db).run(set, unit: unit, periods: periods, today: today)
            }
        }
    }
}
