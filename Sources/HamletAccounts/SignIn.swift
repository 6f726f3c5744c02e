import Vapor
import HamletKit
import Fluent
import HamletWeb

/// Checks a username and password. The same answer for an unknown user and a wrong password,
/// and the same bcrypt work for both (a stand-in hash made at start-up with the server's cost),
/// so neither the answer nor its time tells which. Tries are counted before the check
/// (`LoginThrottle`) and the check waits its turn at the `PasswordGate`.
package enum SignIn {
    package struct StubHashKey: StorageKey { package typealias Value = String }

    /// Made once at start-up, at the cost real passwords get.
    package static func prepareStubHash(_ app: Application) throws {
        app.storage[StubHashKey.self] = try app.password.hash(Token.random(bytes: 18))
    }

    package static func verify(username rawUsername: String, password: String, on req: Request) async throws -> User {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        let keys = LoginThrottle.Keys(username: username, ip: req.clientIP)
        if let wait = try await LoginThrottle(db: req.db, now: req.now).wait(keys) { throw tooMany(wait) }
        let stub = req.application.storage[StubHashKey.self] ?? ""
        return try await req.application.passwordGate.run {
            let throttle = LoginThrottle(db: req.db, now: req.now)
            if let wait = try await throttle.take(keys) { throw tooMany(wait) }
            let user = try await User.query(on: req.db).filter(\.$username == username).first()
            let ok = try await req.password.async.verify(password, created: user?.passwordHash ?? stub)
            guard ok, let user, !user.isDisabled else {
                throw HamletError(status: .unauthorized, code: "invalid_credentials",
                                  message: "Tên đăng nhập hoặc mật khẩu không đúng.", field: "password")
            }
            try await throttle.succeeded(keys)
            return user
        }
    }

    package static func tooMany(_ wait: Int) -> HamletError {
        let when = wait < 90 ? "\(wait) giây" : "\((wait + 59) / 60) phút"
        var error = HamletError(status: .tooManyRequests, code: "too_many_attempts",
                                message: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau \(when).", field: "password")
        error.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
        return error
    }

    /// Starts a fresh session (a new id every login), returning the cookie to set.
    package static func startSession(for user: User, on req: Request) async throws -> HTTPCookies.Value {
        if let old = req.currentSession { try await old.delete(on: req.db) }
        let secret = Token.random(bytes: 32)
        let session = try UserSession(tokenDigest: Token.digest(secret), user: user, csrfToken: Token.random(bytes: 24),
                                  at: req.now, ip: req.clientIP, userAgent: req.headers.first(name: .userAgent))
        try await session.create(on: req.db)
        return HTTPCookies.Value(string: secret, path: "/", isSecure: req.isSecure, isHTTPOnly: true, sameSite: .lax)
    }

    /// Ends the request's own page session (logout); its cookie is expired by the caller.
    package static func endSession(on req: Request) async throws {
        if let session = req.currentSession { try await session.delete(on: req.db) }
    }

    /// How many page sessions an account has open (shown to whoever manages it).
    package static func sessionCount(of user: User, on db: any Database) async throws -> Int {
        try await UserSession.query(on: db).filter(\.$user.$id == user.requireID()).count()
    }

    /// Ends every session and revokes every token of an account (its credential version has
    /// moved too, so anything missed here fails the check at sign-in).
    package static func revokeCredentials(of userID: UUID, on db: any Database) async throws {
        try await UserSession.query(on: db).filter(\.$user.$id == userID).delete()
        try await APIToken.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil).set(\.$revokedAt, to: HamletClock.shared.now).update()
    }
}
