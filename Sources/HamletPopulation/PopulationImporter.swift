import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletReporting

/// Reads population figures from XLSX or CSV (unit code, year, group, number, source), checks
/// every row, and stores all of them or none. A figure already entered for the same unit, group
/// and year is replaced, with a warning that says by what.
package struct PopulationImporter {
    package let service: PopulationService

    package init(service: PopulationService) {
        self.service = service
    }

    package struct Report: Content {
        package var rows = 0
        package var created = 0
        package var replaced = 0
        package var problems: [ValidationFailure.Problem] = []

        package init(rows: Int = 0, created: Int = 0, replaced: Int = 0, problems: [ValidationFailure.Problem] = []) {
            (self.rows, self.created, self.replaced, self.problems) = (rows, created, replaced, problems)
        }
    }

    package struct Columns {
        package var unit: Int
        package var year: Int
        package var group: Int
        package var value: Int
        package var source: Int?
        package init(unit: Int, year: Int, group: Int, value: Int, source: Int? = nil) {
            (self.unit, self.year, self.group, self.value) = (unit, year, group, value)
            self.source = source
        }
    }

    package func run(data: Data, commit: Bool) async throws -> Report {
        _ = try service.requireEditor()
        let rows: [SheetRow]
        do { rows = try HamletImporter.isXLSX(data) ? XLSXReader.read(data) : CSVTable.parse(data) } catch let error as TableError {
            return Report(problems: [.init(field: "file", message: error.description)])
        }
        var report = Report()
        guard let (columns, body) = Self.locate(rows) else {
            report.problems.append(.init(field: "file", message: "Không tìm thấy dòng tiêu đề. Cần các cột: Mã đơn vị, Năm, Nhóm, Số lượng, Nguồn."))
            return report
        }
        let groups = try await service.groups()
        let byName = Dictionary(groups.map { (VietnameseText.folded($0.name), $0.code) }, uniquingKeysWith: { a, _ in a })
        let codes = Set(groups.map(\.code))
        var accepted: [PopulationService.Checked] = []
        var seen: [String: Int] = [:]
        let table = TableFooter.start(Array(body)).map { Array(body.prefix($0)) } ?? Array(body)
        for row in table where !row.isBlank {
            report.rows += 1
            let rawGroup = row[columns.group].trimmingCharacters(in: .whitespaces)
            let input = PopulationInput(unitCode: row[columns.unit], year: Int(row[columns.year].trimmingCharacters(in: .whitespaces)),
                                        group: codes.contains(rawGroup) ? rawGroup : byName[VietnameseText.folded(rawGroup)] ?? rawGroup,
                                        value: FormValue.integer(row[columns.value]), source: columns.source.map { row[$0] })
            let (checked, errors) = try await service.check(input, groups: codes)
            for e in errors { report.problems.append(.init(line: row.line, field: e.field, message: e.message)) }
            if let c = checked {
                let key = "\(c.unit.path)|\(c.group)|\(c.year)"
                if let first = seen[key] {
                    report.problems.append(.init(line: row.line, field: "group", message: "Trùng với dòng \(first): cùng đơn vị, nhóm và năm."))
                    continue
                }
                seen[key] = row.line
                if let old = try await PopulationFigure.query(on: service.db).filter(\.$group == c.group).filter(\.$year == c.year)
                    .filter(\.$unitPath == c.unit.path).first() {
                    report.replaced += 1
                    if old.value != c.value {
                        report.problems.append(.init(line: row.line, field: "value", message: "Thay số đã nhập \(old.value) (\(old.source)) bằng \(c.value).", severity: "warning"))
                    }
                } else {
                    report.created += 1
                }
                accepted.append(c)
            }
        }
        if report.rows == 0 { report.problems.append(.init(field: "file", message: "Tệp không có dòng số liệu nào.")) }
        guard commit, !report.problems.contains(where: \.isError) else { return report }
        let all = accepted
        try await service.db.writeTransaction { tx in
            for c in all { try await service.store(c, on: tx) }
        }
        return report
    }

    /// The header row, among the first twenty (real files have a title above it).
    package static func locate(_ rows: [SheetRow]) -> (Columns, ArraySlice<SheetRow>)? {
        for (index, row) in rows.prefix(20).enumerated() {
            let folded = row.cells.map { VietnameseText.folded($0) }
            func find(_ test: (String) -> Bool) -> Int? { folded.firstIndex(where: test) }
            guard let unit = find({ $0.contains("ma don vi") || $0.contains("unit") || $0.contains("ma xa") }),
                  let year = find({ $0.hasPrefix("nam") || $0 == "year" }),
                  let group = find({ $0.contains("nhom") || $0 == "group" }),
                  let value = find({ $0.contains("so luong") || $0.contains("so nguoi") || $0 == "value" || $0 == "number" })
            else { continue }
            let source = find({ $0.contains("nguon") || $0 == "source" })
            return (Columns(unit: unit, year: year, group: group, value: value, source: source), rows[(index + 1)...])
        }
        return nil
    }
}
