import Fluent
import SQLKit
import HamletDatabase

/// Every write of a data element's values raises that element's counter
/// (`DataVersions.keyed("values", element)`), inside the writing transaction, whoever writes. An
/// answer that reads a few elements (a report total, a reported-total indicator, a dashboard of
/// them) is kept under those counters instead of every report's (`DataVersions`). The triggers
/// live with `data_values`, beside its sums (`SumsPerStatement`, `PausableSums`), so a change to
/// its columns meets them here.
package struct ValueVersions: AsyncMigration {
    package init() {}

    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let postgres = SQLText.isPostgres(database)
        try await DataVersions.createKeyedTable(on: sql, postgres: postgres)
        if postgres {
            // Once per statement: the distinct elements of its rows, in key order (writers never
            // wait on each other's rows in opposite orders), on the writing session's own shard.
            for (event, rows) in [("insert", "SELECT element_id FROM new_rows"), ("delete", "SELECT element_id FROM old_rows"),
                                  ("update", "SELECT element_id FROM old_rows UNION SELECT element_id FROM new_rows")] {
                try await sql.raw("""
                    CREATE OR REPLACE FUNCTION data_values_versions_\(unsafeRaw: event)() RETURNS trigger AS $$
                    BEGIN
                      INSERT INTO keyed_versions (name, key, shard, version)
                        SELECT 'values', element_id, pg_backend_pid() % 64, 1 FROM (\(unsafeRaw: rows)) x GROUP BY element_id ORDER BY element_id
                      ON CONFLICT (name, key, shard) DO UPDATE SET version = keyed_versions.version + 1;
                      RETURN NULL;
                    END $$ LANGUAGE plpgsql
                    """).run()
            }
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION data_values_versions_truncate() RETURNS trigger AS $$
                BEGIN UPDATE keyed_versions SET version = version + 1 WHERE name = 'values'; RETURN NULL; END $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("CREATE TRIGGER data_values_versions_insert AFTER INSERT ON data_values REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_values_versions_insert()").run()
            try await sql.raw("CREATE TRIGGER data_values_versions_delete AFTER DELETE ON data_values REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_values_versions_delete()").run()
            try await sql.raw("CREATE TRIGGER data_values_versions_update AFTER UPDATE ON data_values REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_values_versions_update()").run()
            try await sql.raw("CREATE TRIGGER data_values_versions_truncate AFTER TRUNCATE ON data_values FOR EACH STATEMENT EXECUTE FUNCTION data_values_versions_truncate()").run()
        } else {
            // Row by row, one writer. Rows inserted while an import pauses the sums are counted at
            // its end (`DataValueWriter.withSumsPaused`). No `OR IGNORE`: inside a trigger the
            // writing statement's own conflict rule (an upsert's) replaces it.
            func raise(_ row: String) -> String {
                """
                INSERT INTO keyed_versions (name, key, shard, version) SELECT 'values', \(row).element_id, 0, 0
                  WHERE NOT EXISTS (SELECT 1 FROM keyed_versions WHERE name = 'values' AND key = \(row).element_id AND shard = 0);
                UPDATE keyed_versions SET version = version + 1 WHERE name = 'values' AND key = \(row).element_id AND shard = 0;
                """
            }
            try await sql.raw("""
                CREATE TRIGGER data_values_versions_insert AFTER INSERT ON data_values WHEN NOT EXISTS (SELECT 1 FROM data_value_sums_paused)
                BEGIN \(unsafeRaw: raise("NEW")) END
                """).run()
            try await sql.raw("CREATE TRIGGER data_values_versions_delete AFTER DELETE ON data_values BEGIN \(unsafeRaw: raise("OLD")) END").run()
            try await sql.raw("CREATE TRIGGER data_values_versions_update AFTER UPDATE ON data_values BEGIN \(unsafeRaw: raise("OLD")) \(unsafeRaw: raise("NEW")) END").run()
        }
    }

    package func revert(on database: any Database) async throws {}

    /// SQLite, at the end of a paused import: the counters of the elements it inserted.
    static func raisePaused(on sql: any SQLDatabase) async throws {
        let inserted = "SELECT element_id FROM data_values WHERE id > (SELECT after FROM data_value_sums_paused)"
        try await sql.raw("""
            INSERT INTO keyed_versions (name, key, shard, version) SELECT DISTINCT 'values', element_id, 0, 0 FROM (\(unsafeRaw: inserted)) x
            WHERE NOT EXISTS (SELECT 1 FROM keyed_versions k WHERE k.name = 'values' AND k.key = x.element_id AND k.shard = 0)
            """).run()
        try await sql.raw("UPDATE keyed_versions SET version = version + 1 WHERE name = 'values' AND shard = 0 AND key IN (\(unsafeRaw: inserted))").run()
    }
}
