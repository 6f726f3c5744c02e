import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit

package struct LoginRoutes: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: form)
        routes.post("login", use: submit)
        routes.post("logout", use: logout)
    }

    package struct FormBody: Encodable {
        package var username: String
        package var next: String
        package var error: String?
    }

    package struct Submission: Content {
        package var username: String?
        package var password: String?
        package var next: String?
    }

    package func form(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: "/") }
        let next = Self.safeNext(req.query[String.self, at: "next"])
        return try await req.renderPage("accounts/login", title: Strings.text("login_title", req.language),
                                        body: FormBody(username: "", next: next))
    }

    package func submit(req: Request) async throws -> Response {
        let input = try req.content.decode(Submission.self)
        let next = Self.safeNext(input.next)
        let username = input.username ?? ""
        guard !username.isEmpty, let password = input.password, !password.isEmpty else {
            return try await req.renderPage("accounts/login", title: Strings.text("login_title", req.language), status: .unprocessableEntity,
                                            body: FormBody(username: username, next: next, error: "Vui lòng nhập tên đăng nhập và mật khẩu."))
        }
        do {
            let user = try await SignIn.verify(username: username, password: password, on: req)
            let cookie = try await SignIn.startSession(for: user, on: req)
            try await Audit.record(on: req, actor: user, action: "login", entity: "user", entityID: user.id?.uuidString, scopePath: user.scopePath)
            let response = req.redirect(to: next)
            response.cookies[UserSession.cookieName] = cookie
            return response
        } catch let error as HamletError {
            let response = try await req.renderPage("accounts/login", title: Strings.text("login_title", req.language), status: error.status,
                                                    body: FormBody(username: username, next: next, error: error.message))
            response.headers.add(contentsOf: error.headers)
            return response
        }
    }

    package func logout(req: Request) async throws -> Response {
        try await SignIn.endSession(on: req)
        let response = req.redirect(to: "/login")
        response.cookies[UserSession.cookieName] = .expired
        return response
    }

    /// Only a path on this site: never an open redirect.
    package static func safeNext(_ next: String?) -> String { SafeRedirect.path(next) }
}
