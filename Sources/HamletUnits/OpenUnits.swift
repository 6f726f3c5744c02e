import Foundation
import Fluent
import HamletWeb

/// The 2025 units still open, as pages list and count them: a unit's children, the provinces and
/// communes under a unit (for a form's choice), how many of a level lie under it.
package enum OpenUnits {
    private static func query(_ db: any Database) -> QueryBuilder<AdminUnit> {
        AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$closedOn == nil)
    }

    /// The open units directly under the unit with this code, by code.
    package static func children(of code: String, on db: any Database) async throws -> [AdminUnit] {
        try await query(db).filter(\.$parentCode == code).sort(\.$code).all()
    }

    /// The open units of these levels under `path` (itself included), by path, at most `limit`.
    package static func under(_ path: String, levels: [UnitLevel], limit: Int, on db: any Database) async throws -> [AdminUnit] {
        try await query(db).filter(\.$path >= path).filter(\.$path < AccessScope.upperBound(path)).filter(\.$level ~~ levels)
            .sort(\.$path).limit(limit).all()
    }

    /// How many open units of a level lie under `path` ("": the country).
    package static func count(_ level: UnitLevel, under path: String, on db: any Database) async throws -> Int {
        let q = query(db).filter(\.$level == level)
        if !path.isEmpty { q.filter(\.$path >= path).filter(\.$path < AccessScope.upperBound(path)) }
        return try await q.count()
    }
}
