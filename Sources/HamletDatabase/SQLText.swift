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
