import Foundation
import Fluent
import HamletDatabase

/// The API token or session a request names and its account, in one hand-written statement read
/// as text rows into the two models (`TextOutput`), on every API call and every page, instead of
/// Fluent's joined query (some seventy quoted names to serialise, twenty-three columns decoded
/// through generic code). Measured under load it did not raise requests/s (BENCHMARKS, session 25);
/// it is kept because it removes that work from every request. On PostgreSQL it is a prepared
/// statement per connection (`FixedStatements`): its planning cost more than its execution.
enum SignInRows {
    private static let user = TextColumns([
        ("id", .text), ("username", .plain), ("display_name", .plain), ("password_hash", .plain), ("role", .text),
        ("scope_code", .plain), ("scope_path", .plain), ("email", .plain), ("phone", .plain), ("email_reminders_off", .text),
        ("disabled_at", .moment), ("credential_version", .text), ("created_at", .moment), ("updated_at", .moment),
    ])
    private static let token = TextColumns([
        ("id", .text), ("user_id", .text), ("name", .plain), ("token_digest", .plain), ("created_at", .moment),
        ("expires_at", .moment), ("last_used_at", .moment), ("revoked_at", .moment), ("credential_version", .text),
    ])
    private static let session = TextColumns([
        ("id", .text), ("token_digest", .plain), ("user_id", .text), ("csrf_token", .plain), ("created_at", .moment),
        ("last_seen_at", .moment), ("ip", .plain), ("user_agent", .plain), ("credential_version", .text),
    ])

    /// The token with this digest, its account loaded; nil when there is none.
    static func token(digest: String, on db: any Database) async throws -> APIToken? {
        guard let (token, account) = try await read(APIToken.self, token, digest: digest, on: db) else { return nil }
        token.$user.value = account
        return token
    }

    /// The session with this digest, its account loaded; nil when there is none.
    static func session(digest: String, on db: any Database) async throws -> UserSession? {
        guard let (session, account) = try await read(UserSession.self, session, digest: digest, on: db) else { return nil }
        session.$user.value = account
        return session
    }

    private static func read<M: Model>(_ type: M.Type, _ fields: TextColumns, digest: String, on db: any Database) async throws -> (M, User)? {
        let columns = fields.select(from: "t", prefix: "t_", db) + user.select(from: "u", prefix: "u_", db)
        let names = fields.names(prefix: "t_") + user.names(prefix: "u_")
        let rows = try await FixedStatements.rows(db, "SELECT " + columns.joined(separator: ", ") + " FROM " + M.schema
                                            + " t JOIN users u ON u.id = t.user_id WHERE t.token_digest = ?", [digest], columns: names)
        guard let row = rows.first else { return nil }
        let found = M(), account = User()
        try found.output(from: TextOutput(columns: fields.keys, row: Array(row.prefix(fields.fields.count))))
        try account.output(from: TextOutput(columns: user.keys, row: Array(row.dropFirst(fields.fields.count))))
        return (found, account)
    }
}
