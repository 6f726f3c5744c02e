import Vapor
import Fluent
import HamletKit
import HamletWeb

/// How many people of a group live in a unit in a year, and where the number comes from: the
/// base of share-of-group targets (588's "85 % of children in special circumstances supported").
package final class PopulationFigure: Model, @unchecked Sendable {
    package static let schema = "population_figures"
    @ID(key: .id) package var id: UUID?
    @Field(key: "unit_code") package var unitCode: String
    @Field(key: "unit_path") package var unitPath: String
    @Field(key: "year") package var year: Int
    /// A case-catalogue category (`tre-mo-coi`) or one of the general groups (`ho-gia-dinh`).
    @Field(key: "group_code") package var group: String
    @Field(key: "value") package var value: Int
    @Field(key: "source") package var source: String
    @Field(key: "updated_by") package var updatedBy: String
    @Field(key: "updated_on") package var updatedOn: String
    /// Listed, not found by reflection per row (see `Person.properties`; `ModelPropertiesTests`).
    package var properties: [any AnyProperty] { [$id, $unitCode, $unitPath, $year, $group, $value, $source, $updatedBy, $updatedOn] }
    package init() {}
}

package struct CreatePopulationFigures: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(PopulationFigure.schema).id()
            .field("unit_code", .string, .required).field("unit_path", .string, .required)
            .field("year", .int, .required).field("group_code", .string, .required).field("value", .int, .required)
            .field("source", .string, .required).field("updated_by", .string, .required).field("updated_on", .string, .required)
            // One figure per unit, group and year; the index also serves the base's reads (groups, years, a subtree).
            .unique(on: "group_code", "year", "unit_path")
            .create()
    }
    package func revert(on database: any Database) async throws { try await database.schema(PopulationFigure.schema).delete() }
}

package struct PopulationInput: Content {
    package var unitCode: String?
    package var year: Int?
    package var group: String?
    package var value: Int?
    package var source: String?

    package init(unitCode: String? = nil, year: Int? = nil, group: String? = nil, value: Int? = nil, source: String? = nil) {
        self.unitCode = unitCode; self.year = year; self.group = group; self.value = value; self.source = source
    }

    /// Numbers may come as JSON numbers or as text ("2025", "1.250"); what is neither is left
    /// empty, and refused by its field.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func number(_ key: CodingKeys) -> Int? {
            if let n = try? c.decode(Int.self, forKey: key) { return n }
            return (try? c.decode(String.self, forKey: key)).flatMap(FormValue.integer)
        }
        unitCode = try? c.decode(String.self, forKey: .unitCode); group = try? c.decode(String.self, forKey: .group)
        source = try? c.decode(String.self, forKey: .source); year = number(.year); value = number(.value)
    }
}

package struct PopulationFigureDTO: Content {
    package var id: UUID?
    package var unitCode: String
    package var unitName: String
    package var year: Int
    package var group: String
    package var groupName: String
    package var value: Int
    package var source: String
    package var updatedBy: String
    package var updatedOn: String

    package init(id: UUID? = nil, unitCode: String, unitName: String, year: Int, group: String, groupName: String, value: Int,
                 source: String, updatedBy: String, updatedOn: String) {
        (self.id, self.unitCode, self.unitName, self.year) = (id, unitCode, unitName, year)
        (self.group, self.groupName, self.value, self.source) = (group, groupName, value, source)
        (self.updatedBy, self.updatedOn) = (updatedBy, updatedOn)
    }
}
