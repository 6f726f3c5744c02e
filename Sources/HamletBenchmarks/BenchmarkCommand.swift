import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletWorkforce
import HamletReporting

/// `hamlet benchmark [--runs 30] [--province CODE]`: runs Hamlet's own query paths for the
/// register beside the best hand-written SQL for the same answer, on the same database in the
/// same run, and prints p50/p95 and the ratio. Run it on data from `hamlet generate`.
package struct BenchmarkCommand: AsyncCommand {
    package init() {}
    package struct Signature: CommandSignature {
        @Option(name: "runs", help: "Số lần đo mỗi phép (mặc định 30)") package var runs: Int?
        @Option(name: "province", help: "Mã tỉnh để đo (mặc định tỉnh có nhiều người nhất)") package var province: String?
        @Option(name: "only", help: "Chỉ đo các phép có tên chứa chuỗi này") package var only: String?
        @Option(name: "import-values", help: "Số giá trị của lần nhập DHIS2 thử (mặc định 100.000; 0 = bỏ qua); được xóa sau khi đo") package var importValues: Int?
        @Option(name: "import-rows", help: "Số dòng của tệp XLSX nhập thử (mặc định 10.000; 0 = bỏ qua). Tệp được lưu thật vào cơ sở dữ liệu.") package var importRows: Int?

        package init() {}
    }
    package var help: String { "Đo hiệu năng các truy vấn sổ nhân lực, so với SQL viết tay." }

    package struct Case {
        package var name: String
        package var hamlet: () async throws -> Void
        package var handWritten: () async throws -> Void

        package init(name: String, hamlet: @escaping () async throws -> Void, handWritten: @escaping () async throws -> Void) {
            (self.name, self.hamlet, self.handWritten) = (name, hamlet, handWritten)
        }
    }

    package func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await DatabaseSetup.tune(app) // the connections as `serve` has them
        let db = app.db
        guard let sql = db as? any SQLDatabase else { return }
        let runs = max(5, signature.runs ?? 30)
        let people = try await Person.query(on: db).count()
        let provinceCode: String
        if let code = signature.province { provinceCode = code } else {
            let row = try await sql.raw("SELECT SUBSTR(home_unit_path, 1, 2) AS p, COUNT(*) AS n FROM people GROUP BY SUBSTR(home_unit_path, 1, 2) ORDER BY n DESC LIMIT 1").first()
            provinceCode = try row?.decode(column: "p", as: String.self) ?? "01"
        }
        guard let province = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code == provinceCode).first() else { return }
        let nation = AccessScope(code: AccessScope.nationCode, path: "")
        let today = DayDate.today().iso
        let upper = AccessScope.upperBound(province.path)
        let sample = try await Person.query(on: db).sort(\.$id).offset(people / 2).first()
        let name = sample.map { VietnameseText.folded($0.fullName) } ?? "nguyen thi hoa"
        let cccd = sample?.cccd ?? "000000000000"
        let rule = CoverageRule.presets.first { $0.id == "hamlet-population-collaborator" }!.rule
        let paging = Paging(page: 1, per: 50)
        // Per commune: its hamlets, and how many have a population collaborator today.
        func handCoverage() async throws {
            _ = try await sql.raw("""
                SELECT x.parent_code, COUNT(*) AS places, SUM(CASE WHEN x.n >= 1 THEN 1 ELSE 0 END) AS meeting FROM (
                  SELECT u.code, u.parent_code, COUNT(DISTINCT a.person_id) AS n FROM units u
                  LEFT JOIN assignments a ON a.unit_code = u.code AND a.domain_population = \(true)
                    AND CAST(a.employment_kind AS TEXT) = 'cong-tac-vien' AND a.start_date <= \(bind: today) AND (a.end_date IS NULL OR a.end_date >= \(bind: today))
                  WHERE u.structure = '2025' AND CAST(u.level AS TEXT) = 'hamlet' AND u.path >= \(bind: province.path) AND u.path < \(bind: upper)
                    AND u.closed_on IS NULL
                  GROUP BY u.code, u.parent_code) x
                GROUP BY x.parent_code
                """).all()
        }
        let cases: [Case] = [
            Case(name: "tìm theo tên (cả nước), trang 1 + tổng số", hamlet: {
                _ = try await PeopleQuery(db: db, scope: nation).list(.init(q: name), paging: paging)
            }, handWritten: {
                // The same word index, written by hand for the sample's words (given name drives).
                let words = name.split(separator: " ").map(String.init)
                var matching: SQLQueryString = "SELECT w0.person_id FROM person_words w0 WHERE w0.word >= \(bind: words.last!) AND w0.word < \(bind: words.last! + "~")"
                for (n, word) in words.dropLast().enumerated() {
                    matching += " AND EXISTS (SELECT 1 FROM person_words w\(unsafeRaw: String(n + 1)) WHERE w\(unsafeRaw: String(n + 1)).person_id = w0.person_id AND w\(unsafeRaw: String(n + 1)).word >= \(bind: word) AND w\(unsafeRaw: String(n + 1)).word < \(bind: word + "~"))"
                }
                _ = try await sql.raw("SELECT COUNT(DISTINCT person_id) AS n FROM (" + matching + ") m").all()
                // PostgreSQL misjudges how few people carry all the words: run the word part first.
                let fence: SQLQueryString = SQLText.isPostgres(db) ? " OFFSET 0" : ""
                _ = try await sql.raw("SELECT * FROM people WHERE id IN (" + matching + fence + ") ORDER BY sort_key, id LIMIT 50").all()
            }),
            Case(name: "tìm theo CCCD", hamlet: {
                _ = try await PeopleQuery(db: db, scope: nation).list(.init(q: cccd), paging: paging)
            }, handWritten: {
                _ = try await sql.raw("SELECT COUNT(*) AS n FROM people WHERE cccd = \(bind: cccd)").all()
                _ = try await sql.raw("SELECT * FROM people WHERE cccd = \(bind: cccd) ORDER BY sort_key, id LIMIT 50").all()
            }),
            Case(name: "danh sách tỉnh, đang làm việc hôm nay, lĩnh vực dân số, trang 1 + tổng số", hamlet: {
                _ = try await PeopleQuery(db: db, scope: nation).list(.init(unit: province, domain: .population, activeOn: today), paging: paging)
            }, handWritten: {
                let filter: SQLQueryString = """
                    id IN (SELECT person_id FROM assignments WHERE unit_path >= \(bind: province.path) AND unit_path < \(bind: upper)
                      AND domain_population = \(true) AND start_date <= \(bind: today) AND (end_date IS NULL OR end_date >= \(bind: today)))
                    """
                let posts: SQLQueryString = """
                    unit_path >= \(bind: province.path) AND unit_path < \(bind: upper)
                      AND domain_population = \(true) AND start_date <= \(bind: today) AND (end_date IS NULL OR end_date >= \(bind: today))
                    """
                _ = try await sql.raw("SELECT COUNT(DISTINCT person_id) AS n FROM assignments WHERE " + posts).all()
                // Many match: SQLite finds the page fastest walking the name order.
                let page: SQLQueryString = SQLText.isPostgres(db) ? filter : "EXISTS (SELECT 1 FROM assignments WHERE person_id = people.id AND " + posts + ")"
                _ = try await sql.raw("SELECT * FROM people WHERE " + page + " ORDER BY sort_key, id LIMIT 50").all()
            }),
            Case(name: "độ phủ tỉnh (thôn có CTV dân số), chia theo xã, kèm danh sách thôn chưa đạt", hamlet: {
                _ = try await CoverageQuery(db: db).run(rule, unit: province, date: today)
            }, handWritten: { try await handCoverage() }),
            // The same figures without the list of places that miss (what the hand-written SQL returns).
            Case(name: "độ phủ tỉnh (thôn có CTV dân số), chia theo xã, chỉ số liệu", hamlet: {
                _ = try await CoverageQuery(db: db).run(rule, unit: province, date: today, withMisses: false)
            }, handWritten: { try await handCoverage() }),
        ] + (try await trainingCases(province: province, today: today, on: db)) + (try await indicatorCases(province: province, today: today, on: db) { context.console.print($0) })
            + (try await reportingCases(province: province, on: db)) + (try await implementationCases(province: province, on: db))
        context.console.print("\(DatabaseSetup.description) · \(VietnameseFormat.integer(people)) người · tỉnh \(province.name) · \(runs) lần mỗi phép")
        context.console.print("| phép đo | Hamlet p50 | Hamlet p95 | SQL viết tay p50 | SQL viết tay p95 | tỷ lệ p95 |")
        context.console.print("|---|---|---|---|---|---|")
        for c in cases where signature.only.map({ c.name.contains($0) }) ?? true {
            _ = try await time(c.hamlet, runs: 2)
            _ = try await time(c.handWritten, runs: 2)
            let h = try await time(c.hamlet, runs: runs)
            let s = try await time(c.handWritten, runs: runs)
            context.console.print("| \(c.name) | \(ms(h.p50)) | \(ms(h.p95)) | \(ms(s.p50)) | \(ms(s.p95)) | \(String(format: "%.2f", h.p95 / max(s.p95, 0.000_001))) |")
        }
        let values = signature.importValues ?? 100_000
        if values > 0, signature.only.map({ "nhập DHIS2".contains($0) || "báo cáo".contains($0) }) ?? true {
            try await importThroughput(values: values, runs: 3, province: province, on: db) { context.console.print($0) }
        }
        let rows = signature.importRows ?? 10_000
        if rows > 0 {
            let (seconds, report) = try await importTiming(rows: rows, province: province, on: db)
            context.console.print("Nhập XLSX \(VietnameseFormat.integer(rows)) dòng: \(String(format: "%.1f", seconds)) s (\(report.newPeople) người mới, \(report.newPosts) nhiệm vụ, \(report.problems.count) lỗi)")
        }
    }

    /// Builds an XLSX of new people with posts in the province's communes and imports it for real.
    package func importTiming(rows: Int, province: AdminUnit, on db: any Database) async throws -> (Double, PeopleImporter.Report) {
        let communes = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$parentCode == province.code).all()
        var sheet: [[XLSXCell]] = [PeopleExport.header.prefix(8).map { .text($0) } + ["Mã đơn vị", "Chức danh", "Lĩnh vực", "Loại hình", "Ngày bắt đầu"].map { .text($0) }]
        let stamp = Int(Date().timeIntervalSince1970) % 100_000
        for n in 0..<rows {
            let commune = communes[n % communes.count]
            let syllables = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lâm", "Minh", "Ngọc",
                             "Oanh", "Phúc", "Quang", "Sơn", "Thảo", "Uyên", "Vân", "Xuân", "Yến", "Đức"]
            let name = "Nhập \(syllables[n % 20]) \(syllables[(n / 20) % 20]) \(syllables[(n / 400) % 20])"
            sheet.append([.text(name),
                          .text(n % 2 == 0 ? "Nữ" : "Nam"), .date(year: 1970 + n % 30, month: 1 + n % 12, day: 1 + n % 28),
                          .text(String(format: "9%05d%06d", stamp, n)), .empty, .empty, .empty, .empty,
                          .text(commune.code), .text("Cộng tác viên"), .text("Dân số, Gia đình"), .text("Cộng tác viên"), .date(year: 2024, month: 1, day: 1)])
        }
        let data = try XLSXWriter.write(rows: sheet)
        let start = ContinuousClock.now
        let report = try await PeopleImporter(db: db, scope: AccessScope(code: AccessScope.nationCode, path: ""), actor: nil, ip: nil)
            .run(data: data, mapping: nil, commit: true)
        let d = ContinuousClock.now - start
        return (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18, report)
    }

    package func time(_ body: () async throws -> Void, runs: Int) async throws -> (p50: Double, p95: Double) {
        var samples: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try await body()
            let d = ContinuousClock.now - start
            samples.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
        samples.sort()
        return (samples[samples.count / 2], samples[min(samples.count - 1, Int((Double(samples.count) * 0.95).rounded(.up)) - 1)])
    }

    package func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
}
