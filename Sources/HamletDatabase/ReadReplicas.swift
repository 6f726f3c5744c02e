import Vapor
import Fluent
import FluentPostgresDriver
import SQLKit

/// PostgreSQL streaming replicas for reads that may lag a moment (dashboards, figures, exports,
/// DHIS2 pulls). `DATABASE_READ_URL` names them, comma-separated; without it every read stays on
/// the primary. An account's own reads after a write of its own stay on the primary until a
/// replica has replayed that write (`WriteMarks`), so nobody saves a value and then misses it.
package enum ReadReplicas {
    /// The replicas' URLs from the environment; none unless `DATABASE_URL` is set too.
    package static var fromEnvironment: [String] {
        guard let url = Environment.get("DATABASE_READ_URL"), !url.isEmpty else { return [] }
        return url.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Registers each replica as `psql_read_<n>`. Every session on it is read-only, so a replica URL
    /// that names a primary by mistake still cannot be written through; `hamlet-read` names the
    /// sessions in `pg_stat_activity`.
    package static func configure(_ app: Application, urls: [String]) throws {
        var ids: [DatabaseID] = []
        for (n, url) in urls.enumerated() {
            var config = try SQLPostgresConfiguration(url: url)
            config.searchPath = ["public"]
            config.coreConfiguration.options.additionalStartupParameters = [
                ("work_mem", Environment.get("HAMLET_PG_WORK_MEM") ?? "64MB"), ("default_transaction_read_only", "on"),
                ("application_name", "hamlet-read"),
            ]
            let id = DatabaseID(string: "psql_read_\(n)")
            app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 4, encodingContext: .default,
                                        decodingContext: .default, sqlLogLevel: .debug), as: id, isDefault: false)
            ids.append(id)
        }
        app.readReplicas = ids
    }

    /// Whether an error from a replica means "ask the primary": a read that wanted to write (a tally
    /// to catch up), a query cancelled by replay, a replica down. Any error of PostgreSQL's qualifies;
    /// the primary answers the same question again and gives the real error if there is one.
    package static func asksPrimary(_ error: any Error) -> Bool { error is PSQLError }
}

extension Application {
    private struct ReadReplicasKey: StorageKey { typealias Value = [DatabaseID] }

    /// The read replicas, empty when there are none (SQLite, or no `DATABASE_READ_URL`).
    package var readReplicas: [DatabaseID] {
        get { storage[ReadReplicasKey.self] ?? [] }
        set { storage[ReadReplicasKey.self] = newValue }
    }
}

/// Where each account last wrote: the primary's WAL position after its last write request. A
/// replica serves the account's reads only once it has replayed past that position.
package enum WriteMarks {
    /// Notes the primary's position now as the account's mark.
    package static func note(_ account: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, SQLText.isPostgres(db) else { return }
        try await sql.raw("""
            INSERT INTO write_marks (account_id, lsn) VALUES (\(bind: account), pg_current_wal_lsn())
            ON CONFLICT (account_id) DO UPDATE SET lsn = EXCLUDED.lsn
            """).run()
    }

    /// The account's mark, if it has written since marks were kept.
    package static func mark(of account: UUID, on db: any Database) async throws -> String? {
        guard let sql = db as? any SQLDatabase, SQLText.isPostgres(db) else { return nil }
        return try await sql.raw("SELECT lsn::text AS lsn FROM write_marks WHERE account_id = \(bind: account)").first()?.decode(column: "lsn", as: String.self)
    }

    /// Whether the replica has replayed past the mark. A server that is not replaying (a primary
    /// named as a replica) never has.
    package static func replayed(_ mark: String, on replica: any Database) async throws -> Bool {
        guard let sql = replica as? any SQLDatabase else { return false }
        let row = try await sql.raw("SELECT COALESCE(pg_last_wal_replay_lsn() >= \(bind: mark)::pg_lsn, false) AS done").first()
        return try row?.decode(column: "done", as: Bool.self) ?? false
    }
}

/// The marks' table: on PostgreSQL only, the one engine with replicas.
package struct CreateWriteMarks: AsyncMigration {
    package init() {}

    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, SQLText.isPostgres(database) else { return }
        try await sql.raw("CREATE TABLE write_marks (account_id UUID PRIMARY KEY, lsn pg_lsn NOT NULL)").run()
    }

    package func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, SQLText.isPostgres(database) else { return }
        try await sql.raw("DROP TABLE IF EXISTS write_marks").run()
    }
}
