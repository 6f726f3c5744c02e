import Vapor
import Fluent
import HamletWeb
import HamletAudit

/// `POST /api/v1/auth/token` {"username","password"} → {"token"}: a token for scripts, valid 12 hours.
package struct TokenAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.post("auth", "token", use: issue)
    }

    package struct Credentials: Content {
        package var username: String?
        package var password: String?
        package init(username: String? = nil, password: String? = nil) {
            self.username = username
            self.password = password
        }
    }
    package struct Issued: Content {
        package var token: String
        package var expiresAt: Date?
        package init(token: String, expiresAt: Date? = nil) {
            self.token = token
            self.expiresAt = expiresAt
        }
    }

    package func issue(req: Request) async throws -> Response {
        let input = try req.content.decode(Credentials.self)
        guard let username = input.username, !username.isEmpty else { throw HamletError.invalid("username", "Thiếu tên đăng nhập.") }
        guard let password = input.password, !password.isEmpty else { throw HamletError.invalid("password", "Thiếu mật khẩu.") }
        let user = try await SignIn.verify(username: username, password: password, on: req)
        let (secret, token) = try await APIToken.issue(for: user, name: "auth/token", lifetime: UserSession.absoluteLifetime, on: req.db)
        try await Audit.record(on: req, actor: user, action: "token", entity: "user", entityID: user.id?.uuidString, scopePath: user.scopePath)
        let response = Response(status: .created)
        try response.content.encode(Issued(token: secret, expiresAt: token.expiresAt))
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
