import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletWorkforce

/// A steering board or working group that coordinates the agencies running a plan (170/KH-UBND's
/// Ban Chỉ đạo). Its members are dated, so who sat on it on a day is known; its meetings are the
/// plan's activities of kind `meeting`.
final class SteeringBoard: Model, @unchecked Sendable {
    static let schema = "steering_boards"
    @ID(key: .id) var id: UUID?
    @Field(key: "plan_id") var planID: UUID
    @Field(key: "name") var name: String
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "unit_path") var unitPath: String
    /// The decision that set it up ("Quyết định số 1234/QĐ-UBND ngày 15/6/2021").
    @OptionalField(key: "decision") var decision: String?
    @OptionalField(key: "established_on") var establishedOn: String?
    init() {}
}

enum BoardRole: String, Codable, CaseIterable, Sendable, Choice {
    case head, deputy, member, secretary
    var label: String {
        switch self {
        case .head: return "Trưởng ban"
        case .deputy: return "Phó Trưởng ban"
        case .member: return "Thành viên"
        case .secretary: return "Thư ký, tổ giúp việc"
        }
    }
}

/// A seat on the board, held by a person of the register or by whoever holds a title at an agency.
final class BoardMember: Model, @unchecked Sendable {
    static let schema = "steering_board_members"
    @ID(key: .id) var id: UUID?
    @Field(key: "board_id") var boardID: UUID
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "title") var title: String?
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @Field(key: "role") var role: String
    @Field(key: "from_on") var fromOn: String
    @OptionalField(key: "to_on") var toOn: String?
    init() {}
}

struct CreateSteeringBoards: AsyncMigration {
    func prepare(on database: any Database) async throws {
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
    func revert(on database: any Database) async throws {
        try await database.schema(BoardMember.schema).delete()
        try await database.schema(SteeringBoard.schema).delete()
    }
}

struct BoardInput: Content { var name: String?; var unitCode: String?; var decision: String?; var establishedOn: String? }
struct MemberInput: Content { var personId: UUID?; var title: String?; var organisationId: UUID?; var role: String?; var fromOn: String?; var toOn: String? }
struct MemberEnd: Content { var toOn: String? }

struct BoardDTO: Content {
    struct Member: Content {
        var id: UUID?; var personId: UUID?; var name: String; var role: String; var roleLabel: String; var fromOn: String; var toOn: String?; var current: Bool
    }
    struct Meeting: Content { var id: UUID?; var title: String; var heldOn: String; var participants: Int }
    var id: UUID?
    var planId: UUID
    var name: String
    var unitCode: String
    var unitName: String
    var decision: String?
    var establishedOn: String?
    var members: [Member]
    var meetings: [Meeting]
}
