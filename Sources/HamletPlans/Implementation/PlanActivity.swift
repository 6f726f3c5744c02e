import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletWorkforce

/// What a plan's people do between reports (seeds' "Tổ chức thực hiện"): communication, events,
/// conferences, supervision visits, the collaborators' monthly briefings, steering-board meetings.
package enum ActivityKind: String, Codable, CaseIterable, Sendable, Choice {
    case communication, event, conference, supervision, briefing, meeting

    package var label: String {
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

package final class PlanActivity: Model, @unchecked Sendable {
    package static let schema = "plan_activities"
    @ID(key: .id) package var id: UUID?
    @Field(key: "plan_id") package var planID: UUID
    @OptionalField(key: "task_id") package var taskID: UUID?
    /// A steering board's or working group's meeting.
    @OptionalField(key: "board_id") package var boardID: UUID?
    @Field(key: "kind") package var kind: String
    @Field(key: "title") package var title: String
    @Field(key: "held_on") package var heldOn: String
    @OptionalField(key: "ends_on") package var endsOn: String?
    /// Where it happened, which decides who sees it (the unit's subtree).
    @Field(key: "unit_code") package var unitCode: String
    @Field(key: "unit_path") package var unitPath: String
    @OptionalField(key: "place") package var place: String?
    @OptionalField(key: "organiser") package var organiser: String?
    @OptionalField(key: "male") package var male: Int?
    @OptionalField(key: "female") package var female: Int?
    /// People reached beyond those present (a broadcast's audience, leaflets handed out).
    @OptionalField(key: "reached") package var reached: Int?
    @OptionalField(key: "spent_central") package var spentCentral: Int64?
    @OptionalField(key: "spent_local") package var spentLocal: Int64?
    @OptionalField(key: "spent_other") package var spentOther: Int64?
    @OptionalField(key: "outputs") package var outputs: String?
    /// A visit's findings, a briefing's issues raised.
    @OptionalField(key: "findings") package var findings: String?
    @OptionalField(key: "decisions") package var decisions: String?
    @Field(key: "recorded_by") package var recordedBy: String
    @Field(key: "recorded_on") package var recordedOn: String
    package init() {}
}

/// Someone of the register who took part (a briefing's collaborators, a board's members present).
package final class ActivityPerson: Model, @unchecked Sendable {
    package static let schema = "plan_activity_people"
    @ID(key: .id) package var id: UUID?
    @Field(key: "activity_id") package var activityID: UUID
    @Field(key: "person_id") package var personID: UUID
    package init() {}
}

/// What a visit asks to be done, by when, and when it was done.
package final class ActivityFollowUp: Model, @unchecked Sendable {
    package static let schema = "plan_activity_followups"
    @ID(key: .id) package var id: UUID?
    @Field(key: "activity_id") package var activityID: UUID
    @Field(key: "text") package var text: String
    @Field(key: "due_on") package var dueOn: String
    @OptionalField(key: "closed_on") package var closedOn: String?
    @OptionalField(key: "closing_note") package var closingNote: String?
    package init() {}
}

package struct CreatePlanActivities: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
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

    package func revert(on database: any Database) async throws {
        for schema in [ActivityFollowUp.schema, ActivityPerson.schema, PlanActivity.schema] { try await database.schema(schema).delete() }
    }
}

package struct FollowUpInput: Content {
    package var text: String?
    package var dueOn: String?
    package init(text: String? = nil, dueOn: String? = nil) {
        self.text = text
        self.dueOn = dueOn
    }
}

package struct ActivityInput: Content {
    package var kind: String?
    package var title: String?
    package var taskId: UUID?
    package var boardId: UUID?
    package var heldOn: String?
    package var endsOn: String?
    package var unitCode: String?
    package var place: String?
    package var organiser: String?
    package var male: Int?
    package var female: Int?
    package var reached: Int?
    package var spentCentral: Int64?
    package var spentLocal: Int64?
    package var spentOther: Int64?
    package var outputs: String?
    package var findings: String?
    package var decisions: String?
    package var personIds: [UUID]?
    package var followUps: [FollowUpInput]?

    package init(kind: String? = nil, title: String? = nil, taskId: UUID? = nil, boardId: UUID? = nil, heldOn: String? = nil,
                 endsOn: String? = nil, unitCode: String? = nil, place: String? = nil, organiser: String? = nil, male: Int? = nil,
                 female: Int? = nil, reached: Int? = nil, spentCentral: Int64? = nil, spentLocal: Int64? = nil,
                 spentOther: Int64? = nil, outputs: String? = nil, findings: String? = nil, decisions: String? = nil,
                 personIds: [UUID]? = nil, followUps: [FollowUpInput]? = nil) {
        (self.kind, self.title, self.taskId, self.boardId) = (kind, title, taskId, boardId)
        (self.heldOn, self.endsOn, self.unitCode, self.place) = (heldOn, endsOn, unitCode, place)
        (self.organiser, self.male, self.female, self.reached) = (organiser, male, female, reached)
        (self.spentCentral, self.spentLocal, self.spentOther, self.outputs) = (spentCentral, spentLocal, spentOther, outputs)
        (self.findings, self.decisions, self.personIds, self.followUps) = (findings, decisions, personIds, followUps)
    }
}

package struct ActivityDTO: Content {
    package struct Attendee: Content {
        package var id: UUID
        package var fullName: String
        package init(id: UUID, fullName: String) {
            self.id = id
            self.fullName = fullName
        }
    }
    package struct FollowUp: Content {
        package var id: UUID?
        package var text: String
        package var dueOn: String
        package var closedOn: String?
        package var closingNote: String?
        package var state: String
        package var stateLabel: String
        package init(id: UUID? = nil, text: String, dueOn: String, closedOn: String? = nil, closingNote: String? = nil,
                     state: String, stateLabel: String) {
            (self.id, self.text, self.dueOn, self.closedOn) = (id, text, dueOn, closedOn)
            (self.closingNote, self.state, self.stateLabel) = (closingNote, state, stateLabel)
        }
    }
    package var id: UUID?
    package var planId: UUID
    package var taskId: UUID?
    package var task: String?
    package var boardId: UUID?
    package var board: String?
    package var kind: String
    package var kindLabel: String
    package var title: String
    package var heldOn: String
    package var endsOn: String?
    package var unitCode: String
    package var unitName: String
    package var place: String?
    package var organiser: String?
    package var male: Int?
    package var female: Int?
    package var participants: Int
    package var reached: Int?
    package var spentCentral: Int64?
    package var spentLocal: Int64?
    package var spentOther: Int64?
    package var spent: Int64
    package var outputs: String?
    package var findings: String?
    package var decisions: String?
    package var people: [Attendee]
    package var followUps: [FollowUp]
    package var files: [AttachmentDTO]
    package var recordedBy: String
    package var recordedOn: String

    package init(id: UUID? = nil, planId: UUID, taskId: UUID? = nil, task: String? = nil, boardId: UUID? = nil,
                 board: String? = nil, kind: String, kindLabel: String, title: String, heldOn: String, endsOn: String? = nil,
                 unitCode: String, unitName: String, place: String? = nil, organiser: String? = nil, male: Int? = nil,
                 female: Int? = nil, participants: Int, reached: Int? = nil, spentCentral: Int64? = nil, spentLocal: Int64? = nil,
                 spentOther: Int64? = nil, spent: Int64, outputs: String? = nil, findings: String? = nil,
                 decisions: String? = nil, people: [Attendee], followUps: [FollowUp], files: [AttachmentDTO], recordedBy: String,
                 recordedOn: String) {
        (self.id, self.planId, self.taskId, self.task) = (id, planId, taskId, task)
        (self.boardId, self.board, self.kind, self.kindLabel) = (boardId, board, kind, kindLabel)
        (self.title, self.heldOn, self.endsOn, self.unitCode) = (title, heldOn, endsOn, unitCode)
        (self.unitName, self.place, self.organiser, self.male) = (unitName, place, organiser, male)
        (self.female, self.participants, self.reached, self.spentCentral) = (female, participants, reached, spentCentral)
        (self.spentLocal, self.spentOther, self.spent, self.outputs) = (spentLocal, spentOther, spent, outputs)
        (self.findings, self.decisions, self.people, self.followUps) = (findings, decisions, people, followUps)
        (self.files, self.recordedBy, self.recordedOn) = (files, recordedBy, recordedOn)
    }
}
