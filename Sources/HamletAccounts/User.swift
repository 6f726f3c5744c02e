import Vapor
import Fluent
import HamletWeb
import HamletDatabase

/// An account: a person who signs in, with one role and one scope (a 2025 unit, or VN).
package final class User: Model, @unchecked Sendable, Authenticatable, ActingAccount {
    package static let schema = "users"

    @ID(key: .id) package var id: UUID?
    @Field(key: "username") package var username: String
    @Field(key: "display_name") package var displayName: String
    @Field(key: "password_hash") package var passwordHash: String
    @Enum(key: "role") package var role: Role
    /// GSO code of the scope unit in the 2025 structure; "VN" for the whole country.
    @Field(key: "scope_code") package var scopeCode: String
    /// Materialised path of the scope unit ("" for VN): every scope check is a prefix test on it.
    @Field(key: "scope_path") package var scopePath: String
    @OptionalField(key: "email") package var email: String?
    @OptionalField(key: "phone") package var phone: String?
    /// The account asked for no reminder emails (`ReminderRun`); nil or false: it gets them.
    @OptionalField(key: "email_reminders_off") package var emailRemindersOff: Bool?
    @OptionalField(key: "disabled_at") package var disabledAt: Date?
    /// Moves on every change of password, role or scope and on disabling or enabling: sessions
    /// and tokens made under an older version stop working (`AddCredentialVersions`).
    @Field(key: "credential_version") package var credentialVersion: Int
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    /// Listed, not found by reflection: Fluent's default walks the model with `Mirror` for every
    /// row read, which was a third of the server's CPU under load (perf). `ModelPropertiesTests`
    /// checks the list against reflection, so a field added here and not listed fails a test.
    package var properties: [any AnyProperty] { [$id, $username, $displayName, $passwordHash, $role, $scopeCode, $scopePath, $email, $phone, $emailRemindersOff, $disabledAt, $credentialVersion, $createdAt, $updatedAt] }

    package init() {}

    package init(username: String, displayName: String, passwordHash: String, role: Role, scopeCode: String, scopePath: String) {
        (self.username, self.displayName, self.passwordHash, self.role) = (username, displayName, passwordHash, role)
        (self.scopeCode, self.scopePath) = (scopeCode, scopePath)
        self.credentialVersion = 1
    }

    package var isDisabled: Bool { disabledAt != nil }
    package var scope: AccessScope { AccessScope(code: scopeCode, path: scopePath) }
}

package struct CreateUsers: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        let role = try await database.enum("user_role").case("admin").case("province-officer").case("commune-officer")
            .case("collaborator").case("caseworker").case("viewer").create()
        try await database.schema(User.schema)
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", role, .required)
            .field("scope_code", .string, .required)
            .field("scope_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("email", .string)
            .field("phone", .string)
            .field("disabled_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .create()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
        try await database.enum("user_role").delete()
    }
}

extension Request {
    package var currentUser: User? { auth.get(User.self) }

    package func requireUser() throws -> User {
        guard let user = currentUser else { throw HamletError.unauthorized }
        return user
    }

    /// `requireActing` (the one rule: 401 without an account, 403 when its role does not allow
    /// `allowed`), giving the account as Accounts' own `User`.
    package func requireRole(_ allowed: (Role) -> Bool) throws -> User {
        guard let user = try requireActing(allowed) as? User else { throw HamletError.unauthorized }
        return user
    }
}
