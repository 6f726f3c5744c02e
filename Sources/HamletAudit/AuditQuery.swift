import Fluent
import HamletKit
import HamletWeb

/// The audit log, read-only, for administrators: entries about their own subtree.
package struct AuditQuery {
    package let db: any Database
    package let scope: AccessScope

    package init(db: any Database, scope: AccessScope) { self.db = db; self.scope = scope }

    package func entries(entity: String?, entityID: String?, username: String?, paging: Paging) async throws -> ([AuditEntry], Int) {
        let query = AuditEntry.query(on: db)
        if !scope.isNation {
            query.filter(\.$scopePath >= scope.path).filter(\.$scopePath < AccessScope.upperBound(scope.path))
        }
        if let entity, !entity.isEmpty { query.filter(\.$entity == entity) }
        if let entityID, !entityID.isEmpty { query.filter(\.$entityID == entityID) }
        if let username, !username.isEmpty { query.filter(\.$username == username.lowercased()) }
        let total = try await query.copy().count()
        let items = try await query.sort(\.$seq, .descending).offset(paging.offset).limit(paging.per).all()
        return (items, total)
    }
}
