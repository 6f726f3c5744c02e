import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletPlans

extension BenchmarkCommand {
    /// Running the plans (issue 23): a province's tracker across its plans, and the province's
    /// yearly report assembled from its communes' reports, each beside the hand-written SQL that
    /// reads what the answer needs. Run on data from `hamlet generate` (its implementation part).
    package func implementationCases(province: AdminUnit, on db: any Database) async throws -> [Case] {
        guard let sql = db as? any SQLDatabase,
              let plan = try await Plan.query(on: db).filter(\.$scopeCode == province.code).sort(\.$number).first() else { return [] }
        let scope = AccessScope(code: province.code, path: province.path), upper = AccessScope.upperBound(province.path)
        // Mid-January: 2025's reports (due 30/11) are the period last fallen due.
        let day = DayDate(year: 2026, month: 1, day: 15)!
        let planID = try plan.requireID()
        func communes() async throws {
            _ = try await sql.raw("""
                SELECT code, name, path FROM units WHERE structure = '2025' AND CAST(level AS TEXT) = 'commune'
                  AND path >= \(bind: province.path) AND path < \(bind: upper) AND closed_on IS NULL
                """).all()
        }
        return [
            Case(name: "kế hoạch: theo dõi báo cáo mọi kế hoạch của tỉnh (kỳ vừa đến hạn)", hamlet: {
                _ = try await PlansTracker(db: db, scope: scope, actor: nil).build(asOf: day, state: nil)
            }, handWritten: {
                _ = try await sql.raw("""
                    SELECT d.id, d.plan_id, d.title, d.due, d.reporters FROM plan_duties d JOIN plans p ON p.id = d.plan_id
                    WHERE p.scope_path >= \(bind: province.path) AND p.scope_path < \(bind: upper) AND p.from_year <= 2026 AND p.to_year >= 2025
                    """).all()
                try await communes()
                _ = try await sql.raw("""
                    SELECT s.duty_id, s.body, s.status, s.first_submitted_on FROM plan_submissions s JOIN plans p ON p.id = s.plan_id
                    WHERE p.scope_path >= \(bind: province.path) AND p.scope_path < \(bind: upper) AND s.period = '2025'
                    """).all()
            }),
            Case(name: "kế hoạch: tổng hợp báo cáo năm 2025 của tỉnh từ báo cáo các xã", hamlet: {
                _ = try await ReportTextService(db: db, scope: scope, actor: nil, ip: nil, today: day).dto(plan, year: 2025, kind: .annual, period: "2025")
            }, handWritten: {
                try await communes()
                _ = try await sql.raw("""
                    SELECT body, body_name, status, first_submitted_on, results, limits, lessons, next_tasks, proposals FROM plan_submissions
                    WHERE plan_id = \(bind: planID) AND period = '2025' ORDER BY body_name
                    """).all()
            }),
        ]
    }
}
