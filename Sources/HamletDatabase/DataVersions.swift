import Foundation
import Fluent
import SQLKit

/// A counter per group of tables, raised by triggers on every insert, update, delete (and on
/// PostgreSQL truncate) of any table in the group, inside the writing transaction: a figure kept
/// under the counters it was computed at is current exactly while they have not moved, on every
/// app instance, whoever wrote (pages, API, imports, the command line, SQL by hand).
///
/// Every table is in a group unless named below as one no figure reads. A table added by a later
/// migration gets its triggers at the next start (`install` runs after the migrations), so a new
/// feature's rows cannot be forgotten.
package enum DataVersions {
    /// The reported values: raised by every single-value save, so kept apart from the rest.
    package static let reports = "reports"
    /// Everything else a figure may read: the register, training, units, organisations, plans,
    /// indicators, cases, population, accounts.
    package static let figures = "figures"

    package static let reportTables: Set<String> = ["data_values", "reports", "report_approvals"]

    /// A counter kept per key inside a big table: `keyed("values", element)` is raised by every
    /// write of that data element's values (a trigger of `data_values`, `ValueVersions`). An answer
    /// that reads a few elements' values depends on their counters instead of `reports`, so a
    /// save of another element leaves it current: under the load test every save dropped every
    /// kept dashboard, and dashboards were computed afresh at 15 ms of CPU each.
    package static func keyed(_ name: String, _ key: UUID) -> String { name + ":" + key.uuidString.lowercased() }
    package static let keyedTable = "keyed_versions"

    /// Tables no figure reads: sign-in and its counters, the audit log, uploads waiting for their
    /// confirm step, the read replicas' marks, these counters, and the tallies and sums the
    /// triggers of their source tables keep (their sources raise the counters).
    package static let untracked: Set<String> = [
        "_fluent_enums", "_fluent_migrations", "api_tokens", "user_sessions", "login_counters", "audit_entries", "audit_head",
        "pending_uploads", "write_marks", "data_versions", "keyed_versions", "data_value_sums", "data_value_sums_paused",
        // A finished build is noted (share_tally_built is tracked): an answer kept while it was counted live is not served after.
        "share_tally_builds", "share_tally_dirty", "share_tally_dirty_places", "share_tally_people", "share_tally_places", "share_tally_sums",
    ]

    package static func group(of table: String) -> String? {
        if untracked.contains(table) || table.hasPrefix("sqlite_") { return nil }
        return reportTables.contains(table) ? reports : figures
    }

    /// Creates the counters and the triggers of every table that lacks them. On PostgreSQL one
    /// statement-level trigger per table raises the row of the writing session (`pg_backend_pid()`
    /// modulo 64), so concurrent writers never wait on one counter row; the version is the sum.
    package static func install(on db: any Database) async throws {
        // Instances starting together install one after the other: PostgreSQL refuses two
        // sessions replacing one function or creating one trigger at the same moment (SQLite's
        // write transaction queues them the same way).
        try await db.writeTransaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            if SQLText.isPostgres(tx) { try await sql.raw("SELECT pg_advisory_xact_lock(7302)").run() }
            try await installUnlocked(on: sql, postgres: SQLText.isPostgres(tx))
        }
    }

    private static func installUnlocked(on sql: any SQLDatabase, postgres: Bool) async throws {
        if postgres {
            try await sql.raw("CREATE TABLE IF NOT EXISTS data_versions (name TEXT NOT NULL, shard INTEGER NOT NULL, version BIGINT NOT NULL, PRIMARY KEY (name, shard))").run()
            for group in [reports, figures] {
                try await sql.raw("""
                    CREATE OR REPLACE FUNCTION data_version_\(unsafeRaw: group)() RETURNS trigger AS $$
                    BEGIN
                      INSERT INTO data_versions (name, shard, version) VALUES ('\(unsafeRaw: group)', pg_backend_pid() % 64, 1)
                      ON CONFLICT (name, shard) DO UPDATE SET version = data_versions.version + 1;
                      RETURN NULL;
                    END $$ LANGUAGE plpgsql
                    """).run()
            }
        } else {
            try await sql.raw("CREATE TABLE IF NOT EXISTS data_versions (name TEXT NOT NULL, shard INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (name, shard))").run()
            for group in [reports, figures] {
                try await sql.raw("INSERT OR IGNORE INTO data_versions (name, shard, version) VALUES (\(bind: group), 0, 0)").run()
            }
        }
        try await createKeyedTable(on: sql, postgres: postgres)
        for table in try await tablesWithout(on: sql, postgres: postgres) {
            guard let group = group(of: table) else { continue }
            if postgres {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \(unsafeRaw: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION data_version_\(unsafeRaw: group)()
                    """).run()
            } else {
                // SQLite has no statement triggers: one raise per row, in the same transaction.
                for event in ["insert", "update", "delete"] {
                    try await sql.raw("""
                        CREATE TRIGGER IF NOT EXISTS \(unsafeRaw: table)_data_version_\(unsafeRaw: event) AFTER \(unsafeRaw: event.uppercased()) ON \(unsafeRaw: table)
                        BEGIN UPDATE data_versions SET version = version + 1 WHERE name = '\(unsafeRaw: group)' AND shard = 0; END
                        """).run()
                }
            }
        }
    }

    /// The keyed counters' table (its triggers belong to the tables whose keys they count). On
    /// PostgreSQL a row per key and writing session, as for the groups.
    package static func createKeyedTable(on sql: any SQLDatabase, postgres: Bool) async throws {
        try await sql.raw("""
            CREATE TABLE IF NOT EXISTS keyed_versions (name TEXT NOT NULL, key \(unsafeRaw: postgres ? "UUID" : "") NOT NULL, shard INTEGER NOT NULL,
              version \(unsafeRaw: postgres ? "BIGINT" : "INTEGER") NOT NULL, PRIMARY KEY (name, key, shard))
            """).run()
    }

    /// The tables of the database that have no counter trigger yet.
    package static func tablesWithout(on sql: any SQLDatabase, postgres: Bool) async throws -> [String] {
        let query: SQLQueryString = postgres
            ? "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = c.relname || '_data_version')"
            : "SELECT name FROM sqlite_master m WHERE type = 'table' AND NOT EXISTS (SELECT 1 FROM sqlite_master t WHERE t.type = 'trigger' AND t.name = m.name || '_data_version_insert')"
        return try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// Every group's counter now, in one small query (read before every kept answer: prepared
    /// once per connection on PostgreSQL).
    package static func all(on db: any Database) async throws -> [String: Int64] {
        guard db is any SQLDatabase else { return [:] }
        var found: [String: Int64] = [:]
        for row in try await FixedStatements.rows(db, "SELECT name, CAST(SUM(version) AS TEXT) AS v FROM data_versions GROUP BY name", [], columns: ["name", "v"]) {
            guard let name = row[0] else { continue }
            found[name] = row[1].flatMap { Int64($0) } ?? 0
        }
        return found
    }

    /// The counters of these groups now, plain (`figures`) and keyed (`values:…`), in one query.
    /// A key never written has no row: its counter is 0, absent from the answer.
    package static func versions(of groups: some Collection<String>, on db: any Database) async throws -> [String: Int64] {
        var keyed: [String: [UUID]] = [:]
        for group in groups {
            guard let colon = group.firstIndex(of: ":"), let id = UUID(uuidString: String(group[group.index(after: colon)...])) else { continue }
            keyed[String(group[..<colon]), default: []].append(id)
        }
        guard !keyed.isEmpty, let sql = db as? any SQLDatabase else { return try await all(on: db) }
        var query: SQLQueryString = "SELECT name AS g, NULL AS k, CAST(SUM(version) AS BIGINT) AS v FROM data_versions GROUP BY name"
        for (name, ids) in keyed.sorted(by: { $0.key < $1.key }) {
            query += " UNION ALL SELECT name, key, CAST(SUM(version) AS BIGINT) FROM keyed_versions WHERE name = \(bind: name) AND key IN (\(binds: ids)) GROUP BY name, key"
        }
        var found: [String: Int64] = [:]
        for row in try await sql.raw(query).all() {
            let group = try row.decode(column: "g", as: String.self), version = try row.decode(column: "v", as: Int64?.self) ?? 0
            if let key = try row.decode(column: "k", as: UUID?.self) { found[Self.keyed(group, key)] = version } else { found[group] = version }
        }
        return found
    }
}
