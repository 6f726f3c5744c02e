import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits

/// Who reported a commune form for periods before 01/07/2025, over the communes of that time.
/// Those periods were reported in other systems and brought in under the legacy communes' codes,
/// so a legacy commune with values of the form for a period has reported it (`Timeliness.kept`:
/// when it was sent is not known); one without has not. The 2025 communes did not exist yet and
/// are not expected. Rows are grouped under a province by its districts of the time, under a 2025
/// commune by the legacy communes that went into it, under the country by 2025 province.
package struct LegacyCompleteness {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    /// A reporting unit of the time: its code, name, the path it counts at, and its group's key.
    package struct Place {
        package var code: String
        package var name: String
        package var path: String
        package var child: String?
        package init(code: String, name: String, path: String, child: String? = nil) {
            (self.code, self.name, self.path, self.child) = (code, name, path, child)
        }
    }

    /// A span wholly before the reform, of a form communes report, under the country, a province or a commune.
    package static func applies(_ set: DataSet, _ periods: [Period], unit: AdminUnit?) -> Bool {
        guard let last = periods.last, last.end.iso <= UnitLoader.legacyEnd, set.levels.contains(.commune) else { return false }
        return unit == nil || [.province, .commune].contains(unit!.level)
    }

    package func places(under path: String) async throws -> [Place] {
        let depth = path.split(separator: ".").count
        return try await LegacyMap(db: db).places(under: path).map { p in
            Place(code: p.code, name: p.name, path: p.successorPath,
                  child: depth == 0 ? nil : "legacy:" + (depth == 1 && !p.district.isEmpty ? p.district : p.code))
        }
    }

    /// For each legacy commune, the periods (by id) it holds values of the form for.
    package func reported(_ set: DataSet, codes: [String], periods: [Period]) async throws -> [String: Set<String>] {
        guard let sql = db as? any SQLDatabase, !codes.isEmpty else { return [:] }
        let elements = try await ReportForm.load(set, on: db).elements.compactMap(\.id)
        guard !elements.isEmpty else { return [:] }
        var out: [String: Set<String>] = [:]
        for chunk in codes.chunks(of: 500) {
            for row in try await sql.raw("""
                SELECT DISTINCT org_code, period FROM data_values WHERE org_structure = 'legacy' AND element_id IN (\(binds: elements))
                  AND period IN (\(binds: periods.map(\.id))) AND org_code IN (\(binds: Array(chunk)))
                """).all() {
                out[try row.decode(column: "org_code", as: String.self), default: []].insert(try row.decode(column: "period", as: String.self))
            }
        }
        return out
    }

    /// Names of the groups of the time ("legacy:CODE").
    package func names(_ keys: some Sequence<String>) async throws -> [String: AdminUnit] {
        let codes = keys.filter { $0.hasPrefix("legacy:") }.map { String($0.dropFirst(7)) }
        return Dictionary(uniqueKeysWithValues: try await LegacyMap(db: db).units(codes).map { ("legacy:" + $0.key, $0.value) })
    }
}
