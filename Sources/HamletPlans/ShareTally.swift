import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletWorkforce
import HamletTraining

/// Kept counts for trained-share (and people-trained) indicators, so the country per province (270,000 posts) reads a
/// few thousand sums instead of every post. For each indicator, person, scope (the country, and
/// each province the person serves in) and child key, `share_tally_people` holds the days the
/// person starts and stops counting (`ShareChanges`), and `share_tally_sums` their sums over
/// people. The value on day D is the sum of the changes on or before D.
///
/// Kept, not cached: a reader first rebuilds the people the triggers noted as changed
/// (`share_tally_dirty`), in one transaction, so a saved post or result is in the next figure.
/// A definition that changed since its tally was built is rebuilt whole.
package struct ShareTally {
    package let db: any Database

    package init(db: any Database) {
        self.db = db
    }

    /// Scopes kept: the country and the provinces. Below, the live statement reads a few hundred posts.
    package static func keeps(_ unit: AdminUnit?) -> Bool { unit.map { $0.path.split(separator: ".").count == 1 } ?? true }

    /// Kinds kept: the trained share, people trained since a fixed year or in a year against a
    /// baseline year, and coverage of a unit level (per place).
    package static func keeps(_ indicator: Indicator, _ d: IndicatorDefinition, unit: AdminUnit?) -> Bool {
        indicator.id != nil && keeps(unit) && keeps(d)
    }

    package static func keeps(_ d: IndicatorDefinition) -> Bool {
        switch d.kind {
        case .trainedShare: return d.baselineYear == nil
        case .trainedCount: return d.fromYear != nil || d.baselineYear != nil
        // Places of one unit level only: agencies and facilities are counted live.
        case .unitsWithPeople: return d.baselineYear == nil && d.rule?.level != nil && (d.rule?.placeTypes.isEmpty ?? true)
        default: return false
        }
    }

    /// Counts (active, trained) per child path on each of `days` (sorted, no repeats), `""` being
    /// the scope's total, from a tally `ready` said is built.
    package func counts(_ indicator: Indicator, unit: AdminUnit?, days: [String]) async throws -> [String: [(Int, Int)]] {
        guard let sql = db as? any SQLDatabase, let id = indicator.id, let last = days.last else { throw HamletError.notFound }
        // Each change falls in the bucket of the first day on or after it; a child's count on
        // day k is the sum of buckets 0…k.
        var bucket: SQLQueryString = "CASE"
        for (k, day) in days.enumerated() { bucket += " WHEN day <= \(bind: day) THEN \(unsafeRaw: String(k))" }
        let rows = try await sql.raw("SELECT child, " + bucket + " END AS b, SUM(active) AS a, SUM(trained) AS t FROM share_tally_sums"
            + " WHERE indicator_id = \(bind: id) AND scope = \(bind: unit?.path ?? "") AND day <= \(bind: last) GROUP BY 1, 2").all()
        var counts: [String: [(Int, Int)]] = [:]
        for row in rows {
            let child = try row.decode(column: "child", as: String.self), b = try row.decode(column: "b", as: Int.self)
            let a = try row.decode(column: "a", as: Int?.self) ?? 0, t = try row.decode(column: "t", as: Int?.self) ?? 0
            var list = counts[child] ?? Array(repeating: (0, 0), count: days.count)
            for k in b..<days.count { list[k] = (list[k].0 + a, list[k].1 + t) }
            counts[child] = list
        }
        return counts
    }

    /// Most noted people (and places) a reader brings up to date itself. Beyond it (a large
    /// import, a generated register) the builder catches up in the background, a chunk at a
    /// time, and figures are counted live meanwhile: no request rebuilds a nation's people.
    package static let catchUpInRequest = 2000

    /// Whether the indicator's tally is built for its definition now and up to date, after
    /// rebuilding the people and places the triggers noted as changed (at most
    /// `catchUpInRequest`). A tally not built yet is built in the background (`TallyBuilds`),
    /// never here: the caller then counts live.
    package func ready(_ indicator: Indicator) async throws -> Bool {
        guard let sql = db as? any SQLDatabase, let id = indicator.id else { return false }
        // One round trip on the common path: built as now, and nothing (or little) noted.
        let state = try await sql.raw("SELECT (SELECT definition FROM share_tally_built WHERE indicator_id = \(bind: id)) AS built, \(unsafeRaw: Self.noted)").first()
        let built = try state?.decode(column: "built", as: String?.self), noted = try state?.decode(column: "noted", as: Int.self) ?? 0
        guard built == indicator.definition, noted <= Self.catchUpInRequest else { return false }
        if noted > 0 {
            try await db.writeTransaction { tx in
                guard let sql = tx as? any SQLDatabase else { return }
                try await TallyBuilds.lock(sql)
                _ = try await Self.catchUp(on: sql, limit: nil)
            }
        }
        return true
    }

    /// How many people and places are noted as changed, counted no further than the request's share.
    package static let noted = "(SELECT COUNT(*) FROM (SELECT 1 AS x FROM share_tally_dirty LIMIT \(catchUpInRequest + 1)) a)"
        + " + (SELECT COUNT(*) FROM (SELECT 1 AS x FROM share_tally_dirty_places LIMIT \(catchUpInRequest + 1)) b) AS noted"

    /// Rebuilds people and places noted as changed (at most `limit` of each), inside the caller's
    /// transaction and the tallies' lock: the built tallies move their sums by the difference; the
    /// one being built has its rows redone (its sums are added up when it is finished). A built
    /// tally whose definition changed is dropped. Returns how many were claimed.
    package static func catchUp(on sql: any SQLDatabase, limit: Int?) async throws -> Int {
        // No tally built or being built: the notes serve nobody (a first build reads everyone).
        let tallies = try await sql.raw("SELECT (SELECT COUNT(*) FROM share_tally_built) + (SELECT COUNT(*) FROM share_tally_builds) AS n").first()?
            .decode(column: "n", as: Int.self) ?? 0
        if tallies == 0 {
            try await sql.raw("DELETE FROM share_tally_dirty").run()
            try await sql.raw("DELETE FROM share_tally_dirty_places").run()
            return 0
        }
        // Claimed by deleting: a change committed after this is noted again and rebuilt next time.
        let some: (String, String) -> SQLQueryString = { table, column in
            limit.map { " WHERE \(unsafeRaw: column) IN (SELECT \(unsafeRaw: column) FROM \(unsafeRaw: table) LIMIT \(unsafeRaw: String($0)))" } ?? ""
        }
        let people = try await sql.raw("DELETE FROM share_tally_dirty" + some("share_tally_dirty", "person_id") + " RETURNING person_id").all()
            .map { try $0.decode(column: "person_id", as: UUID.self) }
        let places = try await sql.raw("DELETE FROM share_tally_dirty_places" + some("share_tally_dirty_places", "unit_code") + " RETURNING unit_code").all()
            .map { try $0.decode(column: "unit_code", as: String.self) }
        guard !people.isEmpty || !places.isEmpty else { return 0 }
        for row in try await sql.raw("SELECT b.indicator_id AS id, b.definition AS built, i.definition AS now FROM share_tally_built b LEFT JOIN indicators i ON i.id = b.indicator_id").all() {
            let other = try row.decode(column: "id", as: UUID.self), now = try row.decode(column: "now", as: String?.self)
            guard let now, now == (try row.decode(column: "built", as: String.self)),
                  let d = try? JSONDecoder().decode(IndicatorDefinition.self, from: Data(now.utf8)) else {
                try await drop(other, on: sql)   // deleted or edited: built again in the background
                continue
            }
            try await rebuild(other, d, people: people, places: places, on: sql)
        }
        if let building = try await TallyBuilds.current(on: sql) {
            var unused = Sums()
            try await redo(building.id, building.definition, people: people, places: places, on: sql, into: &unused)
        }
        return people.count + places.count
    }

    package static func drop(_ id: UUID, on sql: any SQLDatabase) async throws {
        for table in ["share_tally_people", "share_tally_places", "share_tally_sums", "share_tally_built"] {
            try await sql.raw("DELETE FROM \(unsafeRaw: table) WHERE indicator_id = \(bind: id)").run()
        }
    }

    /// Rebuilds one indicator's rows for these people or places (by its kind), in chunks, and
    /// moves its sums once by the summed difference: sums rewritten once per chunk would leave
    /// PostgreSQL a dead row version per rewrite.
    package static func rebuild(_ id: UUID, _ d: IndicatorDefinition, people: [UUID], places: [String], on sql: any SQLDatabase) async throws {
        var delta = Sums()
        try await redo(id, d, people: people, places: places, on: sql, into: &delta)
        try await addToSums(id, delta, on: sql)
    }

    /// Replaces the rows of these people or places (by the kind), adding the difference to `delta`.
    package static func redo(_ id: UUID, _ d: IndicatorDefinition, people: [UUID], places: [String], on sql: any SQLDatabase, into delta: inout Sums) async throws {
        if d.kind == .unitsWithPeople {
            for chunk in places.chunks(of: 2000) { try await rebuild(id, d, places: Array(chunk), on: sql, into: &delta) }
        } else {
            for chunk in people.chunks(of: 2000) { try await rebuild(id, d, people: Array(chunk), on: sql, into: &delta) }
        }
    }

    /// Where a sum is kept: the scope (the country `""` or a province path), the child's path
    /// (`""` for the scope's total) and the day of the change.
    package struct Key: Hashable {
        package var scope: String
        package var child: String
        package var day: String
        package init(scope: String, child: String, day: String) {
            (self.scope, self.child, self.day) = (scope, child, day)
        }
    }
    /// Differences to the sums: (active, trained), or for places (places, meeting).
    package typealias Sums = [Key: (Int, Int)]

    /// Deletes the rows kept for these people or places, taking them off `delta`.
    package static func takeOut<K: Encodable & Sendable>(_ id: UUID, from table: String, where column: String, in keys: [K], on sql: any SQLDatabase, into delta: inout Sums) async throws {
        let rows: SQLQueryString = " FROM \(unsafeRaw: table) WHERE indicator_id = \(bind: id) AND \(unsafeRaw: column) IN (\(binds: keys))"
        for row in try await sql.raw("SELECT scope, child, day, active, trained" + rows).all() {
            let key = Key(scope: try row.decode(column: "scope", as: String.self), child: try row.decode(column: "child", as: String.self), day: try row.decode(column: "day", as: String.self))
            let old = delta[key] ?? (0, 0)
            delta[key] = (old.0 - (try row.decode(column: "active", as: Int.self)), old.1 - (try row.decode(column: "trained", as: Int.self)))
        }
        try await sql.raw("DELETE" + rows).run()
    }

    /// Replaces the rows of these people, adding the difference to `delta`.
    private static func rebuild(_ id: UUID, _ d: IndicatorDefinition, people: [UUID], on sql: any SQLDatabase, into delta: inout Sums) async throws {
        let staff = d.staff ?? StaffCriteria(), trained = d.trained ?? TrainedCriteria()
        // People trained since a year: +1 on the day of a person's first qualifying completion in
        // a class under each key (the class's place), and under the scope's total.
        var completions: [UUID: [(path: String, day: String)]] = [:]
        // Against a baseline: each year on its own (a +1 on the first completion in each calendar
        // year), so any span inside a year is a difference of two sums.
        let perYear = d.baselineYear != nil
        if d.kind == .trainedCount {
            let from = perYear ? "0000-01-01" : String(format: "%04d-01-01", d.fromYear ?? 0)
            for row in try await sql.raw("SELECT tp.person_id AS p, c.unit_path AS path, c.end_date AS e FROM participations tp JOIN training_classes c ON c.id = tp.class_id"
                                         + " JOIN courses k ON k.id = c.course_id WHERE tp.person_id IN (\(binds: people)) AND tp.result = 'completed'"
                                         + " AND c.status <> 'cancelled' AND c.end_date >= \(bind: from)" + trained.conditions(classes: "c", courses: "k")).all() {
                completions[try row.decode(column: "p", as: UUID.self), default: []].append((try row.decode(column: "path", as: String.self), try row.decode(column: "e", as: String.self)))
            }
        }
        var posts: [UUID: [(path: String, start: String, end: String?)]] = [:]
        for row in d.kind != .trainedShare ? [] : try await sql.raw("SELECT a.person_id AS p, a.unit_path AS path, a.start_date AS s, a.end_date AS e FROM assignments a WHERE a.person_id IN (\(binds: people))"
                                     + staff.conditions("a")).all() {
            posts[try row.decode(column: "p", as: UUID.self), default: []].append((try row.decode(column: "path", as: String.self),
                try row.decode(column: "s", as: String.self), try row.decode(column: "e", as: String?.self)))
        }
        var firsts: [UUID: String] = [:]
        for row in d.kind != .trainedShare ? [] : try await sql.raw(trained.firstCompletions(where: "tp.person_id IN (\(binds: people))")).all() {
            if let first = try row.decode(column: "first", as: String?.self) { firsts[try row.decode(column: "person_id", as: UUID.self)] = first }
        }
        try await takeOut(id, from: "share_tally_people", where: "person_id", in: people, on: sql, into: &delta)
        var rows: [[BulkLoad.Cell]] = []
        func add(_ person: UUID, _ scope: String, _ c: ShareChanges.Change) {
            rows.append([.uuid(id), .uuid(person), .text(scope), .text(c.key), .text(c.day), .int(c.active), .int(c.trained)])
            let key = Key(scope: scope, child: c.key, day: c.day), old = delta[key] ?? (0, 0)
            delta[key] = (old.0 + c.active, old.1 + c.trained)
        }
        for (person, list) in completions {
            var firsts: [Key: String] = [:]
            for (path, day) in list {
                let province = String(path.prefix(3)), year = perYear ? String(day.prefix(4)) : ""
                for key in [Key(scope: "", child: province, day: year), Key(scope: "", child: "", day: year),
                            Key(scope: province, child: String(path.prefix(9)), day: year), Key(scope: province, child: "", day: year)] {
                    firsts[key] = min(firsts[key] ?? day, day)
                }
            }
            for (key, day) in firsts { add(person, key.scope, .init(key: key.child, day: day, active: 1, trained: 0)) }
        }
        for (person, list) in posts {
            let first = firsts[person]
            // The country, by province; and each province the person serves in, by commune.
            var scopes: [(scope: String, posts: [ShareChanges.Post])] = [("", list.map { .init(key: String($0.path.prefix(3)), start: $0.start, end: $0.end) })]
            for (province, inside) in Dictionary(grouping: list, by: { String($0.path.prefix(3)) }) {
                scopes.append((province, inside.map { .init(key: String($0.path.prefix(9)), start: $0.start, end: $0.end) }))
            }
            for (scope, scoped) in scopes {
                for c in ShareChanges.of(scoped, first: first, total: "") { add(person, scope, c) }
            }
        }
        try await BulkLoad.insert("share_tally_people", columns: ["indicator_id", "person_id", "scope", "child", "day", "active", "trained"], rows: rows, on: sql)
    }

    /// Moves the kept sums by these differences.
    package static func addToSums(_ id: UUID, _ delta: Sums, on sql: any SQLDatabase) async throws {
        let sums = delta.filter { $0.value.0 != 0 || $0.value.1 != 0 }.map { key, d -> [BulkLoad.Cell] in
            [.uuid(id), .text(key.scope), .text(key.child), .text(key.day), .int(d.0), .int(d.1)]
        }
        let sqlite = SQLText.isSQLite(sql)
        for chunk in sums.chunks(of: 4000) {
            let insert = sql.insert(into: "share_tally_sums").columns("indicator_id", "scope", "child", "day", "active", "trained")
            for row in chunk { insert.values(row.map { BulkLoad.bind($0, sqlite: sqlite) }) }
            try await insert.onConflict(with: ["indicator_id", "scope", "child", "day"]) { conflict in
                conflict.set("active", to: SQLRaw("share_tally_sums.active + EXCLUDED.active"))
                    .set("trained", to: SQLRaw("share_tally_sums.trained + EXCLUDED.trained"))
            }.run()
        }
    }

    /// Coverage: replaces the rows of these places (units of the rule's level; others are
    /// skipped), adding the difference to `delta`.
    private static func rebuild(_ id: UUID, _ d: IndicatorDefinition, places codes: [String], on sql: any SQLDatabase, into delta: inout Sums) async throws {
        guard let rule = d.rule, let level = rule.level else { return }
        var posts: [String: [PlaceChanges.Post]] = [:]
        for row in try await sql.raw("SELECT a.unit_code AS c, a.person_id AS p, a.start_date AS s, a.end_date AS e FROM assignments a WHERE a.unit_code IN (\(binds: codes))"
                                     + CoverageQuery.criteria(rule)).all() {
            posts[try row.decode(column: "c", as: String.self), default: []].append(.init(person: try row.decode(column: "p", as: UUID.self).uuidString,
                start: try row.decode(column: "s", as: String.self), end: try row.decode(column: "e", as: String?.self)))
        }
        try await takeOut(id, from: "share_tally_places", where: "unit_code", in: codes, on: sql, into: &delta)
        var rows: [[BulkLoad.Cell]] = []
        // Posts are kept at 2025 units: a unit made by the reform stands for the legacy ones on any
        // earlier day, one opened later counts from its opening (as `CoverageQuery`).
        for row in try await sql.raw("SELECT code, path, closed_on, valid_from FROM units WHERE structure = '2025' AND CAST(level AS TEXT) = \(bind: level.rawValue) AND code IN (\(binds: codes))").all() {
            let code = try row.decode(column: "code", as: String.self), path = try row.decode(column: "path", as: String.self)
            let from = try row.decode(column: "valid_from", as: String?.self)
            let changes = PlaceChanges.of(posts[code] ?? [], openFrom: from.flatMap { $0 <= UnitLoader.reform2025Date ? nil : $0 },
                                          closedOn: try row.decode(column: "closed_on", as: String?.self), min: rule.min, max: rule.max)
            let province = String(path.prefix(3))
            for (scope, child) in [("", province), ("", ""), (province, String(path.prefix(9))), (province, "")] {
                for c in changes {
                    rows.append([.uuid(id), .text(code), .text(scope), .text(child), .text(c.day), .int(c.places), .int(c.meeting)])
                    let key = Key(scope: scope, child: child, day: c.day), old = delta[key] ?? (0, 0)
                    delta[key] = (old.0 + c.places, old.1 + c.meeting)
                }
            }
        }
        try await BulkLoad.insert("share_tally_places", columns: ["indicator_id", "unit_code", "scope", "child", "day", "active", "trained"], rows: rows, on: sql)
    }
}
