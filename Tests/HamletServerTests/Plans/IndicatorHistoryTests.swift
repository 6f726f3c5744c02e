import XCTest
import XCTVapor
import ZIPFoundation
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits
@testable import HamletAccounts
@testable import HamletWorkforce
@testable import HamletTraining
@testable import HamletPlans

/// Budget and change-against-a-baseline indicators by hand, and figures on dates before the 2025
/// reform, counted on the 2025 units.
final class IndicatorHistoryTests: XCTestCase {
    func testBudgetSpentFromPlansAndClasses() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            // A provincial plan and a commune's own plan, each with budget lines.
            var body = PlanTests.planBody
            body.number = "411/QĐ-UBND"; body.fromYear = 2011; body.toYear = 2015; body.interimYear = nil; body.finalYear = nil
            var province: UUID?, commune: UUID?
            try await app.api(.POST, "/api/v1/plans", token: token, json: body) { province = try $0.json(PlanDTO.self).id }
            body.number = "12/KH-UBND"; body.scopeCode = "30292"
            try await app.api(.POST, "/api/v1/plans", token: token, json: body) { commune = try $0.json(PlanDTO.self).id }
            for (plan, source, year, planned, spent) in [(province!, "central", 2011, 3_000_000_000, 2_500_000_000), (province!, "local", 2012, 1_000_000_000, 900_000_000),
                                                         (province!, "central", 2014, 2_000_000_000, 0), (commune!, "local", 2012, 100_000_000, 80_000_000)] as [(UUID, String, Int, Int64, Int64)] {
                try await app.api(.POST, "/api/v1/plans/\(plan)/budget-lines", token: token,
                                  json: PlanBudgetInput(source: source, year: year, planned: planned, spent: spent)) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            }
            let all = try await app.makeIndicator(token, "KP", IndicatorDefinition(kind: .budgetSpent, fromYear: 2011, budgetOf: .plans))
            var v = try await app.indicatorValue(token, all, "unit=91&date=31/12/2012")
            XCTAssertEqual(v.value, 3_480_000_000, "2011–2012 lines of both plans; 2014 not yet")
            XCTAssertEqual([v.numerator, v.denominator], [3_480_000_000, 4_100_000_000])
            XCTAssertEqual(v.measure, "đồng")
            XCTAssertEqual(v.children.map(\.code), ["91", "30292"])
            XCTAssertEqual(v.children.map(\.value), [3_400_000_000, 80_000_000])
            let local = try await app.makeIndicator(token, "KPDP", IndicatorDefinition(kind: .budgetSpent, fromYear: 2011, budgetOf: .plans,
                                                                                      fundingSources: [.local], planNumbers: ["411/QĐ-UBND"]))
            v = try await app.indicatorValue(token, local, "unit=91&date=31/12/2015")
            XCTAssertEqual([v.numerator, v.denominator], [900_000_000, 1_000_000_000])
            // Training money: classes held in the province, a cancelled one left out.
            let course = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
            let org = try await app.makeAgency(token, "Sở Y tế")
            _ = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30313", startDate: "01/03/2024", endDate: "03/03/2024",
                                                         status: "finished", budget: [BudgetInput(source: "local", planned: 50_000_000, spent: 45_000_000)]))
            _ = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30313", startDate: "01/04/2024", endDate: "03/04/2024",
                                                         status: "cancelled", budget: [BudgetInput(source: "local", planned: 70_000_000, spent: 0)]))
            let classes = try await app.makeIndicator(token, "KPDT", IndicatorDefinition(kind: .budgetSpent, fromYear: 2024, budgetOf: .training))
            v = try await app.indicatorValue(token, classes, "unit=91&date=31/12/2024")
            XCTAssertEqual([v.numerator, v.denominator], [45_000_000, 50_000_000])
            XCTAssertEqual(v.children.map(\.code), ["30313"])
            // Bad definitions: no basis, an unknown plan.
            for (definition, field) in [(IndicatorDefinition(kind: .budgetSpent, fromYear: 2011), "budgetOf"),
                                        (IndicatorDefinition(kind: .budgetSpent, fromYear: 2011, budgetOf: .plans, planNumbers: ["999/KH"]), "planNumbers"),
                                        (IndicatorDefinition(kind: .trainedShare, baselineYear: 2020), "baselineYear")] {
                try await app.api(.POST, "/api/v1/indicators", token: token, json: IndicatorInput(code: "X", name: "X", definition: definition)) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity)
                    XCTAssertEqual(res.errorField, field)
                }
            }
        }
    }

    func testChangeAgainstABaselineYear() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let people = try await app.seedPeople(5, unit: "30292", start: "2020-01-01")
            let course = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
            let org = try await app.makeAgency(token, "Sở Y tế")
            // Two trained in 2020, three in 2025 (one of them in December).
            for (start, end, group) in [("01/03/2020", "03/03/2020", Array(people[0..<2])), ("01/05/2025", "03/05/2025", Array(people[2..<4])),
                                        ("01/12/2025", "03/12/2025", [people[4]])] {
                let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30292", startDate: start, endDate: end, status: "finished"))
                try await app.enrol(token, klass, group)
                try await app.completeAll(token, klass)
            }
            let change = try await app.makeIndicator(token, "TD", IndicatorDefinition(kind: .trainedCount, fromYear: 2020, baselineYear: 2020))
            var v = try await app.indicatorValue(token, change, "unit=91&date=31/12/2025")
            XCTAssertEqual(v.value, 50, "3 against 2: +50%")
            XCTAssertEqual([v.numerator, v.denominator], [3, 2])
            XCTAssertEqual(v.measure, "%")
            XCTAssertEqual(v.children.first { $0.code == "30292" }?.value, 50)
            v = try await app.indicatorValue(token, change, "unit=91&date=30/06/2025")
            XCTAssertEqual(v.value, 0, "2 against 2 by the end of June")
            v = try await app.indicatorValue(token, change, "unit=91&date=31/12/2024")
            XCTAssertEqual(v.value, -100, "nobody trained in 2024")
            // A change target may pass 100% or fall below zero.
            let plan = try await app.makePlan(token)
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: change, stages: [.init(deadline: "31/12/2025", value: 120)], baselineYear: 2020, baselineValue: 0)) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
        }
    }

    /// Lạng Sơn's "trained to trung cấp, cao đẳng and đại học" names its levels: a master's degree
    /// is not among them, though "trung cấp and above" would take it.
    func testTrainingLevelsNamedOneByOne() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let people = try await app.seedPeople(4, unit: "30292", start: "2020-01-01")
            let org = try await app.makeAgency(token, "Sở Y tế")
            for (n, level) in ["trung-cap", "dai-hoc", "thac-si", "so-cap"].enumerated() {
                let course = try await app.makeCourse(token, "Đào tạo \(level)", kind: "dao-tao", level: level, domains: ["social-work"])
                let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30292", startDate: "01/03/2024", endDate: "30/06/2024", status: "finished"))
                try await app.enrol(token, klass, [people[n]])
                try await app.completeAll(token, klass)
            }
            let named = try await app.makeIndicator(token, "DT-3", IndicatorDefinition(kind: .trainedCount,
                trained: TrainedCriteria(courseKinds: [.daoTao, .daoTaoLai], levels: [.trungCap, .caoDang, .daiHoc]), fromYear: 2011))
            let above = try await app.makeIndicator(token, "DT-TC", IndicatorDefinition(kind: .trainedCount,
                trained: TrainedCriteria(courseKinds: [.daoTao, .daoTaoLai], minLevel: .trungCap), fromYear: 2011))
            let v = try await app.indicatorValue(token, named, "unit=91&date=31/12/2024")
            XCTAssertEqual(v.value, 2, "trung cấp and đại học; not thạc sĩ, not sơ cấp")
            XCTAssertTrue(v.description.contains("trình độ Trung cấp, Cao đẳng, Đại học") || v.description.lowercased().contains("trung cấp, cao đẳng, đại học"), v.description)
            let wider = try await app.indicatorValue(token, above, "unit=91&date=31/12/2024")
            XCTAssertEqual(wider.value, 3)
            // The registry's filter takes the same list.
            try await app.api(.GET, "/api/v1/people?trained=yes&trainedLevels=trung-cap,cao-dang,dai-hoc&unit=30292", token: token) { res in
                XCTAssertEqual(Set(try res.json(ListBody<PersonDTO>.self).items.compactMap(\.id)), [people[0], people[1]])
            }
        }
    }

    /// A change against a year when the count was 0 has no percentage: not "0%", not a status,
    /// a gap in the trend; in the API (`computable: false`), on the pages, the export and the DOCX.
    func testAChangeFromZeroIsNotComputable() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let people = try await app.seedPeople(3, unit: "30292", start: "2020-01-01")
            let course = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
            let org = try await app.makeAgency(token, "Sở Y tế")
            // Nobody trained in 2021; three in 2026.
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30292", startDate: "01/03/2026", endDate: "03/03/2026", status: "finished"))
            try await app.enrol(token, klass, people)
            try await app.completeAll(token, klass)
            let change = try await app.makeIndicator(token, "TD", IndicatorDefinition(kind: .trainedCount, fromYear: 2021, baselineYear: 2021))
            let v = try await app.indicatorValue(token, change, "unit=91&date=31/10/2026")
            XCTAssertEqual([v.numerator, v.denominator], [3, 0])
            XCTAssertEqual(v.computable, false)
            let plan = try await app.makePlan(token)
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: change, stages: [.init(deadline: "31/12/2026", value: 20)], baselineYear: 2021, baselineValue: 0)) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            func dashboard(_ date: String) async throws -> PlanDashboardDTO? {
                var board: PlanDashboardDTO?
                try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?date=\(date)", token: token) { board = try $0.json(PlanDashboardDTO.self) }
                return board
            }
            let board = try await dashboard("31/10/2026")!
            XCTAssertEqual(board.targets.first?.status, "not-computable")
            XCTAssertEqual(board.targets.first?.computable, false)
            XCTAssertNil(board.targets.first?.trend.last?.value, "a gap, not 0")
            let ended = try await dashboard("31/03/2027")!
            XCTAssertEqual(ended.targets.first?.status, "not-computable", "not judged missed on a value that does not exist")
            var browser = try await app.login("cv")
            try await app.page(.GET, "/plans/\(plan)?date=31/10/2026", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("không tính được (năm 2021 bằng 0)"))
                XCTAssertTrue(res.body.string.contains("Không tính được"))
                XCTAssertFalse(res.body.string.contains("0,0% so với 2021"))
            }
            try await app.page(.GET, "/indicators/\(change)?unit=91&date=31/10/2026", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("không tính được (năm 2021 bằng 0)"))
            }
            try await app.api(.GET, "/api/v1/plans/\(plan)/report?year=2026", token: token) { res in
                XCTAssertEqual(res.status, .ok)
                let archive = try Archive(data: Data(buffer: res.body), accessMode: .read)
                var data = Data()
                _ = try archive.extract(archive["word/document.xml"]!) { data.append($0) }
                XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("không tính được (năm 2021 bằng 0)"))
            }
        }
    }

    /// Posts are recorded at 2025 units; before 01/07/2025 those units stand for the legacy ones.
    func testDatesBeforeTheReformCountOnThe2025Units() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            var codes: [String] = []
            for (name, from) in [("Ấp Cũ", "01/07/2025"), ("Ấp Mới", "01/03/2026")] {
                try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: token,
                                  json: JSON(["name": name, "type": "Ấp", "effectiveDate": from])) { codes.append(try $0.json(UnitDTO.self).code) }
            }
            let stays = try await app.seedPeople(1, unit: codes[0], start: "2020-01-01")
            _ = try await app.seedPeople(1, unit: codes[0], start: "2020-01-01", end: "2023-06-30", prefix: "Đã Nghỉ")
            let hamlets = try await app.makeIndicator(token, "AP", IndicatorDefinition(kind: .unitsWithPeople,
                rule: CoverageRule(level: .hamlet, domains: [.population], min: 1)))
            var v = try await app.indicatorValue(token, hamlets, "unit=30292&date=31/12/2022")
            XCTAssertEqual([v.numerator, v.denominator], [1, 1], "the reform's hamlet counts in 2022; the one opened in 2026 does not")
            v = try await app.indicatorValue(token, hamlets, "unit=30292&date=31/03/2026")
            XCTAssertEqual([v.numerator, v.denominator], [1, 2], "the new hamlet has nobody")
            v = try await app.indicatorValue(token, hamlets, "unit=30292&date=31/12/2019")
            XCTAssertEqual([v.numerator, v.denominator], [0, 1], "before anyone joined")
            let share = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare, staff: StaffCriteria(domains: [.population])))
            v = try await app.indicatorValue(token, share, "unit=91&date=31/12/2022")
            XCTAssertEqual(v.denominator, 2)
            v = try await app.indicatorValue(token, share, "unit=91&date=31/12/2023")
            XCTAssertEqual(v.denominator, 1, "who left in mid-2023 is gone by its end")
            // A trend computes all days in one statement; it must give each day's own value.
            let course = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
            let org = try await app.makeAgency(token, "Sở Y tế")
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30292", startDate: "01/03/2022", endDate: "03/03/2022", status: "finished"))
            try await app.enrol(token, klass, stays)
            try await app.completeAll(token, klass)
            let days = ["2019-12-31", "2022-03-02", "2022-03-03", "2022-12-31", "2023-12-31", "2026-03-31"]
            for id in [hamlets, share] {
                let indicator = try await Indicator.find(id, on: app.db)!
                let unit = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == "30292").first()
                let trend = try await IndicatorEngine(db: app.db).series(indicator, unit: unit, dates: days)
                for day in days {
                    let one = try await IndicatorEngine(db: app.db).value(indicator, unit: unit, date: day)
                    // A day with nobody to count is a gap in the series, not 0%.
                    if let value = trend[day] { XCTAssertEqual(value, one.value, "\(indicator.code) on \(day)") } else { XCTAssertEqual(one.denominator ?? 0, 0, "\(indicator.code) on \(day)") }
                }
            }
            v = try await app.indicatorValue(token, share, "unit=30292&date=31/12/2022")
            XCTAssertEqual([v.numerator, v.denominator], [1, 2])
        }
    }
}

