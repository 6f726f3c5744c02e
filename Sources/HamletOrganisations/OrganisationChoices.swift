import Foundation
import Fluent
import HamletWeb

/// The organisations a form offers to choose from (a class's organiser, a duty's reporter, a
/// board's member agency): of one kind or any, inside a unit's subtree (the country: ""), by name,
/// at most `limit`. Not the account's scope: a provincial plan names central agencies too.
package struct OrganisationChoices {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    package func list(_ kind: OrgKind? = nil, under path: String = "", limit: Int) async throws -> [Organisation] {
        let query = Organisation.query(on: db)
        if let kind { query.filter(\.$kind == kind) }
        if !path.isEmpty { query.filter(\.$unitPath >= path).filter(\.$unitPath < AccessScope.upperBound(path)) }
        return try await query.sort(\.$name).limit(limit).all()
    }
}
