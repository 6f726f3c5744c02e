import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletWorkforce
@testable import HamletReporting
@testable import HamletPlans

extension Application {
    /// An account's work list as the API gives it.
    func myWork(_ token: String) async throws -> [WorkItem] {
        var items: [WorkItem] = []
        try await api(.GET, "/api/v1/me/work", token: token) { res in
            XCTAssertEqual(res.status, .ok, res.body.string)
            items = try res.json(WorkList.self).items
        }
        return items
    }
}

/// Issue 22, point 2 (reporting): each account's work, most urgent first, on the start page and
/// at GET /api/v1/me/work. Today is 05/12/2026: November's hamlet report is due today, October's
/// is overdue, December's is open.
final class MyWorkTests: XCTestCase {
    func work(_ app: Application, _ token: String) async throws -> [WorkItem] { try await app.myWork(token) }

    func testEachAccountFindsItsReportingWork() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("qt", role: .admin, scope: "91"))
            var hamlets: [String] = []
            for name in ["Ấp Hòa An", "Ấp Hòa Bình"] {
                try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: admin, json: JSON(["name": name, "type": "Ấp", "effectiveDate": "01/07/2025"])) {
                    hamlets.append(try $0.json(UnitDTO.self).code)
                }
            }
            try await app.api(.POST, "/api/v1/data-elements", token: admin, json: ElementInput(code: "HO_THAM", name: "Số hộ được thăm", valueType: "INTEGER_ZERO_OR_POSITIVE")) { _ in }
            try await app.api(.POST, "/api/v1/data-sets", token: admin, json: DataSetInput(code: "BC_AP", name: "Báo cáo tháng của ấp", periodicity: "monthly",
                                                                                          levels: ["hamlet"], dueDays: 5, elements: [.init(element: "HO_THAM", section: "Chung")])) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            let ctv = try await app.token(for: try await app.makeUser("ctv", role: .collaborator, scope: hamlets[0]))
            let xa = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30292"))
            let viewer = try await app.token(for: try await app.makeUser("xem", role: .viewer, scope: "91"))
            // The collaborator: three months to enter, the overdue one first, then the one due today.
            var items = try await work(app, ctv)
            XCTAssertEqual(items.map(\.title), ["Báo cáo tháng của ấp — Tháng 10/2026", "Báo cáo tháng của ấp — Tháng 11/2026", "Báo cáo tháng của ấp — Tháng 12/2026"])
            XCTAssertEqual(items.map(\.urgent), [true, true, false])
            XCTAssertEqual(items.map(\.state), ["not-started", "not-started", "not-started"])
            XCTAssertEqual(items[1].due, "2026-12-05")
            XCTAssertEqual(items[1].link, "/reports/entry?set=BC_AP&unit=\(hamlets[0])&period=202611")
            for period in ["202610", "202611"] {
                try await app.api(.PUT, "/api/v1/reports/BC_AP/\(hamlets[0])/\(period)", token: ctv, json: ReportBody(0, [("HO_THAM", nil, "12")], submit: true)) {
                    XCTAssertEqual($0.status, .ok, $0.body.string)
                }
            }
            try await app.api(.PUT, "/api/v1/reports/BC_AP/\(hamlets[0])/202612", token: ctv, json: ReportBody(0, [("HO_THAM", nil, "3")])) { _ in }
            items = try await work(app, ctv)
            XCTAssertEqual(items.map(\.title), ["Báo cáo tháng của ấp — Tháng 12/2026"], "sent months leave the list")
            XCTAssertEqual(items.first?.state, "draft")
            // The commune officer: two reports to decide, and the hamlet that has not sent October.
            items = try await work(app, xa)
            XCTAssertEqual(items.filter { $0.kind == "approve" }.map(\.detail), ["Tháng 11/2026", "Tháng 10/2026"])
            let missing = items.first { $0.kind == "missing" }
            XCTAssertEqual(missing?.title, "1 đơn vị chưa gửi — Báo cáo tháng của ấp, Tháng 10/2026")
            XCTAssertEqual(missing?.detail, "Ấp Hòa Bình")
            XCTAssertEqual(items.first?.kind, "missing", "the overdue comes first")
            // Approving several at once on the reports page, after a look: October's is picked and approved.
            var officer = try await app.login("xa")
            try await app.page(.GET, "/reports", as: &officer) { res in
                XCTAssertTrue(res.body.string.contains(#"value="BC_AP|\#(hamlets[0])|202610""#), res.body.string)
            }
            try await app.page(.POST, "/reports/approve-many", as: &officer, form: [:]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("Chọn ít nhất một báo cáo"))
            }
            try await app.page(.POST, "/reports/approve-many", as: &officer, form: ["pick[]": "BC_AP|\(hamlets[0])|202610"]) { XCTAssertEqual($0.status, .seeOther) }
            let october = try await Report.query(on: app.db).filter(\.$period == "202610").first()
            XCTAssertEqual(october?.status, "approved")
            items = try await work(app, xa)
            XCTAssertEqual(items.filter { $0.kind == "approve" }.map(\.detail), ["Tháng 11/2026"])
            // Returned with a reason: back on the collaborator's list, with the reason, urgent.
            try await app.api(.POST, "/api/v1/reports/BC_AP/\(hamlets[0])/202611/return", token: xa, json: JSON(["comment": "Kiểm tra lại số hộ"])) {
                XCTAssertEqual($0.status, .ok, $0.body.string)
            }
            items = try await work(app, ctv)
            let returned = items.first { $0.title.hasSuffix("Tháng 11/2026") }
            XCTAssertEqual(returned?.stateLabel, "Bị trả lại: Kiểm tra lại số hộ")
            XCTAssertEqual(returned?.urgent, true)
            // A viewer has no reports to enter or decide, but sees a plan's target falling behind its line.
            let seen = try await work(app, viewer)
            XCTAssertEqual(seen.count, 0, "no plan yet")
            let plan = try await app.makePlan(admin)
            let hamletsCovered = try await app.makeIndicator(admin, "AP-CTV", IndicatorDefinition(kind: .unitsWithPeople,
                rule: CoverageRule(level: .hamlet, domains: [.population], kinds: [.congTacVien], min: 1)))
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: admin,
                              json: TargetInput(indicatorId: hamletsCovered, unitCode: "91", stages: [.init(deadline: "31/12/2030", value: 100)], baselineYear: 2020, baselineValue: 0)) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            let behind = try await work(app, viewer).filter { $0.kind == "glance" }
            XCTAssertEqual(behind.map(\.title), ["588/QĐ-UBND: Chỉ tiêu AP-CTV"])
            XCTAssertEqual(behind.first?.state, "at-risk")
            XCTAssertEqual(behind.first?.link, "/plans/\(plan)")
            // The start page shows the same list.
            var browser = try await app.login("ctv")
            try await app.page(.GET, "/", as: &browser) { res in
                XCTAssertNotNil(res.page.element("work"), "the work list")
                // The menu: what a collaborator works with, nothing else.
                XCTAssertTrue(res.page.hrefs.contains("/reports"))
                XCTAssertFalse(res.page.hrefs.contains("/coverage"))
                XCTAssertFalse(res.page.hrefs.contains("/catalogues"))
                XCTAssertTrue(res.body.string.contains("Bị trả lại: Kiểm tra lại số hộ"))
                XCTAssertTrue(res.body.string.contains("/reports/entry?set=BC_AP&amp;unit=\(hamlets[0])&amp;period=202611") ||
                              res.body.string.contains("/reports/entry?set=BC_AP&unit=\(hamlets[0])&period=202611"))
            }
        }
    }
}
