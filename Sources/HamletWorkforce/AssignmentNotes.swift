import Fluent
import HamletDatabase

/// What others keep computed from the posts hangs on these columns: a figure kept per person
/// (`person_id`) or per place (`unit_code`) is told, by triggers on this table, whose posts
/// changed (`ChangeNote`). The plans' tallies use both; `AssignmentNotesTests` checks them.
extension Assignment {
    /// After any post is added, changed or removed, its person (before and after) goes into `table`.
    package static func notePeople(into table: String, name: String, on database: any Database) async throws {
        try await ChangeNote.install(schema, column: "person_id", into: table, name: name, on: database)
    }

    /// After any post is added, changed or removed, its unit (before and after) goes into `table`.
    package static func notePlaces(into table: String, name: String, on database: any Database) async throws {
        try await ChangeNote.install(schema, column: "unit_code", into: table, name: name, on: database)
    }
}
