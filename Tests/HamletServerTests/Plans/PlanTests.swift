import XCTest
import XCTVapor
import Fluent
import HamletKit
import ZIPFoundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletAccounts
@testable import HamletTraining
@testable import HamletPlans

extension Application {
    /// The An Giang plan 588/QĐ-UBND (2021–2030) of the tests.
    func makePlan(_ token: String, _ body: PlanInput = PlanTests.planBody) async throws -> UUID {
        var id: UUID?
        try await api(.POST, "/api/v1/plans", token: token, json: body) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            id = try res.json(PlanDTO.self).id
        }
        return id!
    }
}

/// Plans, their parts and targets through the API; the dashboard's figures and statuses by hand.
final class PlanTests: XCTestCase {
    static let planBody = PlanInput(number: "588/QĐ-UBND", kind: "quyet-dinh", issuer: "Ủy ban nhân dân tỉnh An Giang", signer: "Lê Văn Nưng",
                             issuedOn: "09/03/2021", title: "Đề án phát triển nghề công tác xã hội giai đoạn 2021–2030", fromYear: 2021, toYear: 2030,
                             scopeCode: "91", legalBases: "Quyết định 112/QĐ-TTg\nLuật Trẻ em 2016", reportDue: "30/11", interimYear: 2025, finalYear: 2030)

    var planBody: PlanInput { Self.planBody }

    func makePlan(_ app: Application, _ token: String) async throws -> UUID { try await app.makePlan(token) }

