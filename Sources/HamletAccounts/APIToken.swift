import Vapor
import HamletKit
import Fluent
import HamletWeb

/// A personal API token for scripts. Shown once when made; stored as a digest.
package final class APIToken: Model, @unchecked Sendable {
    package static let schema = "api_tokens"
    package static let prefix = "hml_"

    @ID(key: .id) package var id: UUID?
    @Parent(key: "user_id") package var user: User
    @Field(key: "name") package var name: String
    @Field(key: "token_digest") package var tokenDigest: String
    @Field(key: "created_at") package var createdAt: Date
    @OptionalField(key: "expires_at") package var expiresAt: Date?
    @OptionalField(key: "last_used_at") package var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") package var revokedAt: Date?
    /// The account's credential version when the token was made.
    @Field(key: "credential_version") package var credentialVersion: Int

    /// Listed, not found by reflection: Fluent's default walks the model with `Mirror` for every
    /// row read, which was a third of the server's CPU under load (perf). `ModelPropertiesTests`
    /// checks the list against reflection, so a field added here and not listed fails a test.
    package var properties: [any AnyProperty] { [$id, $user, $name, $tokenDigest, $createdAt, $expiresAt, $lastUsedAt, $revokedAt, $credentialVersion] }

    package init() {}

    package init(user: User, name: String, tokenDigest: String, createdAt: Date, expiresAt: Date?) throws {
        self.$user.id = try user.requireID()
        self.credentialVersion = user.credentialVersion
        (self.name, self.tokenDigest, self.createdAt, self.expiresAt) = (name, tokenDigest, createdAt, expiresAt)
    }

    /// Not revoked, not expired, and made under the account's current credentials.
    package func isUsable(at now: Date, by user: User) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true) && credentialVersion == user.credentialVersion && !user.isDisabled
    }

    /// Makes a token for a user: returns the secret (to show once) and the stored record.
    package static func issue(for user: User, name: String, lifetime: TimeInterval?, on db: any Database) async throws -> (String, APIToken) {
        let secret = prefix + Token.random(bytes: 32)
        let now = HamletClock.shared.now
        let token = try APIToken(user: user, name: name, tokenDigest: Token.digest(secret), createdAt: now,
                             expiresAt: lifetime.map { now.addingTimeInterval($0) })
        try await token.save(on: db)
        return (secret, token)
    }
}

package struct CreateAPITokens: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
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

    package func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).delete()
    }
}
