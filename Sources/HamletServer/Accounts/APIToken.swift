import Vapor
import HamletKit
import Fluent
import HamletWeb

/// A personal API token for scripts. Shown once when made; stored as a digest.
final class APIToken: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    static let prefix = "hml_"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    @Field(key: "token_digest") var tokenDigest: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    /// The account's credential version when the token was made.
    @Field(key: "credential_version") var credentialVersion: Int

    init() {}

    init(user: User, name: String, tokenDigest: String, createdAt: Date, expiresAt: Date?) throws {
        self.$user.id = try user.requireID()
        self.credentialVersion = user.credentialVersion
        self.name = name
        self.tokenDigest = tokenDigest
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Not revoked, not expired, and made under the account's current credentials.
    func isUsable(at now: Date, by user: User) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true) && credentialVersion == user.credentialVersion && !user.isDisabled
    }

    /// Makes a token for a user: returns the secret (to show once) and the stored record.
    static func issue(for user: User, name: String, lifetime: TimeInterval?, on db: any Database) async throws -> (String, APIToken) {
        let secret = prefix + Token.random(bytes: 32)
        let now = HamletClock.shared.now
        let token = try APIToken(user: user, name: name, tokenDigest: Token.digest(secret), createdAt: now,
                             expiresAt: lifetime.map { now.addingTimeInterval($0) })
        try await token.save(on: db)
        return (secret, token)
    }
}

struct CreateAPITokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_digest", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_digest")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).delete()
    }
}
