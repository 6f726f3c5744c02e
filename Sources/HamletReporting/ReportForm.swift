import Vapor
import Fluent
import HamletKit
import HamletWeb

/// A form laid out as cells: each element once per combination of its categories' options
/// ("default" when it has none), in the form's order, grouped by section.
package struct ReportForm {
    package struct Cell: Sendable {
        package var element: DataElement
        package var combo: String
        package var comboName: String

        package init(element: DataElement, combo: String, comboName: String) {
            (self.element, self.combo, self.comboName) = (element, combo, comboName)
        }
        /// The field name a page and an error use: "CODE" or "CODE.COMBO".
        package var field: String { combo == Self.defaultCombo ? element.code : element.code + "." + combo }
        package static let defaultCombo = "default"
    }
    package struct Section {
        package var name: String
        package var cells: [Cell]
        package init(name: String, cells: [Cell]) {
            self.name = name
            self.cells = cells
        }
    }

    package let set: DataSet
    package let sections: [Section]

    package init(set: DataSet, sections: [Section]) { self.set = set; self.sections = sections }

    package var cells: [Cell] { sections.flatMap(\.cells) }
    package var elements: [DataElement] { var seen = Set<UUID>(); return cells.map(\.element).filter { seen.insert($0.id!).inserted } }

    package static func load(_ set: DataSet, on db: any Database) async throws -> ReportForm {
        let rows = try await CatalogueService(db: db, actor: nil, ip: nil).elementsOf(set)
        let codes = Set(rows.flatMap { $0.element.categoryCodes })
        var categories: [String: DataCategory] = [:]
        if !codes.isEmpty { for c in try await DataCategory.query(on: db).filter(\.$code ~~ Array(codes)).all() { categories[c.code] = c } }
        var sections: [Section] = []
        for row in rows {
            let cells = combos(row.element.categoryCodes.compactMap { categories[$0] }).map { Cell(element: row.element, combo: $0.0, comboName: $0.1) }
            if let last = sections.last, last.name == row.section { sections[sections.count - 1].cells += cells } else { sections.append(Section(name: row.section, cells: cells)) }
        }
        return ReportForm(set: set, sections: sections)
    }

    /// Every combination of the categories' options, as (code, name): option codes joined by "_".
    package static func combos(_ categories: [DataCategory]) -> [(String, String)] {
        combinations(categories).map { ($0.code, $0.name) }
    }

    /// Every combination with the option it takes in each category (category code → option code),
    /// as ADX writes it.
    package static func combinations(_ categories: [DataCategory]) -> [(code: String, name: String, options: [String: String])] {
        guard !categories.isEmpty else { return [(Cell.defaultCombo, "", [:])] }
        var out: [([String], [String], [String: String])] = [([], [], [:])]
        for category in categories {
            out = out.flatMap { prefix in
                category.options.map { (prefix.0 + [$0.code], prefix.1 + [$0.name], prefix.2.merging([category.code: $0.code]) { a, _ in a }) }
            }
        }
        return out.map { ($0.0.joined(separator: "_"), $0.1.joined(separator: ", "), $0.2) }
    }

    /// The cell a client names by element code and combination code (empty or "default" alike).
    package func cell(element: String, combo: String?) -> Cell? {
        let wanted = (combo ?? "").isEmpty ? Cell.defaultCombo : combo!
        return cells.first { $0.element.code == element && $0.combo == wanted }
    }
}
