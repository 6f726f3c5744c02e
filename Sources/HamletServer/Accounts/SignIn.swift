import Vapor
import Fluent

/// Checks a username and password, counting failures. The same answer for an unknown user
/// and a wrong password, and the same bcrypt work for both, so neither tells which.
enum SignIn {
    static let dummyHash = "$2b$04$0123456789012345678901uWaS4TVS.wWjZ4qwFqxm0rSaM0NrwGuyW"

    static func verify(username rawUsername: String, password: String, on req: Request) async throws -> User {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        let throttle = LoginThrottle(db: req.db)
        let keys = LoginThrottle.keys(username: username, ip: req.clientIP)
        if let wait = try await throttle.waitSeconds(keys: keys) {
            var error = HamletError(status: .tooManyRequests, code: "too_many_attempts",
                                    message: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau \(max(1, wait / 60)) phút.", field: "password")
            error.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            throw error
        }
        let user = try await User.query(on: req.db).filter(\.$username == username).first()
        let ok = try await req.password.async.verify(password, created: user?.passwordHash ?? dummyHash)
        guard ok, let user, !user.isDisabled else {
            try await throttle.recordFailure(keys: keys)
            throw HamletError(status: .unauthorized, code: "invalid_credentials",
                              message: "Tên đăng nhập hoặc mật khẩu không đúng.", field: "password")
        }
        try await throttle.clear(username: username)
        return user
    }

    /// Starts a fresh session (a new id every login), returning the cookie to set.
    static func startSession(for user: User, on req: Request) async throws -> HTTPCookies.Value {
        if let old = req.currentSession { try await old.delete(on: req.db) }
        let secret = Token.random(bytes: 32)
        let session = UserSession(tokenDigest: Token.digest(secret), userID: try user.requireID(), csrfToken: Token.random(bytes: 24),
                                  at: Date(), ip: req.clientIP, userAgent: req.headers.first(name: .userAgent))
        try await session.create(on: req.db)
        return HTTPCookies.Value(string: secret, path: "/", isSecure: req.isSecure, isHTTPOnly: true, sameSite: .lax)
    }

    static func endSessions(of userID: UUID, on db: any Database) async throws {
        try await UserSession.query(on: db).filter(\.$user.$id == userID).delete()
    }
}
