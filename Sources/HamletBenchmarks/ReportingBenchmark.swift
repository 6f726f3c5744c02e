import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletAccounts
import HamletReporting

extension BenchmarkCommand {
    /// A province's year of reports: every element's total per commune (the pivot the page and API
    /// use) and the completeness matrix, beside the same answers written by hand.
    package func reportingCases(province: AdminUnit, on db: any Database) async throws -> [Case] {
        guard let sql = db as? any SQLDatabase, let set = try await DataSet.query(on: db).filter(\.$code == "BC_THANG").first() else { return [] }
        let form = try await ReportForm.load(set, on: db)
        let last = Period.containing(DayDate.today(), .monthly).previous
        let periods = Period(.monthly, year: last.year - 1, index: last.index)!.next.through(last)
        let ids = form.elements.map { $0.id! }
        let upper = AccessScope.upperBound(province.path)
        return [
            Case(name: "báo cáo: tổng 12 tháng của tỉnh, mọi chỉ tiêu, chia theo xã", hamlet: {
                _ = try await ReportPivot(db: db).run(form, unit: province, from: periods.first!, to: periods.last!, by: nil, splitCombos: false)
            }, handWritten: {
                // The best hand-written answer reads the same sums per commune the schema keeps.
                _ = try await sql.raw("""
                    SELECT element_id, place AS child, SUM(total) AS s, SUM(n) AS n FROM data_value_sums
                    WHERE element_id IN (\(binds: ids)) AND place >= \(bind: province.path) AND place < \(bind: upper)
                      AND period_start >= \(bind: periods.first!.start.iso) AND period_end <= \(bind: periods.last!.end.iso) AND n > 0
                    GROUP BY element_id, place
                    """).all()
            }),
            Case(name: "báo cáo: cùng phép tổng, SQL viết tay đọc thẳng từng giá trị (không dùng bảng tổng)", hamlet: {
                _ = try await ReportPivot(db: db).run(form, unit: province, from: periods.first!, to: periods.last!, by: nil, splitCombos: false)
            }, handWritten: {
                _ = try await sql.raw("""
                    SELECT element_id, SUBSTR(unit_path, 1, 9) AS child, SUM(number) AS s, COUNT(*) AS n FROM data_values
                    WHERE element_id IN (\(binds: ids)) AND unit_path >= \(bind: province.path) AND unit_path < \(bind: upper)
                      AND period_start >= \(bind: periods.first!.start.iso) AND period_end <= \(bind: periods.last!.end.iso) AND number IS NOT NULL
                    GROUP BY element_id, SUBSTR(unit_path, 1, 9)
                    """).all()
            }),
            Case(name: "báo cáo: tình hình nộp của tỉnh, 12 tháng (đơn vị × kỳ)", hamlet: {
                _ = try await ReportCompleteness(db: db).run(set, unit: province, periods: periods)
            }, handWritten: {
                _ = try await sql.raw("""
                    SELECT code, path FROM units WHERE structure = '2025' AND CAST(level AS TEXT) IN ('hamlet', 'commune')
                      AND path >= \(bind: province.path) AND path < \(bind: upper) AND closed_on IS NULL
                    """).all()
                _ = try await sql.raw("""
                    SELECT org_code, period, status, first_submitted_on FROM reports
                    WHERE data_set_id = \(bind: set.id!) AND org_path >= \(bind: province.path) AND org_path < \(bind: upper) AND period IN (\(binds: periods.map(\.id)))
                    """).all()
            }),
        ]
    }

