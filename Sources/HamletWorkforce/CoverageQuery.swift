import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations

/// Computes a coverage rule for a unit's subtree on a date, in one grouped query: each place
/// with the number of distinct people holding a matching post that day (a person with several
/// fields on one post, or several posts, counts once per place).
package struct CoverageQuery {
    package let db: any Database

    package init(db: any Database) { self.db = db }


    package func run(_ rule: CoverageRule, unit: AdminUnit?, date: String, withMisses: Bool = true, map: UnitMap = .ofTheTime) async throws -> CoverageResult {
        try rule.validate()
        if LegacyCoverage.applies(rule, date: date, map: map) { return try await LegacyCoverage(db: db).run(rule, unit: unit, date: date) }
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? ""
        let places = placesQuery(rule, under: path, day: "\(bind: date)")
        var meets: SQLQueryString = "x.n >= \(bind: rule.min)"
        if let max = rule.max { meets += " AND x.n <= \(bind: max)" }
        // Per child unit, counted by the database: one row per child, not one per place.
        let groups = try await sql.raw("SELECT x.child AS child, COUNT(*) AS places, SUM(CASE WHEN " + meets
            + " THEN 1 ELSE 0 END) AS meeting FROM (" + places + ") x GROUP BY x.child").all()
        var byChild: [String: (Int, Int)] = [:]
        for row in groups {
            byChild[try row.decode(column: "child", as: String.self)] = (try row.decode(column: "places", as: Int.self), try row.decode(column: "meeting", as: Int.self))
        }
        let childUnits = try await UnitTree.units(atPaths: Array(byChild.keys), on: db).values
        let children = childUnits.sorted { $0.path < $1.path }.map { u -> CoverageResult.Child in
            let g = byChild[u.path] ?? (0, 0)
            return .init(code: u.code, name: u.name, places: g.0, meeting: g.1, percent: Percent.of(g.1, g.0))
        }
        let total = byChild.values.reduce(0) { $0 + $1.0 }, meeting = byChild.values.reduce(0) { $0 + $1.1 }
        let rows = !withMisses ? [] : try await sql.raw("SELECT * FROM (" + places + ") x WHERE NOT (" + meets + ") ORDER BY x.path LIMIT 2000").all()
        var misses = try rows.map { try miss($0) }
        // Where each sits: a unit's parent, an organisation's own unit.
        let homes = try rows.map { row -> String in
            let path = try row.decode(column: "path", as: String.self)
            return try row.decode(column: "oid", as: UUID?.self) == nil ? (UnitDirectory.ancestorPaths(of: path).last ?? "") : path
        }
        let named = try await UnitTree.units(atPaths: Array(Set(homes)), on: db)
        for i in misses.indices { misses[i].within = named[homes[i]]?.name }
        return CoverageResult(rule: rule.description, unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước",
                              date: date, places: total, meeting: meeting, percent: Percent.of(meeting, total),
                              children: children, misses: misses)
    }

    /// The share of places meeting the rule on each of several days, in one statement: each
    /// place and its posts are read once, with one count per day, so the work is one pass.
    package func series(_ rule: CoverageRule, unit: AdminUnit?, dates: [String]) async throws -> [String: Double] {
        try rule.validate()
        let days = Array(Set(dates)).sorted()
        guard let sql = db as? any SQLDatabase, let first = days.first, let last = days.last else { return [:] }
        let path = unit?.path ?? "", upper = AccessScope.upperBound(path)
        // Each place kind counts its own posts on each day, with its own "open that day" test.
        func counts(_ open: (String) -> SQLQueryString) -> SQLQueryString {
            var out: SQLQueryString = ""
            for (k, day) in days.enumerated() {
                out += ", COUNT(DISTINCT CASE WHEN a.start_date <= \(bind: day) AND (a.end_date IS NULL OR a.end_date >= \(bind: day)) THEN a.person_id END) AS n\(unsafeRaw: String(k))"
                    + ", MAX(CASE WHEN " + open(day) + " THEN 1 ELSE 0 END) AS o\(unsafeRaw: String(k))"
            }
            return out
        }
        var sums: SQLQueryString = ""
        for k in days.indices {
            let n = "n\(k)", o = "o\(k)"
            var meets: SQLQueryString = "x.\(unsafeRaw: o) = 1 AND x.\(unsafeRaw: n) >= \(bind: rule.min)"
            if let max = rule.max { meets += " AND x.\(unsafeRaw: n) <= \(bind: max)" }
            sums += (k == 0 ? "" : ", ") + "SUM(x.\(unsafeRaw: o)) AS \(unsafeRaw: o), SUM(CASE WHEN " + meets + " THEN 1 ELSE 0 END) AS m\(unsafeRaw: String(k))"
        }
        let posts: SQLQueryString = " AND a.start_date <= \(bind: last) AND (a.end_date IS NULL OR a.end_date >= \(bind: first))" + Self.criteria(rule)
        var parts: [SQLQueryString] = []
        if let level = rule.level {
            parts.append("SELECT u.path AS k" + counts { day in
                "(u.closed_on IS NULL OR u.closed_on > \(bind: day)) AND (u.valid_from IS NULL OR u.valid_from <= \(bind: day) OR u.valid_from <= \(bind: UnitLoader.reform2025Date))"
            } + " FROM units u LEFT JOIN assignments a ON a.unit_code = u.code" + posts + """
                 WHERE u.structure = '2025' AND CAST(u.level AS TEXT) = '\(unsafeRaw: level.rawValue)' AND u.path >= \(bind: path) AND u.path < \(bind: upper)
                 GROUP BY u.path
                """)
        }
        if !rule.placeTypes.isEmpty {
            parts.append("SELECT o.unit_path AS k" + counts { day in
                "(o.valid_from IS NULL OR o.valid_from <= \(bind: day)) AND (o.valid_to IS NULL OR o.valid_to >= \(bind: day))"
            } + " FROM organisations o JOIN organisation_types t ON t.id = o.type_id LEFT JOIN assignments a ON a.organisation_id = o.id" + posts
                + " WHERE t.code IN (\(binds: rule.placeTypes)) AND o.unit_path >= \(bind: path) AND o.unit_path < \(bind: upper) GROUP BY o.id, o.unit_path")
        }
        let places = parts.joined(separator: " UNION ALL ")
        let row = try await sql.raw("SELECT " + sums + " FROM (" + places + ") x").first()
        var result: [String: Double] = [:]
        for (k, day) in days.enumerated() {
            result[day] = Percent.of(try row?.decode(column: "m\(k)", as: Int?.self) ?? 0, try row?.decode(column: "o\(k)", as: Int?.self) ?? 0)
        }
        return result
    }

    private func miss(_ row: any SQLRow) throws -> CoverageResult.Miss {
        var code: String, link: String
        if let id = try row.decode(column: "oid", as: UUID?.self) {
            code = id.uuidString
            link = "/\((OrgKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .facility).path)/\(code)"
        } else {
            code = try row.decode(column: "code", as: String.self)
            link = "/units/2025/\(code)"
        }
        return .init(code: code, name: try row.decode(column: "name", as: String.self), unitCode: try row.decode(column: "unit_code", as: String.self),
                     count: try row.decode(column: "n", as: Int.self), link: link)
    }

    private func postConditions(_ rule: CoverageRule, day: SQLQueryString) -> SQLQueryString {
        " AND a.start_date <= " + day + " AND (a.end_date IS NULL OR a.end_date >= " + day + ")" + Self.criteria(rule)
    }

    /// The SQL test for a post (alias `a`) of the rule's fields and kinds.
    package static func criteria(_ rule: CoverageRule) -> SQLQueryString {
        var sql: SQLQueryString = ""
        if !rule.domains.isEmpty {
            sql += " AND ("
            for (i, domain) in rule.domains.enumerated() {
                sql += "\(unsafeRaw: i == 0 ? "" : rule.holdsAllDomains ? " AND " : " OR ")a.\(unsafeRaw: domain.column) = \(true)"
            }
            sql += ")"
        }
        if !rule.kinds.isEmpty {
            sql += " AND CAST(a.employment_kind AS TEXT) IN (\(binds: rule.kinds.map(\.rawValue)))"
        }
        return sql
    }

    /// One row per place with the number of distinct people holding a matching post that day.
    /// Posts are kept at 2025 units, so before the reform the 2025 units stand for the legacy ones
    /// they came from: a unit made by the reform counts on any earlier day, one opened later only
    /// from its opening.
    private func placesQuery(_ rule: CoverageRule, under path: String, day: SQLQueryString) -> SQLQueryString {
        let upper = AccessScope.upperBound(path)
        var parts: [SQLQueryString] = []
        if let level = rule.level {
            // Level names come from a closed enum, so they may be written into the SQL.
            // Grouped by the path alone, the order the units are read in: no sort of 100,000 places.
            parts.append("SELECT NULL AS oid, 'unit' AS kind, MIN(u.code) AS code, MIN(u.name) AS name, u.path AS path, MIN(u.code) AS unit_code, "
                + UnitTree.child("u.path", under: path)
                + " AS child, COUNT(DISTINCT a.person_id) AS n FROM units u LEFT JOIN assignments a ON a.unit_code = u.code"
                + postConditions(rule, day: day) + """
                 WHERE u.structure = '2025' AND CAST(u.level AS TEXT) = '\(unsafeRaw: level.rawValue)'
                  AND u.path >= \(bind: path) AND u.path < \(bind: upper)
                  AND (u.closed_on IS NULL OR u.closed_on > 
                """ + day + ") AND (u.valid_from IS NULL OR u.valid_from <= " + day + " OR u.valid_from <= \(bind: UnitLoader.reform2025Date))"
                + " GROUP BY u.path")
        }
        if !rule.placeTypes.isEmpty {
            let child: SQLQueryString = UnitTree.child("o.unit_path", under: path)
            parts.append("SELECT o.id AS oid, CAST(o.kind AS TEXT) AS kind, o.unit_code AS code, o.name AS name, o.unit_path AS path, o.unit_code AS unit_code, " + child
                + " AS child, COUNT(DISTINCT a.person_id) AS n FROM organisations o JOIN organisation_types t ON t.id = o.type_id"
                + " LEFT JOIN assignments a ON a.organisation_id = o.id" + postConditions(rule, day: day) + """
                 WHERE t.code IN (\(binds: rule.placeTypes)) AND o.unit_path >= \(bind: path) AND o.unit_path < \(bind: upper)
                  AND (o.valid_from IS NULL OR o.valid_from <= 
                """ + day + ") AND (o.valid_to IS NULL OR o.valid_to >= " + day + ")"
                + " GROUP BY o.id, o.kind, o.name, o.unit_path, o.unit_code")
        }
        // Units and organisations in one denominator: each place once, whatever its kind.
        return parts.joined(separator: " UNION ALL ")
    }
}
