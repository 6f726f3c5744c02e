import Vapor
import HamletWeb
import HamletDatabase
import HamletUnits

extension CoverageQuery {
    /// Coverage as the page and API ask it: read where a moment's lag is allowed and kept while
    /// nothing a figure reads has changed.
    package static func kept(_ req: Request, _ rule: CoverageRule, unit: AdminUnit?, date: String, map: UnitMap) async throws -> CoverageResult {
        let question = Question("coverage", unit?.path ?? "VN", date, "\(map)", Question.part(rule))
        return try await req.readingMayLag { db in
            try await req.kept(question, on: db, reads: { [DataVersions.figures] }) {
                try await CoverageQuery(db: db).run(rule, unit: unit, date: date, map: map)
            }
        }
    }
}
