import Vapor
import Fluent
import HamletWeb

package struct UserAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("me", use: me)
        let users = routes.grouped("users")
        users.get(use: list)
        users.post(use: create)
        users.get(":id", use: show)
        users.patch(":id", use: update)
    }

    package func me(req: Request) async throws -> UserDTO { UserDTO(try req.requireUser()) }

    package func list(req: Request) async throws -> ListBody<UserDTO> {
        let admin = try req.requireAdmin()
        let paging = try Paging(req)
        // An unknown role lists the viewers, as it always has.
        let role = req.query[String.self, at: "role"].map { Role(rawValue: $0) ?? .viewer }
        let (users, total) = try await User.list(visibleTo: admin.scope, role: role, offset: paging.offset, limit: paging.per, on: req.db)
        return ListBody(items: users.map(UserDTO.init), total: total, page: paging.page, per: paging.per)
    }

    package func create(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
        let user = try await req.userService().create(try req.content.decode(UserInput.self), within: admin.scope)
        let response = Response(status: .created)
        try response.content.encode(UserDTO(user))
        return response
    }

    package func show(req: Request) async throws -> UserDTO {
        let admin = try req.requireAdmin()
        return UserDTO(try await User.find(req.parameters.get("id", as: UUID.self), visibleTo: admin.scope, on: req.db))
    }

    package struct Patch: Content {
        package var displayName: String?
        package var role: String?
        package var scope: String?
        package var email: String?
        package var phone: String?
        package var password: String?
        package var disabled: Bool?
    }

    package func update(req: Request) async throws -> UserDTO {
        let admin = try req.requireAdmin()
        let user = try await User.find(req.parameters.get("id", as: UUID.self), visibleTo: admin.scope, on: req.db)
        let patch = try req.content.decode(Patch.self)
        let service = try req.userService()
        try await service.update(user, UserInput(password: patch.password, displayName: patch.displayName, role: patch.role,
                                                 scope: patch.scope, email: patch.email, phone: patch.phone), within: admin.scope)
        if let disabled = patch.disabled { try await service.setDisabled(user, disabled) }
        return UserDTO(user)
    }
}
