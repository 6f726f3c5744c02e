import Fluent
import SQLKit

/// A table's changed rows noted, by one of their columns, into a one-column table, by triggers:
/// whatever keeps figures computed from the rows (the plans' tallies) then catches every writer
/// (pages, API, imports, unit reforms, the demo, the generator), whatever it writes with. The
/// table's owner installs them through a function of its own (`Assignment.notePeople`), naming
/// its column, so what depends on that column is the owner's to see and test.
package enum ChangeNote {
    /// After each insert, delete or update of `table`, the `column` of the rows before and after
    /// goes into `into` (its key; a value already there is left). Triggers `<table>_<name>_<event>`.
    package static func install(_ table: String, column: String, into: String, name: String, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for event in ["insert", "delete", "update"] {
            if SQLText.isPostgres(database) {
                let rows = event == "insert" ? "SELECT \(column) AS c FROM new_rows" : event == "delete" ? "SELECT \(column) AS c FROM old_rows"
                    : "SELECT \(column) AS c FROM old_rows UNION SELECT \(column) AS c FROM new_rows"
                let transition = event == "insert" ? "NEW TABLE AS new_rows" : event == "delete" ? "OLD TABLE AS old_rows" : "OLD TABLE AS old_rows NEW TABLE AS new_rows"
                try await sql.raw("""
                    CREATE FUNCTION \(unsafeRaw: table)_\(unsafeRaw: name)_mark_\(unsafeRaw: event)() RETURNS trigger AS $$
                    BEGIN
                      INSERT INTO \(unsafeRaw: into) SELECT DISTINCT c FROM (\(unsafeRaw: rows)) x ON CONFLICT DO NOTHING;
                      RETURN NULL;
                    END $$ LANGUAGE plpgsql
                    """).run()
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_\(unsafeRaw: name)_\(unsafeRaw: event) AFTER \(unsafeRaw: event.uppercased()) ON \(unsafeRaw: table)
                    REFERENCING \(unsafeRaw: transition) FOR EACH STATEMENT EXECUTE FUNCTION \(unsafeRaw: table)_\(unsafeRaw: name)_mark_\(unsafeRaw: event)()
                    """).run()
            } else {
                let values = event == "insert" ? "NEW" : "OLD"
                let second = event == "update" ? " INSERT OR IGNORE INTO \(into) VALUES (NEW.\(column));" : ""
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_\(unsafeRaw: name)_\(unsafeRaw: event) AFTER \(unsafeRaw: event.uppercased()) ON \(unsafeRaw: table)
                    BEGIN INSERT OR IGNORE INTO \(unsafeRaw: into) VALUES (\(unsafeRaw: values).\(unsafeRaw: column));\(unsafeRaw: second) END
                    """).run()
            }
        }
    }

    /// After each update of `table`, the `column` of the rows of `rows` whose `key` is the updated
    /// row's id goes into `into` (a class edited: everyone who took it). Trigger `<table>_<name>_update`.
    package static func installThrough(_ table: String, rows: String, key: String, column: String, into: String, name: String,
                                       on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if SQLText.isPostgres(database) {
            try await sql.raw("""
                CREATE FUNCTION \(unsafeRaw: table)_\(unsafeRaw: name)_mark() RETURNS trigger AS $$
                BEGIN
                  INSERT INTO \(unsafeRaw: into) SELECT DISTINCT \(unsafeRaw: column) FROM \(unsafeRaw: rows) WHERE \(unsafeRaw: key) = NEW.id ON CONFLICT DO NOTHING;
                  RETURN NULL;
                END $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("CREATE TRIGGER \(unsafeRaw: table)_\(unsafeRaw: name)_update AFTER UPDATE ON \(unsafeRaw: table) FOR EACH ROW EXECUTE FUNCTION \(unsafeRaw: table)_\(unsafeRaw: name)_mark()").run()
        } else {
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_\(unsafeRaw: name)_update AFTER UPDATE ON \(unsafeRaw: table)
                BEGIN INSERT OR IGNORE INTO \(unsafeRaw: into) SELECT \(unsafeRaw: column) FROM \(unsafeRaw: rows) WHERE \(unsafeRaw: key) = NEW.id; END
                """).run()
        }
    }
}
