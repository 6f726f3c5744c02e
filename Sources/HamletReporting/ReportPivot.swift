import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits

/// A form's numbers as a table: one row per child unit of a chosen unit, one column per element
/// (and, if asked, per combination) and per period of the span, summed live from the stored
/// values. SUM and AVERAGE elements take one grouped query for the whole form; LAST elements one
/// per column of periods (each reporting unit's latest period inside it).
package struct ReportPivot {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    package struct Column: Content {
        package var element: String
        package var elementName: String
        package var combo: String?
        package var comboName: String?
        package var period: String
        package var periodLabel: String
        package init(element: String, elementName: String, combo: String? = nil, comboName: String? = nil, period: String,
                     periodLabel: String) {
            (self.element, self.elementName, self.combo, self.comboName) = (element, elementName, combo, comboName)
            (self.period, self.periodLabel) = (period, periodLabel)
        }
    }
    /// `structure`: "legacy" for a unit of the time before the reform, "2025" for a 2025 unit's line in such a table.
    package struct Row: Content {
        package var code: String
        package var name: String
        package var values: [Double?]
        package var structure: String? = nil
        package init(code: String, name: String, values: [Double?], structure: String? = nil) {
            (self.code, self.name, self.values, self.structure) = (code, name, values, structure)
        }
    }
    package struct Result: Content {
        package var dataSet: String
        package var dataSetName: String
        package var unitCode: String
        package var unitName: String
        package var from: String
        package var to: String
        package var by: String
        /// The level of the rows: province, commune or hamlet.
        package var rowLevel: String
        package var columns: [Column]
        package var rows: [Row]
        package var total: Row
        package var rule: String
        /// For a span before 01/07/2025: "legacy" when the rows are the units of the time (`LegacyRows`), "2025" when not.
        package var map: String? = nil

        package init(dataSet: String, dataSetName: String, unitCode: String, unitName: String, from: String, to: String,
                     by: String, rowLevel: String, columns: [Column], rows: [Row], total: Row, rule: String, map: String? = nil) {
            (self.dataSet, self.dataSetName, self.unitCode, self.unitName) = (dataSet, dataSetName, unitCode, unitName)
            (self.from, self.to, self.by, self.rowLevel) = (from, to, by, rowLevel)
            (self.columns, self.rows, self.total, self.rule) = (columns, rows, total, rule)
            self.map = map
        }
    }

    /// A column of periods: one period of the chosen length, or the whole span.
    package struct Bucket {
        package var id: String
        package var label: String
        package var start: String
        package var end: String
        package init(id: String, label: String, start: String, end: String) {
            (self.id, self.label, self.start, self.end) = (id, label, start, end)
        }
    }

    package static func buckets(from: Period, to: Period, by: Periodicity?) -> [Bucket] {
        guard let by else {
            let label = from == to ? from.shown : from.shown + " – " + to.shown
            return [Bucket(id: from == to ? from.id : from.id + "-" + to.id, label: label, start: from.start.iso, end: to.end.iso)]
        }
        return Period.containing(from.start, by).through(Period.containing(to.end, by)).map {
            Bucket(id: $0.id, label: $0.shown, start: max($0.start, from.start).iso, end: min($0.end, to.end).iso)
        }
    }

    package func run(_ form: ReportForm, unit: AdminUnit?, from: Period, to: Period, by: Periodicity?, splitCombos: Bool, map: UnitMap = .ofTheTime) async throws -> Result {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        if let by, by < form.set.frequency {
            throw HamletError.invalid("by", "Biểu này báo cáo theo \(form.set.frequency.label.lowercased()): không chia nhỏ hơn được.")
        }
        let buckets = Self.buckets(from: from, to: to, by: by)
        let path = unit?.path ?? ""
        let ofTheTime = LegacyRows.applies(end: to.end.iso, unit: unit, map: map)
        // The rows of the time need each value's reporting unit: the values, not their sums, grouped
        // by where each was reported and counts ("structure|code|path"), placed in rows once all are read.
        let source = ofTheTime ? ValueSource.values : ValueSource.forTotals(under: path)
        let reportedAt: SQLQueryString = "d.org_structure || '|' || d.org_code || '|' || d.unit_path"
        let child = ofTheTime ? reportedAt : source.child(under: path)
        let elements = form.elements.filter { $0.type.isNumeric }
        // Each cell is kept under its combination and under "*" (every combination), per child and
        // for the whole ("" child): the table is then read by lookups, never by adding again.
        struct Key: Hashable { var element: UUID; var combo: String; var bucket: Int; var child: String }
        var cells: [Key: (sum: Double, count: Int)] = [:]
        var present = Set<String>(), read: [(UUID, String, Int, String, Double, Int)] = []
        func add(_ element: UUID, _ combo: String, _ bucket: Int, _ child: String, _ s: Double, _ n: Int) {
            guard !ofTheTime else { return read.append((element, combo, bucket, child, s, n)) }
            place(element, combo, bucket, child, s, n)
        }
        func place(_ element: UUID, _ combo: String, _ bucket: Int, _ child: String, _ s: Double, _ n: Int) {
            present.insert(child)
            for key in [Key(element: element, combo: combo, bucket: bucket, child: child), Key(element: element, combo: "*", bucket: bucket, child: child),
                        Key(element: element, combo: combo, bucket: bucket, child: ""), Key(element: element, combo: "*", bucket: bucket, child: "")] {
                let old = cells[key] ?? (0, 0)
                cells[key] = (old.sum + s, old.count + n)
            }
        }
        let plain = elements.filter { Aggregation(rawValue: $0.aggregation) != .last }
        if !plain.isEmpty {
            // Unsplit, only the all-combinations cell is shown: the database adds the combinations up.
            let combo: SQLQueryString = splitCombos ? "d.combo" : "''"
            var query: SQLQueryString = "SELECT CAST(d.element_id AS TEXT) AS e, " + combo + " AS c, " + child + " AS child"
            query += by == nil ? ", '' AS ps, '' AS pe" : ", d.period_start AS ps, d.period_end AS pe"
            query += ", CAST(\(unsafeRaw: source.sum) AS TEXT) AS s, CAST(\(unsafeRaw: source.count) AS TEXT) AS n"
                + ReportTotals.filter(plain.map { $0.id! }, path: path, start: from.start.iso, end: to.end.iso, latest: false, source: source)
            query += " GROUP BY d.element_id, " + (splitCombos ? "d.combo, " : "") + child + (by == nil ? "" : ", d.period_start, d.period_end")
            // Read as text rows: thousands of sums, where generic decoding would cost more than the query.
            let ids = Dictionary(plain.map { ($0.id!.uuidString, $0.id!) }, uniquingKeysWith: { a, _ in a })
            for row in try await TextRows.query(db, query, columns: ["e", "c", "child", "ps", "pe", "s", "n"]) {
                let ps = row[3] ?? "", pe = row[4] ?? ""
                // A value longer than a column (a yearly value in a monthly table) counts in no column.
                guard let b = by == nil ? 0 : buckets.firstIndex(where: { $0.start <= ps && pe <= $0.end }),
                      let element = (row[0]?.uppercased()).flatMap({ ids[$0] }) else { continue }
                add(element, row[1] ?? "", b, row[2] ?? "", row[5].flatMap(Double.init) ?? 0, row[6].flatMap(Int.init) ?? 0)
            }
        }
        let lastChild = ofTheTime ? reportedAt : UnitTree.child("d.unit_path", under: path)
        for element in elements where Aggregation(rawValue: element.aggregation) == .last {
            for (b, bucket) in buckets.enumerated() {
                let query: SQLQueryString = "SELECT d.combo AS c, " + lastChild + " AS child, SUM(d.number) AS s, COUNT(*) AS n"
                    + ReportTotals.filter([element.id!], path: path, start: bucket.start, end: bucket.end, latest: true) + " GROUP BY d.combo, " + lastChild
                for row in try await sql.raw(query).all() {
                    add(element.id!, try row.decode(column: "c", as: String.self), b, try row.decode(column: "child", as: String.self),
                        try row.decode(column: "s", as: Double?.self) ?? 0, try row.decode(column: "n", as: Int.self))
                }
            }
        }

        var lines: LegacyRows?, linesOfTheTime: [String] = []
        if ofTheTime, let unit {
            var origins: [String: (structure: String, code: String, unitPath: String)] = [:]
            for key in Set(read.map(\.3)) {
                let parts = key.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
                origins[key] = (parts[0], parts.count > 1 ? parts[1] : "", parts.count > 2 ? parts[2] : "")
            }
            let loaded = try await LegacyRows.load(db, under: unit, reported: Array(origins.values))
            (lines, linesOfTheTime) = (loaded.0, loaded.1)
            for r in read {
                let at = origins[r.3]!
                place(r.0, r.1, r.2, loaded.0.key(structure: at.structure, code: at.code, unitPath: at.unitPath), r.4, r.5)
            }
        }

        // Columns: element, then its combinations when split, then the periods.
        var columns: [Column] = [], keys: [(UUID, String, Int, Bool)] = []
        for element in elements {
            let combos = splitCombos ? form.cells.filter { $0.element.id == element.id }.map { ($0.combo, $0.comboName) } : [("*", "")]
            for (combo, comboName) in combos {
                for (b, bucket) in buckets.enumerated() {
                    columns.append(Column(element: element.code, elementName: element.name, combo: combo == "*" ? nil : combo,
                                          comboName: combo == "*" || comboName.isEmpty ? nil : comboName, period: bucket.id, periodLabel: bucket.label))
                    keys.append((element.id!, combo, b, Aggregation(rawValue: element.aggregation) == .average))
                }
            }
        }
        func values(_ child: String) -> [Double?] {
            keys.map { element, combo, b, average in
                guard let c = cells[Key(element: element, combo: combo, bucket: b, child: child)], c.count > 0 else { return nil }
                return average ? c.sum / Double(c.count) : c.sum
            }
        }
        var rows: [Row]
        if let lines {
            rows = lines.sorted(linesOfTheTime + present.filter { $0 != path }).map { key in
                let line = lines.line(key)
                return Row(code: line.code, name: line.name, values: present.contains(key) ? values(key) : keys.map { _ in nil }, structure: line.structure)
            }
        } else {
            rows = try await childUnits(of: unit).map { Row(code: $0.code, name: $0.name, values: present.contains($0.path) ? values($0.path) : keys.map { _ in nil }) }
        }
        if present.contains(path) { rows.insert(Row(code: unit?.code ?? AccessScope.nationCode, name: "\(unit?.name ?? "Cả nước") (cấp này)", values: values(path)), at: 0) }
        return Result(dataSet: form.set.code, dataSetName: form.set.name, unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước",
                      from: from.id, to: to.id, by: by?.rawValue ?? "span", rowLevel: (unit == nil ? UnitLevel.province : unit!.level == .province ? (ofTheTime ? .district : .commune) : .hamlet).rawValue, columns: columns, rows: rows,
                      total: Row(code: unit?.code ?? AccessScope.nationCode, name: "Tổng cộng", values: values("")),
                      rule: ofTheTime ? LegacyRows.rule : ReportTotals.legacyRule, map: LegacyRows.label(end: to.end.iso, applied: ofTheTime))
    }

    /// The units one level down (open ones), in code order: provinces, communes or hamlets.
    package func childUnits(of unit: AdminUnit?) async throws -> [AdminUnit] {
        let query = AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$closedOn == nil)
        if let unit { query.filter(\.$parentCode == unit.code) } else { query.filter(\.$level == .province) }
        // Sorted here: asked to sort, SQLite walks every unit in path order instead of the parent's index.
        return try await query.all().sorted { $0.path < $1.path }
    }
}

