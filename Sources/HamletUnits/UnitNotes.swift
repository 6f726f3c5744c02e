import Fluent
import HamletDatabase

extension AdminUnit {
    /// After any unit is added, changed (closed, merged, renamed) or removed, its code (before and
    /// after) goes into `table`: for figures kept per place (the plans' coverage tallies).
    package static func notePlaces(into table: String, name: String, on database: any Database) async throws {
        try await ChangeNote.install(schema, column: "code", into: table, name: name, on: database)
    }
}
