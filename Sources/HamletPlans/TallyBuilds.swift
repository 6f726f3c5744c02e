import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase

/// Kept tallies built in the background, never in a request (issue 25): a new or edited
/// indicator whose counts are kept (`ShareTally.keeps`) is queued; `step` builds the one in
/// progress a chunk of people (or places) at a time, each chunk its own transaction with the
/// cursor beside it, so a build stopped by a restart goes on where it was. One build at a time
/// per database: the build row is single, and every step holds the tallies' lock. Until it is
/// finished the indicator is counted live (`IndicatorEngine` marks such a value `building`).
package struct TallyBuilds {
    package let db: any Database
    /// People (or places) per step: short enough that SQLite's writer waits little behind it.
    package var chunk = 1000

    package init(db: any Database, chunk: Int = 1000) {
        self.db = db
        self.chunk = chunk
    }

    /// Where an indicator's tally stands, for its officer.
    package struct Progress: Content, Equatable {
        /// "ready", "building" (`done` of `total` people or places so far), "queued", or
        /// "catching-up" (built, with more changes noted than a reader brings up to date itself).
        package var state: String
        package var done: Int?
        package var total: Int?
        package var percent: Int?

        package init(state: String, done: Int? = nil, total: Int? = nil) {
            (self.state, self.done, self.total) = (state, done, total)
            percent = total.map { $0 > 0 ? min(100, (done ?? 0) * 100 / $0) : 0 }
        }
    }

    /// The build in progress, if its definition is still the indicator's.
    package struct Current {
        package var id: UUID
        package var definition: IndicatorDefinition
    }

    /// The tallies' lock: builds, catch-ups and finishes take turns across app instances;
    /// SQLite's single writer does the same.
    package static func lock(_ sql: any SQLDatabase) async throws {
        if !SQLText.isSQLite(sql) { try await sql.raw("SELECT pg_advisory_xact_lock(7301)").run() }
    }

    package static func current(on sql: any SQLDatabase) async throws -> Current? {
        guard let row = try await sql.raw("SELECT b.indicator_id AS id, b.definition AS built, i.definition AS now FROM share_tally_builds b"
                                          + " JOIN indicators i ON i.id = b.indicator_id").first(),
              let now = try row.decode(column: "now", as: String?.self), now == (try row.decode(column: "built", as: String.self)),
              let d = try? JSONDecoder().decode(IndicatorDefinition.self, from: Data(now.utf8)) else { return nil }
        return Current(id: try row.decode(column: "id", as: UUID.self), definition: d)
    }

    /// Where each indicator's tally stands; none for an indicator whose counts are not kept (always live).
    package func progress(of indicators: [Indicator]) async throws -> [UUID: Progress] {
        let kept = indicators.filter { ($0.id != nil) && ((try? $0.parsed()).map(ShareTally.keeps) ?? false) }
        guard !kept.isEmpty, let sql = db as? any SQLDatabase else { return [:] }
        var built: [UUID: String] = [:], building: [UUID: (String, Int, Int)] = [:]
        let noted = try await sql.raw("SELECT \(unsafeRaw: ShareTally.noted)").first()?.decode(column: "noted", as: Int.self) ?? 0
        for row in try await sql.raw("SELECT indicator_id, definition FROM share_tally_built").all() {
            built[try row.decode(column: "indicator_id", as: UUID.self)] = try row.decode(column: "definition", as: String.self)
        }
        for row in try await sql.raw("SELECT indicator_id, definition, done, total FROM share_tally_builds").all() {
            building[try row.decode(column: "indicator_id", as: UUID.self)] = (try row.decode(column: "definition", as: String.self),
                try row.decode(column: "done", as: Int.self), try row.decode(column: "total", as: Int.self))
        }
        var out: [UUID: Progress] = [:]
        for indicator in kept {
            let id = indicator.id!
            if built[id] == indicator.definition { out[id] = Progress(state: noted > ShareTally.catchUpInRequest ? "catching-up" : "ready") }
            else if let b = building[id], b.0 == indicator.definition { out[id] = Progress(state: "building", done: b.1, total: b.2) }
            else { out[id] = Progress(state: "queued") }
        }
        return out
    }

    /// Builds until nothing is left (the command line, benchmarks and tests that want every tally ready).
    package func finishAll() async throws {
        while try await step() {}
    }

    /// One unit of work, in one transaction: catch up a chunk of noted changes, start the next
    /// build, build one chunk, or finish. false when every kept indicator is built for its
    /// definition and nothing is noted.
    @discardableResult
    package func step() async throws -> Bool {
        // Idle, the builder looks every two seconds: with reads only, not SQLite's writer lock.
        guard try await hasWork() else { return false }
        let size = chunk
        return try await db.writeTransaction { tx in
            guard let sql = tx as? any SQLDatabase else { return false }
            try await Self.lock(sql)
            // Changes first: the figures already built stay exact.
            if try await ShareTally.catchUp(on: sql, limit: size) > 0 {
                // All caught up: an answer kept while it was counted live (marked) is not served after.
                if try await sql.raw("SELECT \(unsafeRaw: ShareTally.noted)").first()?.decode(column: "noted", as: Int.self) == 0 {
                    try await sql.raw("UPDATE share_tally_built SET definition = definition").run()
                }
                return true
            }
            guard let build = try await sql.raw("SELECT indicator_id, definition, last_key FROM share_tally_builds").first() else {
                return try await Self.start(on: sql)
            }
            let id = try build.decode(column: "indicator_id", as: UUID.self), cursor = try build.decode(column: "last_key", as: String?.self)
            guard let current = try await Self.current(on: sql), current.id == id else {
                // Deleted or edited since it started: dropped, and the next step starts afresh.
                try await sql.raw("DELETE FROM share_tally_builds WHERE indicator_id = \(bind: id)").run()
                try await ShareTally.drop(id, on: sql)
                return true
            }
            let d = current.definition
            var unused = ShareTally.Sums()
            if d.kind == .unitsWithPeople {
                let places = try await Self.places(of: d, after: cursor, limit: size, on: sql)
                guard let last = places.last else { return try await Self.finish(id, on: sql) }
                try await ShareTally.redo(id, d, people: [], places: places, on: sql, into: &unused)
                try await Self.advance(id, to: last, by: places.count, on: sql)
            } else {
                let people = try await Self.people(of: d, after: cursor.flatMap(UUID.init(uuidString:)), limit: size, on: sql)
                guard let last = people.last else { return try await Self.finish(id, on: sql) }
                try await ShareTally.redo(id, d, people: people, places: [], on: sql, into: &unused)
                try await Self.advance(id, to: last.uuidString, by: people.count, on: sql)
            }
            return true
        }
    }

    /// Noted changes, a build in progress, or a kept indicator not built for its definition.
    private func hasWork() async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        let row = try await sql.raw("SELECT (SELECT COUNT(*) FROM (SELECT 1 AS x FROM share_tally_dirty LIMIT 1) a)"
            + " + (SELECT COUNT(*) FROM (SELECT 1 AS x FROM share_tally_dirty_places LIMIT 1) b)"
            + " + (SELECT COUNT(*) FROM share_tally_builds) AS n").first()
        if try row?.decode(column: "n", as: Int.self) ?? 0 > 0 { return true }
        return try await Self.pending(on: sql) != nil
    }

    /// The first kept indicator not built for its definition, with its definition.
    private static func pending(on sql: any SQLDatabase) async throws -> (UUID, String, IndicatorDefinition)? {
        let rows = try await sql.raw("SELECT i.id AS id, i.definition AS now, b.definition AS built FROM indicators i"
                                     + " LEFT JOIN share_tally_built b ON b.indicator_id = i.id ORDER BY i.created_at, i.code").all()
        for row in rows {
            let now = try row.decode(column: "now", as: String.self)
            guard now != (try row.decode(column: "built", as: String?.self)),
                  let d = try? JSONDecoder().decode(IndicatorDefinition.self, from: Data(now.utf8)), ShareTally.keeps(d) else { continue }
            return (try row.decode(column: "id", as: UUID.self), now, d)
        }
        return nil
    }

    /// The first kept indicator not built for its definition: its old rows dropped, its build row made.
    private static func start(on sql: any SQLDatabase) async throws -> Bool {
        if let (id, now, d) = try await pending(on: sql) {
            try await ShareTally.drop(id, on: sql)
            let total = try await count(of: d, on: sql)
            let at = TimeStamp.iso(HamletClock.shared.now)
            try await sql.raw("INSERT INTO share_tally_builds (indicator_id, definition, last_key, done, total, started_at, updated_at)"
                              + " VALUES (\(bind: id), \(bind: now), NULL, 0, \(bind: total), \(bind: at), \(bind: at))").run()
            return true
        }
        return false
    }

    /// The sums added up from the rows, the tally marked built, the build row gone.
    private static func finish(_ id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        for table in ["share_tally_people", "share_tally_places"] {
            try await sql.raw("INSERT INTO share_tally_sums (indicator_id, scope, child, day, active, trained)"
                + " SELECT indicator_id, scope, child, day, SUM(active), SUM(trained) FROM \(unsafeRaw: table) WHERE indicator_id = \(bind: id)"
                + " GROUP BY indicator_id, scope, child, day HAVING SUM(active) <> 0 OR SUM(trained) <> 0").run()
        }
        try await sql.raw("INSERT INTO share_tally_built (indicator_id, definition) SELECT indicator_id, definition FROM share_tally_builds WHERE indicator_id = \(bind: id)").run()
        try await sql.raw("DELETE FROM share_tally_builds WHERE indicator_id = \(bind: id)").run()
        return true
    }

    private static func advance(_ id: UUID, to cursor: String, by n: Int, on sql: any SQLDatabase) async throws {
        let at = TimeStamp.iso(HamletClock.shared.now)
        try await sql.raw("UPDATE share_tally_builds SET last_key = \(bind: cursor), done = done + \(bind: n), updated_at = \(bind: at) WHERE indicator_id = \(bind: id)").run()
    }

    /// Who a kind counts: everyone with a post (the share) or in a class (people trained).
    private static func source(_ d: IndicatorDefinition) -> String { d.kind == .trainedShare ? "assignments" : "participations" }

    private static func people(of d: IndicatorDefinition, after cursor: UUID?, limit: Int, on sql: any SQLDatabase) async throws -> [UUID] {
        let after: SQLQueryString = cursor.map { " WHERE person_id > \(bind: $0)" } ?? ""
        return try await sql.raw("SELECT DISTINCT person_id FROM \(unsafeRaw: source(d))" + after + " ORDER BY person_id LIMIT \(unsafeRaw: String(limit))").all()
            .map { try $0.decode(column: "person_id", as: UUID.self) }
    }

    private static func places(of d: IndicatorDefinition, after cursor: String?, limit: Int, on sql: any SQLDatabase) async throws -> [String] {
        guard let level = d.rule?.level else { return [] }
        let after: SQLQueryString = cursor.map { " AND code > \(bind: $0)" } ?? ""
        return try await sql.raw("SELECT code FROM units WHERE structure = '2025' AND CAST(level AS TEXT) = \(bind: level.rawValue)" + after
                                 + " ORDER BY code LIMIT \(unsafeRaw: String(limit))").all().map { try $0.decode(column: "code", as: String.self) }
    }

    private static func count(of d: IndicatorDefinition, on sql: any SQLDatabase) async throws -> Int {
        if d.kind == .unitsWithPeople {
            guard let level = d.rule?.level else { return 0 }
            return try await sql.raw("SELECT COUNT(*) AS n FROM units WHERE structure = '2025' AND CAST(level AS TEXT) = \(bind: level.rawValue)").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
        return try await sql.raw("SELECT COUNT(DISTINCT person_id) AS n FROM \(unsafeRaw: source(d))").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

/// The table of the build in progress (at most one row).
package struct CreateTallyBuilds: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let id = SQLText.isPostgres(database) ? "uuid" : "TEXT"
        try await sql.raw("""
            CREATE TABLE share_tally_builds (indicator_id \(unsafeRaw: id) PRIMARY KEY, definition TEXT NOT NULL, last_key TEXT,
              done INTEGER NOT NULL, total INTEGER NOT NULL, started_at TEXT NOT NULL, updated_at TEXT NOT NULL)
            """).run()
    }

    package func revert(on database: any Database) async throws {}
}

/// `hamlet serve` builds queued tallies in the background: a step at a time, looking again every
/// two seconds when nothing is queued (an indicator saved through another instance is seen too).
package struct TallyBuilder: LifecycleHandler {
    package init() {}

    package static func start(_ app: Application) {
        let task = Task {
            while !Task.isCancelled {
                var more = false
                do { more = try await TallyBuilds(db: app.db).step() }
                catch { app.logger.warning("tally build: \(String(reflecting: error))") }
                if !more { try? await Task.sleep(for: .seconds(2)) }
            }
        }
        app.storage[TaskKey.self] = task
    }

    package func shutdownAsync(_ app: Application) async {
        app.storage[TaskKey.self]?.cancel()
        _ = await app.storage[TaskKey.self]?.value
    }

    package struct TaskKey: StorageKey { package typealias Value = Task<Void, Never> }
}
