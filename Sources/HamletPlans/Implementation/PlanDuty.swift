import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletOrganisations

/// Who owes a plan's report: the People's Committees of a level inside the plan's scope, named
/// agencies or facilities, or every facility of a type.
package enum DutyReporters: String, Codable, CaseIterable, Sendable, Choice {
    case communes, province, organisations, facilityType = "facility-type"
    package var label: String {
        switch self {
        case .communes: "UBND các xã, phường"
        case .province: "UBND tỉnh"
        case .organisations: "Các cơ quan, cơ sở được chọn"
        case .facilityType: "Các cơ sở cùng loại"
        }
    }
}

/// A reporting duty a plan names ("UBND các xã báo cáo kết quả về Sở Y tế trước ngày 30/11 hằng
/// năm"): who, what, to whom, how often and by which day.
package final class PlanDuty: Model, @unchecked Sendable {
    package static let schema = "plan_duties"
    @ID(key: .id) package var id: UUID?
    @Field(key: "plan_id") package var planID: UUID
    /// What is reported: "Báo cáo kết quả thực hiện Kế hoạch".
    @Field(key: "title") package var title: String
    /// `DutyReporters`.
    @Field(key: "reporters") package var reporters: String
    /// The agencies' or facilities' ids (comma-separated) for `organisations`; the type's code for `facility-type`.
    @Field(key: "reporter_refs") package var reporterRefs: String
    /// The agency the reports go to (the lead department).
    @Field(key: "recipient_id") package var recipientID: UUID
    /// `DutyFrequency`.
    @Field(key: "frequency") package var frequency: String
    /// The due days as written: "30/11", "15/6; 15/12", "5" (monthly: day of the next month).
    @Field(key: "due") package var due: String
    @Field(key: "position") package var position: Int
    /// What the report holds (its template): the sections asked, comma-separated (none: all five),
    /// and the plan's targets whose figures it states, by indicator code (none: all of them).
    @OptionalField(key: "sections") package var sections: String?
    @OptionalField(key: "figure_codes") package var figureCodes: String?
    /// After the lead department accepts a report, the People's Committee of the plan's scope
    /// approves it (a department's report to the lead department, then to the Committee).
    @OptionalField(key: "committee_approves") package var committeeApproves: Bool?
    package init() {}
    /// Listed, not found by reflection per row (DECISIONS, "Hot models list their Fluent properties").
    package var properties: [any AnyProperty] {
        [$id, $planID, $title, $reporters, $reporterRefs, $recipientID, $frequency, $due, $position, $sections, $figureCodes, $committeeApproves]
    }

    package var askedSections: [String] {
        let keys = (sections ?? "").split(separator: ",").map(String.init)
        return keys.isEmpty ? SubmissionDigest.sectionTitles.map(\.0) : SubmissionDigest.sectionTitles.map(\.0).filter(keys.contains)
    }
    package var askedFigures: Set<String>? {
        let codes = (figureCodes ?? "").split(separator: ",").map(String.init)
        return codes.isEmpty ? nil : Set(codes)
    }

    package var schedule: [DutySchedule.DayMonth] { (try? DutySchedule.parseDue(due, DutyFrequency(rawValue: frequency) ?? .yearly).get()) ?? [] }
}

package enum SubmissionStatus: String, Codable, CaseIterable, Sendable, Choice {
    case draft, submitted, returned, accepted, approved
    package var label: String {
        switch self {
        case .draft: "Đang soạn"
        case .submitted: "Đã gửi"
        case .returned: "Bị trả lại"
        case .accepted: "Đã tiếp nhận"
        case .approved: "UBND đã phê duyệt"
        }
    }

    /// Accepted by the lead department, whether or not the Committee has approved since.
    package static let received = [accepted.rawValue, approved.rawValue]
}

