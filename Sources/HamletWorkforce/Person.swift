import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase

/// A person who does social-work, family, population or child-protection work, at any level.
package final class Person: Model, @unchecked Sendable {
    package static let schema = "people"

    @ID(key: .id) package var id: UUID?
    /// Stored whole, NFC ("Nguyễn Thị Hoa"); the parts are derived.
    @Field(key: "full_name") package var fullName: String
    @Field(key: "given_name") package var givenName: String
    @Field(key: "search_name") package var searchName: String
    /// Official list order (given name, then family and middle), compared by bytes.
    @Field(key: "sort_key") package var sortKey: String
    @OptionalEnum(key: "sex") package var sex: Sex?
    @OptionalField(key: "birth_date") package var birthDate: String?
    /// Căn cước công dân: 12 digits, unique when present.
    @OptionalField(key: "cccd") package var cccd: String?
    @OptionalField(key: "phone") package var phone: String?
    @OptionalField(key: "ethnicity") package var ethnicity: String?
    @Field(key: "home_unit_code") package var homeUnitCode: String
    @Field(key: "home_unit_path") package var homeUnitPath: String
    @OptionalField(key: "education_level") package var educationLevel: String?
    @Enum(key: "qualification_level") package var qualificationLevel: QualificationLevel
    @OptionalField(key: "qualification_field") package var qualificationField: String?
    @Field(key: "qualified_in_social_work") package var qualifiedInSocialWork: Bool
    @OptionalField(key: "title_code") package var titleCode: String?
    @OptionalField(key: "notes") package var notes: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    /// Listed, not found by reflection: Fluent's default walks the model with `Mirror` for every
    /// row read, which was a third of the server's CPU under load (perf). `ModelPropertiesTests`
    /// checks the list against reflection, so a field added here and not listed fails a test.
    package var properties: [any AnyProperty] { [$id, $fullName, $givenName, $searchName, $sortKey, $sex, $birthDate, $cccd, $phone, $ethnicity, $homeUnitCode, $homeUnitPath, $educationLevel, $qualificationLevel, $qualificationField, $qualifiedInSocialWork, $titleCode, $notes, $createdAt, $updatedAt] }

    package init() {}

    /// Sets the name and everything derived from it: given name, search form, official sort key.
    package func setName(_ name: String) {
        fullName = name
        givenName = VietnameseText.nameParts(name).given
        searchName = VietnameseText.folded(name)
        sortKey = VietnameseCollation.nameKey(name)
    }
}

package struct CreatePeople: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        let sex = try await database.enum("sex").case("male").case("female").create()
        let level = try await database.enum("qualification_level").case("none").case("so-cap").case("trung-cap")
            .case("cao-dang").case("dai-hoc").case("thac-si").case("tien-si").create()
        try await database.schema(Person.schema)
            .id()
            .field("full_name", .string, .required)
            .field("given_name", .string, .required)
            .field("search_name", .string, .required)
            .field("sort_key", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("sex", sex)
            .field("birth_date", .string)
            .field("cccd", .string)
            .field("phone", .string)
            .field("ethnicity", .string)
            .field("home_unit_code", .string, .required)
            .field("home_unit_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("education_level", .string)
            .field("qualification_level", level, .required)
            .field("qualification_field", .string)
            .field("qualified_in_social_work", .bool, .required)
            .field("title_code", .string)
            .field("notes", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "cccd")
            .create()
        try await SQLText.index(database, "people_home", on: Person.schema, ["home_unit_path"])
        try await SQLText.index(database, "people_sort", on: Person.schema, ["sort_key", "id"])
        try await SQLText.index(database, "people_phone", on: Person.schema, ["phone"])
        // Possible duplicates and import matching look people up by name and birth date.
        try await SQLText.index(database, "people_name_birth", on: Person.schema, ["search_name", "birth_date"])
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).delete()
        try await database.enum("qualification_level").delete()
        try await database.enum("sex").delete()
    }
}
