import Vapor
import Fluent
import HamletWeb

/// A browser session, kept in the database so any app instance can serve any request.
/// The cookie holds a random id; the table holds only its digest.
package final class UserSession: Model, @unchecked Sendable {
    package static let schema = "user_sessions"
    package static let idleTimeout: TimeInterval = 30 * 60
    package static let absoluteLifetime: TimeInterval = 12 * 3600
    package static let cookieName = "hamlet_session"

    @ID(key: .id) package var id: UUID?
    @Field(key: "token_digest") package var tokenDigest: String
    @Parent(key: "user_id") package var user: User
    @Field(key: "csrf_token") package var csrfToken: String
    @Field(key: "created_at") package var createdAt: Date
    @Field(key: "last_seen_at") package var lastSeenAt: Date
    @OptionalField(key: "ip") package var ip: String?
    @OptionalField(key: "user_agent") package var userAgent: String?
    /// The account's credential version when the session began.
    @Field(key: "credential_version") package var credentialVersion: Int

    package init() {}
    /// Listed, not found by reflection: every page reads its session.
    package var properties: [any AnyProperty] { [$id, $tokenDigest, $user, $csrfToken, $createdAt, $lastSeenAt, $ip, $userAgent, $credentialVersion] }

    package init(tokenDigest: String, user: User, csrfToken: String, at: Date, ip: String?, userAgent: String?) throws {
        self.tokenDigest = tokenDigest
        self.$user.id = try user.requireID()
        self.credentialVersion = user.credentialVersion
        self.csrfToken = csrfToken
        self.createdAt = at
        self.lastSeenAt = at
        self.ip = ip
        self.userAgent = userAgent.map { String($0.prefix(200)) }
    }

    package func isExpired(at now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) > Self.idleTimeout || now.timeIntervalSince(createdAt) > Self.absoluteLifetime
    }
}

package struct CreateUserSessions: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
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

    package func revert(on database: any Database) async throws {
        try await database.schema(UserSession.schema).delete()
    }
}
