import Vapor
import Fluent
import HamletWeb
import HamletDatabase
import HamletWorkforce

/// A person enrolled in a class, and how it went. The organiser is copied here so a certificate
/// number is unique per organiser by a plain unique index; the class's end, whether it was
/// cancelled, and its course are copied so "is this person trained on day D" is one index probe
/// (`TrainingService.saveClass` keeps the copies in step when a class changes).
package final class Participation: Model, @unchecked Sendable {
    package static let schema = "participations"

    @ID(key: .id) package var id: UUID?
    @Field(key: "class_id") package var classID: UUID
    @Field(key: "person_id") package var personID: UUID
    @Field(key: "organiser_id") package var organiserID: UUID
    @Field(key: "course_id") package var courseID: UUID
    @Field(key: "class_end") package var classEnd: String
    @Field(key: "class_cancelled") package var classCancelled: Bool
    /// Sessions (buổi) attended, when the organiser keeps count.
    @OptionalField(key: "attended") package var attended: Int?
    @OptionalField(key: "result") package var result: String?
    @OptionalField(key: "score") package var score: Double?
    @OptionalField(key: "certificate_number") package var certificateNumber: String?
    @OptionalField(key: "certificate_date") package var certificateDate: String?
    /// Why the organiser counts as completed a learner below the course's minimum attendance.
    @OptionalField(key: "completion_reason") package var completionReason: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package var trainingResult: TrainingResult? { result.flatMap(TrainingResult.init(rawValue:)) }
}

package struct CreateParticipations: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(Participation.schema)
            .id()
            .field("class_id", .uuid, .required, .references(TrainingClass.schema, .id))
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("organiser_id", .uuid, .required)
            .field("course_id", .uuid, .required, .references(Course.schema, .id))
            .field("class_end", .string, .required)
            .field("class_cancelled", .bool, .required)
            .field("attended", .int)
            .field("result", .string)
            .field("score", .double)
            .field("certificate_number", .string)
            .field("certificate_date", .string)
            .field("created_at", .datetime)
            .unique(on: "class_id", "person_id")
            .unique(on: "organiser_id", "certificate_number")
            .create()
        // "Who is trained" starts from a person and looks for a completed class.
        try await SQLText.index(database, "participations_person", on: Participation.schema,
                                ["person_id", "result", "class_cancelled", "class_end", "course_id"])
        try await SQLText.index(database, "participations_class", on: Participation.schema, ["class_id"])
    }

    package func revert(on database: any Database) async throws { try await database.schema(Participation.schema).delete() }
}

/// Nhu cầu đào tạo: what a person wants to learn, surveyed to plan classes.
package final class TrainingNeed: Model, @unchecked Sendable {
    package static let schema = "training_needs"

    @ID(key: .id) package var id: UUID?
    @Field(key: "person_id") package var personID: UUID
    @Field(key: "topic") package var topic: String
    @Field(key: "topic_key") package var topicKey: String
    @Field(key: "wanted_kind") package var wantedKind: String
    @OptionalField(key: "wanted_level") package var wantedLevel: String?
    @Field(key: "priority") package var priority: String
    @Field(key: "year") package var year: Int
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}
}

package struct CreateTrainingNeeds: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(TrainingNeed.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("topic", .string, .required)
            .field("topic_key", .string, .required)
            .field("wanted_kind", .string, .required)
            .field("wanted_level", .string)
            .field("priority", .string, .required)
            .field("year", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "person_id", "topic_key", "year")
            .create()
    }

    package func revert(on database: any Database) async throws { try await database.schema(TrainingNeed.schema).delete() }
}