/// One body's report on a plan for one period of a duty: the standard sections of an
/// implementation report as text, and the figures of its own scope as they stood at the period's end.
package final class PlanSubmission: Model, @unchecked Sendable {
    package static let schema = "plan_submissions"
    @ID(key: .id) package var id: UUID?
    @Field(key: "duty_id") package var dutyID: UUID
    @Field(key: "plan_id") package var planID: UUID
    /// `DutyPeriod.id`: "2025", "2025S1", "TK2025".
    @Field(key: "period") package var period: String
    /// The body: a unit code (People's Committees) or an organisation id.
    @Field(key: "body") package var body: String
    @Field(key: "body_name") package var bodyName: String
    /// Where the body sits, for scope checks.
    @Field(key: "body_path") package var bodyPath: String
    @Field(key: "status") package var status: String
    @Field(key: "results") package var results: String
    @Field(key: "limits") package var limits: String
    @Field(key: "lessons") package var lessons: String
    @Field(key: "next_tasks") package var nextTasks: String
    @Field(key: "proposals") package var proposals: String
    /// The figures as sent: JSON `[SubmissionFigure]`.
    @Field(key: "figures") package var figures: String
    @OptionalField(key: "return_reason") package var returnReason: String?
    @OptionalField(key: "first_submitted_on") package var firstSubmittedOn: String?
    @OptionalField(key: "submitted_on") package var submittedOn: String?
    @OptionalField(key: "decided_on") package var decidedOn: String?
    @OptionalField(key: "decided_by") package var decidedBy: String?
    @OptionalField(key: "approved_on") package var approvedOn: String?
    @OptionalField(key: "approved_by") package var approvedBy: String?
    @Field(key: "version") package var version: Int
    package init() {}
    /// Listed, not found by reflection per row: a tracker and a yearly report read hundreds.
    package var properties: [any AnyProperty] {
        [$id, $dutyID, $planID, $period, $body, $bodyName, $bodyPath, $status, $results, $limits, $lessons, $nextTasks, $proposals,
         $figures, $returnReason, $firstSubmittedOn, $submittedOn, $decidedOn, $decidedBy, $approvedOn, $approvedBy, $version]
    }
}

/// A figure of the body's scope, measured as of the period's end; the body may add a note.
package struct SubmissionFigure: Content, Equatable {
    package var code: String
    package var name: String
    package var value: String
    package var numerator: Double?
    package var denominator: Double?
    package var note: String?

    package init(code: String, name: String, value: String, numerator: Double? = nil, denominator: Double? = nil, note: String? = nil) {
        (self.code, self.name, self.value, self.numerator) = (code, name, value, numerator)
        (self.denominator, self.note) = (denominator, note)
    }
}

package struct CreatePlanDuties: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(PlanDuty.schema).id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .field("title", .string, .required).field("reporters", .string, .required).field("reporter_refs", .string, .required)
            .field("recipient_id", .uuid, .required, .references(Organisation.schema, .id))
            .field("frequency", .string, .required).field("due", .string, .required).field("position", .int, .required)
            .create()
        try await database.schema(PlanSubmission.schema).id()
            .field("duty_id", .uuid, .required, .references(PlanDuty.schema, .id, onDelete: .cascade))
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .field("period", .string, .required).field("body", .string, .required).field("body_name", .string, .required)
            .field("body_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("status", .string, .required)
            .field("results", .string, .required).field("limits", .string, .required).field("lessons", .string, .required)
            .field("next_tasks", .string, .required).field("proposals", .string, .required).field("figures", .string, .required)
            .field("return_reason", .string).field("first_submitted_on", .string).field("submitted_on", .string)
            .field("decided_on", .string).field("decided_by", .string).field("version", .int, .required)
            .unique(on: "duty_id", "period", "body")
            .create()
        try await SQLText.index(database, "plan_submissions_plan", on: PlanSubmission.schema, ["plan_id", "period"])
        try await SQLText.index(database, "plan_submissions_body", on: PlanSubmission.schema, ["body_path"])
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(PlanSubmission.schema).delete()
        try await database.schema(PlanDuty.schema).delete()
    }
}

/// A duty's template: which sections and which targets' figures its reports hold.
package struct AddDutyTemplates: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(PlanDuty.schema).field("sections", .string).update()
        try await database.schema(PlanDuty.schema).field("figure_codes", .string).update()
    }
    package func revert(on database: any Database) async throws {
        try await database.schema(PlanDuty.schema).deleteField("figure_codes").update()
        try await database.schema(PlanDuty.schema).deleteField("sections").update()
    }
}

/// The second level of a plan report's approval, and the People's Committee leaders who give it.
package struct AddSubmissionApproval: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        _ = try await database.enum("user_role").case("leader").update()
        try await database.schema(PlanDuty.schema).field("committee_approves", .bool).update()
        try await database.schema(PlanSubmission.schema).field("approved_on", .string).update()
        try await database.schema(PlanSubmission.schema).field("approved_by", .string).update()
    }
    package func revert(on database: any Database) async throws {
        try await database.schema(PlanSubmission.schema).deleteField("approved_by").update()
        try await database.schema(PlanSubmission.schema).deleteField("approved_on").update()
        try await database.schema(PlanDuty.schema).deleteField("committee_approves").update()
    }
}
