import Fluent
import SQLKit

/// Grouping figures by the unit one level below a chosen one, for every per-child breakdown
/// (coverage, training, needs, indicators).
enum UnitTree {
    /// The SQL giving, from a path column, the path of the child of `parent` it lies under:
    /// 2025 codes have 2-digit provinces and 5-digit communes, so the first two levels have fixed
    /// widths ("91." is 3 characters, "91.30292." 9); below a commune, the place's own path
    /// (hamlet codes vary in length).
    static func child(_ column: String, under parent: String) -> SQLQueryString {
        switch parent.split(separator: ".").count {
        case 0: return "SUBSTR(\(unsafeRaw: column), 1, 3)"
        case 1: return "SUBSTR(\(unsafeRaw: column), 1, 9)"
        default: return "\(unsafeRaw: column)"
        }
    }

    /// The 2025 units at these paths, by path.
    static func units(atPaths paths: [String], on db: any Database) async throws -> [String: AdminUnit] {
        var found: [String: AdminUnit] = [:]
        for chunk in paths.chunks(of: 500) {
            for u in try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$path ~~ Array(chunk)).all() {
                found[u.path] = u
            }
        }
        return found
    }
}
