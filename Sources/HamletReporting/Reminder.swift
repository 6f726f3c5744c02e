import Vapor
import Fluent
import HamletWeb
import HamletAccounts

/// One reminder sent (or tried) to one account about one report, by one channel. The unique key
/// (report, kind, account, channel) is what makes it go once, also with several app instances
/// running the same hour: the second insert fails and that instance moves on.
package final class Reminder: Model, @unchecked Sendable {
    package static let schema = "reminders"

    @ID(key: .id) package var id: UUID?
    @Field(key: "data_set_code") package var dataSetCode: String
    @Field(key: "org_code") package var orgCode: String
    @Field(key: "period") package var period: String
    /// "due" (N days before the due day) or "overdue".
    @Field(key: "kind") package var kind: String
    @Field(key: "user_id") package var userID: UUID
    @Field(key: "username") package var username: String
    /// "email" or "sms".
    @Field(key: "channel") package var channel: String
    /// "sending", "sent" or "failed" (tried again on the next run, three tries in all).
    @Field(key: "status") package var status: String
    @Field(key: "attempts") package var attempts: Int
    @OptionalField(key: "detail") package var detail: String?
    @Field(key: "at") package var at: Date

    package init() {}

    package var kindLabel: String { kind == "overdue" ? "Quá hạn" : "Sắp đến hạn" }
    package var channelLabel: String { channel == "sms" ? "tin nhắn" : "email" }
    package var statusLabel: String { status == "sent" ? "đã gửi" : status == "failed" ? "không gửi được" : "đang gửi" }
}

/// The reminders table; a form's own reminder lead (days before the due day) and the day its
/// periods close for entry; an account's choice to receive no reminder emails.
package struct CreateReminders: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
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

    package func revert(on database: any Database) async throws {
        try await database.schema(Reminder.schema).delete()
        try await database.schema(DataSet.schema).deleteField("remind_days").update()
        try await database.schema(DataSet.schema).deleteField("close_days").update()
        try await database.schema(User.schema).deleteField("email_reminders_off").update()
    }
}

/// A reminder as a report's page and the API show it: who was told, how, when.
package struct ReminderDTO: Content {
    package var kind: String
    package var kindLabel: String
    package var username: String
    package var channel: String
    package var status: String
    package var statusLabel: String
    package var at: Date
    package var attempts: Int

    package init(_ r: Reminder) {
        kind = r.kind; kindLabel = r.kindLabel; username = r.username; channel = r.channel; status = r.status; statusLabel = r.statusLabel
        at = r.at; attempts = r.attempts
    }

    package static func of(_ set: String, _ org: String, _ period: String, on db: any Database) async throws -> [ReminderDTO] {
        try await Reminder.query(on: db).filter(\.$dataSetCode == set).filter(\.$orgCode == org).filter(\.$period == period)
            .sort(\.$at).all().map(ReminderDTO.init)
    }
}
