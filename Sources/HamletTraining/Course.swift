import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletWorkforce

/// A course of the catalogue: what is taught, of which kind and level, for which fields of work.
package final class Course: Model, @unchecked Sendable {
    package static let schema = "courses"

    @ID(key: .id) package var id: UUID?
    @Field(key: "name") package var name: String
    @Field(key: "search_name") package var searchName: String
    @Field(key: "kind") package var kind: String
    /// Only for formal training: a `QualificationLevel` raw value (so-cap … tien-si).
    @OptionalField(key: "level") package var level: String?
    @Field(key: "domain_social_work") package var socialWork: Bool
    @Field(key: "domain_family") package var family: Bool
    @Field(key: "domain_population") package var population: Bool
    @Field(key: "domain_children") package var children: Bool
    @Field(key: "hours") package var hours: Int
    @OptionalField(key: "curriculum") package var curriculum: String?
    /// Số buổi, thang điểm (10 when not set) and the fewest sessions to complete: results must fit them.
    @OptionalField(key: "sessions") package var sessions: Int?
    @OptionalField(key: "score_scale") package var scoreScale: Double?
    @OptionalField(key: "minimum_sessions") package var minimumSessions: Int?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package var resultRules: ClassResultRules { ClassResultRules(sessions: sessions, scoreScale: scoreScale, minimumSessions: minimumSessions) }
    package var courseKind: CourseKind { CourseKind(rawValue: kind) ?? .tapHuan }
    package var domains: [WorkDomain] {
        WorkDomain.allCases.filter { d in
            switch d { case .socialWork: socialWork; case .family: family; case .population: population; case .children: children }
        }
    }
}

package struct CreateCourses: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(Course.schema)
            .id()
            .field("name", .string, .required)
            .field("search_name", .string, .required)
            .field("kind", .string, .required)
            .field("level", .string)
            .field("domain_social_work", .bool, .required)
            .field("domain_family", .bool, .required)
            .field("domain_population", .bool, .required)
            .field("domain_children", .bool, .required)
            .field("hours", .int, .required)
            .field("curriculum", .string)
            .field("created_at", .datetime)
            .create()
    }

    package func revert(on database: any Database) async throws { try await database.schema(Course.schema).delete() }
}

/// Courses state their sessions, score scale and minimum attendance; a result "completed" below
/// the minimum keeps the organiser's reason.
package struct AddClassResultRules: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(Course.schema).field("sessions", .int).update()
        try await database.schema(Course.schema).field("score_scale", .double).update()
        try await database.schema(Course.schema).field("minimum_sessions", .int).update()
        try await database.schema(Participation.schema).field("completion_reason", .string).update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Course.schema).deleteField("sessions").deleteField("score_scale").deleteField("minimum_sessions").update()
        try await database.schema(Participation.schema).deleteField("completion_reason").update()
    }
}
