import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletWorkforce

/// What a plan's people do between reports (seeds' "Tổ chức thực hiện"): communication, events,
/// conferences, supervision visits, the collaborators' monthly briefings, steering-board meetings.
enum ActivityKind: String, Codable, CaseIterable, Sendable, Choice {
    case communication, event, conference, supervision, briefing, meeting

    var label: String {
        switch self {
        case .communication: return "Truyền thông"
        case .event: return "Sự kiện (Ngày Công tác xã hội, Ngày Gia đình Việt Nam…)"
        case .conference: return "Hội nghị, hội thảo"
        case .supervision: return "Kiểm tra, giám sát"
        case .briefing: return "Giao ban cộng tác viên"
        case .meeting: return "Họp ban chỉ đạo, tổ công tác"
        }
    }
}

final class PlanActivity: Model, @unchecked Sendable {
    static let schema = "plan_activities"
    @ID(key: .id) var id: UUID?
    @Field(key: "plan_id") var planID: UUID
    @OptionalField(key: "task_id") var taskID: UUID?
    /// A steering board's or working group's meeting.
    @OptionalField(key: "board_id") var boardID: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "held_on") var heldOn: String
    @OptionalField(key: "ends_on") var endsOn: String?
    /// Where it happened, which decides who sees it (the unit's subtree).
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "unit_path") var unitPath: String
    @OptionalField(key: "place") var place: String?
    @OptionalField(key: "organiser") var organiser: String?
    @OptionalField(key: "male") var male: Int?
    @OptionalField(key: "female") var female: Int?
    /// People reached beyond those present (a broadcast's audience, leaflets handed out).
    @OptionalField(key: "reached") var reached: Int?
    @OptionalField(key: "spent_central") var spentCentral: Int64?
    @OptionalField(key: "spent_local") var spentLocal: Int64?
    @OptionalField(key: "spent_other") var spentOther: Int64?
    @OptionalField(key: "outputs") var outputs: String?
    /// A visit's findings, a briefing's issues raised.
    @OptionalField(key: "findings") var findings: String?
    @OptionalField(key: "decisions") var decisions: String?
    @Field(key: "recorded_by") var recordedBy: String
    @Field(key: "recorded_on") var recordedOn: String
    init() {}
}

/// Someone of the register who took part (a briefing's collaborators, a board's members present).
final class ActivityPerson: Model, @unchecked Sendable {
    static let schema = "plan_activity_people"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "person_id") var personID: UUID
    init() {}
}

/// What a visit asks to be done, by when, and when it was done.
final class ActivityFollowUp: Model, @unchecked Sendable {
    static let schema = "plan_activity_followups"
    @ID(key: .id) var id: UUID?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "text") var text: String
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "closed_on") var closedOn: String?
    @OptionalField(key: "closing_note") var closingNote: String?
    init() {}
}

struct CreatePlanActivities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PlanActivity.schema).id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .field("task_id", .uuid).field("board_id", .uuid).field("kind", .string, .required).field("title", .string, .required)
            .field("held_on", .string, .required).field("ends_on", .string)
            .field("unit_code", .string, .required).field("unit_path", .string, .required)
            .field("place", .string).field("organiser", .string).field("male", .int).field("female", .int).field("reached", .int)
            .field("spent_central", .int64).field("spent_local", .int64).field("spent_other", .int64)
            .field("outputs", .string).field("findings", .string).field("decisions", .string)
            .field("recorded_by", .string, .required).field("recorded_on", .string, .required)
            .create()
        try await SQLText.index(database, "plan_activities_plan", on: PlanActivity.schema, ["plan_id", "held_on"])
        try await SQLText.index(database, "plan_activities_unit", on: PlanActivity.schema, ["unit_path", "held_on"])
        try await database.schema(ActivityPerson.schema).id()
            .field("activity_id", .uuid, .required, .references(PlanActivity.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .unique(on: "activity_id", "person_id").create()
        try await database.schema(ActivityFollowUp.schema).id()
            .field("activity_id", .uuid, .required, .references(PlanActivity.schema, .id, onDelete: .cascade))
            .field("text", .string, .required).field("due_on", .string, .required)
            .field("closed_on", .string).field("closing_note", .string).create()
        try await SQLText.index(database, "plan_activity_followups_activity", on: ActivityFollowUp.schema, ["activity_id"])
    }

    func revert(on database: any Database) async throws {
        for schema in [ActivityFollowUp.schema, ActivityPerson.schema, PlanActivity.schema] { try await database.schema(schema).delete() }
    }
}

struct FollowUpInput: Content { var text: String?; var dueOn: String? }

struct ActivityInput: Content {
    var kind: String?
    var title: String?
    var taskId: UUID?
    var boardId: UUID?
    var heldOn: String?
    var endsOn: String?
    var unitCode: String?
    var place: String?
    var organiser: String?
    var male: Int?
    var female: Int?
    var reached: Int?
    var spentCentral: Int64?
    var spentLocal: Int64?
    var spentOther: Int64?
    var outputs: String?
    var findings: String?
    var decisions: String?
    var personIds: [UUID]?
    var followUps: [FollowUpInput]?
}

struct ActivityDTO: Content {
    struct Attendee: Content { var id: UUID; var fullName: String }
    struct FollowUp: Content { var id: UUID?; var text: String; var dueOn: String; var closedOn: String?; var closingNote: String?; var state: String; var stateLabel: String }
    var id: UUID?
    var planId: UUID
    var taskId: UUID?
    var task: String?
    var boardId: UUID?
    var board: String?
    var kind: String
    var kindLabel: String
    var title: String
    var heldOn: String
    var endsOn: String?
    var unitCode: String
    var unitName: String
    var place: String?
    var organiser: String?
    var male: Int?
    var female: Int?
    var participants: Int
    var reached: Int?
    var spentCentral: Int64?
    var spentLocal: Int64?
    var spentOther: Int64?
    var spent: Int64
    var outputs: String?
    var findings: String?
    var decisions: String?
    var people: [Attendee]
    var followUps: [FollowUp]
    var files: [AttachmentDTO]
    var recordedBy: String
    var recordedOn: String
}
