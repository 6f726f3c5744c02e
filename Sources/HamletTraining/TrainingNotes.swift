import Fluent
import HamletDatabase

/// What others keep computed from training hangs on these columns: a figure kept per person
/// (the plans' trained shares) is told, by triggers, whose results changed (`ChangeNote`).
extension Participation {
    /// After any participation is added, changed or removed, its person goes into `table`.
    package static func notePeople(into table: String, name: String, on database: any Database) async throws {
        try await ChangeNote.install(schema, column: "person_id", into: table, name: name, on: database)
    }
}

extension Course {
    /// After a course is edited (its kind, field or level decide who counts as trained), everyone
    /// who took it goes into `table`.
    package static func noteParticipants(into table: String, name: String, on database: any Database) async throws {
        try await ChangeNote.installThrough(schema, rows: Participation.schema, key: "course_id", column: "person_id", into: table, name: name, on: database)
    }
}

extension TrainingClass {
    /// After a class is edited (its dates, its cancellation), everyone who took it goes into `table`.
    package static func noteParticipants(into table: String, name: String, on database: any Database) async throws {
        try await ChangeNote.installThrough(schema, rows: Participation.schema, key: "class_id", column: "person_id", into: table, name: name, on: database)
    }
}
