import Foundation
import Fluent
import HamletWeb

/// The organisations a form offers to choose from (a class's organiser, a duty's reporter, a
/// board's member agency): of one kind or any, inside a unit's subtree (the country: ""), by name,
/// at most `limit`. Not the account's scope: a provincial plan names central agencies too.
package struct OrganisationChoices {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    package func list(_ kind: OrgKind? = nil, under path: String = "", excluding excluded: UUID? = nil, limit: Int) async throws -> [Organisation] {
        let query = Organisation.query(on: db)
        if let kind { query.filter(\.$kind == kind) }
        if !path.isEmpty { query.filter(\.$unitPath >= path).filter(\.$unitPath < AccessScope.upperBound(path)) }
        if let excluded { query.filter(\.$id != excluded) }
        return try await query.sort(\.$name).limit(limit).all()
    }

    /// These organisations, by name (those a caseworker serves at).
    package func list(ids: [UUID]) async throws -> [Organisation] {
        guard !ids.isEmpty else { return [] }
        return try await Organisation.query(on: db).filter(\.$id ~~ ids).sort(\.$name).all()
    }

    /// The names of organisations a list shows by id (a post's employer, a referral's receiver).
    package func names(of ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        for org in try await Organisation.query(on: db).filter(\.$id ~~ Array(Set(ids))).all() { names[org.id!] = org.name }
        return names
    }
}
