import Foundation
import Fluent
import HamletDatabase

/// The API token or session a request names and its account, in one hand-written statement read
/// as text rows into the two models (`TextOutput`), on every API call and every page. Fluent's
/// joined query serialised some seventy quoted names and decoded twenty-three columns through
/// generic code; under the load test on PostgreSQL that was about a tenth of an instance's CPU.
enum SignInRows {
    /// Field key and how it is read: as it is, as text, or as a moment.
    private enum Kind { case plain, text, moment }

    private static let user: [(String, Kind)] = [
        ("id", .text), ("username", .plain), ("display_name", .plain), ("password_hash", .plain), ("role", .text),
        ("scope_code", .plain), ("scope_path", .plain), ("email", .plain), ("phone", .plain), ("email_reminders_off", .text),
        ("disabled_at", .moment), ("credential_version", .text), ("created_at", .moment), ("updated_at", .moment),
    ]
    private static let token: [(String, Kind)] = [
        ("id", .text), ("user_id", .text), ("name", .plain), ("token_digest", .plain), ("created_at", .moment),
        ("expires_at", .moment), ("last_used_at", .moment), ("revoked_at", .moment), ("credential_version", .text),
    ]

    private static func select(_ fields: [(String, Kind)], table: String, prefix: String, _ db: any Database) -> [String] {
        fields.map { key, kind in
            let column = table + "." + key, name = prefix + key
            switch kind {
            case .plain: return column + " AS " + name
            case .text: return SQLText.text(column, as: name, db)
            case .moment: return SQLText.moment(column, as: name, db)
            }
        }
    }

    private static let session: [(String, Kind)] = [
        ("id", .text), ("token_digest", .plain), ("user_id", .text), ("csrf_token", .plain), ("created_at", .moment),
        ("last_seen_at", .moment), ("ip", .plain), ("user_agent", .plain), ("credential_version", .text),
    ]

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

    private static func read<M: Model>(_ type: M.Type, _ fields: [(String, Kind)], digest: String, on db: any Database) async throws -> (M, User)? {
        let columns = select(fields, table: "t", prefix: "t_", db) + select(user, table: "u", prefix: "u_", db)
        let names = fields.map { "t_" + $0.0 } + user.map { "u_" + $0.0 }
        let rows = try await TextRows.query(db, "SELECT " + columns.joined(separator: ", ") + " FROM " + M.schema
                                            + " t JOIN users u ON u.id = t.user_id WHERE t.token_digest = ?", [digest], columns: names)
        guard let row = rows.first else { return nil }
        let found = M(), account = User()
        try found.output(from: TextOutput(columns: fields.map(\.0), row: Array(row.prefix(fields.count))))
        try account.output(from: TextOutput(columns: user.map(\.0), row: Array(row.dropFirst(fields.count))))
        return (found, account)
    }
}
