import Vapor
import Fluent
import HamletWeb

/// An account as the API shows it: never the password hash.
struct UserDTO: Content {
    var id: UUID?
    var username: String
    var displayName: String
    var role: String
    var scope: String
    var email: String?
    var phone: String?
    var disabled: Bool
    var createdAt: Date?

    init(_ user: User) {
        id = user.id; username = user.username; displayName = user.displayName; role = user.role.rawValue
        scope = user.scopeCode; email = user.email; phone = user.phone; disabled = user.isDisabled; createdAt = user.createdAt
    }
}

extension User {
    /// Accounts an administrator may see: those whose scope lies inside their own.
    static func visible(to scope: AccessScope, on db: any Database) -> QueryBuilder<User> {
        let query = User.query(on: db)
        if !scope.isNation {
            query.filter(\.$scopePath >= scope.path).filter(\.$scopePath < AccessScope.upperBound(scope.path))
        }
        return query
    }

    static func find(_ id: UUID?, visibleTo scope: AccessScope, on db: any Database) async throws -> User {
        guard let id, let user = try await visible(to: scope, on: db).filter(\.$id == id).first() else { throw HamletError.notFound }
        return user
    }
}

extension Request {
    func requireAdmin() throws -> User {
        let user = try requireUser()
        guard user.role.canManageUsers else { throw HamletError.forbidden }
        return user
    }

    func userService() throws -> UserService {
        UserService(db: db, actor: currentUser, ip: clientIP, hasher: password.async)
    }
}
