import Fluent
import SQLKit
import HamletWeb

/// A credential version on accounts, sessions and tokens: changing a password, role or scope, or
/// disabling or enabling an account, moves it, and what was issued under the old one stops working.
package struct AddCredentialVersions: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        for table in [User.schema, UserSession.schema, APIToken.schema] {
            try await database.schema(table).field("credential_version", .int, .required, .sql(.default(1))).update()
        }
    }

    package func revert(on database: any Database) async throws {
        for table in [User.schema, UserSession.schema, APIToken.schema] {
            try await database.schema(table).deleteField("credential_version").update()
        }
    }
}
