import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits

/// "Every commune has a social worker" on a day before 01/07/2025, counted over the communes of
/// that time. Posts are kept at 2025 units; as in `CoverageQuery`, a commune's posts are those at
/// the commune itself (its People's Committee, its own organisations), not at its hamlets. A post
/// before the reform counts for the legacy commune recorded on it, or, at a 2025 commune made of
/// one legacy commune only, for that one; one that cannot be placed is counted apart (`unplaced`),
/// never guessed.
package struct LegacyCoverage {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    /// Whether a rule on a day is counted this way: commune-level rules, without organisations
    /// (whose places the reform did not change), before the reform, unless the 2025 map is asked.
    package static func applies(_ rule: CoverageRule?, date: String, map: UnitMap) -> Bool {
        guard map == .ofTheTime, let rule, rule.level == .commune, rule.placeTypes.isEmpty else { return false }
        return date < UnitLoader.reform2025Date
    }

    package func run(_ rule: CoverageRule, unit: AdminUnit?, date: String) async throws -> CoverageResult {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? "", map = LegacyMap(db: db)
        let places = try await map.places(under: path)
        let known = Set(places.map(\.code))
        let single = try await map.predecessors(under: path).compactMapValues { $0.count == 1 ? $0[0] : nil }
        // The matching posts held that day at a commune or hamlet under the unit.
        let rows = try await sql.raw("SELECT a.person_id AS p, a.unit_path AS path, a.legacy_unit_code AS l FROM assignments a"
            + " WHERE a.unit_path >= \(bind: path) AND a.unit_path < \(bind: AccessScope.upperBound(path))"
            + " AND a.start_date <= \(bind: date) AND (a.end_date IS NULL OR a.end_date >= \(bind: date))" + CoverageQuery.criteria(rule)).all()
        var people: [String: Set<UUID>] = [:], unplaced = Set<UUID>()
        for row in rows {
            let person = try row.decode(column: "p", as: UUID.self), at = try row.decode(column: "path", as: String.self).split(separator: ".")
            guard at.count == 2 else { continue }
            let legacy = try row.decode(column: "l", as: String?.self) ?? single[String(at[1])]
            if let legacy, known.contains(legacy) { people[legacy, default: []].insert(person) } else { unplaced.insert(person) }
        }
        func meets(_ code: String) -> Bool {
            let n = people[code]?.count ?? 0
            return n >= rule.min && (rule.max.map { n <= $0 } ?? true)
        }
        // Children as the structure of the time had them: a province's districts; the country's
        // provinces (2025, where the communes' successors lie); a commune's own legacy communes.
        let level = path.split(separator: ".").count
        func child(_ p: LegacyMap.Place) -> String { level == 0 ? String(p.successorPath.prefix(3)) : level == 1 ? p.district : p.code }
        var groups: [String: (Int, Int)] = [:]
        for p in places { let g = groups[child(p)] ?? (0, 0); groups[child(p)] = (g.0 + 1, g.1 + (meets(p.code) ? 1 : 0)) }
        var names: [String: (String, String)] = [:]
        if level == 0 {
            for u in try await UnitTree.units(atPaths: Array(groups.keys), on: db).values { names[u.path] = (u.code, u.name) }
        } else {
            for (code, u) in try await map.units(Array(groups.keys)) { names[code] = (u.code, u.name) }
        }
        let children = groups.keys.sorted().map { key -> CoverageResult.Child in
            let g = groups[key]!, n = names[key] ?? (key, key)
            return .init(code: n.0, name: n.1, places: g.0, meeting: g.1, percent: Percent.of(g.1, g.0))
        }
        let misses = places.filter { !meets($0.code) }.prefix(2000).map { p in
            CoverageResult.Miss(code: p.code, name: p.name, unitCode: p.code, count: people[p.code]?.count ?? 0, link: "/units/legacy/\(p.code)")
        }
        let meeting = places.filter { meets($0.code) }.count
        return CoverageResult(rule: rule.description + " — tính trên các xã, phường, thị trấn trước sắp xếp (cấu trúc ngày 30/06/2025)",
                              unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước", date: date,
                              places: places.count, meeting: meeting, percent: Percent.of(meeting, places.count),
                              children: children, misses: Array(misses), map: UnitMap.ofTheTime.rawValue, unplaced: unplaced.count)
    }
}
