import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase

/// Loads the shipped GSO lists (Resources/AdminUnits) into an empty database: both structures
/// and the 2025 succession. Runs once; later starts see the rows and skip it.
package enum UnitLoader {
    package static let reform2025Date = "2025-07-01"
    package static let legacyEnd = "2025-06-30"

    /// Whether it loaded them (a first start).
    @discardableResult
    package static func loadIfEmpty(_ app: Application) async throws -> Bool {
        if try await AdminUnit.query(on: app.db).count() > 0 { return false }
        let folder = app.directory.resourcesDirectory + "AdminUnits/"
        try await load(folder: folder, on: app.db)
        return true
    }

    package static func load(folder: String, on db: any Database) async throws {
        let current = try readUnits(folder + "units-2025.csv", structure: .current, validFrom: reform2025Date, validTo: nil)
        let legacy = try readUnits(folder + "units-legacy.csv", structure: .legacy, validFrom: nil, validTo: legacyEnd)
        let successions = try readSuccessions(folder + "legacy-to-2025.csv")
        // Multi-row inserts in one transaction: 26,000 models through Fluent took seconds of the
        // first start, and a half-loaded list would be kept (later starts skip a non-empty table).
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else { throw HamletError.invalid("database", "Cơ sở dữ liệu không hỗ trợ SQL.") }
            try await BulkLoad.insert(AdminUnit.schema, columns: ["id", "structure", "code", "name", "short_name", "type", "level", "parent_code",
                                                                 "path", "search_name", "valid_from", "valid_to", "lat", "lon", "area_km2"],
                                      rows: (current + legacy).map { u in
                                          [.uuid(u.id!), .text(u.structure), .text(u.code), .text(u.name), BulkLoad.text(u.shortName), .text(u.type),
                                           .enumText(u.level.rawValue), BulkLoad.text(u.parentCode), .text(u.path), .text(u.searchName),
                                           BulkLoad.text(u.validFrom), BulkLoad.text(u.validTo), BulkLoad.double(u.lat), BulkLoad.double(u.lon),
                                           BulkLoad.double(u.areaKm2)]
                                      }, on: sql)
            try await BulkLoad.insert(UnitSuccession.schema, columns: ["id", "reform", "from_structure", "from_code", "to_structure", "to_code",
                                                                      "kind", "is_default", "effective_date"],
                                      rows: successions.map { s in
                                          [.uuid(s.id!), .text(s.reform), .text(s.fromStructure), .text(s.fromCode), .text(s.toStructure),
                                           .text(s.toCode), .text(s.kind), .bool(s.isDefault), .text(s.effectiveDate)]
                                      }, on: sql)
        }
    }

    package static func readUnits(_ file: String, structure: UnitStructure, validFrom: String?, validTo: String?) throws -> [AdminUnit] {
        let rows = try CSVTable.parse(Data(contentsOf: URL(fileURLWithPath: file)), limits: .trusted)
        guard let header = rows.first?.cells else { return [] }
        let col = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        func cell(_ row: SheetRow, _ name: String) -> String { col[name].map { row[$0] } ?? "" }
        var paths: [String: String] = [:]
        var units: [AdminUnit] = []
        // Parents come before children in the files (provinces, then districts, then communes).
        for row in rows.dropFirst() where !row.isBlank {
            let unit = AdminUnit()
            unit.id = UUID()
            unit.structure = structure.rawValue
            unit.code = cell(row, "code")
            unit.name = VietnameseText.normalized(cell(row, "name"))
            unit.shortName = VietnameseText.normalized(cell(row, "short_name"))
            unit.type = cell(row, "type")
            unit.level = UnitLevel(rawValue: cell(row, "level")) ?? .commune
            let parent = cell(row, "parent_code")
            unit.parentCode = parent.isEmpty ? nil : parent
            unit.path = (parent.isEmpty ? "" : paths[parent] ?? "") + unit.code + "."
            paths[unit.code] = unit.path
            unit.searchName = VietnameseText.folded(unit.name)
            unit.validFrom = validFrom
            unit.validTo = validTo
            unit.lat = Double(cell(row, "lat"))
            unit.lon = Double(cell(row, "lon"))
            unit.areaKm2 = Double(cell(row, "area_km2"))
            units.append(unit)
        }
        return units
    }

    package static func readSuccessions(_ file: String) throws -> [UnitSuccession] {
        let rows = try CSVTable.parse(Data(contentsOf: URL(fileURLWithPath: file)), limits: .trusted)
        return rows.dropFirst().filter { !$0.isBlank }.map { row in
            let s = UnitSuccession(reform: "2025", from: (UnitStructure.legacy.rawValue, row[0]), to: (UnitStructure.current.rawValue, row[1]),
                                   kind: row[2], isDefault: row[3] == "1", effectiveDate: reform2025Date)
            s.id = UUID()
            return s
        }
    }
}

extension ArraySlice where Element: Model {
    package func create(on db: any Database) async throws { try await Array(self).create(on: db) }
}