/// Editing what was entered: the plan's details, an indicator, and taking parts out again.
final class PlanEditTests: XCTestCase {
    func testOfficerEditsAndRemovesThroughPagesAndAPI() async throws {
        try await withApp { app in
            let user = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let token = try await app.token(for: user)
            let plan = try await app.makePlan(token)
            let share = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare))
            var target: UUID?
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: share, stages: [.init(deadline: "31/12/2028", value: 60)])) { target = try $0.json(TargetView.self).id }
            var browser = try await app.login("cv")
            try await app.page(.GET, "/plans/\(plan)/edit", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains(#"value="588/QĐ-UBND""#))
                XCTAssertTrue(res.body.string.contains(#"value="09/03/2021""#))
            }
            let form = ["number": "588/QĐ-UBND", "kind": "quyet-dinh", "issuer": "Ủy ban nhân dân tỉnh An Giang", "issuedOn": "09/03/2021",
                        "title": "Đề án phát triển nghề công tác xã hội", "fromYear": "2021", "toYear": "2025", "scopeCode": "91", "status": "period"]
            try await app.page(.POST, "/plans/\(plan)", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("31/12/2028"), "the target the shorter period would lose is named")
            }
            let unchanged = try await Plan.find(plan, on: app.db)!
            XCTAssertEqual(unchanged.toYear, 2030)
            // Take the target out (API), then the period can shrink (page).
            try await app.api(.DELETE, "/api/v1/plans/\(plan)/targets/\(target!)", token: token) { XCTAssertEqual($0.status, .noContent) }
            try await app.api(.DELETE, "/api/v1/plans/\(plan)/targets/\(target!)", token: token) { XCTAssertEqual($0.status, .notFound) }
            try await app.page(.POST, "/plans/\(plan)", as: &browser, form: form) { XCTAssertEqual($0.status, .seeOther) }
            let edited = try await Plan.find(plan, on: app.db)!
            XCTAssertEqual([edited.toYear], [2025])
            XCTAssertEqual(edited.title, "Đề án phát triển nghề công tác xã hội")
            // An ended plan is measured on its last day unless another day is asked.
            try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard", token: token) { XCTAssertEqual(try $0.json(PlanDashboardDTO.self).date, "2025-12-31") }
            try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?date=01/06/2024", token: token) { XCTAssertEqual(try $0.json(PlanDashboardDTO.self).date, "2024-06-01") }
            // A budget line and an objective out through the page's buttons.
            try await app.api(.POST, "/api/v1/plans/\(plan)/budget-lines", token: token,
                              json: PlanBudgetInput(source: "local", year: 2022, planned: 100, spent: 50)) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.POST, "/api/v1/plans/\(plan)/objectives", token: token, json: ObjectiveInput(general: true, text: "Phát triển nghề")) {
                XCTAssertEqual($0.status, .created)
            }
            let line = try await PlanBudgetLine.query(on: app.db).first()!, objective = try await PlanObjective.query(on: app.db).first()!
            try await app.page(.GET, "/plans/\(plan)", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("/plans/\(plan)/budget-lines/\(line.id!)/delete"))
                XCTAssertTrue(res.page.hrefs.contains("/plans/\(plan)/edit"))
            }
            try await app.page(.POST, "/plans/\(plan)/budget-lines/\(line.id!)/delete", as: &browser, form: [:]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.POST, "/plans/\(plan)/objectives/\(objective.id!)/delete", as: &browser, form: [:]) { XCTAssertEqual($0.status, .seeOther) }
            let left = try await PlanBudgetLine.query(on: app.db).count() + PlanObjective.query(on: app.db).count()
            XCTAssertEqual(left, 0)
            let removals = try await AuditEntry.query(on: app.db).filter(\.$action == "delete").count()
            XCTAssertEqual(removals, 3)
            // The indicator's definition, from its page.
            try await app.page(.GET, "/indicators/\(share)/edit", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.page.all("option").contains { $0.attributes["value"] == "trained-share" && $0.attributes["selected"] != nil })
            }
            try await app.page(.POST, "/indicators/\(share)", as: &browser,
                               form: ["code": "DT", "name": "Tỷ lệ đã đào tạo", "kind": "trained-share", "since": "31/02/2020"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"id="since" name="since" value="31/02/2020" placeholder="dd/MM/yyyy" inputmode="numeric" aria-invalid="true""#))
            }
            try await app.page(.POST, "/indicators/\(share)", as: &browser,
                               form: ["code": "DT", "name": "Tỷ lệ đã đào tạo", "kind": "trained-share", "domains[]": "population"]) { XCTAssertEqual($0.status, .seeOther) }
            let indicator = try await Indicator.find(share, on: app.db)!
            XCTAssertEqual(indicator.name, "Tỷ lệ đã đào tạo")
            XCTAssertEqual(try indicator.parsed().staff?.domains, [.population])
            // Nobody outside the plan's scope edits it.
            try await app.makeUser("xa", role: .communeOfficer, scope: "30292")
            var other = try await app.login("xa")
            try await app.page(.GET, "/plans/\(plan)/edit", as: &other) { XCTAssertEqual($0.status, .forbidden) }
            let xa = try await app.token(for: try await User.query(on: app.db).filter(\.$username == "xa").first()!)
            try await app.api(.DELETE, "/api/v1/plans/\(plan)/targets/\(UUID())", token: xa) { XCTAssertEqual($0.status, .forbidden) }
        }
    }
}
