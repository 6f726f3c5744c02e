import Vapor
import Fluent
import HamletWeb
import HamletDatabase
import HamletWorkforce

/// A person enrolled in a class, and how it went. The organiser is copied here so a certificate
/// number is unique per organiser by a plain unique index; the class's end, whether it was
/// cancelled, and its course are copied so "is this person trained on day D" is one index probe
/// (`TrainingService.saveClass` keeps the copies in step when a class changes).
final class Participation: Model, @unchecked Sendable {
    static let schema = "participations"

    @ID(key: .id) var id: UUID?
    @Field(key: "class_id") var classID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "organiser_id") var organiserID: UUID
    @Field(key: "course_id") var courseID: UUID
    @Field(key: "class_end") var classEnd: String
    @Field(key: "class_cancelled") var classCancelled: Bool
    /// Sessions (buổi) attended, when the organiser keeps count.
    @OptionalField(key: "attended") var attended: Int?
    @OptionalField(key: "result") var result: String?
    @OptionalField(key: "score") var score: Double?
    @OptionalField(key: "certificate_number") var certificateNumber: String?
    @OptionalField(key: "certificate_date") var certificateDate: String?
    /// Why the organiser counts as completed a learner below the course's minimum attendance.
    @OptionalField(key: "completion_reason") var completionReason: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var trainingResult: TrainingResult? { result.flatMap(TrainingResult.init(rawValue:)) }
}

struct CreateParticipations: AsyncMigration {
    func prepare(on database: any Database) async throws {
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

    func revert(on database: any Database) async throws { try await database.schema(Participation.schema).delete() }
}

/// Nhu cầu đào tạo: what a person wants to learn, surveyed to plan classes.
final class TrainingNeed: Model, @unchecked Sendable {
    static let schema = "training_needs"

    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "topic") var topic: String
    @Field(key: "topic_key") var topicKey: String
    @Field(key: "wanted_kind") var wantedKind: String
    @OptionalField(key: "wanted_level") var wantedLevel: String?
    @Field(key: "priority") var priority: String
    @Field(key: "year") var year: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

struct CreateTrainingNeeds: AsyncMigration {
    func prepare(on database: any Database) async throws {
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

    func revert(on database: any Database) async throws { try await database.schema(TrainingNeed.schema).delete() }
}
