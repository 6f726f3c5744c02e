import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletWorkforce

/// A steering board or working group that coordinates the agencies running a plan (170/KH-UBND's
/// Ban Chỉ đạo). Its members are dated, so who sat on it on a day is known; its meetings are the
/// plan's activities of kind `meeting`.
package final class SteeringBoard: Model, @unchecked Sendable {
    package static let schema = "steering_boards"
    @ID(key: .id) package var id: UUID?
    @Field(key: "plan_id") package var planID: UUID
    @Field(key: "name") package var name: String
    @Field(key: "unit_code") package var unitCode: String
    @Field(key: "unit_path") package var unitPath: String
    /// The decision that set it up ("Quyết định số 1234/QĐ-UBND ngày 15/6/2021").
    @OptionalField(key: "decision") package var decision: String?
    @OptionalField(key: "established_on") package var establishedOn: String?
    package init() {}
}

package enum BoardRole: String, Codable, CaseIterable, Sendable, Choice {
    case head, deputy, member, secretary
    package var label: String {
        switch self {
        case .head: return "Trưởng ban"
        case .deputy: return "Phó Trưởng ban"
        case .member: return "Thành viên"
        case .secretary: return "Thư ký, tổ giúp việc"
        }
    }
}

/// A seat on the board, held by a person of the register or by whoever holds a title at an agency.
package final class BoardMember: Model, @unchecked Sendable {
    package static let schema = "steering_board_members"
    @ID(key: .id) package var id: UUID?
    @Field(key: "board_id") package var boardID: UUID
    @OptionalField(key: "person_id") package var personID: UUID?
    @OptionalField(key: "title") package var title: String?
    @OptionalField(key: "organisation_id") package var organisationID: UUID?
    @Field(key: "role") package var role: String
    @Field(key: "from_on") package var fromOn: String
    @OptionalField(key: "to_on") package var toOn: String?
    package init() {}
}

package struct CreateSteeringBoards: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(SteeringBoard.schema).id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .field("name", .string, .required).field("unit_code", .string, .required).field("unit_path", .string, .required)
            .field("decision", .string).field("established_on", .string).create()
        try await database.schema(BoardMember.schema).id()
            .field("board_id", .uuid, .required, .references(SteeringBoard.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .references(Person.schema, .id, onDelete: .cascade))
            .field("title", .string).field("organisation_id", .uuid).field("role", .string, .required)
            .field("from_on", .string, .required).field("to_on", .string).create()
        try await SQLText.index(database, "steering_board_members_board", on: BoardMember.schema, ["board_id"])
    }
    package func revert(on database: any Database) async throws {
        try await database.schema(BoardMember.schema).delete()
        try await database.schema(SteeringBoard.schema).delete()
    }
}

package struct BoardInput: Content {
    package var name: String?
    package var unitCode: String?
    package var decision: String?
    package var establishedOn: String?
    package init(name: String? = nil, unitCode: String? = nil, decision: String? = nil, establishedOn: String? = nil) {
        (self.name, self.unitCode, self.decision, self.establishedOn) = (name, unitCode, decision, establishedOn)
    }
}
package struct MemberInput: Content {
    package var personId: UUID?
    package var title: String?
    package var organisationId: UUID?
    package var role: String?
    package var fromOn: String?
    package var toOn: String?
    package init(personId: UUID? = nil, title: String? = nil, organisationId: UUID? = nil, role: String? = nil,
                 fromOn: String? = nil, toOn: String? = nil) {
        (self.personId, self.title, self.organisationId, self.role) = (personId, title, organisationId, role)
        (self.fromOn, self.toOn) = (fromOn, toOn)
    }
}
package struct MemberEnd: Content {
    package var toOn: String?
    package init(toOn: String? = nil) {
        self.toOn = toOn
    }
}

package struct BoardDTO: Content {
    package struct Member: Content {
        package var id: UUID?
        package var personId: UUID?
        package var name: String
        package var role: String
        package var roleLabel: String
        package var fromOn: String
        package var toOn: String?
        package var current: Bool

        package init(id: UUID? = nil, personId: UUID? = nil, name: String, role: String, roleLabel: String, fromOn: String,
                     toOn: String? = nil, current: Bool) {
            (self.id, self.personId, self.name, self.role) = (id, personId, name, role)
            (self.roleLabel, self.fromOn, self.toOn, self.current) = (roleLabel, fromOn, toOn, current)
        }
    }
    package struct Meeting: Content {
        package var id: UUID?
        package var title: String
        package var heldOn: String
        package var participants: Int
        package init(id: UUID? = nil, title: String, heldOn: String, participants: Int) {
            (self.id, self.title, self.heldOn, self.participants) = (id, title, heldOn, participants)
        }
    }
    package var id: UUID?
    package var planId: UUID
    package var name: String
    package var unitCode: String
    package var unitName: String
    package var decision: String?
    package var establishedOn: String?
    package var members: [Member]
    package var meetings: [Meeting]

    package init(id: UUID? = nil, planId: UUID, name: String, unitCode: String, unitName: String, decision: String? = nil,
                 establishedOn: String? = nil, members: [Member], meetings: [Meeting]) {
        (self.id, self.planId, self.name, self.unitCode) = (id, planId, name, unitCode)
        (self.unitName, self.decision, self.establishedOn, self.members) = (unitName, decision, establishedOn, members)
        self.meetings = meetings
    }
}
