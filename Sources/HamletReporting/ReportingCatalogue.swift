import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits

/// A way to split a figure (sex, age group), with its options, defined as data.
package final class DataCategory: Model, @unchecked Sendable {
    package static let schema = "data_categories"

    @ID(key: .id) package var id: UUID?
    @Field(key: "code") package var code: String
    /// The province that owns it ("91.") or "" for the country (`CatalogueOwner`).
    @Field(key: "owner_path") package var ownerPath: String
    @Field(key: "name") package var name: String
    /// JSON `[{"code","name"}]`, in the order the form shows them.
    @Field(key: "options") package var optionsJSON: String
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() { ownerPath = "" }

    package struct Option: Content, Hashable {
        package var code: String
        package var name: String
        package init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }
    package var options: [Option] { (try? JSONDecoder().decode([Option].self, from: Data(optionsJSON.utf8))) ?? [] }
}

/// What is reported: one figure, typed, with how it adds up and how it is split.
package final class DataElement: Model, @unchecked Sendable {
    package static let schema = "data_elements"

    @ID(key: .id) package var id: UUID?
    @Field(key: "code") package var code: String
    /// The province that owns it ("91.") or "" for the country (`CatalogueOwner`).
    @Field(key: "owner_path") package var ownerPath: String
    @Field(key: "name") package var name: String
    @Field(key: "short_name") package var shortName: String
    /// A `ValueType` raw value (DHIS2's names: INTEGER, NUMBER, PERCENTAGE, BOOLEAN, TEXT).
    @Field(key: "value_type") package var valueType: String
    /// An `Aggregation` raw value (SUM, AVERAGE, LAST).
    @Field(key: "aggregation") package var aggregation: String
    /// JSON array of category codes, in order; empty: one cell, the "default" combination.
    @Field(key: "categories") package var categoriesJSON: String
    @OptionalField(key: "description") package var details: String?
    /// Bounds of each value entered (per cell), e.g. 0–500 collaborators in a commune.
    @OptionalField(key: "minimum") package var minimum: Double?
    @OptionalField(key: "maximum") package var maximum: Double?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?
    /// Listed, not found by reflection per row (see `Person.properties`; `ModelPropertiesTests`).
    package var properties: [any AnyProperty] { [$id, $code, $ownerPath, $name, $shortName, $valueType, $aggregation, $categoriesJSON, $details, $minimum, $maximum, $createdAt, $updatedAt] }

    package init() { ownerPath = "" }

    package func read(_ raw: String, typed: Bool = false) -> Result<ValueType.Parsed, ValueError> {
        type.parse(raw, typed: typed, minimum: minimum, maximum: maximum)
    }

    package var type: ValueType { ValueType(rawValue: valueType) ?? .integer }
    package var categoryCodes: [String] { (try? JSONDecoder().decode([String].self, from: Data(categoriesJSON.utf8))) ?? [] }
}

