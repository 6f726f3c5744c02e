import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase

/// One reporting unit's report of one form for one period: its status on the way up, and the
/// version every save must name (two people editing: the stale save is refused, not merged).
package final class Report: Model, @unchecked Sendable {
    package static let schema = "reports"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "data_set_id") package var dataSet: DataSet
    /// A 2025 unit's code, or a facility's id.
    @Field(key: "org_code") package var orgCode: String
    /// "unit" or "facility".
    @Field(key: "org_kind") package var orgKind: String
    /// The 2025 path the report sits at (a facility's: its unit's), for scope checks.
    @Field(key: "org_path") package var orgPath: String
    @Field(key: "period") package var period: String
    /// A `ReportStatus` raw value.
    @Field(key: "status") package var status: String
    @Field(key: "version") package var version: Int
    /// The day of the first submission: timeliness judges this one.
    @OptionalField(key: "first_submitted_on") package var firstSubmittedOn: String?
    @OptionalField(key: "submitted_at") package var submittedAt: Date?
    @OptionalField(key: "submitted_by") package var submittedBy: UUID?
    @OptionalField(key: "decided_at") package var decidedAt: Date?
    @OptionalField(key: "decided_by") package var decidedBy: UUID?
    @OptionalField(key: "comment") package var comment: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?
    /// Listed, not found by reflection per row (see `Person.properties`; `ModelPropertiesTests`).
    package var properties: [any AnyProperty] { [$id, $dataSet, $orgCode, $orgKind, $orgPath, $period, $status, $version, $firstSubmittedOn, $submittedAt, $submittedBy, $decidedAt, $decidedBy, $comment, $createdAt, $updatedAt] }

    package init() {}

    package var state: ReportStatus { ReportStatus(rawValue: status) ?? .draft }
}

/// One reported number (or text): element × category combination × period × reporting unit.
/// `unit_path` is where it counts: the 2025 path, for a legacy unit its default successor's,
/// so totals over the new tree add legacy data in without rewriting it.
package final class DataValue: Model, @unchecked Sendable {
    package static let schema = "data_values"

    /// An integer, appended in order (see `NumberDataValues`).
    @ID(custom: "id", generatedBy: .database) package var id: Int?
    @Field(key: "element_id") package var elementID: UUID
    @Field(key: "combo") package var combo: String
    @Field(key: "period") package var period: String
    @Field(key: "period_start") package var periodStart: String
    @Field(key: "period_end") package var periodEnd: String
    /// "2025", "legacy" or "facility".
    @Field(key: "org_structure") package var orgStructure: String
    @Field(key: "org_code") package var orgCode: String
    @Field(key: "unit_path") package var unitPath: String
    @Field(key: "value") package var value: String
    @OptionalField(key: "number") package var number: Double?
    @OptionalField(key: "stored_by") package var storedBy: UUID?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}
}

/// A client's id for one submission: the same id again is the same submission (a retry after a
/// timeout), never a second one; the same id with other content is refused.
package final class ClientSubmission: Model, @unchecked Sendable {
    package static let schema = "client_submissions"

    @ID(key: .id) package var id: UUID?
    @Field(key: "client_id") package var clientID: String
    @Field(key: "report_id") package var reportID: UUID
    @Field(key: "digest") package var digest: String
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}
}

package struct CreateReports: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(Report.schema)
            .id()
            .field("data_set_id", .uuid, .required, .references(DataSet.schema, "id"))
            .field("org_code", .string, .required)
            .field("org_kind", .string, .required)
            .field("org_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("period", .string, .required)
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("first_submitted_on", .string)
            .field("submitted_at", .datetime)
            .field("submitted_by", .uuid)
            .field("decided_at", .datetime)
            .field("decided_by", .uuid)
            .field("comment", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "data_set_id", "org_kind", "org_code", "period")
            .create()
        try await SQLText.index(database, "reports_place", on: Report.schema, ["data_set_id", "org_path", "period"])
        try await database.schema(DataValue.schema)
            .id()
            .field("element_id", .uuid, .required, .references(DataElement.schema, "id"))
            .field("combo", .string, .required)
            .field("period", .string, .required)
            .field("period_start", .string, .required)
            .field("period_end", .string, .required)
            .field("org_structure", .string, .required)
            .field("org_code", .string, .required)
            .field("unit_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("value", .string, .required)
            .field("number", .double)
            .field("stored_by", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "element_id", "combo", "period", "org_structure", "org_code")
            .create()
        // Totals read one element over a subtree and a span of periods, and need nothing else.
        try await SQLText.index(database, "data_values_place", on: DataValue.schema,
                                ["element_id", "unit_path", "period_start", "period_end", "combo", "number"])
        try await SQLText.index(database, "data_values_org", on: DataValue.schema, ["org_code", "period"])
        try await database.schema(ClientSubmission.schema)
            .id()
            .field("client_id", .string, .required)
            .field("report_id", .uuid, .required, .references(Report.schema, "id"))
            .field("digest", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "client_id")
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(ClientSubmission.schema).delete()
        try await database.schema(DataValue.schema).delete()
        try await database.schema(Report.schema).delete()
    }
}
