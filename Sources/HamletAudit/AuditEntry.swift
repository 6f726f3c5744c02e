import Vapor
import Fluent
import SQLKit
import HamletWeb
import HamletDatabase

/// One line of the append-only audit log: who changed what, when, from where, old → new.
package final class AuditEntry: Model, @unchecked Sendable {
    package static let schema = "audit_entries"

    @ID(key: .id) package var id: UUID?
    @Field(key: "at") package var at: Date
    @OptionalField(key: "user_id") package var userID: UUID?
    @Field(key: "username") package var username: String
    @Field(key: "action") package var action: String
    @Field(key: "entity") package var entity: String
    @OptionalField(key: "entity_id") package var entityID: String?
    /// Path of the unit the change belongs to, so an administrator sees their subtree's entries.
    @Field(key: "scope_path") package var scopePath: String
    /// JSON object: field → [old, new].
    @Field(key: "changes") package var changes: String
    @OptionalField(key: "ip") package var ip: String?
    /// Place in the hash chain (`AuditLog`): the number, the previous entry's hash, this one's.
    @OptionalField(key: "seq") package var seq: Int64?
    @OptionalField(key: "prev_hash") package var previousHash: String?
    @OptionalField(key: "hash") package var hash: String?

    package init() {}
}

package struct CreateAuditEntries: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema)
            .id()
            .field("at", .datetime, .required)
            .field("user_id", .uuid)
            .field("username", .string, .required)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string)
            .field("scope_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("changes", .string, .required)
            .field("ip", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_entries_at").on(AuditEntry.schema).column("at").run()
        // Append-only in the database itself, not only in the code.
        if SQLText.isPostgres(database) {
            try await sql.raw("""
                CREATE FUNCTION audit_entries_append_only() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END; $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()").run()
        } else {
            try await sql.raw("CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END").run()
            try await sql.raw("CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END").run()
        }
    }

    package func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase, SQLText.isPostgres(database) {
            try await sql.raw("DROP TABLE IF EXISTS audit_entries").run()
            try await sql.raw("DROP FUNCTION IF EXISTS audit_entries_append_only()").run()
        } else {
            try await database.schema(AuditEntry.schema).delete()
        }
    }
}
