import Vapor
import Fluent
import HamletWeb

/// A browser session, kept in the database so any app instance can serve any request.
/// The cookie holds a random id; the table holds only its digest.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "user_sessions"
    static let idleTimeout: TimeInterval = 30 * 60
    static let absoluteLifetime: TimeInterval = 12 * 3600
    static let cookieName = "hamlet_session"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_digest") var tokenDigest: String
    @Parent(key: "user_id") var user: User
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @OptionalField(key: "ip") var ip: String?
    @OptionalField(key: "user_agent") var userAgent: String?
    /// The account's credential version when the session began.
    @Field(key: "credential_version") var credentialVersion: Int

    init() {}

    init(tokenDigest: String, user: User, csrfToken: String, at: Date, ip: String?, userAgent: String?) throws {
        self.tokenDigest = tokenDigest
        self.$user.id = try user.requireID()
        self.credentialVersion = user.credentialVersion
        self.csrfToken = csrfToken
        self.createdAt = at
        self.lastSeenAt = at
        self.ip = ip
        self.userAgent = userAgent.map { String($0.prefix(200)) }
    }

    func isExpired(at now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) > Self.idleTimeout || now.timeIntervalSince(createdAt) > Self.absoluteLifetime
    }
}

struct CreateUserSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UserSession.schema)
            .id()
            .field("token_digest", .string, .required)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("ip", .string)
            .field("user_agent", .string)
            .unique(on: "token_digest")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UserSession.schema).delete()
    }
}
