import Vapor
import Fluent
import HamletWeb
import HamletAccounts

/// One reminder sent (or tried) to one account about one report, by one channel. The unique key
/// (report, kind, account, channel) is what makes it go once, also with several app instances
/// running the same hour: the second insert fails and that instance moves on.
final class Reminder: Model, @unchecked Sendable {
    static let schema = "reminders"

    @ID(key: .id) var id: UUID?
    @Field(key: "data_set_code") var dataSetCode: String
    @Field(key: "org_code") var orgCode: String
    @Field(key: "period") var period: String
    /// "due" (N days before the due day) or "overdue".
    @Field(key: "kind") var kind: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "username") var username: String
    /// "email" or "sms".
    @Field(key: "channel") var channel: String
    /// "sending", "sent" or "failed" (tried again on the next run, three tries in all).
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "detail") var detail: String?
    @Field(key: "at") var at: Date

    init() {}

    var kindLabel: String { kind == "overdue" ? "Quá hạn" : "Sắp đến hạn" }
    var channelLabel: String { channel == "sms" ? "tin nhắn" : "email" }
    var statusLabel: String { status == "sent" ? "đã gửi" : status == "failed" ? "không gửi được" : "đang gửi" }
}

/// The reminders table; a form's own reminder lead (days before the due day) and the day its
/// periods close for entry; an account's choice to receive no reminder emails.
struct CreateReminders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Reminder.schema)
            .id()
            .field("data_set_code", .string, .required)
            .field("org_code", .string, .required)
            .field("period", .string, .required)
            .field("kind", .string, .required)
            .field("user_id", .uuid, .required)
            .field("username", .string, .required)
            .field("channel", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("detail", .string)
            .field("at", .datetime, .required)
            .unique(on: "data_set_code", "org_code", "period", "kind", "user_id", "channel", name: "reminders_once")
            .create()
        // One column per statement: SQLite adds them one at a time.
        try await database.schema(DataSet.schema).field("remind_days", .int).update()
        try await database.schema(DataSet.schema).field("close_days", .int).update()
        try await database.schema(User.schema).field("email_reminders_off", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Reminder.schema).delete()
        try await database.schema(DataSet.schema).deleteField("remind_days").update()
        try await database.schema(DataSet.schema).deleteField("close_days").update()
        try await database.schema(User.schema).deleteField("email_reminders_off").update()
    }
}

/// A reminder as a report's page and the API show it: who was told, how, when.
struct ReminderDTO: Content {
    var kind: String; var kindLabel: String; var username: String; var channel: String; var status: String; var statusLabel: String
    var at: Date; var attempts: Int

    init(_ r: Reminder) {
        kind = r.kind; kindLabel = r.kindLabel; username = r.username; channel = r.channel; status = r.status; statusLabel = r.statusLabel
        at = r.at; attempts = r.attempts
    }

    static func of(_ set: String, _ org: String, _ period: String, on db: any Database) async throws -> [ReminderDTO] {
        try await Reminder.query(on: db).filter(\.$dataSetCode == set).filter(\.$orgCode == org).filter(\.$period == period)
            .sort(\.$at).all().map(ReminderDTO.init)
    }
}
