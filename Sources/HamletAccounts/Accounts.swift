import Foundation
import Fluent
import HamletWeb
import HamletDatabase

/// Accounts as other features name them: by id (who holds a duty, who stored a value, who wrote
/// an entry). Not scoped: the caller already decided the rows are the account's to see.
package struct Accounts {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    /// The accounts of these ids, by id (a missing one is simply absent).
    package func byID(_ ids: some Sequence<UUID>) async throws -> [UUID: User] {
        var found: [UUID: User] = [:]
        for chunk in Array(Set(ids)).chunks(of: 500) {
            for user in try await User.query(on: db).filter(\.$id ~~ Array(chunk)).all() { found[user.id!] = user }
        }
        return found
    }

    /// One account by id; 404 when there is none.
    package func find(_ id: UUID) async throws -> User {
        guard let user = try await User.find(id, on: db) else { throw HamletError.notFound }
        return user
    }

    /// An account by its username (kept in small letters).
    package func named(_ username: String) async throws -> User? {
        try await User.query(on: db).filter(\.$username == username.lowercased()).first()
    }
}
