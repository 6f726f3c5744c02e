import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletWorkforce
import HamletPlans

extension BenchmarkCommand {
    /// Indicators through the engine, for the whole country (per province) and for a province
    /// (per commune), beside the same numbers written by hand; and a province plan's dashboard
    /// (three targets with their trends) beside the hand-written current values alone.
    package func indicatorCases(province: AdminUnit, today: String, on db: any Database, say: (String) -> Void) async throws -> [Case] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let share = try await storedIndicator("BENCH-DT", IndicatorDefinition(kind: .trainedShare), on: db)
        let hamlets = try await storedIndicator("BENCH-THON", IndicatorDefinition(kind: .unitsWithPeople,
            rule: CoverageRule(level: .hamlet, domains: [.population], kinds: [.congTacVien], min: 1)), on: db)
        let plan = try await benchmarkPlan(province: province, indicators: [share, hamlets], on: db)
        let count = try await storedIndicator("BENCH-SL", IndicatorDefinition(kind: .trainedCount, fromYear: 2021), on: db)
        let clock = ContinuousClock(), started = clock.now
        // Built here as the server builds them in the background (`TallyBuilds`), each timed.
        try await TallyBuilds(db: db).finishAll()
        say("Số đếm giữ sẵn của các chỉ tiêu (dựng lần đầu, hoặc cập nhật người đã đổi): \(clock.now - started)")
        // One post whose end is set and cleared in turn: the next figure rebuilds that person.
        let post = try await sql.raw("SELECT id FROM assignments WHERE domain_population = \(true) LIMIT 1").first()?.decode(column: "id", as: UUID.self)
        func touch() async throws {
            guard let post else { return }
            try await sql.raw("UPDATE assignments SET end_date = CASE WHEN end_date IS NULL THEN \(bind: today) ELSE NULL END WHERE id = \(bind: post)").run()
        }
        let engine = IndicatorEngine(db: db)
        func handShare(_ path: String, child: Int) async throws { try await handWrittenShare(path, child: child, today: today, on: sql) }
        // Budget spent on classes (live), and people trained this year against a baseline year (kept per year).
        let budget = try await storedIndicator("BENCH-KP", IndicatorDefinition(kind: .budgetSpent, fromYear: 2021, budgetOf: .training), on: db)
        let change = try await storedIndicator("BENCH-SL-2020", IndicatorDefinition(kind: .trainedCount, fromYear: 2020, baselineYear: 2020), on: db)
        let changeStarted = clock.now
        try await TallyBuilds(db: db).finishAll()
        say("Số đếm giữ sẵn của số người được đào tạo từng năm (so với năm gốc): \(clock.now - changeStarted)")
        func handBudget(_ path: String, child: Int) async throws {
            _ = try await sql.raw("""
                SELECT SUBSTR(c.unit_path, 1, \(unsafeRaw: String(child))) AS child, SUM(b.planned) AS planned, SUM(b.spent) AS spent
                FROM class_budget_lines b JOIN training_classes c ON c.id = b.class_id
                WHERE c.status <> 'cancelled' AND c.unit_path >= \(bind: path) AND c.unit_path < \(bind: AccessScope.upperBound(path))
                  AND c.end_date >= '2021-01-01' AND c.end_date <= \(bind: today)
                GROUP BY 1
                """).all()
        }
        // People who completed a class held in the subtree since 2021, per child and in all.
        func handCount(_ path: String, child: Int, from: String = "2021-01-01", to: String? = nil) async throws {
            let classes: SQLQueryString = """
                 FROM training_classes c JOIN participations p ON p.class_id = c.id AND p.result = 'completed'
                 WHERE c.status <> 'cancelled' AND c.end_date >= \(bind: from) AND c.end_date <= \(bind: to ?? today)
                  AND c.unit_path >= \(bind: path) AND c.unit_path < \(bind: AccessScope.upperBound(path))
                """
            _ = try await sql.raw("SELECT SUBSTR(c.unit_path, 1, \(unsafeRaw: String(child))) AS child, COUNT(DISTINCT p.person_id) AS n" + classes + " GROUP BY 1").all()
            _ = try await sql.raw("SELECT COUNT(DISTINCT p.person_id) AS n" + classes).all()
        }
        func handHamlets(_ path: String, child: Int) async throws {
            _ = try await sql.raw("""
                SELECT SUBSTR(x.path, 1, \(unsafeRaw: String(child))) AS child, COUNT(*) AS places, SUM(CASE WHEN x.n >= 1 THEN 1 ELSE 0 END) AS meeting FROM (
                  SELECT u.path, COUNT(DISTINCT a.person_id) AS n FROM units u
                  LEFT JOIN assignments a ON a.unit_code = u.code AND a.domain_population = \(true)
                    AND CAST(a.employment_kind AS TEXT) = 'cong-tac-vien' AND a.start_date <= \(bind: today) AND (a.end_date IS NULL OR a.end_date >= \(bind: today))
                  WHERE u.structure = '2025' AND CAST(u.level AS TEXT) = 'hamlet' AND u.path >= \(bind: path) AND u.path < \(bind: AccessScope.upperBound(path))
                    AND (u.closed_on IS NULL OR u.closed_on > \(bind: today))
                  GROUP BY u.path) x
                GROUP BY SUBSTR(x.path, 1, \(unsafeRaw: String(child)))
                """).all()
        }
        let nation = AccessScope(code: AccessScope.nationCode, path: "")
        return [
            Case(name: "chỉ tiêu tỷ lệ đã đào tạo, cả nước, chia theo tỉnh", hamlet: {
                _ = try await engine.value(share, unit: nil, date: today)
            }, handWritten: { try await handShare("", child: 3) }),
            Case(name: "chỉ tiêu tỷ lệ đã đào tạo, cả nước, chia theo tỉnh, ngay sau khi sửa một vị trí", hamlet: {
                try await touch()
                _ = try await engine.value(share, unit: nil, date: today)
            }, handWritten: {
                try await touch()
                try await handShare("", child: 3)
            }),
            Case(name: "chỉ tiêu tỷ lệ đã đào tạo, tỉnh, chia theo xã", hamlet: {
                _ = try await engine.value(share, unit: province, date: today)
            }, handWritten: { try await handShare(province.path, child: 9) }),
            Case(name: "chỉ tiêu số người được đào tạo từ 2021, cả nước, chia theo tỉnh", hamlet: {
                _ = try await engine.value(count, unit: nil, date: today)
            }, handWritten: { try await handCount("", child: 3) }),
            Case(name: "chỉ tiêu số người được đào tạo từ 2021, tỉnh, chia theo xã", hamlet: {
                _ = try await engine.value(count, unit: province, date: today)
            }, handWritten: { try await handCount(province.path, child: 9) }),
            Case(name: "chỉ tiêu số người được đào tạo năm nay so với năm 2020, cả nước, chia theo tỉnh", hamlet: {
                _ = try await engine.value(change, unit: nil, date: today)
            }, handWritten: {
                try await handCount("", child: 3, from: String(today.prefix(4)) + "-01-01")
                try await handCount("", child: 3, from: "2020-01-01", to: "2020-12-31")
            }),
            Case(name: "chỉ tiêu kinh phí đào tạo đã chi từ 2021, cả nước, chia theo tỉnh", hamlet: {
                _ = try await engine.value(budget, unit: nil, date: today)
            }, handWritten: { try await handBudget("", child: 3) }),
            Case(name: "chỉ tiêu số người được đào tạo năm nay so với năm 2020, tỉnh, chia theo xã", hamlet: {
                _ = try await engine.value(change, unit: province, date: today)
            }, handWritten: {
                try await handCount(province.path, child: 9, from: String(today.prefix(4)) + "-01-01")
                try await handCount(province.path, child: 9, from: "2020-01-01", to: "2020-12-31")
            }),
            Case(name: "chỉ tiêu kinh phí đào tạo đã chi từ 2021, tỉnh, chia theo xã", hamlet: {
                _ = try await engine.value(budget, unit: province, date: today)
            }, handWritten: { try await handBudget(province.path, child: 9) }),
            Case(name: "chỉ tiêu tỷ lệ thôn có CTV dân số, cả nước, chia theo tỉnh", hamlet: {
                _ = try await engine.value(hamlets, unit: nil, date: today)
            }, handWritten: { try await handHamlets("", child: 3) }),
            Case(name: "chỉ tiêu tỷ lệ thôn có CTV dân số, tỉnh, chia theo xã", hamlet: {
                _ = try await engine.value(hamlets, unit: province, date: today)
            }, handWritten: { try await handHamlets(province.path, child: 9) }),
            Case(name: "bảng theo dõi kế hoạch tỉnh: 2 chỉ tiêu, xu hướng 2021–nay, chia theo xã (SQL viết tay: chỉ giá trị hiện tại)", hamlet: {
                _ = try await PlanDashboard(db: db, scope: nation).build(plan, date: today)
            }, handWritten: {
                try await handShare(province.path, child: 9)
                try await handHamlets(province.path, child: 9)
            }),
        ] + (try await facilityCases(province: province, today: today, on: db))
    }

    /// The stored indicator with this code, made once: counts are kept per stored indicator.
    package func storedIndicator(_ code: String, _ d: IndicatorDefinition, on db: any Database) async throws -> Indicator {
        if let found = try await Indicator.query(on: db).filter(\.$code == code).first() { return found }
        let i = Indicator()
        i.code = code; i.name = code; i.kind = d.kind.rawValue
        i.definition = String(decoding: try JSONEncoder.sorted.encode(d), as: UTF8.self)
        try await i.create(on: db)
        return i
    }

    /// A plan for the benchmark province with the stored indicators as targets, made once.
    package func benchmarkPlan(province: AdminUnit, indicators: [Indicator], on db: any Database) async throws -> Plan {
        if let plan = try await Plan.query(on: db).filter(\.$number == "BENCH/KH").filter(\.$scopeCode == province.code).first() { return plan }
        let service = PlanService(db: db, scope: AccessScope(code: AccessScope.nationCode, path: ""), actor: nil, ip: nil)
        let plan = try await service.save(PlanInput(number: "BENCH/KH", kind: "ke-hoach", issuer: "Đo hiệu năng", issuedOn: "2021-01-01",
                                                    title: "Kế hoạch đo hiệu năng", fromYear: 2021, toYear: 2030, scopeCode: province.code))
        for i in indicators {
            _ = try await service.addTarget(plan, TargetInput(indicatorId: i.id, stages: [StageInput(deadline: "2030-12-31", value: 100)]))
        }
        return plan
    }
}