extension ReportPivot {
    /// The table a request asks for (`set`, `unit`, `from`, `to`, `by`, `split=combos`), checked,
    /// for the page, its downloads and the API alike.
    package static func run(_ req: Request, form code: String?) async throws -> Result {
        let set = try await req.reports().dataSet(code)
        let unit = try await req.unitAsked(req.query["unit"])
        let from: String? = req.query["from"], to: String? = req.query["to"]
        let span: (Period, Period)
        if (from ?? "").isEmpty && (to ?? "").isEmpty {
            let periods = try ReportCompleteness.span(set, from: nil, to: nil)
            span = (periods.first!, periods.last!)
        } else {
            span = try ReportTotals.span(from: from, to: (to ?? "").isEmpty ? from : to)
        }
        var by: Periodicity? = nil
        if let raw: String = req.query["by"], !raw.isEmpty, raw != "span" {
            guard let p = Periodicity(rawValue: raw) else { throw HamletError.invalid("by", "Chia theo: monthly, quarterly, six-monthly, yearly hoặc span (cả khoảng).") }
            by = p
        }
        let form = try await ReportForm.load(set, on: req.db)
        let result = try await ReportPivot(db: req.db).run(form, unit: unit, from: span.0, to: span.1, by: by, splitCombos: req.query[String.self, at: "split"] == "combos",
                                                           map: try UnitMap.from(req))
        guard result.columns.count <= 400 else { throw HamletError.invalid("by", "Bảng quá rộng (\(result.columns.count) cột): chọn khoảng kỳ ngắn hơn hoặc chia theo kỳ dài hơn.") }
        return result
    }

    /// The table as spreadsheet rows: two heading rows (element, then combination and period).
    package static func sheet(_ r: Result) -> [[XLSXCell]] {
        let heading1: [XLSXCell] = [.text("Mã"), .text("Đơn vị")] + r.columns.map { .text($0.elementName) }
        let heading2: [XLSXCell] = [.text(""), .text("")] + r.columns.map { .text([$0.comboName, $0.periodLabel].compactMap { $0 }.joined(separator: " — ")) }
        func line(_ row: Row) -> [XLSXCell] { [.text(row.code), .text(row.name)] + row.values.map { $0.map(XLSXCell.number) ?? .empty } }
        return [[.text("\(r.dataSetName) — \(r.unitName), \(r.from) đến \(r.to)")], heading1, heading2] + r.rows.map(line) + [line(r.total)]
    }
}
