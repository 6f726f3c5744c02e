import Vapor
import Fluent

/// One failed sign-in, kept to slow down password guessing. In the database, so every
/// instance behind the proxy counts the same failures.
final class LoginFailure: Model, @unchecked Sendable {
    static let schema = "login_failures"
    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "at") var at: Date

    init() {}
    init(key: String, at: Date) { self.key = key; self.at = at }
}

struct CreateLoginFailures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginFailure.schema)
            .id()
            .field("key", .string, .required)
            .field("at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(LoginFailure.schema).delete() }
}

/// After 5 failures for an account or an address within 15 minutes, sign-in waits.
struct LoginThrottle {
    static let limit = 5
    static let window: TimeInterval = 15 * 60
    let db: any Database

    static func keys(username: String, ip: String) -> [String] {
        ["user:" + username.lowercased(), "ip:" + ip]
    }

    /// Seconds to wait, or nil when a try is allowed now.
    func waitSeconds(keys: [String], now: Date = Date()) async throws -> Int? {
        let since = now.addingTimeInterval(-Self.window)
        for key in keys {
            let failures = try await LoginFailure.query(on: db).filter(\.$key == key).filter(\.$at > since)
                .sort(\.$at, .descending).limit(Self.limit).all()
            if failures.count >= Self.limit, let oldest = failures.last {
                return max(1, Int(oldest.at.addingTimeInterval(Self.window).timeIntervalSince(now).rounded(.up)))
            }
        }
        return nil
    }

    func recordFailure(keys: [String], now: Date = Date()) async throws {
        for key in keys { try await LoginFailure(key: key, at: now).create(on: db) }
        try await LoginFailure.query(on: db).filter(\.$at < now.addingTimeInterval(-Self.window)).delete()
    }

    func clear(username: String) async throws {
        try await LoginFailure.query(on: db).filter(\.$key == "user:" + username.lowercased()).delete()
    }
}

extension Request {
    /// The client's address; behind a reverse proxy (HAMLET_TRUST_PROXY=1) the first X-Forwarded-For.
    var clientIP: String {
        if Environment.get("HAMLET_TRUST_PROXY") == "1",
           let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
