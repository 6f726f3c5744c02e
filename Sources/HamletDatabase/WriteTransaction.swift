import Fluent
import SQLKit

extension Database {
    /// A transaction that takes SQLite's write lock before anything else. SQLite begins a
    /// transaction as a reader; one that read first and writes later cannot move up to writer
    /// when another connection wrote meanwhile, and fails at once ("database is locked") instead
    /// of waiting. An UPDATE that matches no row takes the lock, and the busy timeout makes
    /// the others queue. PostgreSQL locks row by row and needs none of this.
    package func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await transaction { tx in
            if let sql = tx as? any SQLDatabase, SQLText.isSQLite(sql) {
                try await sql.raw("UPDATE audit_head SET seq = seq WHERE 0").run()
            }
            return try await body(tx)
        }
    }
}
