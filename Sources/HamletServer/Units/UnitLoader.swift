import Vapor
import Fluent
import SQLKit
import HamletKit

/// Loads the shipped GSO lists (Resources/AdminUnits) into an empty database: both structures
/// and the 2025 succession. Runs once; later starts see the rows and skip it.
enum UnitLoader {
    static let reform2025Date = "2025-07-01"
    static let legacyEnd = "2025-06-30"

    static func loadIfEmpty(_ app: Application) async throws {
        if try await AdminUnit.query(on: app.db).count() > 0 { return }
        let folder = app.directory.resourcesDirectory + "AdminUnits/"
        try await load(folder: folder, on: app.db)
        app.logger.info("Đã nạp danh mục đơn vị hành chính.")
    }

    static func load(folder: String, on db: any Database) async throws {
        let current = try readUnits(folder + "units-2025.csv", structure: .current, validFrom: reform2025Date, validTo: nil)
        let legacy = try readUnits(folder + "units-legacy.csv", structure: .legacy, validFrom: nil, validTo: legacyEnd)
        let successions = try readSuccessions(folder + "legacy-to-2025.csv")
        // Multi-row inserts through SQLKit: 26,000 models through Fluent took seconds of the first start.
        // The level is a literal so PostgreSQL casts it to its enum type, as Fluent does.
        try await db.transaction { tx in
            guard let sql = tx as? any SQLDatabase else {
                for chunk in (current + legacy).chunks(of: 1000) { try await chunk.create(on: tx) }
                for chunk in successions.chunks(of: 2000) { try await chunk.create(on: tx) }
                return
            }
            for chunk in (current + legacy).chunks(of: 1000) {
                let insert = sql.insert(into: AdminUnit.schema).columns("id", "structure", "code", "name", "short_name", "type", "level", "parent_code",
                                                                        "path", "search_name", "valid_from", "valid_to", "lat", "lon", "area_km2")
                for u in chunk {
                    insert.values([SQLBind(u.id), SQLBind(u.structure), SQLBind(u.code), SQLBind(u.name), SQLBind(u.shortName), SQLBind(u.type),
                                   SQLLiteral.string(u.level.rawValue), SQLBind(u.parentCode), SQLBind(u.path), SQLBind(u.searchName), SQLBind(u.validFrom), SQLBind(u.validTo),
                                   SQLBind(u.lat), SQLBind(u.lon), SQLBind(u.areaKm2)])
                }
                try await insert.run()
            }
            for chunk in successions.chunks(of: 2000) {
                let insert = sql.insert(into: UnitSuccession.schema).columns("id", "reform", "from_structure", "from_code", "to_structure", "to_code",
                                                                             "kind", "is_default", "effective_date")
                for s in chunk {
                    insert.values([SQLBind(s.id), SQLBind(s.reform), SQLBind(s.fromStructure), SQLBind(s.fromCode), SQLBind(s.toStructure),
                                   SQLBind(s.toCode), SQLBind(s.kind), SQLBind(s.isDefault), SQLBind(s.effectiveDate)])
                }
                try await insert.run()
            }
        }
    }

    static func readUnits(_ file: String, structure: UnitStructure, validFrom: String?, validTo: String?) throws -> [AdminUnit] {
        let rows = try CSVTable.parse(Data(contentsOf: URL(fileURLWithPath: file)))
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

    static func readSuccessions(_ file: String) throws -> [UnitSuccession] {
        let rows = try CSVTable.parse(Data(contentsOf: URL(fileURLWithPath: file)))
        return rows.dropFirst().filter { !$0.isBlank }.map { row in
            let s = UnitSuccession(reform: "2025", from: (UnitStructure.legacy.rawValue, row[0]), to: (UnitStructure.current.rawValue, row[1]),
                                   kind: row[2], isDefault: row[3] == "1", effectiveDate: reform2025Date)
            s.id = UUID()
            return s
        }
    }
}

extension Array {
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension ArraySlice where Element: Model {
    func create(on db: any Database) async throws { try await Array(self).create(on: db) }
}
