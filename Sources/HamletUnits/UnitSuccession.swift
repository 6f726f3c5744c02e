import Vapor
import Fluent
import HamletWeb
import HamletDatabase

/// One line of a reorganisation: a unit of an old structure went, whole or in part, into a unit
/// of a new one. A later reform is more rows with another `reform` code, not new code.
package final class UnitSuccession: Model, @unchecked Sendable {
    package static let schema = "unit_successions"

    @ID(key: .id) package var id: UUID?
    /// The reform this line belongs to, e.g. "2025" (Nghị quyết sắp xếp ĐVHC, in force 2025-07-01).
    @Field(key: "reform") package var reform: String
    @Field(key: "from_structure") package var fromStructure: String
    @Field(key: "from_code") package var fromCode: String
    @Field(key: "to_structure") package var toStructure: String
    @Field(key: "to_code") package var toCode: String
    /// "whole" or "part".
    @Field(key: "kind") package var kind: String
    /// For a divided unit, the one successor that takes its data by default.
    @Field(key: "is_default") package var isDefault: Bool
    @Field(key: "effective_date") package var effectiveDate: String

    package init() {}

    package init(reform: String, from: (String, String), to: (String, String), kind: String, isDefault: Bool, effectiveDate: String) {
        self.reform = reform
        self.fromStructure = from.0
        self.fromCode = from.1
        self.toStructure = to.0
        self.toCode = to.1
        (self.kind, self.isDefault, self.effectiveDate) = (kind, isDefault, effectiveDate)
    }
}

package struct CreateUnitSuccessions: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(UnitSuccession.schema)
            .id()
            .field("reform", .string, .required)
            .field("from_structure", .string, .required)
            .field("from_code", .string, .required)
            .field("to_structure", .string, .required)
            .field("to_code", .string, .required)
            .field("kind", .string, .required)
            .field("is_default", .bool, .required)
            .field("effective_date", .string, .required)
            .unique(on: "reform", "from_structure", "from_code", "to_code")
            .create()
        try await SQLText.index(database, "unit_successions_to", on: UnitSuccession.schema, ["to_structure", "to_code"])
        try await SQLText.index(database, "unit_successions_from", on: UnitSuccession.schema, ["from_structure", "from_code"])
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(UnitSuccession.schema).delete()
    }
}
