import Vapor
import Fluent
import HamletWeb
import HamletDatabase

/// An administrative unit (đơn vị hành chính) of one structure: the 2025 one (province →
/// commune → hamlet) or the legacy one (province → district → commune, until 2025-06-30).
package final class AdminUnit: Model, @unchecked Sendable {
    package static let schema = "units"

    @ID(key: .id) package var id: UUID?
    /// "2025" or "legacy".
    @Field(key: "structure") package var structure: String
    /// GSO code (2, 3 or 5 digits); for hamlets the commune code, "-" and a number, or the commune's own code.
    @Field(key: "code") package var code: String
    @Field(key: "name") package var name: String
    @Field(key: "short_name") package var shortName: String
    /// Tỉnh, Thành phố, Xã, Phường, Thị trấn, Đặc khu, Thôn, Ấp, Bản, Khóm, Tổ dân phố …
    @Field(key: "type") package var type: String
    @Enum(key: "level") package var level: UnitLevel
    @OptionalField(key: "parent_code") package var parentCode: String?
    /// Codes from the root, each followed by "." ("89.30280."): a subtree is one range of this column.
    @Field(key: "path") package var path: String
    /// Lower-case, no diacritics, đ → d: what search compares against.
    @Field(key: "search_name") package var searchName: String
    @OptionalField(key: "valid_from") package var validFrom: String?
    @OptionalField(key: "valid_to") package var validTo: String?
    /// Set when a hamlet is closed or merged; the row stays, and so does its code.
    @OptionalField(key: "closed_on") package var closedOn: String?
    @OptionalField(key: "merged_into") package var mergedInto: String?
    @OptionalField(key: "lat") package var lat: Double?
    @OptionalField(key: "lon") package var lon: Double?
    @OptionalField(key: "area_km2") package var areaKm2: Double?

    /// Listed, not found by reflection: Fluent's default walks the model with `Mirror` for every
    /// row read, which was a third of the server's CPU under load (perf). `ModelPropertiesTests`
    /// checks the list against reflection, so a field added here and not listed fails a test.
    package var properties: [any AnyProperty] { [$id, $structure, $code, $name, $shortName, $type, $level, $parentCode, $path, $searchName, $validFrom, $validTo, $closedOn, $mergedInto, $lat, $lon, $areaKm2] }

    package init() {}

    package var isClosed: Bool { closedOn != nil }
}

package enum UnitLevel: String, Codable, CaseIterable, Sendable {
    case province, district, commune, hamlet

    package func label(_ language: Language) -> String {
        switch (self, language) {
        case (.province, .vi): return "Tỉnh/Thành phố"
        case (.district, .vi): return "Quận/Huyện"
        case (.commune, .vi): return "Xã/Phường"
        case (.hamlet, .vi): return "Thôn/Ấp/Tổ dân phố"
        case (.province, .en): return "Province"
        case (.district, .en): return "District"
        case (.commune, .en): return "Commune"
        case (.hamlet, .en): return "Hamlet"
        }
    }
}

package enum UnitStructure: String, Codable, CaseIterable, Sendable {
    case current = "2025"
    case legacy
}

package struct CreateUnits: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        let level = try await database.enum("unit_level").case("province").case("district").case("commune").case("hamlet").create()
        try await database.schema(AdminUnit.schema)
            .id()
            .field("structure", .string, .required)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("short_name", .string, .required)
            .field("type", .string, .required)
            .field("level", level, .required)
            .field("parent_code", .string)
            .field("path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("search_name", .string, .required)
            .field("valid_from", .string)
            .field("valid_to", .string)
            .field("closed_on", .string)
            .field("merged_into", .string)
            .field("lat", .double)
            .field("lon", .double)
            .field("area_km2", .double)
            .unique(on: "structure", "code")
            .create()
        try await SQLText.index(database, "units_path", on: AdminUnit.schema, ["structure", "path"])
        try await SQLText.index(database, "units_parent", on: AdminUnit.schema, ["structure", "parent_code"])
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(AdminUnit.schema).delete()
        try await database.enum("unit_level").delete()
    }
}
