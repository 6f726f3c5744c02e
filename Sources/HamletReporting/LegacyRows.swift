import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits

/// The lines a reported figure of a span before 01/07/2025 is broken down into, as the units of
/// that time had them: under a province, its districts of the time; under a 2025 commune, the
/// legacy communes that went into it. A value kept under a legacy unit's code goes to its own
/// line (a legacy commune to its district under a province); a value entered under a 2025 unit
/// for such a period cannot be placed in the structure of the time and keeps its own 2025 line,
/// marked as such. The country's lines stay its 2025 provinces, as coverage's do; a hamlet has no
/// lines of the time below it.
package struct LegacyRows {
    /// A line: its key in the grouping, and what the reader sees.
    package struct Line: Sendable {
        package var key: String
        package var code: String
        package var name: String
        package var structure: String?
        package init(key: String, code: String, name: String, structure: String? = nil) {
            (self.key, self.code, self.name, self.structure) = (key, code, name, structure)
        }
    }

    package let path: String

    private let legacy: [String: AdminUnit]
    private let names: ChildNames

    /// Whether a span ending on `end` under `unit` is broken down this way.
    package static func applies(end: String, unit: AdminUnit?, map: UnitMap) -> Bool {
        guard map == .ofTheTime, end <= UnitLoader.legacyEnd, let unit else { return false }
        return [.province, .commune].contains(unit.level)
    }

    /// What `map` a result of that span says: "legacy" when broken down by the units of the time,
    /// "2025" when a span before the reform keeps the 2025 lines; nothing after the reform.
    package static func label(end: String, applied: Bool) -> String? {
        end <= UnitLoader.legacyEnd ? (applied ? UnitMap.ofTheTime.rawValue : UnitMap.current.rawValue) : nil
    }

    package static let rule = "Kỳ trước 01/07/2025: số liệu chia theo đơn vị hành chính thời đó (huyện, xã trước sắp xếp); số liệu nhập theo đơn vị mới cho các kỳ ấy ghi thành dòng riêng. Thêm map=2025 để xem theo đơn vị sau sắp xếp."

    /// The key of a stored value's line, from where it was reported and where it counts.
    package func key(structure: String, code: String, unitPath: String) -> String {
        let depth = path.split(separator: ".").count
        if structure == UnitStructure.legacy.rawValue, let unit = legacy[code] {
            // Under a province a legacy commune goes to its district; a district or province is its own line.
            if depth == 1, unit.level == .commune, let district = unit.parentCode { return "legacy:" + district }
            return "legacy:" + code
        }
        return depth == 1 ? String(unitPath.prefix(9)) : unitPath
    }

    package func line(_ key: String) -> Line {
        if key.hasPrefix("legacy:") {
            let code = String(key.dropFirst(7))
            return Line(key: key, code: code, name: legacy[code]?.name ?? code, structure: UnitStructure.legacy.rawValue)
        }
        return Line(key: key, code: names.code(key), name: names.name(key) + (key == path ? "" : " (theo đơn vị mới)"),
                    structure: key == path ? nil : UnitStructure.current.rawValue)
    }

    /// Lines of the time first (by code), then the 2025 lines, the unit's own level first of those.
    package func sorted(_ keys: some Sequence<String>) -> [String] {
        Array(Set(keys)).sorted { a, b in
            let la = a.hasPrefix("legacy:"), lb = b.hasPrefix("legacy:")
            return la != lb ? la : a < b
        }
    }

    /// Reads the names needed for the stored values' keys (`structure`, `code`, `unitPath`), plus
    /// every line of the time under the unit (the pivot lists them even without values).
    package static func load(_ db: any Database, under unit: AdminUnit, reported: [(structure: String, code: String, unitPath: String)]) async throws -> (LegacyRows, [String]) {
        let map = LegacyMap(db: db), depth = unit.path.split(separator: ".").count
        let places = try await map.places(under: unit.path)
        let ofTheTime = depth == 1 ? places.map(\.district).filter { !$0.isEmpty } : places.map(\.code)
        let legacyCodes = reported.filter { $0.structure == UnitStructure.legacy.rawValue }.map(\.code)
        var units = try await map.units(legacyCodes + ofTheTime)
        // A legacy commune's district, for its name.
        if depth == 1 {
            let districts = units.values.filter { $0.level == .commune }.compactMap(\.parentCode).filter { units[$0] == nil }
            units.merge(try await map.units(districts)) { a, _ in a }
        }
        let others = reported.filter { $0.structure != UnitStructure.legacy.rawValue }.map { depth == 1 ? String($0.unitPath.prefix(9)) : $0.unitPath }
        let rows = LegacyRows(path: unit.path, legacy: units, names: try await ChildNames.of(others, under: unit, on: db))
        return (rows, ofTheTime.map { "legacy:" + $0 })
    }
}
