import Vapor
import Fluent
import FluentSQLiteDriver
import FluentPostgresDriver
import SQLKit

/// Where the data lives: SQLite in a file, or a PostgreSQL server.
public enum DatabaseChoice: Sendable {
    case sqlite(path: String)
    /// `reads`: streaming replicas for reads that may lag a moment (`ReadReplicas`).
    case postgres(url: String, reads: [String] = [])

    /// SQLite in a file by default (HAMLET_DB, else ./hamlet.sqlite); PostgreSQL when DATABASE_URL
    /// is set, with the replicas DATABASE_READ_URL names.
    public static var fromEnvironment: DatabaseChoice {
        if let url = Environment.get("DATABASE_URL"), !url.isEmpty { return .postgres(url: url, reads: ReadReplicas.fromEnvironment) }
        return .sqlite(path: Environment.get("HAMLET_DB") ?? "hamlet.sqlite")
    }
}

package enum DatabaseSetup {
    package static func configure(_ app: Application, _ choice: DatabaseChoice) throws {
        switch choice {
        case .postgres(let url, let reads):
            var config = try SQLPostgresConfiguration(url: url)
            config.searchPath = ["public"]
            // Whole-country figures group some 300,000 posts; PostgreSQL's default 4 MB of sort
            // memory makes that grouping spill to disk (2.7 s instead of 1.4 s). Set per session.
            config.coreConfiguration.options.additionalStartupParameters = [("work_mem", Environment.get("HAMLET_PG_WORK_MEM") ?? "64MB")]
            app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 4,
                                        encodingContext: .default, decodingContext: .default, sqlLogLevel: .debug), as: .psql)
            try ReadReplicas.configure(app, urls: reads)
        case .sqlite(let path):
            // Replicas are PostgreSQL's: named beside SQLite they would silently do nothing.
            guard ReadReplicas.fromEnvironment.isEmpty else {
                throw StartupError(message: "DATABASE_READ_URL cần DATABASE_URL: bản sao chỉ đọc là của PostgreSQL.")
            }
            let sqlite = DatabaseConfigurationFactory.sqlite(.file(path), sqlLogLevel: .debug)
            app.databases.use(DatabaseConfigurationFactory { SQLiteWithWriter(sqlite) }, as: .sqlite)
        }
    }

    package static var description: String {
        if let url = Environment.get("DATABASE_URL"), !url.isEmpty, let parsed = URL(string: url) {
            return "PostgreSQL \(parsed.host ?? "")/\(parsed.path.dropFirst())"
        }
        return "SQLite " + (Environment.get("HAMLET_DB") ?? "hamlet.sqlite")
    }

    /// SQLite: write-ahead log (readers never wait for the writer) and a busy timeout on every
    /// pooled connection (one per event loop, and the writers' one per loop), so two writers wait
    /// for each other instead of failing.
    /// Pages are read through a memory map and a 64 MB page cache: with SQLite's 2 MB default a
    /// whole-country figure spends more time in read() calls than in SQL.
    package static func tune(_ app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase, SQLText.isSQLite(sql) else { return }
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        let mapBytes = Int(Environment.get("HAMLET_SQLITE_MMAP") ?? "") ?? 1 << 30
        let cacheKiB = 1024 * (Int(Environment.get("HAMLET_SQLITE_CACHE_MB") ?? "") ?? 64)
        for loop in app.eventLoopGroup.makeIterator() {
            let reader = app.databases.database(logger: app.logger, on: loop)
            for case let db as any SQLDatabase in [reader, reader?.sqliteWriter?.db] {
                try await db.raw("PRAGMA busy_timeout = 10000").run()
                try await db.raw("PRAGMA synchronous = NORMAL").run()
                try await db.raw("PRAGMA mmap_size = \(unsafeRaw: String(mapBytes))").run()
                try await db.raw("PRAGMA cache_size = -\(unsafeRaw: String(cacheKiB))").run()
            }
        }
    }
}

/// Start-up stops, with one line saying why, before touching the database: Hamlet's own files not
/// where it looked, or a setting that cannot work.
package struct StartupError: Error {
    package let message: String
    package init(message: String) { self.message = message }
}
