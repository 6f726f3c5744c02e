import Foundation
import NIOConcurrencyHelpers
import Fluent
import FluentPostgresDriver

/// Text-row reads whose SQL never changes (the sign-in read on every request). PostgreSQL parses
/// and plans an unnamed statement on every call; `pg_stat_statements` showed planning at about a
/// third of its time on such reads (BENCHMARKS, session 26). Here each connection prepares the
/// statement once and then only executes it. SQLite reads as `TextRows.query` does (its
/// statements are already cached per connection by SQLiteNIO's callers and cost no planning).
package enum FixedStatements {
    /// Rows of `columns` for `sql` with `?` marks, as `TextRows.query` gives them.
    package static func rows(_ db: any Database, _ sql: String, _ binds: [String], columns: [String]) async throws -> [[String?]] {
        guard let pg = db as? any PostgresDatabase else { return try await TextRows.query(db, sql, binds, columns: columns) }
        let numbered = numbering(sql)
        return try await pg.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                let prepared = try await statement(numbered, on: connection)
                return try await prepared.execute(binds.map { PostgresData(string: $0) }).get().map { row in
                    let cells = row.makeRandomAccess()
                    return columns.map { cells[data: $0].string }
                }
            }
        }.get()
    }

    /// `?` marks as PostgreSQL's `$1`, `$2`, …
    static func numbering(_ sql: String) -> String {
        var n = 0, numbered = ""
        for ch in sql { if ch == "?" { n += 1; numbered += "$\(n)" } else { numbered.append(ch) } }
        return numbered
    }

    private struct Key: Hashable { let connection: ObjectIdentifier; let sql: String }
    private struct Kept: @unchecked Sendable { let connection: PostgresConnection; let query: PreparedQuery }

    /// The statements each open connection has prepared. An entry holds its connection, so no new
    /// connection can take a closed one's identity while the entry lives; entries of closed
    /// connections are dropped when a new statement is kept.
    private static let kept = NIOLockedValueBox<[Key: Kept]>([:])

    private static func statement(_ sql: String, on connection: PostgresConnection) async throws -> PreparedQuery {
        let key = Key(connection: ObjectIdentifier(connection), sql: sql)
        if let found = kept.withLockedValue({ $0[key] }), !found.connection.isClosed { return found.query }
        // A connection serves one request at a time, so no other task prepares on it meanwhile.
        let query = try await connection.prepare(query: sql).get()
        kept.withLockedValue { table in
            table = table.filter { !$0.value.connection.isClosed }
            table[key] = Kept(connection: connection, query: query)
        }
        return query
    }
}
