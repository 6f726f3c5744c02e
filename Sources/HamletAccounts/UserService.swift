import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits

package struct UserInput: Content {
    package var username: String?
    package var password: String?
    package var displayName: String?
    package var role: String?
    package var scope: String?
    package var email: String?
    package var phone: String?

    package init(username: String? = nil, password: String? = nil, displayName: String? = nil, role: String? = nil,
                 scope: String? = nil, email: String? = nil, phone: String? = nil) {
        (self.username, self.password, self.displayName, self.role) = (username, password, displayName, role)
        (self.scope, self.email, self.phone) = (scope, email, phone)
    }
}

/// Creating and changing accounts, with the same rules for the page, the API and the command:
/// a valid username, a password that passes the policy, a role, and a scope inside the creator's.
package struct UserService {
    package let db: any Database
    package let actor: (any ActingAccount)?
    package let ip: String?
    package let hasher: AsyncPasswordHasher

    package init(db: any Database, actor: (any ActingAccount)? = nil, ip: String? = nil, hasher: AsyncPasswordHasher) {
        (self.db, self.actor, self.ip, self.hasher) = (db, actor, ip, hasher)
    }

    package func create(_ input: UserInput, within creatorScope: AccessScope) async throws -> User {
        let username = try Self.validUsername(input.username)
        guard let role = input.role.flatMap(Role.init(rawValue:)) else {
            throw HamletError.invalid("role", "Vai trò không hợp lệ. Chọn một trong: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let scope = try await resolveScope(input.scope, within: creatorScope)
        let password = input.password ?? ""
        if let problem = PasswordPolicy.check(password, username: username) { throw HamletError.invalid("password", problem.message) }
        if try await User.query(on: db).filter(\.$username == username).count() > 0 {
            throw HamletError.invalid("username", "Tên đăng nhập «\(username)» đã có.")
        }
        let displayName = VietnameseText.normalized(input.displayName ?? "").isEmpty ? username : VietnameseText.normalized(input.displayName!)
        let user = User(username: username, displayName: displayName, passwordHash: try await hasher.hash(password),
                        role: role, scopeCode: scope.code, scopePath: scope.path)
        user.email = try Self.validEmail(input.email)
        user.phone = try Self.validPhone(input.phone)
        try await user.create(on: db)
        var changes = AuditChanges()
        changes.add("username", nil, username)
        changes.add("role", nil, role.rawValue)
        changes.add("scope", nil, scope.code)
        try await Audit.record(on: db, actor: actor, ip: ip, action: "create", entity: "user", entityID: user.id?.uuidString,
                               scopePath: scope.path, changes: changes)
        return user
    }

    package func update(_ user: User, _ input: UserInput, within creatorScope: AccessScope) async throws {
        var changes = AuditChanges()
        if let name = input.displayName {
            let value = VietnameseText.normalized(name)
            if value.isEmpty { throw HamletError.invalid("displayName", "Họ và tên không được để trống.") }
            changes.add("display_name", user.displayName, value); user.displayName = value
        }
        if let raw = input.role {
            guard let role = Role(rawValue: raw) else { throw HamletError.invalid("role", "Vai trò không hợp lệ.") }
            changes.add("role", user.role.rawValue, role.rawValue); user.role = role
        }
        if let raw = input.scope, !raw.isEmpty {
            let scope = try await resolveScope(raw, within: creatorScope)
            changes.add("scope", user.scopeCode, scope.code); user.scopeCode = scope.code; user.scopePath = scope.path
        }
        if input.email != nil { let v = try Self.validEmail(input.email); changes.add("email", user.email, v); user.email = v }
        if input.phone != nil { let v = try Self.validPhone(input.phone); changes.add("phone", user.phone, v); user.phone = v }
        if let password = input.password, !password.isEmpty {
            if let problem = PasswordPolicy.check(password, username: user.username) { throw HamletError.invalid("password", problem.message) }
            user.passwordHash = try await hasher.hash(password)
            changes.add("password", "•", "••")
        }
        guard !changes.isEmpty else { return }
        // A new password, role or scope takes effect now: every session and token ends.
        let credentials = changes.pairs.contains(where: { ["password", "role", "scope"].contains($0.0) })
        if credentials { user.credentialVersion += 1 }
        let diff = changes
        try await db.writeTransaction { tx in
            try await user.update(on: tx)
            if credentials { try await SignIn.revokeCredentials(of: user.requireID(), on: tx) }
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "update", entity: "user", entityID: user.id?.uuidString,
                                   scopePath: user.scopePath, changes: diff)
        }
    }

    package func setDisabled(_ user: User, _ disabled: Bool) async throws {
        guard user.isDisabled != disabled else { return }
        if disabled, user.id == actor?.id { throw HamletError.invalid("disabled", "Không thể tự khóa tài khoản của mình.") }
        try await db.writeTransaction { tx in
            var changes = AuditChanges()
            changes.add("disabled", String(user.isDisabled), String(disabled))
            user.disabledAt = disabled ? HamletClock.shared.now : nil
            // Enabling again does not bring back what was issued before: both ways end everything.
            user.credentialVersion += 1
            try await user.update(on: tx)
            try await SignIn.revokeCredentials(of: user.requireID(), on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: disabled ? "disable" : "enable", entity: "user",
                                   entityID: user.id?.uuidString, scopePath: user.scopePath, changes: changes)
        }
    }

    /// "VN" or a 2025 unit code (province, commune or hamlet: a collaborator's scope is their
    /// hamlet), open today, which must lie inside the creator's own scope.
    package func resolveScope(_ raw: String?, within creatorScope: AccessScope) async throws -> AccessScope {
        let code = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if code.isEmpty { throw HamletError.invalid("scope", "Cần chọn phạm vi (mã đơn vị, hoặc VN cho cả nước).") }
        if code.uppercased() == AccessScope.nationCode {
            guard creatorScope.isNation else { throw HamletError.invalid("scope", "Phạm vi vượt quá phạm vi của bạn.") }
            return AccessScope(code: AccessScope.nationCode, path: "")
        }
        let candidates = [code]
        guard let unit = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$code ~~ candidates).first(),
              creatorScope.contains(path: unit.path)
        else { throw HamletError.invalid("scope", "Không có đơn vị mã «\(code)» trong phạm vi của bạn.") }
        if let closed = unit.closedOn, closed <= DayDate.today().iso {
            throw HamletError.invalid("scope", "\(unit.name) đã giải thể từ \(DayDate(closed)?.vietnamese ?? closed): không làm phạm vi được.")
        }
        return AccessScope(code: unit.code, path: unit.path)
    }

    package static func validUsername(_ raw: String?) throws -> String {
        let username = (raw ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...64).contains(username.count), username.unicodeScalars.allSatisfy(allowed.contains) else {
            throw HamletError.invalid("username", "Tên đăng nhập gồm 2–64 ký tự: chữ không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.")
        }
        return username
    }

    package static func validEmail(_ raw: String?) throws -> String? {
        let email = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if email.isEmpty { return nil }
        let parts = email.split(separator: "@")
        guard parts.count == 2, parts[1].contains("."), email.count <= 200 else {
            throw HamletError.invalid("email", "Địa chỉ thư điện tử không hợp lệ.")
        }
        return email
    }

    package static func validPhone(_ raw: String?) throws -> String? {
        let text = (raw ?? "").filter { !$0.isWhitespace && $0 != "." && $0 != "-" }
        if text.isEmpty { return nil }
        guard let phone = PhoneNumber.normalized(text) else {
            throw HamletError.invalid("phone", "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84).")
        }
        return phone
    }
}
