import Vapor
import Fluent
import FluentSQL
import SQLKit
import HamletKit
import HamletWeb

/// Every read of the unit tree, with the scope rule applied in one place:
/// - 2025 units: the scope's subtree, plus its ancestors (the way up, nothing beside it);
/// - legacy units: those whose communes went, wholly or in part, into the scope's subtree.
package struct UnitDirectory {
    package let db: any Database
    package let scope: AccessScope

    package init(db: any Database, scope: AccessScope) { self.db = db; self.scope = scope }

    package func find(_ structure: UnitStructure, _ code: String) async throws -> AdminUnit? {
        let query = AdminUnit.query(on: db).filter(\.$structure == structure.rawValue).filter(\.$code == code)
        try await restrict(query, structure)
        return try await query.first()
    }

    package func require(_ structure: UnitStructure, _ code: String) async throws -> AdminUnit {
        guard let unit = try await find(structure, code) else { throw HamletError.notFound }
        return unit
    }

    /// A 2025 unit the account may change (inside its subtree, not merely an ancestor).
    package func requireEditable(_ code: String) async throws -> AdminUnit {
        let unit = try await require(.current, code)
        guard scope.contains(path: unit.path) else { throw HamletError.notFound }
        return unit
    }

    /// Applies the scope rule to any query on units.
    @discardableResult
    package func restrict(_ query: QueryBuilder<AdminUnit>, _ structure: UnitStructure) async throws -> QueryBuilder<AdminUnit> {
        if scope.isNation { return query }
        switch structure {
        case .current:
            let ancestors = Self.ancestorPaths(of: scope.path)
            query.group(.or) { or in
                or.group(.and) { and in
                    and.filter(\.$path >= scope.path).filter(\.$path < AccessScope.upperBound(scope.path))
                }
                if !ancestors.isEmpty { or.filter(\.$path ~~ ancestors) }
            }
        case .legacy:
            // A hamlet's account sees no legacy unit (successions go to communes): an empty list
            // must match nothing, not reach PostgreSQL as an empty IN.
            let paths = try await legacyPaths()
            if paths.isEmpty { query.filter(\.$code == "") } else { query.filter(\.$path ~~ paths) }
        }
        return query
    }

    /// The legacy units the scope may see: communes that went (wholly or in part) into it, and
    /// their districts and provinces. One query, a few hundred paths for a province at most.
    package func legacyPaths() async throws -> [String] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let rows = try await sql.raw("""
            SELECT DISTINCT lc.path AS path FROM unit_successions s
              JOIN units nc ON nc.structure = s.to_structure AND nc.code = s.to_code
              JOIN units lc ON lc.structure = s.from_structure AND lc.code = s.from_code
            WHERE s.from_structure = 'legacy'
              AND nc.path >= \(bind: scope.path) AND nc.path < \(bind: AccessScope.upperBound(scope.path))
            """).all()
        var paths = Set<String>()
        for row in rows {
            let path = try row.decode(column: "path", as: String.self)
            paths.insert(path)
            paths.formUnion(Self.ancestorPaths(of: path))
        }
        return Array(paths)
    }

    /// "89.30280.00001." → ["89.", "89.30280."]
    package static func ancestorPaths(of path: String) -> [String] {
        let parts = path.split(separator: ".")
        guard parts.count > 1 else { return [] }
        return (1..<parts.count).map { parts[0..<$0].joined(separator: ".") + "." }
    }

    package func ancestors(of unit: AdminUnit) async throws -> [AdminUnit] {
        let paths = Self.ancestorPaths(of: unit.path)
        guard !paths.isEmpty else { return [] }
        return try await AdminUnit.query(on: db).filter(\.$structure == unit.structure).filter(\.$path ~~ paths)
            .sort(\.$path).all()
    }

    package func children(of unit: AdminUnit, includeClosed: Bool = false) async throws -> [AdminUnit] {
        let query = AdminUnit.query(on: db).filter(\.$structure == unit.structure).filter(\.$parentCode == unit.code)
        if !includeClosed { query.filter(\.$closedOn == nil) }
        try await restrict(query, UnitStructure(rawValue: unit.structure) ?? .current)
        // Sorted here: asked to sort, SQLite walks every unit in code order instead of the parent's index.
        return try await query.all().sorted { $0.code < $1.code }
    }

    package struct ListFilter {
        package var structure: UnitStructure = .current
        package var level: UnitLevel?
        package var parent: String?
        package var q: String?

        package init(structure: UnitStructure = .current, level: UnitLevel? = nil, parent: String? = nil, q: String? = nil,
                     includeClosed: Bool = false, page: Int = 1, per: Int = 50) {
            (self.structure, self.level, self.parent, self.q) = (structure, level, parent, q)
            (self.includeClosed, self.page, self.per) = (includeClosed, page, per)
        }
        package var includeClosed = false
        package var page = 1
        package var per = 50
    }

    package func list(_ filter: ListFilter) async throws -> (items: [AdminUnit], total: Int) {
        let query = AdminUnit.query(on: db).filter(\.$structure == filter.structure.rawValue)
        if let level = filter.level { query.filter(\.$level == level) }
        if let parent = filter.parent { query.filter(\.$parentCode == parent) }
        if let q = filter.q.map(VietnameseText.folded), !q.isEmpty {
            query.group(.or) { or in
                or.filter(\.$searchName, .custom("LIKE"), "%" + Self.escapeLike(q) + "%")
                or.filter(\.$code == q)
            }
        }
        if !filter.includeClosed { query.filter(\.$closedOn == nil) }
        try await restrict(query, filter.structure)
        let total = try await query.copy().count()
        let items = try await query.copy().sort(\.$level).sort(\.$code)
            .offset((filter.page - 1) * filter.per).limit(filter.per).all()
        return (items, total)
    }

    package static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
    }

    /// Per unit: open direct children, and (2025 structure) open hamlets anywhere below.
    package func counts(for units: [AdminUnit]) async throws -> [String: (children: Int, hamlets: Int)] {
        guard let first = units.first, let sql = db as? any SQLDatabase else { return [:] }
        let codes = units.map(\.code)
        var result: [String: (Int, Int)] = [:]
        let direct = try await sql.raw("""
            SELECT parent_code AS code, COUNT(*) AS n FROM units
            WHERE structure = \(bind: first.structure) AND closed_on IS NULL AND parent_code IN (\(binds: codes))
            GROUP BY parent_code
            """).all()
        for row in direct {
            result[try row.decode(column: "code", as: String.self)] = (try row.decode(column: "n", as: Int.self), 0)
        }
        if first.structure == UnitStructure.current.rawValue {
            for unit in units where unit.level == .province {
                let n = try await AdminUnit.query(on: db).filter(\.$structure == unit.structure).filter(\.$level == .hamlet)
                    .filter(\.$closedOn == nil).filter(\.$path >= unit.path).filter(\.$path < AccessScope.upperBound(unit.path)).count()
                result[unit.code, default: (0, 0)].1 = n
            }
            for unit in units where unit.level == .commune {
                result[unit.code, default: (0, 0)].1 = result[unit.code]?.0 ?? 0
            }
        }
        return result.mapValues { (children: $0.0, hamlets: $0.1) }
    }

    /// Where a legacy unit went (reading forward) or what a 2025 unit came from (reading back).
    package func succession(of unit: AdminUnit) async throws -> [(line: UnitSuccession, unit: AdminUnit?)] {
        let forward = unit.structure == UnitStructure.legacy.rawValue
        let lines = try await UnitSuccession.query(on: db)
            .filter(forward ? \.$fromStructure : \.$toStructure, .equal, unit.structure)
            .filter(forward ? \.$fromCode : \.$toCode, .equal, unit.code)
            .all()
        let otherCodes = lines.map { forward ? $0.toCode : $0.fromCode }
        let otherStructure = forward ? UnitStructure.current.rawValue : UnitStructure.legacy.rawValue
        let others = otherCodes.isEmpty ? [] : try await AdminUnit.query(on: db)
            .filter(\.$structure == otherStructure).filter(\.$code ~~ otherCodes).all()
        let byCode = Dictionary(uniqueKeysWithValues: others.map { ($0.code, $0) })
        return lines.sorted { ($0.isDefault ? 0 : 1, forward ? $0.toCode : $0.fromCode) < ($1.isDefault ? 0 : 1, forward ? $1.toCode : $1.fromCode) }
            .map { ($0, byCode[forward ? $0.toCode : $0.fromCode]) }
    }
}
