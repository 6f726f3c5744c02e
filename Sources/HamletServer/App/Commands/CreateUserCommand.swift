import Vapor
import Fluent
import HamletWeb
import HamletAccounts

/// `hamlet create-user --username U --password P --role ROLE --scope UNITCODE`
struct CreateUserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username", help: "Tên đăng nhập") var username: String?
        @Option(name: "password", help: "Mật khẩu (8–128 ký tự)") var password: String?
        @Option(name: "role", help: "admin, province-officer, commune-officer, collaborator, caseworker, viewer") var role: String?
        @Option(name: "scope", help: "Mã đơn vị (cơ cấu 2025); VN = cả nước") var scope: String?
        @Option(name: "name", help: "Họ và tên hiển thị") var name: String?
    }
    var help: String { "Tạo tài khoản người dùng." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Bootstrap.prepare(app, demo: false, announce: false)
        let input = UserInput(username: signature.username, password: signature.password, displayName: signature.name,
                              role: signature.role, scope: signature.scope)
        do {
            let user = try await UserService(db: app.db, actor: nil, ip: nil, hasher: app.password.async)
                .create(input, within: AccessScope(code: AccessScope.nationCode, path: ""))
            context.console.print("Đã tạo tài khoản \(user.username) (\(user.role.rawValue), phạm vi \(user.scopeCode)).")
        } catch let error as HamletError {
            context.console.error("Lỗi (\(error.field ?? "")): \(error.message)")
            throw ExitCode(1)
        }
    }
}

