import Fluent
import SQLKit
import HamletWeb
import HamletDatabase

/// Turns the audit log into a hash chain (`AuditLog`) and closes the ways round the append-only
/// triggers: on SQLite `INSERT OR REPLACE` deleted a row without firing the delete trigger, and
/// on PostgreSQL TRUNCATE fired no row trigger. Entries already stored are numbered in time order.
package struct ChainAuditLog: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let postgres = SQLText.isPostgres(database)
        // One column a statement: SQLite's ALTER TABLE adds one at a time.
        for (column, type) in [("seq", DatabaseSchema.DataType.int64), ("prev_hash", .string), ("hash", .string)] {
            try await database.schema(AuditEntry.schema).field(FieldKey(stringLiteral: column), type).update()
        }
        try await sql.raw("CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)").run()
        try await sql.raw("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, \(bind: AuditLog.genesis))").run()

        // Number what is there: the old triggers stand aside while the rows are chained.
        if postgres { try await sql.raw("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change").run() }
        else { try await sql.raw("DROP TRIGGER audit_entries_no_update").run() }
        let old = try await AuditEntry.query(on: database).sort(\.$at).sort(\.$id).all()
        var previous = AuditLog.genesis
        for (i, entry) in old.enumerated() {
            entry.at = AuditLog.wholeMilliseconds(entry.at)
            entry.seq = Int64(i + 1); entry.previousHash = previous; entry.hash = AuditLog.digest(entry)
            previous = entry.hash!
            try await entry.update(on: database)
        }
        try await sql.raw("UPDATE audit_head SET seq = \(bind: Int64(old.count)), hash = \(bind: previous) WHERE id = 1").run()
        try await sql.raw("CREATE UNIQUE INDEX audit_entries_seq ON audit_entries (seq)").run()

        if postgres {
            try await sql.raw("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_change").run()
            for column in ["seq", "prev_hash", "hash"] { try await sql.raw("ALTER TABLE audit_entries ALTER COLUMN \(unsafeRaw: column) SET NOT NULL").run() }
            try await sql.raw("CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()").run()
            try await sql.raw("""
                CREATE FUNCTION audit_head_forward() RETURNS trigger AS $$
                BEGIN
                  IF TG_OP <> 'UPDATE' OR NEW.seq < OLD.seq OR NEW.id <> OLD.id THEN RAISE EXCEPTION 'audit_head only moves forward'; END IF;
                  RETURN NEW;
                END; $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("CREATE TRIGGER audit_head_no_change BEFORE UPDATE OR DELETE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_forward()").run()
            try await sql.raw("CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward()").run()
        } else {
            try await sql.raw("CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END").run()
            // REPLACE deletes the row it collides with and fires no delete trigger: refuse the
            // collision before it happens. An entry must also come with its place in the chain.
            try await sql.raw("""
                CREATE TRIGGER audit_entries_no_replace BEFORE INSERT ON audit_entries
                WHEN NEW.seq IS NULL OR NEW.hash IS NULL OR NEW.prev_hash IS NULL
                  OR EXISTS (SELECT 1 FROM audit_entries WHERE id = NEW.id OR seq = NEW.seq)
                BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END
                """).run()
            try await sql.raw("CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END").run()
            try await sql.raw("""
                CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq < OLD.seq OR NEW.id <> OLD.id
                BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_head_no_insert BEFORE INSERT ON audit_head WHEN EXISTS (SELECT 1 FROM audit_head)
                BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END
                """).run()
        }
    }

    package func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP TABLE audit_head").run()
        if SQLText.isPostgres(database) { try await sql.raw("DROP FUNCTION IF EXISTS audit_head_forward() CASCADE").run() }
    }
}
