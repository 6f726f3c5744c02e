import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit

/// Account pages: the administrator's list and forms, and everyone's own page (/me) with
/// password change and personal API tokens.
package struct UserPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("users", use: list)
        routes.get("users", "new", use: newForm)
        routes.post("users", use: create)
        routes.get("users", ":id", use: show)
        routes.post("users", ":id", use: update)
        routes.post("users", ":id", "disable", use: disable)
        routes.post("users", ":id", "enable", use: enable)
        routes.get("me", use: me)
        routes.post("me", "password", use: changePassword)
        routes.post("me", "tokens", use: createToken)
        routes.post("me", "reminders", use: reminders)
        routes.post("me", "tokens", ":id", "revoke", use: revokeToken)
    }

    package struct Row: Encodable {
        package var id: String, username: String, displayName: String, role: String, scope: String, disabled: Bool
    }
    package struct ListPage: Encodable {
        package var rows: [Row]
        package var total: Int
        package init(rows: [Row], total: Int) {
            self.rows = rows
            self.total = total
        }
    }
    package struct FormPage: Encodable {
        package var user: UserDTO?
        package var id: String?
        package var roles: [Option]
        package var values: UserInput
        package var error: String?
        package var errorField: String?
        package var sessions: Int
    }
    package struct Option: Encodable {
        package var value: String
        package var label: String
        package var selected: Bool
        package init(value: String, label: String, selected: Bool) {
            (self.value, self.label, self.selected) = (value, label, selected)
        }
    }

    package func roles(_ req: Request, selected: String?) -> [Option] {
        Role.allCases.map { Option(value: $0.rawValue, label: $0.label(req.language), selected: $0.rawValue == selected) }
    }

    package func list(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let (users, _) = try await User.list(visibleTo: admin.scope, limit: 500, on: req.db)
        let rows = users.map { Row(id: $0.id?.uuidString ?? "", username: $0.username, displayName: $0.displayName,
                                   role: $0.role.label(req.language), scope: $0.scopeCode, disabled: $0.isDisabled) }
        return try await req.renderPage("accounts/users", title: Strings.text("users_title", req.language), nav: "users",
                                        body: ListPage(rows: rows, total: rows.count))
    }

    package func newForm(req: Request) async throws -> Response {
        _ = try req.requireAdmin()
        return try await renderForm(req, user: nil, values: UserInput(role: Role.viewer.rawValue), error: nil)
    }

    package func renderForm(_ req: Request, user: User?, values: UserInput, error: HamletError?) async throws -> Response {
        var sessions = 0
        if let user { sessions = try await SignIn.sessionCount(of: user, on: req.db) }
        return try await req.renderPage(user == nil ? "accounts/user-new" : "accounts/user", title: user?.displayName ?? Strings.text("user_new", req.language),
                                        status: error?.status ?? .ok, nav: "users",
                                        body: FormPage(user: user.map(UserDTO.init), id: user?.id?.uuidString, roles: roles(req, selected: values.role),
                                                       values: values, error: error?.message, errorField: error?.field, sessions: sessions))
    }

    package func create(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let input = try req.content.decode(UserInput.self)
        do {
            let user = try await req.userService().create(input, within: admin.scope)
            return req.redirect(to: "/users/\(user.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            var values = input; values.password = nil
            return try await renderForm(req, user: nil, values: values, error: error)
        }
    }

    package func show(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let user = try await User.find(req.parameters.get("id", as: UUID.self), visibleTo: admin.scope, on: req.db)
        return try await renderForm(req, user: user, values: UserInput(username: user.username, displayName: user.displayName,
                                                                       role: user.role.rawValue, scope: user.scopeCode, email: user.email, phone: user.phone), error: nil)
    }

    package func update(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let user = try await User.find(req.parameters.get("id", as: UUID.self), visibleTo: admin.scope, on: req.db)
        let input = try req.content.decode(UserInput.self)
        do {
            try await req.userService().update(user, input, within: admin.scope)
            return req.redirect(to: "/users/\(user.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            var values = input; values.password = nil; values.username = user.username
            return try await renderForm(req, user: user, values: values, error: error)
        }
    }

    package func disable(req: Request) async throws -> Response { try await setDisabled(req, true) }
    package func enable(req: Request) async throws -> Response { try await setDisabled(req, false) }

    package func setDisabled(_ req: Request, _ disabled: Bool) async throws -> Response {
        let admin = try req.requireAdmin()
        let user = try await User.find(req.parameters.get("id", as: UUID.self), visibleTo: admin.scope, on: req.db)
        try await req.userService().setDisabled(user, disabled)
        return req.redirect(to: "/users/\(user.id!.uuidString)", notice: "saved")
    }

    // MARK: - Own account

    package struct TokenRow: Encodable {
        package var id: String
        package var name: String
        package var created: String
        package var lastUsed: String
        package var expires: String
        package init(id: String, name: String, created: String, lastUsed: String, expires: String) {
            (self.id, self.name, self.created, self.lastUsed) = (id, name, created, lastUsed)
            self.expires = expires
        }
    }
    package struct MePage: Encodable {
        package var user: UserDTO
        package var remindByEmail = true
        package var tokens: [TokenRow]
        package var newToken: String?
        package var error: String?
        package var errorField: String?
    }

    package func me(req: Request) async throws -> Response { try await renderMe(req, newToken: nil, error: nil) }

    package func renderMe(_ req: Request, newToken: String?, error: HamletError?) async throws -> Response {
        let user = try req.requireUser()
        let tokens = try await OwnAccount(db: req.db, user: user, ip: req.clientIP).tokens(at: req.now)
            .map { TokenRow(id: $0.id!.uuidString, name: $0.name, created: VietnameseFormat.dateTime($0.createdAt),
                            lastUsed: $0.lastUsedAt.map { VietnameseFormat.dateTime($0) } ?? "—",
                            expires: $0.expiresAt.map { VietnameseFormat.dateTime($0) } ?? "—") }
        return try await req.renderPage("accounts/me", title: user.displayName, status: error?.status ?? .ok, nav: "me",
                                        body: MePage(user: UserDTO(user), remindByEmail: user.emailRemindersOff != true, tokens: tokens, newToken: newToken,
                                                     error: error?.message, errorField: error?.field))
    }

    package struct ReminderForm: Content {
        package var email: String?
        package init(email: String? = nil) {
            self.email = email
        }
    }

    /// An account turns its reminder emails off or on (the start page keeps saying it).
    package func reminders(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await OwnAccount(db: req.db, user: user, ip: req.clientIP).setReminders(off: try req.content.decode(ReminderForm.self).email != "on")
        return req.redirect(to: "/me", notice: "saved")
    }

    package struct PasswordForm: Content {
        package var current: String?
        package var password: String?
        package var confirm: String?
        package init(current: String? = nil, password: String? = nil, confirm: String? = nil) {
            (self.current, self.password, self.confirm) = (current, password, confirm)
        }
    }

    package func changePassword(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(PasswordForm.self)
        do {
            guard let current = form.current, try await req.password.async.verify(current, created: user.passwordHash) else {
                throw HamletError.invalid("current", "Mật khẩu hiện tại không đúng.")
            }
            guard form.password == form.confirm else { throw HamletError.invalid("confirm", "Hai lần nhập mật khẩu mới không khớp.") }
            guard let password = form.password, !password.isEmpty else {
                throw HamletError.invalid("password", PasswordPolicy.Problem.tooShort.message)
            }
            try await req.userService().update(user, UserInput(password: password), within: user.scope)
            // Sessions ended with the change; start a fresh one so this browser stays signed in.
            let response = req.redirect(to: "/me", notice: "password_changed")
            response.cookies[UserSession.cookieName] = try await SignIn.startSession(for: user, on: req)
            return response
        } catch let error as HamletError {
            return try await renderMe(req, newToken: nil, error: error)
        }
    }

    package struct TokenForm: Content {
        package var name: String?
        package init(name: String? = nil) {
            self.name = name
        }
    }

    package func createToken(req: Request) async throws -> Response {
        let user = try req.requireUser()
        do {
            let secret = try await OwnAccount(db: req.db, user: user, ip: req.clientIP).issueToken(named: try req.content.decode(TokenForm.self).name)
            return try await renderMe(req, newToken: secret, error: nil)
        } catch let error as HamletError where error.field == "name" {
            return try await renderMe(req, newToken: nil, error: error)
        }
    }

    package func revokeToken(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await OwnAccount(db: req.db, user: user, ip: req.clientIP).revokeToken(req.parameters.get("id", as: UUID.self))
        return req.redirect(to: "/me", notice: "saved")
    }
}
