import Foundation
import Fluent
import SQLKit

/// Dialect differences kept in one place.
package enum SQLText {
    /// A text column compared byte by byte on both engines, so path ranges and name keys sort the
    /// same way everywhere (PostgreSQL would otherwise use the server's locale).
    package static func byteOrdered(_ database: any Database) -> String {
        isPostgres(database) ? "TEXT COLLATE \"C\"" : "TEXT"
    }

    package static func isPostgres(_ database: any Database) -> Bool {
        (database as? any SQLDatabase)?.dialect.name == "postgresql"
    }

    package static func isSQLite(_ database: any Database) -> Bool { isSQLite(database as? any SQLDatabase) }

    package static func isSQLite(_ sql: (any SQLDatabase)?) -> Bool { sql?.dialect.name == "sqlite" }

    /// A column as text that reads back exactly, for `TextRows`: PostgreSQL's rows come in binary,
    /// so anything not text is cast (its numbers print in full); SQLite's own integers and reals
    /// are turned into text by `TextRows` without rounding, which a cast would not do.
    package static func text(_ column: String, as name: String, _ database: any Database) -> String {
        isPostgres(database) ? "CAST(\(column) AS TEXT) AS \(name)" : "\(column) AS \(name)"
    }

    /// A moment Fluent stored (a `Date`) as text of its seconds since 1970: PostgreSQL keeps a
    /// timestamp, SQLite the number.
    package static func moment(_ column: String, as name: String, _ database: any Database) -> String {
        isPostgres(database) ? "CAST(EXTRACT(EPOCH FROM \(column)) AS TEXT) AS \(name)" : "\(column) AS \(name)"
    }

    /// Holds a row until the transaction ends, so writers that decide from it go one at a time.
    /// PostgreSQL only: on SQLite a write transaction already holds the whole database.
    package static func lockRow(_ table: String, id: UUID, on database: any Database) async throws {
        guard isPostgres(database), let sql = database as? any SQLDatabase else { return }
        _ = try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").all()
    }

    package static func index(_ database: any Database, _ name: String, on table: String, _ columns: [String]) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var builder = sql.create(index: name).on(table)
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}
