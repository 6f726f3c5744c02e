import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits

/// Totals of one element over a subtree and a span of periods, per child unit, computed from the
/// stored values on every request: a value saved is in the next total. Months roll up into
/// quarters, halves and years because a span takes every value whose period lies inside it.
/// Legacy units' values sit at their default successor's path, so they add in under the 2025 tree.
package struct ReportTotals {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    /// `structure`: "legacy" for a unit of the time before the reform, "2025" for a 2025 unit's line
    /// in such a breakdown (`LegacyRows`); nothing otherwise.
    package struct Child: Content {
        package var code: String
        package var name: String
        package var value: Double?
        package var values: Int
        package var structure: String? = nil
        package init(code: String, name: String, value: Double? = nil, values: Int, structure: String? = nil) {
            (self.code, self.name, self.value, self.values) = (code, name, value, values)
            self.structure = structure
        }
    }
    package struct Result: Content {
        package var element: String
        package var elementName: String
        package var aggregation: String
        package var unitCode: String
        package var unitName: String
        package var from: String
        package var to: String
        package var combo: String?
        package var total: Double?
        package var values: Int
        package var children: [Child]
        package var rule: String
        /// For a span before 01/07/2025: "legacy" when the lines are the units of the time, "2025" when not.
        package var map: String? = nil

        package init(element: String, elementName: String, aggregation: String, unitCode: String, unitName: String, from: String,
                     to: String, combo: String? = nil, total: Double? = nil, values: Int, children: [Child], rule: String,
                     map: String? = nil) {
            (self.element, self.elementName, self.aggregation, self.unitCode) = (element, elementName, aggregation, unitCode)
            (self.unitName, self.from, self.to, self.combo) = (unitName, from, to, combo)
            (self.total, self.values, self.children, self.rule) = (total, values, children, rule)
            self.map = map
        }
    }

    package static let legacyRule = "Số liệu do đơn vị hành chính cũ (trước 01/07/2025) báo cáo được cộng vào đơn vị mới nhận phần lớn địa bàn (đơn vị kế thừa mặc định); không số liệu nào bị ghi đè hay xóa."

    package static func span(from: String?, to: String?) throws -> (Period, Period) {
        guard let first = Period(typed: from ?? "") else { throw HamletError.invalid("period", "Kỳ viết như 11/2026, Quý 3/2026, 6 tháng đầu năm 2026, 2026 (hoặc 202611, 2026Q3, 2026S1).") }
        guard let last = Period(typed: to ?? from ?? "") else { throw HamletError.invalid("to", "Kỳ viết như 11/2026, Quý 3/2026, 6 tháng đầu năm 2026, 2026 (hoặc 202611, 2026Q3, 2026S1).") }
        guard first.start <= last.end else { throw HamletError.invalid("to", "Kỳ cuối phải sau kỳ đầu.") }
        return (first, last)
    }

    package func run(_ element: DataElement, unit: AdminUnit?, from: Period, to: Period, combo: String?, map: UnitMap = .ofTheTime) async throws -> Result {
        var result = try await run(element, unit: unit, start: from.start.iso, end: to.end.iso, combo: combo, map: map)
        (result.from, result.to) = (from.id, to.id)
        return result
    }

    /// The values whose periods lie between two days (plans ask "from 1 January to the date").
    package func run(_ element: DataElement, unit: AdminUnit?, start: String, end: String, combo: String?, map: UnitMap = .ofTheTime) async throws -> Result {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? ""
        let aggregation = Aggregation(rawValue: element.aggregation) ?? .sum
        let ofTheTime = LegacyRows.applies(end: end, unit: unit, map: map)
        // The lines of the time need each value's reporting unit: the values, not their sums.
        let source = aggregation == .last || ofTheTime ? ValueSource.values : ValueSource.forTotals(under: path)
        let child = source.child(under: path)
        var filter = Self.filter([element.id!], path: path, start: start, end: end, latest: aggregation == .last, source: source)
        if let combo, !combo.isEmpty { filter += " AND d.combo = \(bind: combo)" }
        func value(_ sum: Double, _ n: Int) -> Double? { n == 0 ? nil : aggregation == .average ? sum / Double(n) : sum }
        var byChild: [String: (Double, Int)] = [:], children: [Child] = []
        if ofTheTime, let unit {
            let rows = try await sql.raw("SELECT d.org_structure AS st, d.org_code AS oc, d.unit_path AS up, SUM(d.number) AS s, COUNT(*) AS n"
                                         + filter + " GROUP BY d.org_structure, d.org_code, d.unit_path").all()
            var reported: [(structure: String, code: String, unitPath: String, sum: Double, n: Int)] = []
            for row in rows {
                reported.append((try row.decode(column: "st", as: String.self), try row.decode(column: "oc", as: String.self), try row.decode(column: "up", as: String.self),
                                 try row.decode(column: "s", as: Double?.self) ?? 0, try row.decode(column: "n", as: Int.self)))
            }
            let (lines, _) = try await LegacyRows.load(db, under: unit, reported: reported.map { ($0.structure, $0.code, $0.unitPath) })
            for r in reported {
                let key = lines.key(structure: r.structure, code: r.code, unitPath: r.unitPath), old = byChild[key] ?? (0, 0)
                byChild[key] = (old.0 + r.sum, old.1 + r.n)
            }
            children = lines.sorted(byChild.keys).map { key in
                let line = lines.line(key), v = byChild[key]!
                return Child(code: line.code, name: line.name, value: value(v.0, v.1), values: v.1, structure: line.structure)
            }
        } else {
            let rows = try await sql.raw("SELECT " + child + " AS child, \(unsafeRaw: source.sum) AS s, \(unsafeRaw: source.count) AS n" + filter + " GROUP BY " + child).all()
            for row in rows {
                byChild[try row.decode(column: "child", as: String.self)] = (try row.decode(column: "s", as: Double?.self) ?? 0, try row.decode(column: "n", as: Int.self))
            }
            let names = try await ChildNames.of(byChild.keys, under: unit, on: db)
            children = byChild.sorted { $0.key < $1.key }.map { key, v in
                Child(code: names.code(key), name: names.name(key), value: value(v.0, v.1), values: v.1)
            }
        }
        let sum = byChild.values.reduce(0) { $0 + $1.0 }, n = byChild.values.reduce(0) { $0 + $1.1 }
        return Result(element: element.code, elementName: element.name, aggregation: aggregation.rawValue, unitCode: unit?.code ?? AccessScope.nationCode,
                      unitName: unit?.name ?? "Cả nước", from: start, to: end, combo: combo, total: value(sum, n), values: n, children: children,
                      rule: ofTheTime ? LegacyRows.rule : Self.legacyRule, map: LegacyRows.label(end: end, applied: ofTheTime))
    }

    /// The values (or their sums) of some elements over a subtree whose periods lie inside a span (`d`).
    /// `latest`: only each reporting unit's latest period in the span, per combination (LAST; values only).
    package static func filter(_ elements: [UUID], path: String, start: String, end: String, latest: Bool, source: ValueSource = .values) -> SQLQueryString {
        var filter: SQLQueryString = """
             FROM \(unsafeRaw: source.table) d WHERE d.element_id IN (\(binds: elements)) AND \(unsafeRaw: source.path) >= \(bind: path)
             AND \(unsafeRaw: source.path) < \(bind: AccessScope.upperBound(path))
             AND d.period_start >= \(bind: start) AND d.period_end <= \(bind: end) AND \(unsafeRaw: source.table == "data_values" ? "d.number IS NOT NULL" : "d.n > 0")
            """
        if latest {
            filter += """
                 AND d.period_end = (SELECT MAX(l.period_end) FROM data_values l WHERE l.element_id = d.element_id AND l.combo = d.combo
                 AND l.org_structure = d.org_structure AND l.org_code = d.org_code AND l.period_start >= \(bind: start) AND l.period_end <= \(bind: end))
                """
        }
        return filter
    }
}
