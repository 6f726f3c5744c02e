import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletWorkforce
import HamletPlans

extension BenchmarkCommand {
    /// The facility kinds through the engine (read live: a few thousand facilities per province),
    /// beside the same numbers written by hand: a count of facility types, the share of schools
    /// providing social-work services, and the share of schools with a social worker.
    package func facilityCases(province: AdminUnit, today: String, on db: any Database) async throws -> [Case] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let engine = IndicatorEngine(db: db)
        let big = ["tt-ctxh", "co-so-trgxh", "benh-vien"]
        let count = try await storedIndicator("BENCH-CS", IndicatorDefinition(kind: .facilityCount, facilityTypes: big), on: db)
        let serving = try await storedIndicator("BENCH-TH", IndicatorDefinition(kind: .facilitiesWithService, facilityTypes: ["truong-hoc"]), on: db)
        let staffed = try await storedIndicator("BENCH-TH-CTXH", IndicatorDefinition(kind: .unitsWithPeople,
            rule: CoverageRule(organisationType: "truong-hoc", domains: [.socialWork], min: 1)), on: db)
        func open(_ o: String) -> SQLQueryString {
            "(\(unsafeRaw: o).valid_from IS NULL OR \(unsafeRaw: o).valid_from <= \(bind: today)) AND (\(unsafeRaw: o).valid_to IS NULL OR \(unsafeRaw: o).valid_to >= \(bind: today))"
        }
        func handFacilities(_ path: String, child: Int, types: [String]) async throws {
            _ = try await sql.raw("SELECT SUBSTR(o.unit_path, 1, \(unsafeRaw: String(child))) AS child, COUNT(*) AS n,"
                + " SUM(CASE WHEN o.provides_social_work = \(true) THEN 1 ELSE 0 END) AS s"
                + " FROM organisations o JOIN organisation_types t ON t.id = o.type_id WHERE t.code IN (\(binds: types))"
                + " AND o.unit_path >= \(bind: path) AND o.unit_path < \(bind: AccessScope.upperBound(path)) AND " + open("o") + " GROUP BY 1").all()
        }
        func handStaffed(_ path: String, child: Int) async throws {
            _ = try await sql.raw("SELECT SUBSTR(x.path, 1, \(unsafeRaw: String(child))) AS child, COUNT(*) AS places, SUM(CASE WHEN x.n >= 1 THEN 1 ELSE 0 END) AS meeting FROM ("
                + "SELECT o.unit_path AS path, COUNT(DISTINCT a.person_id) AS n FROM organisations o JOIN organisation_types t ON t.id = o.type_id"
                + " LEFT JOIN assignments a ON a.organisation_id = o.id AND a.domain_social_work = \(true) AND a.start_date <= \(bind: today)"
                + " AND (a.end_date IS NULL OR a.end_date >= \(bind: today))"
                + " WHERE t.code = 'truong-hoc' AND o.unit_path >= \(bind: path) AND o.unit_path < \(bind: AccessScope.upperBound(path)) AND " + open("o")
                + " GROUP BY o.id, o.unit_path) x GROUP BY 1").all()
        }
        return [
            Case(name: "chỉ tiêu số cơ sở trợ giúp xã hội, bệnh viện, trung tâm CTXH, cả nước, chia theo tỉnh", hamlet: {
                _ = try await engine.value(count, unit: nil, date: today)
            }, handWritten: { try await handFacilities("", child: 3, types: big) }),
            Case(name: "chỉ tiêu tỷ lệ trường học cung cấp dịch vụ CTXH, cả nước, chia theo tỉnh", hamlet: {
                _ = try await engine.value(serving, unit: nil, date: today)
            }, handWritten: { try await handFacilities("", child: 3, types: ["truong-hoc"]) }),
            Case(name: "chỉ tiêu tỷ lệ trường học cung cấp dịch vụ CTXH, tỉnh, chia theo xã", hamlet: {
                _ = try await engine.value(serving, unit: province, date: today)
            }, handWritten: { try await handFacilities(province.path, child: 9, types: ["truong-hoc"]) }),
            Case(name: "chỉ tiêu tỷ lệ trường học có người làm CTXH, cả nước, chia theo tỉnh", hamlet: {
                _ = try await engine.value(staffed, unit: nil, date: today)
            }, handWritten: { try await handStaffed("", child: 3) }),
            Case(name: "chỉ tiêu tỷ lệ trường học có người làm CTXH, tỉnh, chia theo xã", hamlet: {
                _ = try await engine.value(staffed, unit: province, date: today)
            }, handWritten: { try await handStaffed(province.path, child: 9) }),
        ]
    }
}
