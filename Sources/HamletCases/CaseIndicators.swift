import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits

/// The case figures plans measure (seed 004): people served in a year (against a baseline year),
/// the share of a vulnerable group served, and the share of referrals completed. Per child unit
/// of the facilities' places; counts only.
package struct CaseIndicators {
    package let db: any Database

    package init(db: any Database) {
        self.db = db
    }

    package struct Figure {
        package var value: Double
        package var numerator: Int
        package var denominator: Int?
        package var children: [(code: String, name: String, value: Double, numerator: Int, denominator: Int?)]
        package init(value: Double, numerator: Int, denominator: Int? = nil,
                     children: [(code: String, name: String, value: Double, numerator: Int, denominator: Int?)]) {
            (self.value, self.numerator, self.denominator, self.children) = (value, numerator, denominator, children)
        }
    }

    /// Distinct people given at least one service between two days, optionally only people of
    /// some categories and only some services.
    package func served(unit: AdminUnit?, start: String, end: String, categories: [String], services: [String]) async throws -> Figure {
        let byChild = try await people(unit: unit, start: start, end: end, services: services, categories: categories)
        return try await figure(unit, byChild.mapValues { ($0.count, nil) }, share: false)
    }

    /// Of the people of some categories with a case open at some time between the two days, the
    /// share given at least one service in that time.
    package func groupServed(unit: AdminUnit?, start: String, end: String, categories: [String]) async throws -> Figure {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? "", child = UnitTree.child("c.facility_path", under: path)
        var known: [String: Set<UUID>] = [:]
        for row in try await sql.raw("""
            SELECT c.person_id AS person, \(child) AS child FROM cases c
            WHERE c.facility_path >= \(bind: path) AND c.facility_path < \(bind: AccessScope.upperBound(path))
              AND c.opened_on <= \(bind: end) AND (c.closed_on IS NULL OR c.closed_on >= \(bind: start))
            """).all() {
            known[try row.decode(column: "child", as: String.self), default: []].insert(try row.decode(column: "person", as: UUID.self))
        }
        let inGroup = try await peopleIn(categories, among: Set(known.values.flatMap { $0 }))
        let served = try await people(unit: unit, start: start, end: end, services: [], categories: categories)
        var counts: [String: (Int, Int?)] = [:]
        for (place, people) in known {
            let group = people.intersection(inGroup)
            guard !group.isEmpty else { continue }
            counts[place] = (group.intersection(served[place] ?? []).count, group.count)
        }
        return try await figure(unit, counts, share: true)
    }

    /// People of some categories living in the unit given at least one service between the two
    /// days, over the population figures of those groups (588: children supported of all such
    /// children, not of those who already have a case). By where people live, per child unit.
    package func groupServedOverPopulation(unit: AdminUnit?, start: String, end: String, categories: [String],
                                   base: (total: Int?, children: [String: Int])) async throws -> Figure {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? "", child = UnitTree.child("p.unit_path", under: path)
        var served: [String: Set<UUID>] = [:]
        for row in try await sql.raw("""
            SELECT DISTINCT c.person_id AS person, \(child) AS child
            FROM case_entries e JOIN cases c ON c.id = e.case_id JOIN served_people p ON p.id = c.person_id
            WHERE e.kind = 'service' AND e.on_date >= \(bind: start) AND e.on_date <= \(bind: end)
              AND p.unit_path >= \(bind: path) AND p.unit_path < \(bind: AccessScope.upperBound(path))
            """).all() {
            served[try row.decode(column: "child", as: String.self), default: []].insert(try row.decode(column: "person", as: UUID.self))
        }
        let group = try await peopleIn(categories, among: Set(served.values.flatMap { $0 }))
        var counts: [String: (Int, Int?)] = [:]
        for key in Set(served.keys).union(base.children.keys) {
            counts[key] = ((served[key] ?? []).intersection(group).count, base.children[key] ?? 0)
        }
        var f = try await figure(unit, counts, share: true)
        // The whole is the unit's own base (a province's figure wins over its communes' sum).
        let whole = base.total ?? 0
        f.numerator = served.values.reduce(0) { $0 + $1.intersection(group).count }
        f.denominator = whole
        f.value = Percent.of(f.numerator, whole)
        return f
    }

    /// Of the referrals sent between the two days, the share completed.
    package func referralsCompleted(unit: AdminUnit?, start: String, end: String) async throws -> Figure {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? "", child = UnitTree.child("c.facility_path", under: path)
        var counts: [String: (Int, Int?)] = [:]
        for row in try await sql.raw("""
            SELECT \(child) AS child, SUM(CASE WHEN r.status = 'completed' THEN 1 ELSE 0 END) AS done, COUNT(*) AS n
            FROM case_referrals r JOIN cases c ON c.id = r.case_id
            WHERE r.sent_on >= \(bind: start) AND r.sent_on <= \(bind: end) AND c.facility_path >= \(bind: path) AND c.facility_path < \(bind: AccessScope.upperBound(path))
            GROUP BY \(child)
            """).all() {
            counts[try row.decode(column: "child", as: String.self)] = (try row.decode(column: "done", as: Int?.self) ?? 0, try row.decode(column: "n", as: Int.self))
        }
        return try await figure(unit, counts, share: true)
    }

    private func people(unit: AdminUnit?, start: String, end: String, services: [String], categories: [String]) async throws -> [String: Set<UUID>] {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? "", child = UnitTree.child("c.facility_path", under: path)
        var query: SQLQueryString = """
            SELECT DISTINCT c.person_id AS person, \(child) AS child FROM case_entries e JOIN cases c ON c.id = e.case_id
            WHERE e.kind = 'service' AND e.on_date >= \(bind: start) AND e.on_date <= \(bind: end)
              AND c.facility_path >= \(bind: path) AND c.facility_path < \(bind: AccessScope.upperBound(path))
            """
        if !services.isEmpty { query += " AND e.code IN (\(binds: services))" }
        var out: [String: Set<UUID>] = [:]
        for row in try await sql.raw(query).all() {
            out[try row.decode(column: "child", as: String.self), default: []].insert(try row.decode(column: "person", as: UUID.self))
        }
        guard !categories.isEmpty else { return out }
        let group = try await peopleIn(categories, among: Set(out.values.flatMap { $0 }))
        return out.mapValues { $0.intersection(group) }.filter { !$0.value.isEmpty }
    }

    private func peopleIn(_ categories: [String], among ids: Set<UUID>) async throws -> Set<UUID> {
        var out = Set<UUID>()
        for chunk in Array(ids).chunks(of: 500) {
            for p in try await ServedPerson.query(on: db).filter(\.$id ~~ Array(chunk)).all() where !Set(p.categories).isDisjoint(with: categories) { out.insert(p.id!) }
        }
        return out
    }

    private func figure(_ unit: AdminUnit?, _ counts: [String: (Int, Int?)], share: Bool) async throws -> Figure {
        let names = try await ChildNames.of(counts.keys, under: unit, on: db)
        let n = counts.values.reduce(0) { $0 + $1.0 }, d = counts.values.reduce(0) { $0 + ($1.1 ?? 0) }
        return Figure(value: share ? Percent.of(n, d) : Double(n), numerator: n, denominator: share ? d : nil,
                      children: counts.sorted { $0.key < $1.key }.map { key, v in
                          (names.code(key), names.name(key),
                           share ? Percent.of(v.0, v.1 ?? 0) : Double(v.0), v.0, v.1)
                      })
    }
}