    /// DHIS2 JSON import of new values (every hamlet and commune of the first provinces, in the
    /// current month) against COPY of the same rows into the same table, each run undone
    /// after it is timed; then a value saved and the province total read on the next request.
    package func importThroughput(values wanted: Int, runs: Int, province: AdminUnit, on db: any Database, print: (String) -> Void) async throws {
        guard let sql = db as? any SQLDatabase, let set = try await DataSet.query(on: db).filter(\.$code == "BC_THANG").first() else { return }
        let form = try await ReportForm.load(set, on: db)
        let period = Period.containing(DayDate.today(), .monthly)
        let provinces = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level == .province).sort(\.$code).all()
        var units: [AdminUnit] = []
        for p in [province] + provinces.filter({ $0.code != province.code }) where units.count * form.cells.count < wanted {
            units += try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level ~~ [.hamlet, .commune])
                .filter(\.$path >= p.path).filter(\.$path < AccessScope.upperBound(p.path)).filter(\.$closedOn == nil).all()
        }
        var payload: [DHIS2Value] = [], copyRows: [[BulkLoad.Cell]] = []
        let now = Date()
        for unit in units {
            for (k, cell) in form.cells.enumerated() where payload.count < wanted {
                let value = String(1 + (unit.code.utf8.reduce(0) { $0 + Int($1) } + k) % 50)
                payload.append(DHIS2Value(dataElement: cell.element.code, period: period.id, orgUnit: unit.code, categoryOptionCombo: cell.combo, value: value))
                copyRows.append([.uuid(cell.element.id!), .text(cell.combo), .text(period.id), .text(period.start.iso), .text(period.end.iso), .text("2025"),
                                 .text(unit.code), .text(unit.path), .text(value), .double(Double(value)!), .null, .date(now), .date(now)])
            }
        }
        let body = try JSONEncoder().encode(DHIS2ValueSet(dataSet: set.code, dataValues: payload))
        // The importer's account: an administrator of the whole country, not stored.
        let admin = User()
        admin.id = UUID(); admin.username = "benchmark"; admin.role = .admin; admin.scopeCode = AccessScope.nationCode; admin.scopePath = ""
        let importer = DataValueImporter(db: db, scope: AccessScope(code: AccessScope.nationCode, path: ""), actor: admin, ip: nil)
        let columns = ["element_id", "combo", "period", "period_start", "period_end", "org_structure", "org_code", "unit_path", "value", "number", "stored_by", "created_at", "updated_at"]
        // As the route reads a posted payload.
        func decode() throws -> [DHIS2Value] { try body.withUnsafeBytes { try DHIS2ValueSet.values(json: $0) } }
        var hamlet: [Double] = [], again: [Double] = [], copy: [Double] = [], paused: [Double] = [], decoding: [Double] = [], checking: [Double] = []
        for _ in 0..<max(1, runs) {
            try await sql.raw("DELETE FROM data_values WHERE period = \(bind: period.id)").run()
            // Where the time goes: decoding the payload, and every check without the writes (a dry run).
            var start = ContinuousClock.now
            let values = try decode()
            decoding.append(seconds(since: start))
            start = ContinuousClock.now
            _ = try await importer.run(values, atomic: false, dryRun: true)
            checking.append(seconds(since: start))
            start = ContinuousClock.now
            let decoded = try decode()
            let summary = try await importer.run(decoded, atomic: false, dryRun: false)
            hamlet.append(seconds(since: start))
            guard summary.importCount.imported == payload.count else { print("Nhập sai: \(summary.importCount) \(summary.conflicts.prefix(3))"); return }
            start = ContinuousClock.now
            let same = try await importer.run(try decode(), atomic: false, dryRun: false)
            again.append(seconds(since: start))
            guard same.importCount.ignored == payload.count else { print("Nhập lại sai: \(same.importCount)"); return }
            // The bar: the same rows straight into the same table, unchecked, by the engine's fastest path.
            try await sql.raw("DELETE FROM data_values WHERE period = \(bind: period.id)").run()
            start = ContinuousClock.now
            try await BulkLoad.load(DataValue.schema, columns: columns, rows: copyRows, on: db)
            copy.append(seconds(since: start))
            // SQLite: the same insert with the running sums added per batch, as Hamlet's importer does.
            if !SQLText.isPostgres(db) {
                try await sql.raw("DELETE FROM data_values WHERE period = \(bind: period.id)").run()
                let rows = copyRows
                start = ContinuousClock.now
                try await db.transaction { tx in
                    guard let sql = tx as? any SQLDatabase else { return }
                    try await DataValueWriter.withSumsPaused(on: sql) { try await BulkLoad.insert(DataValue.schema, columns: columns, rows: rows, on: sql) }
                }
                paused.append(seconds(since: start))
            }
        }
        func rate(_ s: [Double]) -> String { VietnameseFormat.integer(Int(Double(payload.count) / s.sorted()[s.count / 2])) + " giá trị/s" }
        print("Nhập DHIS2 JSON \(VietnameseFormat.integer(payload.count)) giá trị mới (kỳ \(period.id)): trung vị \(ms(hamlet.sorted()[hamlet.count / 2])) = \(rate(hamlet))")
        func median(_ s: [Double]) -> String { ms(s.sorted()[s.count / 2]) }
        print("  trong đó: đọc JSON \(median(decoding)), kiểm tra (chạy thử, không ghi) \(median(checking)), phần còn lại là ghi")
        print("Nhập lại đúng tệp đó (không đổi gì): trung vị \(ms(again.sorted()[again.count / 2])) = \(rate(again))")
        let bar = SQLText.isPostgres(db) ? "COPY" : "INSERT … SELECT từ json_each trong một giao dịch (SQLite không có COPY)"
        print("\(bar) cùng các dòng vào chính bảng đó: trung vị \(ms(copy.sorted()[copy.count / 2])) = \(rate(copy)); Hamlet đạt \(String(format: "%.0f", 100 * copy.sorted()[copy.count / 2] / hamlet.sorted()[hamlet.count / 2]))%")
        if !paused.isEmpty {
            print("Cùng lệnh INSERT, tổng cộng dồn cộng theo lô như Hamlet: trung vị \(ms(paused.sorted()[paused.count / 2])) = \(rate(paused)); Hamlet đạt \(String(format: "%.0f", 100 * paused.sorted()[paused.count / 2] / hamlet.sorted()[hamlet.count / 2]))%")
        }

        // Live: a value saved is in the province total on the very next request.
        let element = form.cells[0].element
        let before = try await ReportTotals(db: db).run(element, unit: province, from: period, to: period, combo: nil).total ?? 0
        let unit = units.first { $0.path.hasPrefix(province.path) }!
        let old = Double(payload.first { $0.orgUnit == unit.code && $0.dataElement == element.code }?.value ?? "0") ?? 0
        _ = try await importer.run([DHIS2Value(dataElement: element.code, period: period.id, orgUnit: unit.code, categoryOptionCombo: form.cells[0].combo, value: String(Int(old) + 1000))],
                                   atomic: true, dryRun: false)
        let start = ContinuousClock.now
        let after = try await ReportTotals(db: db).run(element, unit: province, from: period, to: period, combo: nil).total ?? 0
        print("Lưu một giá trị rồi đọc tổng của tỉnh ngay sau: \(VietnameseFormat.decimal(before, places: 0)) → \(VietnameseFormat.decimal(after, places: 0)) (\(after - before == 1000 ? "có ngay" : "CHƯA CÓ")), đọc trong \(ms(seconds(since: start)))")
        try await sql.raw("DELETE FROM data_values WHERE period = \(bind: period.id)").run()
    }

    package func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
