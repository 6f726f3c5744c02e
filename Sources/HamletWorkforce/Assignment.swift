import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletOrganisations

/// A post a person holds: where, in which fields, how employed, from when to when. A transfer
/// ends one assignment and starts another; nothing is overwritten.
package final class Assignment: Model, @unchecked Sendable {
    package static let schema = "assignments"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "person_id") package var person: Person
    /// The unit where the post is (a province, commune or hamlet), or the unit of its organisation.
    @Field(key: "unit_code") package var unitCode: String
    @Field(key: "unit_path") package var unitPath: String
    @OptionalParent(key: "organisation_id") package var organisation: Organisation?
    @Field(key: "domain_social_work") package var socialWork: Bool
    @Field(key: "domain_family") package var family: Bool
    @Field(key: "domain_population") package var population: Bool
    @Field(key: "domain_children") package var children: Bool
    @Field(key: "position_title") package var positionTitle: String
    @Enum(key: "employment_kind") package var employmentKind: EmploymentKind
    @Field(key: "full_time") package var fullTime: Bool
    /// Kiêm nhiệm: held beside another main job.
    @Field(key: "concurrent") package var concurrent: Bool
    @Field(key: "start_date") package var startDate: String
    @OptionalField(key: "end_date") package var endDate: String?
    @OptionalEnum(key: "end_reason") package var endReason: EndReason?
    /// Phụ cấp: a fixed amount in đồng, or a multiple of the base salary (resolved by date).
    @OptionalField(key: "allowance_amount") package var allowanceAmount: Int?
    @OptionalField(key: "allowance_multiple") package var allowanceMultiple: Double?
    /// Where a post held before 01/07/2025 was, in the units of that time (a legacy commune that
    /// went into the post's 2025 commune): how figures of those days are counted (`LegacyCoverage`).
    @OptionalField(key: "legacy_unit_code") package var legacyUnitCode: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    /// Listed, not found by reflection per row (see `Person.properties`; `ModelPropertiesTests`).
    package var properties: [any AnyProperty] { [$id, $person, $unitCode, $unitPath, $organisation, $socialWork, $family, $population, $children, $positionTitle, $employmentKind, $fullTime, $concurrent, $startDate, $endDate, $endReason, $allowanceAmount, $allowanceMultiple, $legacyUnitCode, $createdAt] }

    package init() {}

    package var domains: [WorkDomain] {
        WorkDomain.allCases.filter { domain in
            switch domain {
            case .socialWork: return socialWork
            case .family: return family
            case .population: return population
            case .children: return children
            }
        }
    }

    package func isActive(on day: String) -> Bool { startDate <= day && (endDate.map { $0 >= day } ?? true) }
}

package struct CreateAssignments: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        let kind = try await database.enum("employment_kind").case("can-bo").case("cong-chuc").case("vien-chuc")
            .case("nhan-vien").case("cong-tac-vien").create()
        let reason = try await database.enum("end_reason").case("resigned").case("transferred").case("retired")
            .case("dismissed").case("died").case("other").create()
        try await database.schema(Assignment.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, "id"))
            .field("unit_code", .string, .required)
            .field("unit_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("organisation_id", .uuid, .references(Organisation.schema, "id"))
            .field("domain_social_work", .bool, .required)
            .field("domain_family", .bool, .required)
            .field("domain_population", .bool, .required)
            .field("domain_children", .bool, .required)
            .field("position_title", .string, .required)
            .field("employment_kind", kind, .required)
            .field("full_time", .bool, .required)
            .field("concurrent", .bool, .required)
            .field("start_date", .string, .required)
            .field("end_date", .string)
            .field("end_reason", reason)
            .field("allowance_amount", .int64)
            .field("allowance_multiple", .double)
            .field("created_at", .datetime)
            .create()
        try await SQLText.index(database, "assignments_person", on: Assignment.schema, ["person_id"])
        try await SQLText.index(database, "assignments_place", on: Assignment.schema, ["unit_path", "start_date"])
        try await SQLText.index(database, "assignments_unit", on: Assignment.schema, ["unit_code"])
        try await SQLText.index(database, "assignments_organisation", on: Assignment.schema, ["organisation_id"])
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Assignment.schema).delete()
        try await database.enum("end_reason").delete()
        try await database.enum("employment_kind").delete()
    }
}

/// Lists and counts filter posts by place, dates, field and kind and want only the person: with
/// all of these in one index, neither engine reads the posts table itself.
package struct CoverPostFilters: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "assignments_place").run()
        try await SQLText.index(database, "assignments_place", on: Assignment.schema,
                                ["unit_path", "start_date", "end_date", "domain_population", "domain_family", "domain_social_work",
                                 "domain_children", "employment_kind", "person_id"])
    }

    package func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "assignments_place").run()
        try await SQLText.index(database, "assignments_place", on: Assignment.schema, ["unit_path", "start_date"])
    }
}

/// Coverage counts the people at each place through its unit code: with the dates, fields, kind
/// and person in the index, each place is one index range and never a read of the posts table.
package struct CoverUnitPosts: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "assignments_unit").run()
        try await SQLText.index(database, "assignments_unit", on: Assignment.schema,
                                ["unit_code", "start_date", "end_date", "domain_population", "domain_family", "domain_social_work",
                                 "domain_children", "employment_kind", "person_id"])
    }

    package func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "assignments_unit").run()
        try await SQLText.index(database, "assignments_unit", on: Assignment.schema, ["unit_code"])
    }
}

extension Assignment {
    /// Who holds a post in a unit's subtree on a day, each person once (their first post's
    /// title), in the official name order: the people an activity or a board picks from.
    package static func holders(under path: String, on day: DayDate, limit: Int, db: any Database) async throws -> [(person: Person, title: String)] {
        let posts = try await Assignment.query(on: db).with(\.$person)
            .filter(\.$unitPath >= path).filter(\.$unitPath < AccessScope.upperBound(path))
            .filter(\.$startDate <= day.iso).group(.or) { $0.filter(\.$endDate == nil).filter(\.$endDate >= day.iso) }
            .limit(limit).all()
        var seen = Set<UUID>()
        return posts.sorted { $0.person.sortKey < $1.person.sortKey }.compactMap { p in
            seen.insert(p.person.id!).inserted ? (p.person, p.positionTitle) : nil
        }
    }
}
