import Vapor
import Fluent
import SQLKit
import HamletKit

/// Computes a coverage rule for a unit's subtree on a date, in one grouped query: each place
/// with the number of distinct people holding a matching post that day (a person with several
/// fields on one post, or several posts, counts once per place).
struct CoverageQuery {
    let db: any Database

    struct Place { var code: String; var name: String; var path: String; var unitCode: String; var count: Int; var link: String }

    func run(_ rule: CoverageRule, unit: AdminUnit?, date: String) async throws -> CoverageResult {
        try rule.validate()
        let places = try await countPlaces(rule, under: unit?.path ?? "", date: date)
        let meeting = places.filter { rule.meets($0.count) }
        // Breakdown by the unit one level below the chosen one (or the places themselves).
        let depth = (unit?.path.split(separator: ".").count ?? 0) + 1
        var groups: [String: (Int, Int)] = [:]
        for place in places {
            let key = place.path.split(separator: ".").prefix(depth).joined(separator: ".") + "."
            var g = groups[key] ?? (0, 0)
            g.0 += 1
            if rule.meets(place.count) { g.1 += 1 }
            groups[key] = g
        }
        let childUnits = groups.isEmpty ? [] : try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$path ~~ Array(groups.keys)).all()
        let children = childUnits.sorted { $0.code < $1.code }.map { u -> CoverageResult.Child in
            let g = groups[u.path] ?? (0, 0)
            return .init(code: u.code, name: u.name, places: g.0, meeting: g.1, percent: Percent.of(g.1, g.0))
        }
        let misses = places.filter { !rule.meets($0.count) }.prefix(2000).map {
            CoverageResult.Miss(code: $0.code, name: $0.name, unitCode: $0.unitCode, count: $0.count, link: $0.link)
        }
        return CoverageResult(rule: rule.description, unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước",
                              date: date, places: places.count, meeting: meeting.count, percent: Percent.of(meeting.count, places.count),
                              children: children, misses: Array(misses))
    }

    private func postConditions(_ rule: CoverageRule, date: String) -> SQLQueryString {
        var sql: SQLQueryString = " AND a.start_date <= \(bind: date) AND (a.end_date IS NULL OR a.end_date >= \(bind: date))"
        if !rule.domains.isEmpty {
            sql += " AND ("
            for (i, domain) in rule.domains.enumerated() {
                sql += "\(unsafeRaw: i == 0 ? "" : " OR ")a.\(unsafeRaw: domain.column) = \(true)"
            }
            sql += ")"
        }
        if !rule.kinds.isEmpty {
            sql += " AND CAST(a.employment_kind AS TEXT) IN (\(binds: rule.kinds.map(\.rawValue)))"
        }
        return sql
    }

    private func countPlaces(_ rule: CoverageRule, under path: String, date: String) async throws -> [Place] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let upper = AccessScope.upperBound(path)
        let query: SQLQueryString
        if let level = rule.level {
            // Level names come from a closed enum, so they may be written into the SQL.
            query = """
                SELECT u.code AS code, u.name AS name, u.path AS path, u.code AS unit_code, COUNT(DISTINCT a.person_id) AS n
                FROM units u LEFT JOIN assignments a ON a.unit_code = u.code
                """ + postConditions(rule, date: date) + """
                 WHERE u.structure = '2025' AND CAST(u.level AS TEXT) = '\(unsafeRaw: level.rawValue)'
                  AND u.path >= \(bind: path) AND u.path < \(bind: upper)
                  AND (u.closed_on IS NULL OR u.closed_on > \(bind: date)) AND (u.valid_from IS NULL OR u.valid_from <= \(bind: date))
                GROUP BY u.code, u.name, u.path ORDER BY u.path
                """
        } else {
            query = """
                SELECT o.id AS oid, CAST(o.kind AS TEXT) AS kind, o.name AS name, o.unit_path AS path, o.unit_code AS unit_code, COUNT(DISTINCT a.person_id) AS n
                FROM organisations o JOIN organisation_types t ON t.id = o.type_id
                LEFT JOIN assignments a ON a.organisation_id = o.id
                """ + postConditions(rule, date: date) + """
                 WHERE t.code = \(bind: rule.organisationType ?? "") AND o.unit_path >= \(bind: path) AND o.unit_path < \(bind: upper)
                  AND (o.valid_from IS NULL OR o.valid_from <= \(bind: date)) AND (o.valid_to IS NULL OR o.valid_to >= \(bind: date))
                GROUP BY o.id, o.kind, o.name, o.unit_path, o.unit_code ORDER BY o.unit_path
                """
        }
        let isOrganisation = rule.level == nil
        return try await sql.raw(query).all().map { row in
            var code: String, link: String
            if isOrganisation {
                code = try row.decode(column: "oid", as: UUID.self).uuidString
                let kind = OrgKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .facility
                link = "/\(kind.path)/\(code)"
            } else {
                code = try row.decode(column: "code", as: String.self)
                link = "/units/2025/\(code)"
            }
            return Place(code: code, name: try row.decode(column: "name", as: String.self), path: try row.decode(column: "path", as: String.self),
                         unitCode: try row.decode(column: "unit_code", as: String.self), count: try row.decode(column: "n", as: Int.self), link: link)
        }
    }
}
