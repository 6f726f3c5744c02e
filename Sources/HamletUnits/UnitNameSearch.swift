import Vapor
import Fluent
import HamletKit
import HamletWeb

extension UnitDirectory {
    /// A unit found by its name, with the units it sits in (below the account's own).
    package struct Named: Sendable { package var unit: AdminUnit; package var within: String }

    /// Open 2025 units inside the account's subtree whose name holds the typed words (accents and
    /// case ignored), in tree order (a unit before those inside it); at most `limit` + 1, so the caller can tell there are more.
    package func named(_ text: String, levels: [UnitLevel] = [], limit: Int) async throws -> [Named] {
        let words = VietnameseText.folded(text)
        guard !words.isEmpty else { return [] }
        let query = AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$closedOn == nil)
            .filter(\.$path >= scope.path).filter(\.$path < AccessScope.upperBound(scope.path))
            .filter(\.$searchName, .custom("LIKE"), "%" + Self.escapeLike(words) + "%")
        if !levels.isEmpty { query.filter(\.$level ~~ levels) }
        let units = try await query.sort(\.$path).limit(limit + 1).all()
        let within = try await within(units.map { UnitDirectory.ancestorPaths(of: $0.path) })
        return zip(units, within).map { Named(unit: $0, within: $1) }
    }

    /// What a form's unit field holds as a code: a code as it is, a name matching exactly one unit
    /// of the account's subtree as that unit's code; anything else as typed, for the check to refuse.
    package func code(typed raw: String?) async throws -> String? {
        let typed = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !typed.isEmpty, !(typed.allSatisfy(\.isNumber) || typed.contains("-")) else { return typed }
        let found = try await named(typed, limit: 2)
        return found.count == 1 ? found[0].unit.code : typed
    }

    /// For each list of ancestor paths (top first), the names of those below the account's own
    /// unit, nearest first: "Xã Vĩnh Thuận, Tỉnh An Giang" tells two "Ấp Một" apart.
    package func within(_ lines: [[String]]) async throws -> [String] {
        let shown = lines.map { $0.filter { $0.count > scope.path.count }.reversed() }
        let names = try await UnitTree.units(atPaths: Array(Set(shown.flatMap { $0 })), on: db)
        return shown.map { line in line.compactMap { names[$0]?.name }.joined(separator: ", ") }
    }
}
