import Vapor
import HamletKit
import Fluent
import HamletWeb
import HamletDatabase

/// The history of a hamlet: created, renamed, retyped, merged, closed. Never overwritten.
package final class UnitEvent: Model, @unchecked Sendable {
    package static let schema = "unit_events"

    @ID(key: .id) package var id: UUID?
    @Field(key: "unit_code") package var unitCode: String
    @Field(key: "kind") package var kind: String
    @Field(key: "effective_date") package var effectiveDate: String
    @OptionalField(key: "old_value") package var oldValue: String?
    @OptionalField(key: "new_value") package var newValue: String?
    @OptionalField(key: "related_code") package var relatedCode: String?
    @OptionalField(key: "note") package var note: String?
    @Field(key: "username") package var username: String
    @Field(key: "recorded_at") package var recordedAt: Date

    package init() {}

    package init(unitCode: String, kind: String, effectiveDate: String, old: String? = nil, new: String? = nil,
         related: String? = nil, note: String? = nil, username: String) {
        (self.unitCode, self.kind, self.effectiveDate) = (unitCode, kind, effectiveDate)
        self.oldValue = old
        self.newValue = new
        self.relatedCode = related
        self.note = note
        self.username = username
        self.recordedAt = HamletClock.shared.now
    }
}

package struct CreateUnitEvents: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(UnitEvent.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("kind", .string, .required)
            .field("effective_date", .string, .required)
            .field("old_value", .string)
            .field("new_value", .string)
            .field("related_code", .string)
            .field("note", .string)
            .field("username", .string, .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await SQLText.index(database, "unit_events_unit", on: UnitEvent.schema, ["unit_code"])
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(UnitEvent.schema).delete()
    }
}
