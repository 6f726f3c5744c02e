import Fluent
import SQLKit

/// Dialect differences kept in one place.
enum SQLText {
    /// A text column compared byte by byte on both engines, so path ranges and name keys sort the
    /// same way everywhere (PostgreSQL would otherwise use the server's locale).
    static func byteOrdered(_ database: any Database) -> String {
        isPostgres(database) ? "TEXT COLLATE \"C\"" : "TEXT"
    }

    static func isPostgres(_ database: any Database) -> Bool {
        (database as? any SQLDatabase)?.dialect.name == "postgresql"
    }

    static func index(_ database: any Database, _ name: String, on table: String, _ columns: [String]) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var builder = sql.create(index: name).on(table)
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}
