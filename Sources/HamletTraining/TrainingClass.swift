import Vapor
import Fluent
import HamletWeb
import HamletDatabase
import HamletOrganisations

/// One run of a course: who organises it, where, when, for how many, and at what cost.
package final class TrainingClass: Model, @unchecked Sendable {
    package static let schema = "training_classes"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "course_id") package var course: Course
    @Field(key: "organiser_id") package var organiserID: UUID
    /// Partners as written (e.g. "Trường Đại học Lao động - Xã hội").
    @OptionalField(key: "partners") package var partners: String?
    @Field(key: "unit_code") package var unitCode: String
    @Field(key: "unit_path") package var unitPath: String
    @Field(key: "start_date") package var startDate: String
    @Field(key: "end_date") package var endDate: String
    @OptionalField(key: "capacity") package var capacity: Int?
    @Field(key: "status") package var status: String
    @OptionalField(key: "plan_task_id") package var planTaskID: UUID?
    @OptionalField(key: "note") package var note: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package var classStatus: ClassStatus { ClassStatus(rawValue: status) ?? .planned }
}

/// Kinh phí of a class by funding source: planned and spent, in đồng.
package final class ClassBudgetLine: Model, @unchecked Sendable {
    package static let schema = "class_budget_lines"

    @ID(key: .id) package var id: UUID?
    @Field(key: "class_id") package var classID: UUID
    @Field(key: "source") package var source: String
    @Field(key: "planned") package var planned: Int64
    @Field(key: "spent") package var spent: Int64

    package init() {}
}

/// How an organiser numbers its certificates, e.g. "{n}/{year}/GCN-SLĐTBXH".
package final class CertificateSeries: Model, @unchecked Sendable {
    package static let schema = "certificate_series"

    @ID(key: .id) package var id: UUID?
    @Field(key: "organiser_id") package var organiserID: UUID
    @Field(key: "pattern") package var pattern: String
    @Field(key: "next_number") package var nextNumber: Int

    package init() {}
}

package struct CreateTrainingClasses: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
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

    package func revert(on database: any Database) async throws {
        try await database.schema(CertificateSeries.schema).delete()
        try await database.schema(ClassBudgetLine.schema).delete()
        try await database.schema(TrainingClass.schema).delete()
    }
}
