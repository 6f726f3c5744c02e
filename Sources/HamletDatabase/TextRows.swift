import Foundation
import NIOConcurrencyHelpers
import Fluent
import SQLKit
import FluentSQLiteDriver
import FluentPostgresDriver

/// Large reads of a few text columns (a province's thousands of reports or values). Each engine's
/// own rows are read directly: SQLKit's generic decoding costs about a microsecond a column, more
/// than the query. `?` marks each bound value. Columns must be text (cast numbers and ids).
package enum TextRows {
    package static func query(_ db: any Database, _ sql: String, _ binds: [String], columns: [String]) async throws -> [[String?]] {
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
        if let pg = db as? any PostgresDatabase {
            var n = 0, numbered = ""
            for ch in sql { if ch == "?" { n += 1; numbered += "$\(n)" } else { numbered.append(ch) } }
            return try await rows(pg, numbered, binds.map { PostgresData(string: $0) }, columns)
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

    /// The same for a query built with SQLKit (its interpolations, `\(bind:)`, or its builders).
    package static func query(_ db: any Database, _ query: any SQLExpression, columns: [String]) async throws -> [[String?]] {
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
        if let pg = db as? any PostgresDatabase {
            var serializer = SQLSerializer(database: sqlDB)
            query.serialize(to: &serializer)
            var binds: [PostgresData] = []
            for bind in serializer.binds {
                if let s = bind as? String { binds.append(PostgresData(string: s)) } else if let u = bind as? UUID { binds.append(PostgresData(uuid: u)) } else {
                    return try await generic(sqlDB, query, columns)
                }
            }
            return try await rows(pg, serializer.sql, binds, columns)
        }
        return try await generic(sqlDB, query, columns)
    }

    package static func rows(_ pg: any PostgresDatabase, _ sql: String, _ binds: [PostgresData], _ columns: [String]) async throws -> [[String?]] {
        try await pg.query(sql, binds).get().rows.map { row in
            let cells = row.makeRandomAccess()
            return columns.map { cells[data: $0].string }
        }
    }

    package static func generic(_ db: any SQLDatabase, _ query: any SQLExpression, _ columns: [String]) async throws -> [[String?]] {
        let rows = NIOLockedValueBox<[[String?]]>([])
        try await db.execute(sql: query) { row in
            let cells = columns.map { try? row.decode(column: $0, as: String?.self) ?? nil }
            rows.withLockedValue { $0.append(cells) }
        }
        return rows.withLockedValue { $0 }
    }

    /// "?, ?, ?" for n values.
    package static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }
}