    func testBadPlansTasksAndTargetsAreRefusedByField() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            var cases: [(PlanInput, String)] = []
            var b = planBody; b.number = ""; cases.append((b, "number"))
            b = planBody; b.kind = "thong-bao"; cases.append((b, "kind"))
            b = planBody; b.issuedOn = "31/02/2021"; cases.append((b, "issuedOn"))
            b = planBody; b.toYear = 2020; cases.append((b, "toYear"))
            b = planBody; b.scopeCode = "01"; cases.append((b, "scopeCode"))
            b = planBody; b.reportDue = "31/13"; cases.append((b, "reportDue"))
            for (body, field) in cases {
                try await app.api(.POST, "/api/v1/plans", token: token, json: body) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, field)
                    XCTAssertEqual(res.errorField, field)
                }
            }
            let none = try await Plan.query(on: app.db).count()
            XCTAssertEqual(none, 0)
            let plan = try await makePlan(app, token)
            try await app.api(.POST, "/api/v1/plans/\(plan)/tasks", token: token, json: TaskInput(title: "Tập huấn", timeFrame: "Quý I/2022")) {
                XCTAssertEqual($0.errorField, "leadAgencyId")
            }
            let lead = try await app.makeAgency(token, "Sở Y tế")
            try await app.api(.POST, "/api/v1/plans/\(plan)/tasks", token: token, json: TaskInput(title: "Tập huấn", leadAgencyId: lead, timeFrame: "sớm")) {
                XCTAssertEqual($0.errorField, "timeFrame")
            }
            let share = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare))
            for (input, field) in [(TargetInput(indicatorId: share, unitCode: "00004", stages: [.init(deadline: "31/12/2025", value: 30)]), "unitCode"),
                                   (TargetInput(indicatorId: share, stages: [.init(deadline: "31/12/2035", value: 30)]), "deadline"),
                                   (TargetInput(indicatorId: share, stages: [.init(deadline: "31/12/2025", value: 130)]), "value"),
                                   (TargetInput(indicatorId: UUID(), stages: [.init(deadline: "31/12/2025", value: 30)]), "indicatorId"),
                                   (TargetInput(indicatorId: share, stages: []), "stages")] {
                try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token, json: input) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, field)
                    XCTAssertEqual(res.errorField, field)
                }
            }
            let targets = try await Target.query(on: app.db).count() + PlanTask.query(on: app.db).count()
            XCTAssertEqual(targets, 0)
        }
    }

    func testDashboardByHand() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let plan = try await makePlan(app, token)
            var objective: UUID?
            try await app.api(.POST, "/api/v1/plans/\(plan)/objectives", token: token, json: ObjectiveInput(general: false, text: "≥ 30% được đào tạo")) {
                objective = try $0.json(PlanDTO.Objective.self).id
            }
            let lead = try await app.makeAgency(token, "Sở Y tế")
            try await app.api(.POST, "/api/v1/plans/\(plan)/tasks", token: token, json: TaskInput(title: "Tập huấn cộng tác viên", leadAgencyId: lead, timeFrame: "Quý I/2022")) {
                XCTAssertEqual($0.status, .created, $0.body.string)
                XCTAssertEqual(try $0.json(PlanDTO.self).tasks?.first?.endsOn, "2022-03-31")
            }
            try await app.api(.POST, "/api/v1/plans/\(plan)/budget-lines", token: token, json: PlanBudgetInput(source: "local", year: 2022, planned: 500_000_000, spent: 420_000_000)) {
                XCTAssertEqual(try $0.json(PlanDTO.self).budget?.first?.spent, 420_000_000)
            }
            // Four collaborators since 2020; two trained in 2022: 50 % at the end of 2022.
            let people = try await app.seedPeople(4, unit: "30292", start: "2020-01-01")
            let course = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: lead, unitCode: "91", startDate: "01/03/2022", endDate: "03/03/2022", status: "finished"))
            try await app.enrol(token, klass, [people[0], people[1]])
            try await app.completeAll(token, klass)
            let share = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare, staff: StaffCriteria(domains: [.population])))
            // Baseline 0 % in 2020; 30 % by 2025, 100 % by 2030.
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: share, objectiveId: objective, stages: [.init(deadline: "31/12/2025", value: 30), .init(deadline: "31/12/2030", value: 100)],
                                                baselineYear: 2020, baselineValue: 0)) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            // 31/12/2021: nobody trained, the line expects 6 % → at risk.
            var board = try await dashboard(app, token, plan, "31/12/2021")
            XCTAssertEqual(board.targets.first?.current, 0)
            XCTAssertEqual(board.targets.first?.expected ?? 0, 6, accuracy: 0.1)
            XCTAssertEqual(board.targets.first?.status, "at-risk")
            // 31/12/2023: 50 % is over the final 30 % stage but short of 100 % → on track (line at 44 %).
            board = try await dashboard(app, token, plan, "31/12/2023")
            XCTAssertEqual(board.targets.first?.current, 50)
            XCTAssertEqual(board.targets.first?.status, "on-track")
            XCTAssertEqual(board.targets.first?.trend.map(\.label), ["2021", "2022", "2023"], "a year end is labelled by its year")
            XCTAssertEqual(board.targets.first?.trend.map(\.value), [0, 50, 50])
            XCTAssertEqual(board.targets.first?.children.map(\.code), ["30292"])
            // 31/12/2031: past the last deadline, judged on 31/12/2030's 50 % → missed, never "at risk".
            board = try await dashboard(app, token, plan, "31/12/2031")
            XCTAssertEqual(board.targets.first?.status, "missed")
            XCTAssertEqual(board.targets.first?.judgedOn, "2030-12-31")
            XCTAssertEqual(board.targets.first?.judgedValue, 50)
            XCTAssertEqual(board.targets.first?.verdicts.map(\.met), [true, false], "30 % met on 31/12/2025; 100 % missed on 31/12/2030")

            // The dashboard page says the same, with the rule in words and a chart per target.
            var browser = try await app.login("cv")
            try await app.page(.GET, "/plans", as: &browser) { XCTAssertTrue($0.body.string.contains("588/QĐ-UBND")) }
            try await app.page(.GET, "/plans/\(plan)?date=31/12/2021", as: &browser) { res in
                let html = res.body.string
                XCTAssertEqual(res.status, .ok, html)
                XCTAssertTrue(html.contains("Có nguy cơ không đạt"))
                XCTAssertTrue(html.contains("đường thẳng nối giá trị năm cơ sở"))
                XCTAssertEqual(res.page.all("svg.chart").count, 1, "a chart drawn on the server")
                XCTAssertTrue(html.contains("≥ 30,0% (31/12/2025); ≥ 100,0% (31/12/2030)"))
                XCTAssertTrue(html.contains("Tập huấn cộng tác viên"))
                XCTAssertFalse(html.contains("420.000.000"), "the 2022 budget line is not yet there on 31/12/2021")
                XCTAssertTrue(html.contains("/plans/\(plan)?unit=30292&amp;date=31/12/2021"), "each child's figure one click down")
            }
            try await app.page(.GET, "/plans/\(plan)/export?format=xlsx&date=31/12/2023", as: &browser) { res in
                let rows = try XLSXReader.read(Data(buffer: res.body))
                XCTAssertEqual(rows.last?.cells.first, "Chỉ tiêu DT")
                XCTAssertEqual(rows.last?.cells[7], "Đúng tiến độ")
            }
            // The yearly report: an editable DOCX in the official layout.
            try await app.api(.GET, "/api/v1/plans/\(plan)/report?year=2023", token: token) { res in
                XCTAssertEqual(res.status, .ok)
                let archive = try Archive(data: Data(buffer: res.body), accessMode: .read)
                func part(_ path: String) throws -> String {
                    var data = Data()
                    _ = try archive.extract(archive[path]!) { data.append($0) }
                    return String(decoding: data, as: UTF8.self)
                }
                let xml = try part("word/document.xml")
                for text in ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "An Giang, ngày      tháng      năm", "số liệu tính đến ngày 31 tháng 12 năm 2023",
                             "Kết quả thực hiện Quyết định số 588/QĐ-UBND năm 2023", "Chỉ tiêu DT", "Đúng tiến độ", "Tập huấn cộng tác viên", "Nơi nhận:", "Lê Văn Nưng",
                             "w:w=\"11906\" w:h=\"16838\""] {
                    XCTAssertTrue(xml.contains(text), text)
                }
                XCTAssertTrue(try part("word/styles.xml").contains("Times New Roman"))
                XCTAssertNoThrow(try XMLDocument(data: Data(xml.utf8)))
            }
            try await app.page(.GET, "/plans/\(plan)?date=31/12/2023", as: &browser) { XCTAssertTrue($0.body.string.contains("420.000.000")) }
            // The officer may print the day it is signed; a day that is no date is refused by name.
            try await app.api(.GET, "/api/v1/plans/\(plan)/report?year=2023&issuedOn=15/01/2024", token: token) { res in
                let archive = try Archive(data: Data(buffer: res.body), accessMode: .read)
                var data = Data()
                _ = try archive.extract(archive["word/document.xml"]!) { data.append($0) }
                XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("An Giang, ngày 15 tháng 01 năm 2024"))
            }
            try await app.api(.GET, "/api/v1/plans/\(plan)/report?year=2023&issuedOn=31/02/2024", token: token) { XCTAssertEqual($0.errorField, "issuedOn") }
            try await app.api(.GET, "/api/v1/plans/\(plan)/report?year=2035", token: token) { XCTAssertEqual($0.errorField, "year") }
            // Scope: another province sees nothing; a commune of An Giang sees the plan measured at home.
            let other = try await app.token(for: try await app.makeUser("hn", role: .provinceOfficer, scope: "01"))
            try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard", token: other) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/plans", token: other) { XCTAssertEqual(try $0.json(ListBody<PlanDTO>.self).total, 0) }
            let commune = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30313"))
            board = try await dashboard(app, commune, plan, "31/12/2023")
            XCTAssertEqual(board.unitCode, "30313")
            XCTAssertEqual(board.targets.first?.unitCode, "30313")
            XCTAssertEqual(board.targets.first?.denominator, 0, "nobody of the province leaks into the commune's figure")
            try await app.api(.POST, "/api/v1/plans/\(plan)/objectives", token: commune, json: ObjectiveInput(text: "x")) { XCTAssertEqual($0.status, .forbidden) }
            // One level down: the province officer opens the dashboard at a commune; nobody opens it outside.
            board = try await dashboard(app, token, plan, "31/12/2023&unit=30292")
            XCTAssertEqual(board.unitCode, "30292")
            XCTAssertEqual(board.targets.first?.denominator, 4)
            try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?unit=00004", token: token) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?unit=30292", token: commune) { XCTAssertEqual($0.status, .notFound) }
        }
    }

    func dashboard(_ app: Application, _ token: String, _ plan: UUID, _ date: String) async throws -> PlanDashboardDTO {
        var board: PlanDashboardDTO?
        try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?date=\(date)", token: token) { res in
            XCTAssertEqual(res.status, .ok, res.body.string)
            board = try res.json(PlanDashboardDTO.self)
        }
        return board!
    }
}

