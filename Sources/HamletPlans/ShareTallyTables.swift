import Fluent
import SQLKit
import HamletWeb
import HamletDatabase

/// The tables behind `ShareTally`, and the triggers that note whose posts or training changed
/// (a class or course edited: everyone who took it).
/// Triggers, not calls from the services: every writer (pages, API, imports, unit reforms, the
/// demo, the generator) is caught, whatever it writes with.
package struct CreateShareTallies: AsyncMigration {
    package init() {}
    /// Tables whose edit changes what their participants count for, and the participations' key to them.
    package static let edited = [("courses", "course_id"), ("training_classes", "class_id")]

    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let pg = SQLText.isPostgres(database)
        let id = pg ? "uuid" : "TEXT", text = pg ? "TEXT COLLATE \"C\"" : "TEXT", clustered = pg ? "" : " WITHOUT ROWID"
        try await sql.raw("""
            CREATE TABLE share_tally_people (indicator_id \(unsafeRaw: id) NOT NULL, person_id \(unsafeRaw: id) NOT NULL, scope \(unsafeRaw: text) NOT NULL,
              child \(unsafeRaw: text) NOT NULL, day TEXT NOT NULL, active INTEGER NOT NULL, trained INTEGER NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX share_tally_people_person ON share_tally_people (indicator_id, person_id)").run()
        try await sql.raw("""
            CREATE TABLE share_tally_sums (indicator_id \(unsafeRaw: id) NOT NULL, scope \(unsafeRaw: text) NOT NULL, child \(unsafeRaw: text) NOT NULL,
              day TEXT NOT NULL, active INTEGER NOT NULL, trained INTEGER NOT NULL, PRIMARY KEY (indicator_id, scope, child, day))\(unsafeRaw: clustered)
            """).run()
        try await sql.raw("CREATE TABLE share_tally_built (indicator_id \(unsafeRaw: id) PRIMARY KEY, definition TEXT NOT NULL)").run()
        try await sql.raw("CREATE TABLE share_tally_dirty (person_id \(unsafeRaw: id) PRIMARY KEY)").run()
        if pg {
            for (name, rows) in [("new", "SELECT person_id FROM new_rows"), ("old", "SELECT person_id FROM old_rows"),
                                 ("both", "SELECT person_id FROM old_rows UNION SELECT person_id FROM new_rows")] {
                try await sql.raw("""
                    CREATE FUNCTION share_tally_mark_\(unsafeRaw: name)() RETURNS trigger AS $$
                    BEGIN
                      INSERT INTO share_tally_dirty SELECT DISTINCT person_id FROM (\(unsafeRaw: rows)) x ON CONFLICT DO NOTHING;
                      RETURN NULL;
                    END $$ LANGUAGE plpgsql
                    """).run()
            }
            for table in ["assignments", "participations"] {
                try await sql.raw("CREATE TRIGGER \(unsafeRaw: table)_tally_insert AFTER INSERT ON \(unsafeRaw: table) REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION share_tally_mark_new()").run()
                try await sql.raw("CREATE TRIGGER \(unsafeRaw: table)_tally_delete AFTER DELETE ON \(unsafeRaw: table) REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION share_tally_mark_old()").run()
                try await sql.raw("CREATE TRIGGER \(unsafeRaw: table)_tally_update AFTER UPDATE ON \(unsafeRaw: table) REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION share_tally_mark_both()").run()
            }
            // A course or class edited: everyone who took it.
            for (table, column) in Self.edited {
                try await sql.raw("""
                    CREATE FUNCTION \(unsafeRaw: table)_tally_mark() RETURNS trigger AS $$
                    BEGIN
                      INSERT INTO share_tally_dirty SELECT DISTINCT person_id FROM participations WHERE \(unsafeRaw: column) = NEW.id ON CONFLICT DO NOTHING;
                      RETURN NULL;
                    END $$ LANGUAGE plpgsql
                    """).run()
                try await sql.raw("CREATE TRIGGER \(unsafeRaw: table)_tally_update AFTER UPDATE ON \(unsafeRaw: table) FOR EACH ROW EXECUTE FUNCTION \(unsafeRaw: table)_tally_mark()").run()
            }
        } else {
            for table in ["assignments", "participations"] {
                try await sql.raw("CREATE TRIGGER \(unsafeRaw: table)_tally_insert AFTER INSERT ON \(unsafeRaw: table) BEGIN INSERT OR IGNORE INTO share_tally_dirty VALUES (NEW.person_id); END").run()
                try await sql.raw("CREATE TRIGGER \(unsafeRaw: table)_tally_delete AFTER DELETE ON \(unsafeRaw: table) BEGIN INSERT OR IGNORE INTO share_tally_dirty VALUES (OLD.person_id); END").run()
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_tally_update AFTER UPDATE ON \(unsafeRaw: table)
                    BEGIN INSERT OR IGNORE INTO share_tally_dirty VALUES (OLD.person_id); INSERT OR IGNORE INTO share_tally_dirty VALUES (NEW.person_id); END
                    """).run()
            }
            for (table, column) in Self.edited {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_tally_update AFTER UPDATE ON \(unsafeRaw: table)
                    BEGIN INSERT OR IGNORE INTO share_tally_dirty SELECT person_id FROM participations WHERE \(unsafeRaw: column) = NEW.id; END
                    """).run()
            }
        }
    }

    package func revert(on database: any Database) async throws {}
}

/// Kept coverage counts (`ShareTally` for rules over unit levels) are per place: their rows, and
/// the places whose posts or dates changed (a post added, ended or moved; a unit opened or closed).
package struct CreatePlaceTallies: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let pg = SQLText.isPostgres(database)
        let id = pg ? "uuid" : "TEXT", text = pg ? "TEXT COLLATE \"C\"" : "TEXT"
        try await sql.raw("""
            CREATE TABLE share_tally_places (indicator_id \(unsafeRaw: id) NOT NULL, unit_code TEXT NOT NULL, scope \(unsafeRaw: text) NOT NULL,
              child \(unsafeRaw: text) NOT NULL, day TEXT NOT NULL, active INTEGER NOT NULL, trained INTEGER NOT NULL)
            """).run()
        try await sql.raw("CREATE INDEX share_tally_places_code ON share_tally_places (indicator_id, unit_code)").run()
        try await sql.raw("CREATE TABLE share_tally_dirty_places (unit_code TEXT PRIMARY KEY)").run()
        for (table, column) in [("assignments", "unit_code"), ("units", "code")] {
            if pg {
                for (event, rows) in [("insert", "SELECT \(column) AS c FROM new_rows"), ("delete", "SELECT \(column) AS c FROM old_rows"),
                                      ("update", "SELECT \(column) AS c FROM old_rows UNION SELECT \(column) AS c FROM new_rows")] {
                    let transition = event == "insert" ? "NEW TABLE AS new_rows" : event == "delete" ? "OLD TABLE AS old_rows" : "OLD TABLE AS old_rows NEW TABLE AS new_rows"
                    try await sql.raw("""
                        CREATE FUNCTION \(unsafeRaw: table)_place_mark_\(unsafeRaw: event)() RETURNS trigger AS $$
                        BEGIN
                          INSERT INTO share_tally_dirty_places SELECT DISTINCT c FROM (\(unsafeRaw: rows)) x ON CONFLICT DO NOTHING;
                          RETURN NULL;
                        END $$ LANGUAGE plpgsql
                        """).run()
                    try await sql.raw("""
                        CREATE TRIGGER \(unsafeRaw: table)_place_\(unsafeRaw: event) AFTER \(unsafeRaw: event.uppercased()) ON \(unsafeRaw: table)
                        REFERENCING \(unsafeRaw: transition) FOR EACH STATEMENT EXECUTE FUNCTION \(unsafeRaw: table)_place_mark_\(unsafeRaw: event)()
                        """).run()
                }
            } else {
                for (event, values) in [("insert", "NEW"), ("delete", "OLD"), ("update", "OLD")] {
                    let second = event == "update" ? " INSERT OR IGNORE INTO share_tally_dirty_places VALUES (NEW.\(column));" : ""
                    try await sql.raw("""
                        CREATE TRIGGER \(unsafeRaw: table)_place_\(unsafeRaw: event) AFTER \(unsafeRaw: event.uppercased()) ON \(unsafeRaw: table)
                        BEGIN INSERT OR IGNORE INTO share_tally_dirty_places VALUES (\(unsafeRaw: values).\(unsafeRaw: column));\(unsafeRaw: second) END
                        """).run()
                }
            }
        }
    }

    package func revert(on database: any Database) async throws {}
}
