import Vapor
import Fluent
import HamletKit
import HamletWeb

/// Reads of the figures for a base: which year to use, and the figures of some groups in a subtree.
package struct PopulationFigures {
    package let db: any Database

    package init(db: any Database) {
        self.db = db
    }

    /// The latest year, not after `year`, with a figure for any of the groups in the subtree
    /// (or at the unit itself): a base is one year's figures, never a mix of years.
    package func latestYear(groups: [String], notAfter year: Int, under path: String) async throws -> Int? {
        try await PopulationFigure.query(on: db).filter(\.$group ~~ groups).filter(\.$year <= year)
            .filter(\.$unitPath >= path).filter(\.$unitPath < AccessScope.upperBound(path))
            .sort(\.$year, .descending).first()?.year
    }

    /// group → unit path → value, for one year.
    package func figures(groups: [String], year: Int, under path: String) async throws -> [String: [String: Int]] {
        Self.byGroup(try await rows(groups: groups, year: year, under: path))
    }

    private func rows(groups: [String], year: Int, under path: String) async throws -> [PopulationFigure] {
        try await PopulationFigure.query(on: db).filter(\.$group ~~ groups).filter(\.$year == year)
            .filter(\.$unitPath >= path).filter(\.$unitPath < AccessScope.upperBound(path)).all()
    }

    private static func byGroup(_ rows: [PopulationFigure]) -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for f in rows { out[f.group, default: [:]][f.unitPath] = f.value }
        return out
    }

    /// The base of a unit and of each of its children for the groups (summed over the groups), and the sources.
    package func base(groups: [String], year: Int, under path: String) async throws -> (total: Int?, children: [String: Int], sources: [String]) {
        let rows = try await rows(groups: groups, year: year, under: path), figures = Self.byGroup(rows)
        var total: Int?, children: [String: Int] = [:]
        for group in groups {
            let split = PopulationBase.split(path, figures[group] ?? [:])
            if let t = split.total { total = (total ?? 0) + t }
            for (child, value) in split.children { children[child, default: 0] += value }
        }
        return (total, children, Array(Set(rows.map(\.source))).sorted())
    }
}
