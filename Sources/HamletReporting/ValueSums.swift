import Fluent
import SQLKit
import HamletWeb
import HamletDatabase
import HamletUnits

/// Running sums of the stored values per element × commune (or province) × period × combination,
/// kept by triggers in the same transaction as every insert, update and delete of `data_values`,
/// whatever writes them (entry pages, imports, the demo, the generator). A province's year is then
/// a few tens of thousands of sums instead of a million values, and a value saved is in the next
/// total: no batch job. Hamlets' own figures (below a commune) still come from the values.
package struct CreateValueSums: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let key = "element_id, place, period_start, period_end, combo"
        if SQLText.isPostgres(database) {
            try await sql.raw("""
                CREATE TABLE data_value_sums (element_id uuid NOT NULL, place TEXT COLLATE "C" NOT NULL, period_start TEXT NOT NULL,
                  period_end TEXT NOT NULL, combo TEXT NOT NULL, total DOUBLE PRECISION NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (\(unsafeRaw: key)))
                """).run()
            try await sql.raw("""
                CREATE FUNCTION data_values_sums() RETURNS trigger AS $$
                BEGIN
                  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.number IS NOT NULL THEN
                    UPDATE data_value_sums SET total = total - OLD.number, n = n - 1
                    WHERE element_id = OLD.element_id AND place = substr(OLD.unit_path, 1, 9) AND period_start = OLD.period_start
                      AND period_end = OLD.period_end AND combo = OLD.combo;
                  END IF;
                  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.number IS NOT NULL THEN
                    INSERT INTO data_value_sums VALUES (NEW.element_id, substr(NEW.unit_path, 1, 9), NEW.period_start, NEW.period_end, NEW.combo, NEW.number, 1)
                    ON CONFLICT (\(unsafeRaw: key)) DO UPDATE SET total = data_value_sums.total + EXCLUDED.total, n = data_value_sums.n + 1;
                  END IF;
                  RETURN NULL;
                END $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("CREATE TRIGGER data_values_sums AFTER INSERT OR UPDATE OR DELETE ON data_values FOR EACH ROW EXECUTE FUNCTION data_values_sums()").run()
        } else {
            // Clustered on its key: a range of sums is read without a second lookup.
            try await sql.raw("""
                CREATE TABLE data_value_sums (element_id TEXT NOT NULL, place TEXT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL,
                  combo TEXT NOT NULL, total REAL NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (\(unsafeRaw: key))) WITHOUT ROWID
                """).run()
            let add = """
                INSERT INTO data_value_sums SELECT NEW.element_id, substr(NEW.unit_path, 1, 9), NEW.period_start, NEW.period_end, NEW.combo, NEW.number, 1
                  WHERE NEW.number IS NOT NULL
                  ON CONFLICT (\(key)) DO UPDATE SET total = total + excluded.total, n = n + 1;
                """
            let remove = """
                UPDATE data_value_sums SET total = total - OLD.number, n = n - 1
                  WHERE OLD.number IS NOT NULL AND element_id = OLD.element_id AND place = substr(OLD.unit_path, 1, 9)
                    AND period_start = OLD.period_start AND period_end = OLD.period_end AND combo = OLD.combo;
                """
            try await sql.raw("CREATE TRIGGER data_values_sums_insert AFTER INSERT ON data_values BEGIN \(unsafeRaw: add) END").run()
            try await sql.raw("CREATE TRIGGER data_values_sums_delete AFTER DELETE ON data_values BEGIN \(unsafeRaw: remove) END").run()
            try await sql.raw("""
                CREATE TRIGGER data_values_sums_update AFTER UPDATE OF number, unit_path, element_id, combo, period_start, period_end ON data_values
                BEGIN \(unsafeRaw: remove) \(unsafeRaw: add) END
                """).run()
        }
        try await sql.raw("""
            INSERT INTO data_value_sums SELECT element_id, substr(unit_path, 1, 9), period_start, period_end, combo, SUM(number), COUNT(*)
            FROM data_values WHERE number IS NOT NULL GROUP BY element_id, substr(unit_path, 1, 9), period_start, period_end, combo
            """).run()
    }

    package func revert(on database: any Database) async throws {}
}

/// Where totals read from: the values themselves, or their sums per commune.
package struct ValueSource {
    package var table: String
    package var path: String
    package var sum: String
    package var count: String

    package init(table: String, path: String, sum: String, count: String) {
        (self.table, self.path, self.sum, self.count) = (table, path, sum, count)
    }
    /// Values of a commune and below are read one by one (a hamlet's own figure); above it, the sums.
    package static func forTotals(under path: String) -> ValueSource {
        path.split(separator: ".").count <= 1 ? sums : values
    }
    /// The child of `parent` a row falls in. A sum's place is already cut at its commune, so under
    /// a province it is the child itself: grouped by the bare column, the rows come in the key's
    /// order and need no sort (a province's year of totals: 90 → 70 ms on SQLite, measured).
    package func child(under parent: String) -> SQLQueryString {
        table == Self.sums.table && parent.split(separator: ".").count == 1 ? "\(unsafeRaw: path)" : UnitTree.child(path, under: parent)
    }
    package static let values = ValueSource(table: "data_values", path: "d.unit_path", sum: "SUM(d.number)", count: "COUNT(*)")
    package static let sums = ValueSource(table: "data_value_sums", path: "d.place", sum: "SUM(d.total)", count: "SUM(d.n)")
}

/// On PostgreSQL the sums are kept per statement, not per row: a statement's new and old rows
/// (its transition tables) are added up once and the sums touched once each, in key order, so a
/// 2,000-row insert or a COPY costs one grouped upsert instead of 2,000.
package struct SumsPerStatement: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, SQLText.isPostgres(database) else { return }
        let key = "element_id, place, period_start, period_end, combo"
        try await sql.raw("DROP TRIGGER IF EXISTS data_values_sums ON data_values").run()
        for (event, rows) in [("insert", "SELECT element_id, unit_path, period_start, period_end, combo, number AS v, 1 AS c FROM new_rows"),
                              ("delete", "SELECT element_id, unit_path, period_start, period_end, combo, -number AS v, -1 AS c FROM old_rows"),
                              ("update", "SELECT element_id, unit_path, period_start, period_end, combo, -number AS v, -1 AS c FROM old_rows UNION ALL SELECT element_id, unit_path, period_start, period_end, combo, number, 1 FROM new_rows")] {
            try await sql.raw("""
                CREATE FUNCTION data_values_sums_\(unsafeRaw: event)() RETURNS trigger AS $$
                BEGIN
                  INSERT INTO data_value_sums
                    SELECT element_id, substr(unit_path, 1, 9), period_start, period_end, combo, SUM(v), SUM(c) FROM (\(unsafeRaw: rows)) x
                    WHERE v IS NOT NULL GROUP BY element_id, substr(unit_path, 1, 9), period_start, period_end, combo
                    ORDER BY 1, 2, 3, 4, 5
                  ON CONFLICT (\(unsafeRaw: key)) DO UPDATE SET total = data_value_sums.total + EXCLUDED.total, n = data_value_sums.n + EXCLUDED.n;
                  RETURN NULL;
                END $$ LANGUAGE plpgsql
                """).run()
        }
        try await sql.raw("CREATE TRIGGER data_values_sums_insert AFTER INSERT ON data_values REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_values_sums_insert()").run()
        try await sql.raw("CREATE TRIGGER data_values_sums_delete AFTER DELETE ON data_values REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_values_sums_delete()").run()
        try await sql.raw("CREATE TRIGGER data_values_sums_update AFTER UPDATE ON data_values REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_values_sums_update()").run()
    }

    package func revert(on database: any Database) async throws {}
}

/// On SQLite the sums are kept per row, which costs as much as the insert itself in a large
/// import. An import may pause them inside its own transaction (SQLite has one writer, so no
/// other statement ever runs under the pause): rows inserted meanwhile are summed at the end in
/// one grouped upsert, and updates or deletes of rows stored before the pause are still kept by
/// the triggers. See `DataValueWriter.withSumsPaused`.
package struct PausableSums: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, !SQLText.isPostgres(database) else { return }
        try await sql.raw("CREATE TABLE data_value_sums_paused (after INTEGER NOT NULL)").run()
        let key = "element_id, place, period_start, period_end, combo"
        let add = """
            INSERT INTO data_value_sums SELECT NEW.element_id, substr(NEW.unit_path, 1, 9), NEW.period_start, NEW.period_end, NEW.combo, NEW.number, 1
              WHERE NEW.number IS NOT NULL
              ON CONFLICT (\(key)) DO UPDATE SET total = total + excluded.total, n = n + 1;
            """
        let remove = """
            UPDATE data_value_sums SET total = total - OLD.number, n = n - 1
              WHERE OLD.number IS NOT NULL AND element_id = OLD.element_id AND place = substr(OLD.unit_path, 1, 9)
                AND period_start = OLD.period_start AND period_end = OLD.period_end AND combo = OLD.combo;
            """
        // A row inserted under the pause is summed at the end as it then stands, so its own
        // later changes are not kept row by row either.
        let kept = "NOT EXISTS (SELECT 1 FROM data_value_sums_paused p WHERE OLD.id > p.after)"
        for name in ["insert", "delete", "update"] { try await sql.raw("DROP TRIGGER data_values_sums_\(unsafeRaw: name)").run() }
        try await sql.raw("""
            CREATE TRIGGER data_values_sums_insert AFTER INSERT ON data_values WHEN NOT EXISTS (SELECT 1 FROM data_value_sums_paused)
            BEGIN \(unsafeRaw: add) END
            """).run()
        try await sql.raw("CREATE TRIGGER data_values_sums_delete AFTER DELETE ON data_values WHEN \(unsafeRaw: kept) BEGIN \(unsafeRaw: remove) END").run()
        try await sql.raw("""
            CREATE TRIGGER data_values_sums_update AFTER UPDATE OF number, unit_path, element_id, combo, period_start, period_end ON data_values
            WHEN \(unsafeRaw: kept) BEGIN \(unsafeRaw: remove) \(unsafeRaw: add) END
            """).run()
    }

    package func revert(on database: any Database) async throws {}
}
