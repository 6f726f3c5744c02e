import Fluent
import SQLKit
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletWorkforce
import HamletTraining

/// The tables behind `ShareTally`, and whose posts or training changed, noted by triggers the
/// tables' owners install (`Assignment.notePeople`, `Participation.notePeople`, `Course` and
/// `TrainingClass.noteParticipants`): every writer is caught, and the owner sees what depends on
/// its columns.
package struct CreateShareTallies: AsyncMigration {
    package init() {}
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
        // Whose posts or training changed, told by the tables' owners (a course or class edited: everyone who took it).
        try await Assignment.notePeople(into: "share_tally_dirty", name: "tally", on: database)
        try await Participation.notePeople(into: "share_tally_dirty", name: "tally", on: database)
        try await Course.noteParticipants(into: "share_tally_dirty", name: "tally", on: database)
        try await TrainingClass.noteParticipants(into: "share_tally_dirty", name: "tally", on: database)
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
        // Whose posts or places changed, told by the tables' owners.
        try await Assignment.notePlaces(into: "share_tally_dirty_places", name: "place", on: database)
        try await AdminUnit.notePlaces(into: "share_tally_dirty_places", name: "place", on: database)
    }

    package func revert(on database: any Database) async throws {}
}