/// The plan forms, as an officer fills them in.
final class PlanFormTests: XCTestCase {
    func testOfficerEntersAPlanThroughThePages() async throws {
        try await withApp { app in
            try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let token = try await app.token(for: try await User.query(on: app.db).filter(\.$username == "cv").first()!)
            let share = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare))
            let lead = try await app.makeAgency(token, "Sở Y tế")
            var browser = try await app.login("cv")
            try await app.page(.GET, "/plans/new", as: &browser) { XCTAssertEqual($0.status, .ok) }
            var form = ["number": "126/KH-UBND", "kind": "ke-hoach", "issuer": "Ủy ban nhân dân tỉnh An Giang", "issuedOn": "15/05/2014",
                        "title": "Kế hoạch phát triển đội ngũ cộng tác viên", "fromYear": "2014", "toYear": "2012", "scopeCode": "91", "reportDue": "30/11"]
            try await app.page(.POST, "/plans", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"id="toYear" name="toYear" value="2012" inputmode="numeric" maxlength="4" required aria-invalid="true""#))
            }
            form["toYear"] = "2020"
            var location = ""
            try await app.page(.POST, "/plans", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .seeOther)
                location = String((res.headers.first(name: .location) ?? "").split(separator: "?")[0])
            }
            // The target's unit is not pre-filled (what is typed would join the scope's code); left
            // empty it is the plan's scope, which the field shows as its hint.
            try await app.page(.GET, location, as: &browser) { res in
                let unit = res.page.element("target-unit")
                XCTAssertEqual(unit?.attributes["placeholder"], "91", res.body.string)
                XCTAssertNil(unit?.attributes["value"], "not pre-filled")
            }
            try await app.page(.POST, location + "/targets", as: &browser, form: ["indicatorId": share.uuidString, "unitCode": "91", "stages": "60% vào 2016"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("Mốc ghi «giá trị đến ngày»"))
            }
            try await app.page(.POST, location + "/targets", as: &browser,
                               form: ["indicatorId": share.uuidString, "unitCode": "91", "stages": "60 đến 31/12/2016; 100 đến 31/12/2020", "baselineYear": "2013", "baselineValue": "20"]) {
                XCTAssertEqual($0.status, .seeOther)
            }
            try await app.page(.POST, location + "/tasks", as: &browser, form: ["title": "Tập huấn", "timeFrame": "Quý I/2015"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"id="leadAgencyId" name="leadAgencyId" aria-invalid="true""#))
            }
            try await app.page(.POST, location + "/tasks", as: &browser, form: ["title": "Tập huấn", "leadAgencyId": lead.uuidString, "timeFrame": "Quý I/2015"]) {
                XCTAssertEqual($0.status, .seeOther)
            }
            let task = try await PlanTask.query(on: app.db).first()!
            try await app.page(.POST, location + "/progress", as: &browser, form: ["taskId": task.id!.uuidString, "on": "20/03/2015", "status": "done", "text": "Đã tập huấn 120 người."]) {
                XCTAssertEqual($0.status, .seeOther)
            }
            try await app.page(.POST, location + "/budget-lines", as: &browser, form: ["source": "local", "year": "2015", "planned": "500.000.000", "spent": "480.000.000"]) {
                XCTAssertEqual($0.status, .seeOther)
            }
            try await app.page(.POST, location + "/objectives", as: &browser, form: ["text": "Mạng lưới cộng tác viên hoàn thiện", "general": "on"]) {
                XCTAssertEqual($0.status, .seeOther)
            }
            try await app.page(.GET, location + "?date=31/12/2016", as: &browser) { res in
                let html = res.body.string
                XCTAssertTrue(html.contains("≥ 60,0% (31/12/2016); ≥ 100,0% (31/12/2020)"))
                XCTAssertTrue(html.contains("Đã tập huấn 120 người."))
                XCTAssertTrue(html.contains("480.000.000"))
                XCTAssertTrue(html.contains("Mạng lưới cộng tác viên hoàn thiện"))
            }
            let audits = try await AuditEntry.query(on: app.db).filter(\.$entity ~~ ["plan", "target", "plan_task", "plan_budget", "plan_objective"]).count()
            XCTAssertGreaterThanOrEqual(audits, 6)
        }
    }
}
