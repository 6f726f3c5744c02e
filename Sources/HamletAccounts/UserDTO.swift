import Vapor
import Fluent
import HamletWeb

/// An account as the API shows it: never the password hash.
package struct UserDTO: Content {
    package var id: UUID?
    package var username: String
    package var displayName: String
    package var role: String
    package var scope: String
    package var email: String?
    package var phone: String?
    package var disabled: Bool
    package var createdAt: Date?

    package init(_ user: User) {
        id = user.id; username = user.username; displayName = user.displayName; role = user.role.rawValue
        scope = user.scopeCode; email = user.email; phone = user.phone; disabled = user.isDisabled; createdAt = user.createdAt
    }
}

extension User {
    /// Accounts an administrator may see: those whose scope lies inside their own.
    package static func visible(to scope: AccessScope, on db: any Database) -> QueryBuilder<User> {
        let query = User.query(on: db)
        if !scope.isNation {
            query.filter(\.$scopePath >= scope.path).filter(\.$scopePath < AccessScope.upperBound(scope.path))
        }
        return query
    }

    /// A page of those accounts by username (`role` narrows it), and how many there are.
    package static func list(visibleTo scope: AccessScope, role: Role? = nil, offset: Int = 0, limit: Int, on db: any Database) async throws -> ([User], Int) {
        let query = visible(to: scope, on: db)
        if let role { query.filter(\.$role == role) }
        let total = try await query.copy().count()
        return (try await query.sort(\.$username).offset(offset).limit(limit).all(), total)
    }

    package static func find(_ id: UUID?, visibleTo scope: AccessScope, on db: any Database) async throws -> User {
        guard let id, let user = try await visible(to: scope, on: db).filter(\.$id == id).first() else { throw HamletError.notFound }
        return user
    }
}

extension Request {
    package func requireAdmin() throws -> User {
        let user = try requireUser()
        guard user.role.canManageUsers else { throw HamletError.forbidden }
        return user
    }

    package func userService() throws -> UserService {
        UserService(db: db, actor: currentUser, ip: clientIP, hasher: password.async)
    }
}
