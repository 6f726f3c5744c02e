import Fluent
import SQLKit
import HamletWeb
import HamletDatabase

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
        var found: [String: AdminUnit] = [:]
        // Text rows: the units of a page's children were 5 % of an instance's CPU under load on
        // PostgreSQL, most of it the driver decoding seventeen columns a unit.
        let columns = AdminUnit.textColumns.select(db).joined(separator: ", ")
        for chunk in paths.chunks(of: 500) {
            let rows = try await TextRows.query(db, "SELECT " + columns + " FROM units WHERE structure = ? AND path IN (\(TextRows.marks(chunk.count)))",
                                                [UnitStructure.current.rawValue] + chunk, columns: AdminUnit.textColumns.keys)
            for row in rows {
                let u = try AdminUnit.read(text: row)
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
