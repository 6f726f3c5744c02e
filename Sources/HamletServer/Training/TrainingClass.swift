import Vapor
import Fluent
import HamletWeb
import HamletDatabase
import HamletOrganisations

/// One run of a course: who organises it, where, when, for how many, and at what cost.
final class TrainingClass: Model, @unchecked Sendable {
    static let schema = "training_classes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "course_id") var course: Course
    @Field(key: "organiser_id") var organiserID: UUID
    /// Partners as written (e.g. "Trường Đại học Lao động - Xã hội").
    @OptionalField(key: "partners") var partners: String?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "unit_path") var unitPath: String
    @Field(key: "start_date") var startDate: String
    @Field(key: "end_date") var endDate: String
    @OptionalField(key: "capacity") var capacity: Int?
    @Field(key: "status") var status: String
    @OptionalField(key: "plan_task_id") var planTaskID: UUID?
    @OptionalField(key: "note") var note: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var classStatus: ClassStatus { ClassStatus(rawValue: status) ?? .planned }
}

/// Kinh phí of a class by funding source: planned and spent, in đồng.
final class ClassBudgetLine: Model, @unchecked Sendable {
    static let schema = "class_budget_lines"

    @ID(key: .id) var id: UUID?
    @Field(key: "class_id") var classID: UUID
    @Field(key: "source") var source: String
    @Field(key: "planned") var planned: Int64
    @Field(key: "spent") var spent: Int64

    init() {}
}

/// How an organiser numbers its certificates, e.g. "{n}/{year}/GCN-SLĐTBXH".
final class CertificateSeries: Model, @unchecked Sendable {
    static let schema = "certificate_series"

    @ID(key: .id) var id: UUID?
    @Field(key: "organiser_id") var organiserID: UUID
    @Field(key: "pattern") var pattern: String
    @Field(key: "next_number") var nextNumber: Int

    init() {}
}

struct CreateTrainingClasses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TrainingClass.schema)
            .id()
            .field("course_id", .uuid, .required, .references(Course.schema, .id))
            .field("organiser_id", .uuid, .required, .references(Organisation.schema, .id))
            .field("partners", .string)
            .field("unit_code", .string, .required)
            .field("unit_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("start_date", .string, .required)
            .field("end_date", .string, .required)
            .field("capacity", .int)
            .field("status", .string, .required)
            .field("plan_task_id", .uuid)
            .field("note", .string)
            .field("created_at", .datetime)
            .create()
        try await SQLText.index(database, "training_classes_place", on: TrainingClass.schema, ["unit_path"])
        try await SQLText.index(database, "training_classes_end", on: TrainingClass.schema, ["end_date"])
        try await database.schema(ClassBudgetLine.schema)
            .id()
            .field("class_id", .uuid, .required, .references(TrainingClass.schema, .id, onDelete: .cascade))
            .field("source", .string, .required)
            .field("planned", .int64, .required)
            .field("spent", .int64, .required)
            .unique(on: "class_id", "source")
            .create()
        try await database.schema(CertificateSeries.schema)
            .id()
            .field("organiser_id", .uuid, .required, .references(Organisation.schema, .id))
            .field("pattern", .string, .required)
            .field("next_number", .int, .required)
            .unique(on: "organiser_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CertificateSeries.schema).delete()
        try await database.schema(ClassBudgetLine.schema).delete()
        try await database.schema(TrainingClass.schema).delete()
    }
}
