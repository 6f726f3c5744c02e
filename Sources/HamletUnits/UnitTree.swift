import Fluent
import SQLKit
import HamletWeb

/// Grouping figures by the unit one level below a chosen one, for every per-child breakdown
/// (coverage, training, needs, indicators).
package enum UnitTree {
    /// The SQL giving, from a path column, the path of the child of `parent` it lies under:
    /// 2025 codes have 2-digit provinces and 5-digit communes, so the first two levels have fixed
    /// widths ("91." is 3 characters, "91.30292." 9); below a commune, the place's own path
    /// (hamlet codes vary in length).
    package static func child(_ column: String, under parent: String) -> SQLQueryString {
        switch parent.split(separator: ".").count {
        case 0: return "SUBSTR(\(unsafeRaw: column), 1, 3)"
        case 1: return "SUBSTR(\(unsafeRaw: column), 1, 9)"
        default: return "\(unsafeRaw: column)"
        }
    }

    /// The 2025 units at these paths, by path.
    package static func units(atPaths paths: [String], on db: any Database) async throws -> [String: AdminUnit] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        var found: [String: AdminUnit] = [:]
        for chunk in paths.chunks(of: 500) {
            for row in try await sql.raw("SELECT \(unsafeRaw: AdminUnit.columns) FROM units WHERE structure = \(bind: UnitStructure.current.rawValue)"
                                         + " AND path IN (\(binds: Array(chunk)))").all() {
                let u = try AdminUnit.read(row)
                found[u.path] = u
            }
        }
        return found
    }
}

/// How a figure's children are shown: each child path as its 2025 unit's code and name, and the
/// scope's own path (people or data at the unit itself, not below it) as "<unit> (cấp này)".
package struct ChildNames {
    package let units: [String: AdminUnit]
    package let path: String
    package let unitName: String

    package init(units: [String: AdminUnit], path: String, unitName: String) {
        (self.units, self.path, self.unitName) = (units, path, unitName)
    }

    package static func of(_ paths: some Sequence<String>, under unit: AdminUnit?, on db: any Database) async throws -> ChildNames {
        ChildNames(units: try await UnitTree.units(atPaths: paths.filter { !$0.isEmpty }, on: db), path: unit?.path ?? "", unitName: unit?.name ?? "")
    }

    package func code(_ path: String) -> String { units[path]?.code ?? path }
    package func name(_ path: String) -> String { path == self.path ? "\(unitName) (cấp này)" : units[path]?.name ?? path }
}
