import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletTraining

/// Whose money a budget indicator adds up: the plans' own budget lines, or the training classes'.
package enum BudgetBasis: String, Codable, CaseIterable, Sendable, Choice {
    case plans, training
    package var label: String {
        switch self {
        case .plans: return "Dòng kinh phí của kế hoạch"
        case .training: return "Kinh phí các lớp đào tạo, bồi dưỡng"
        }
    }
}

/// Money planned and spent from a first year to the year of the date, per child unit: plans
/// counted where their scope lies, classes where they were held. Cancelled classes are left out.
package struct BudgetFigures {
    package let db: any Database

    package init(db: any Database) {
        self.db = db
    }

    package struct Figure {
        package var code: String
        package var name: String
        package var planned: Int64
        package var spent: Int64
        package init(code: String, name: String, planned: Int64, spent: Int64) {
            (self.code, self.name, self.planned, self.spent) = (code, name, planned, spent)
        }
    }

    package func run(_ basis: BudgetBasis, sources: [FundingSource], planNumbers: [String], trained: TrainedCriteria,
             unit: AdminUnit?, from: Int, date: String) async throws -> [Figure] {
        guard let sql = db as? any SQLDatabase, let day = DayDate(date) else { return [] }
        let path = unit?.path ?? "", upper = AccessScope.upperBound(path)
        let query: SQLQueryString
        switch basis {
        case .plans:
            let child = UnitTree.child("p.scope_path", under: path)
            var where_: SQLQueryString = " WHERE p.scope_path >= \(bind: path) AND p.scope_path < \(bind: upper) AND b.year >= \(bind: from) AND b.year <= \(bind: day.year)"
            if !sources.isEmpty { where_ += " AND b.source IN (\(binds: sources.map(\.rawValue)))" }
            if !planNumbers.isEmpty { where_ += " AND p.number IN (\(binds: planNumbers))" }
            query = "SELECT " + child + " AS child, CAST(SUM(b.planned) AS BIGINT) AS planned, CAST(SUM(b.spent) AS BIGINT) AS spent"
                + " FROM plan_budget_lines b JOIN plans p ON p.id = b.plan_id" + where_ + " GROUP BY " + child
        case .training:
            let child = UnitTree.child("c.unit_path", under: path)
            var where_: SQLQueryString = """
                 WHERE c.status <> 'cancelled' AND c.unit_path >= \(bind: path) AND c.unit_path < \(bind: upper)
                 AND c.end_date >= \(bind: String(format: "%04d-01-01", from)) AND c.end_date <= \(bind: day.iso)
                """
            if !sources.isEmpty { where_ += " AND b.source IN (\(binds: sources.map(\.rawValue)))" }
            where_ += trained.conditions(classes: "c", courses: "k")
            query = "SELECT " + child + " AS child, CAST(SUM(b.planned) AS BIGINT) AS planned, CAST(SUM(b.spent) AS BIGINT) AS spent"
                + " FROM class_budget_lines b JOIN training_classes c ON c.id = b.class_id JOIN courses k ON k.id = c.course_id" + where_ + " GROUP BY " + child
        }
        var sums: [String: (Int64, Int64)] = [:]
        for row in try await sql.raw(query).all() {
            sums[try row.decode(column: "child", as: String.self)] = (try row.decode(column: "planned", as: Int64?.self) ?? 0, try row.decode(column: "spent", as: Int64?.self) ?? 0)
        }
        let units = try await UnitTree.units(atPaths: Array(sums.keys), on: db)
        // Money placed at the unit itself (a province's own plan) shows as "this level".
        return sums.sorted { $0.key < $1.key }.compactMap { key, value in
            guard let u = units[key] else { return nil }
            return Figure(code: u.code, name: key == path ? u.name + " (cấp này)" : u.name, planned: value.0, spent: value.1)
        }
    }
}
