import Fluent
import SQLKit
import HamletWeb
import HamletDatabase

/// On PostgreSQL a data value's element is kept by a guard on the elements, not by a foreign key
/// on the values: the key's per-row check was a quarter of a large import's insert (0.5 s per
/// 100,000 values). Elements are never deleted by Hamlet, and an element that has values cannot
/// be deleted at all, so no value can lose its element. Values are written only with element ids
/// read from the catalogue. SQLite keeps its foreign key, which costs nothing measurable there.
package struct KeepValueElements: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, SQLText.isPostgres(database) else { return }
        try await sql.raw("""
            DO $$ DECLARE c text; BEGIN
              FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'data_values'::regclass AND contype = 'f' LOOP
                EXECUTE format('ALTER TABLE data_values DROP CONSTRAINT %I', c);
              END LOOP;
            END $$
            """).run()
        try await sql.raw("""
            CREATE FUNCTION data_elements_kept() RETURNS trigger AS $$
            BEGIN
              IF EXISTS (SELECT 1 FROM data_values WHERE element_id = OLD.id) THEN
                RAISE EXCEPTION 'data element % has values and cannot be deleted', OLD.code USING ERRCODE = 'foreign_key_violation';
              END IF;
              RETURN OLD;
            END $$ LANGUAGE plpgsql
            """).run()
        try await sql.raw("CREATE TRIGGER data_elements_kept BEFORE DELETE ON data_elements FOR EACH ROW EXECUTE FUNCTION data_elements_kept()").run()
    }

    package func revert(on database: any Database) async throws {}
}
