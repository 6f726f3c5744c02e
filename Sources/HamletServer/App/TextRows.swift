import Fluent
import SQLKit
import FluentSQLiteDriver

/// Large reads of a few text columns (a province's thousands of reports or values). On SQLite the
/// engine's own rows are read directly: SQLKit's generic decoding costs about a microsecond a
/// column, more than the query. Elsewhere through SQLKit. `?` marks each bound value.
enum TextRows {
    static func query(_ db: any Database, _ sql: String, _ binds: [String], columns: [String]) async throws -> [[String?]] {
        if let lite = db as? any SQLiteDatabase {
            return try await lite.query(sql, binds.map { SQLiteData.text($0) }).map { row in
                columns.map { name in
                    switch row.column(name) {
                    case .text(let s)?: return s
                    case .integer(let n)?: return String(n)
                    case .float(let d)?: return String(d)
                    default: return nil
                    }
                }
            }
        }
        guard let sqlDB = db as? any SQLDatabase else { return [] }
        var query = SQLQueryString("")
        var parts = sql.split(separator: "?", omittingEmptySubsequences: false).makeIterator()
        query.appendLiteral(String(parts.next() ?? ""))
        for bind in binds {
            query.appendInterpolation(bind: bind)
            query.appendLiteral(String(parts.next() ?? ""))
        }
        return try await sqlDB.raw(query).all().map { row in columns.map { try? row.decode(column: $0, as: String?.self) ?? nil } }
    }

    /// The same for a query built with SQLKit's interpolations (`\(bind:)`).
    static func query(_ db: any Database, _ query: SQLQueryString, columns: [String]) async throws -> [[String?]] {
        guard let sqlDB = db as? any SQLDatabase else { return [] }
        if db is any SQLiteDatabase {
            var serializer = SQLSerializer(database: sqlDB)
            query.serialize(to: &serializer)
            let encoder = SQLiteDataEncoder()
            var binds: [String] = []
            for bind in serializer.binds {
                guard case .text(let text) = try encoder.encode(bind) else { return try await generic(sqlDB, query, columns) }
                binds.append(text)
            }
            return try await self.query(db, serializer.sql, binds, columns: columns)
        }
        return try await generic(sqlDB, query, columns)
    }

    static func generic(_ db: any SQLDatabase, _ query: SQLQueryString, _ columns: [String]) async throws -> [[String?]] {
        try await db.raw(query).all().map { row in columns.map { try? row.decode(column: $0, as: String?.self) ?? nil } }
    }

    /// "?, ?, ?" for n values.
    static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }
}
