import Vapor
import Fluent
import HamletKit
import HamletWeb

/// What a unit field offers as one types part of a name: open 2025 units inside the account's
/// subtree, accents and case optional, each with the units above it ("Khóm 1 — Phường Bình Đức,
/// Tỉnh An Giang"), so two hamlets of the same name can be told apart. The value is the code,
/// which every unit field takes.
package struct UnitSuggestion: Content {
    package var code: String
    package var name: String
    package var level: String
    /// The units above it, nearest first, inside the country.
    package var above: String
    /// What a list shows: the name, then the units above it.
    package var label: String

    package init(code: String, name: String, level: String, above: String, label: String) {
        (self.code, self.name, self.level, self.above) = (code, name, level, above)
        self.label = label
    }
}

package struct UnitSuggestions: Content {
    package var items: [UnitSuggestion]

    package init(items: [UnitSuggestion]) { self.items = items }
}

extension UnitDirectory {
    package static let suggestionLimit = 10

    package func suggestions(_ typed: String, level: UnitLevel?) async throws -> [UnitSuggestion] {
        let text = VietnameseText.folded(VietnameseText.normalized(typed))
        guard text.count >= 2 else { return [] }
        let upper = AccessScope.upperBound(scope.path)
        let query = AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$path >= scope.path).filter(\.$path < upper).filter(\.$closedOn == nil)
            .group(.or) { $0.filter(\.$searchName, .custom("LIKE"), "%" + Self.escapeLike(text) + "%").filter(\.$code == typed.trimmingCharacters(in: .whitespaces)) }
        if let level { query.filter(\.$level == level) }
        let found = try await query.sort(\.$path).limit(200).all()
        // A whole name first ("Khóm 1" before "Khóm 10"), then a name that begins with what was
        // typed, then the larger units, then by name.
        func rank(_ u: AdminUnit) -> Int {
            u.code == text || u.searchName == text || u.searchName.hasSuffix(" " + text) ? 0
                : u.searchName.hasPrefix(text) || u.searchName.contains(" " + text) ? 1 : 2
        }
        func depth(_ u: AdminUnit) -> Int { UnitLevel.allCases.firstIndex(of: u.level) ?? 0 }
        let chosen = found.sorted { (rank($0), depth($0), $0.searchName) < (rank($1), depth($1), $1.searchName) }
            .prefix(Self.suggestionLimit)
        let above = try await unitsAbove(Array(chosen))
        return chosen.map { unit in
            let names = (above[unit.path] ?? []).map(\.name).joined(separator: ", ")
            return UnitSuggestion(code: unit.code, name: unit.name, level: unit.level.rawValue, above: names,
                                  label: names.isEmpty ? unit.name : unit.name + " — " + names)
        }
    }
}

/// `GET /units/suggest?q=…&level=…` for the pages' unit fields (session), and the same under
/// `/api/v1` (token).
package struct UnitSuggestRoutes: RouteCollection {
    package let api: Bool

    package init(api: Bool) { self.api = api }

    package func boot(routes: any RoutesBuilder) throws {
        routes.get("units", "suggest", use: suggest)
    }

    package func suggest(req: Request) async throws -> UnitSuggestions {
        var level: UnitLevel? = nil
        if let raw: String = req.query["level"], !raw.isEmpty {
            guard let l = UnitLevel(rawValue: raw), l != .district else {
                throw HamletError.invalid("level", "Cấp phải là province, commune hoặc hamlet.")
            }
            level = l
        }
        return UnitSuggestions(items: try await UnitDirectory(db: req.db, scope: req.scope).suggestions(req.query["q"] ?? "", level: level))
    }
}