/// A report form (DHIS2's data set): its elements in sections, who reports, how often, by when,
/// and the checks run before it is sent.
package final class DataSet: Model, @unchecked Sendable {
    package static let schema = "data_sets"

    @ID(key: .id) package var id: UUID?
    @Field(key: "code") package var code: String
    /// The province that owns it ("91.") or "" for the country (`CatalogueOwner`).
    @Field(key: "owner_path") package var ownerPath: String
    @Field(key: "name") package var name: String
    @Field(key: "periodicity") package var periodicity: String
    /// JSON array of `UnitLevel` raw values whose units report this form.
    @Field(key: "levels") package var levelsJSON: String
    /// JSON array of facility type codes whose facilities report this form.
    @Field(key: "facility_types") package var facilityTypesJSON: String
    /// Either `due_days` (days after the period ends) or `due_day` + `due_month` (a fixed day).
    @OptionalField(key: "due_days") package var dueDays: Int?
    @OptionalField(key: "due_day") package var dueDay: Int?
    @OptionalField(key: "due_month") package var dueMonth: Int?
    /// The statistics cut-off (e.g. 14): a month's report covers the 15th of the month before to the 14th.
    @OptionalField(key: "cutoff_day") package var cutoffDay: Int?
    /// Days before the due day when an unsent report is reminded (`ReminderRun`; 3 when not set).
    @OptionalField(key: "remind_days") package var remindDays: Int?
    /// Days after a period's last day when its entry closes (DHIS2's expiry days); nil: never.
    @OptionalField(key: "close_days") package var closeDays: Int?
    /// JSON `[ValidationRule]`.
    @Field(key: "rules") package var rulesJSON: String
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() { ownerPath = "" }

    package var frequency: Periodicity { Periodicity(rawValue: periodicity) ?? .monthly }
    package var levels: [UnitLevel] { ((try? JSONDecoder().decode([String].self, from: Data(levelsJSON.utf8))) ?? []).compactMap(UnitLevel.init(rawValue:)) }
    package var facilityTypes: [String] { (try? JSONDecoder().decode([String].self, from: Data(facilityTypesJSON.utf8))) ?? [] }
    package var rules: [ValidationRule] { (try? JSONDecoder().decode([ValidationRule].self, from: Data(rulesJSON.utf8))) ?? [] }
    package var dueRule: DueRule {
        if let dueDay, let dueMonth { return .fixed(day: dueDay, month: dueMonth) }
        return .daysAfterEnd(dueDays ?? 15)
    }
    package func due(for period: Period) -> DayDate { dueRule.due(for: period, cutoff: cutoffDay) }
    /// The days a period's report covers (see `Period.window`).
    package func window(_ period: Period) -> ClosedRange<DayDate> { period.window(cutoff: cutoffDay) }
    /// The last day a period's report may be entered, when the form closes its periods.
    package func closes(_ period: Period) -> DayDate? { closeDays.map { window(period).upperBound.adding(days: $0) } }
    package func isOpen(_ period: Period, today: DayDate) -> Bool { window(period).lowerBound <= today && closes(period).map { today <= $0 } ?? true }
    package var dueLabel: String {
        guard let cutoffDay, case .daysAfterEnd(let days) = dueRule else { return dueRule.label }
        return "\(days) ngày sau ngày chốt số liệu (ngày \(cutoffDay))"
    }
}

/// An element's place on a form.
package final class DataSetElement: Model, @unchecked Sendable {
    package static let schema = "data_set_elements"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "data_set_id") package var dataSet: DataSet
    @Parent(key: "element_id") package var element: DataElement
    @Field(key: "section") package var section: String
    @Field(key: "sort") package var sort: Int

    package init() {}
}

package struct CreateReportingCatalogue: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(DataCategory.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("options", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema(DataElement.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("short_name", .string, .required)
            .field("value_type", .string, .required)
            .field("aggregation", .string, .required)
            .field("categories", .string, .required)
            .field("description", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema(DataSet.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("periodicity", .string, .required)
            .field("levels", .string, .required)
            .field("facility_types", .string, .required)
            .field("due_days", .int)
            .field("due_day", .int)
            .field("due_month", .int)
            .field("cutoff_day", .int)
            .field("rules", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.schema(DataSetElement.schema)
            .id()
            .field("data_set_id", .uuid, .required, .references(DataSet.schema, "id"))
            .field("element_id", .uuid, .required, .references(DataElement.schema, "id"))
            .field("section", .string, .required)
            .field("sort", .int, .required)
            .unique(on: "data_set_id", "element_id")
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(DataSetElement.schema).delete()
        try await database.schema(DataSet.schema).delete()
        try await database.schema(DataElement.schema).delete()
        try await database.schema(DataCategory.schema).delete()
    }
}

/// A data element may bound each value entered (DHIS2 keeps such bounds per unit as min-max
/// values; one pair per element is what the seeds' forms need).
package struct BoundDataElements: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(DataElement.schema).field("minimum", .double).update()
        try await database.schema(DataElement.schema).field("maximum", .double).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(DataElement.schema).deleteField("minimum").deleteField("maximum").update()
    }
}
