import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAccounts
@testable import HamletReporting

/// Issue 22, point 3 and its bad input: periods are chosen from the open ones, a form may close
/// its periods some days after they end (DHIS2's expiry days), and a closed period takes nothing,
/// from the page, the API or a phone's queued copy.
final class ReportPeriodPickerTests: XCTestCase {
    func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso + "T10:00:00+07:00")! }

    func testAClosedPeriodTakesNothingAndIsNotOffered() async throws {
        try await withApp { app in
            app.clock.set(at("2026-10-10"))
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            try await app.api(.PATCH, "/api/v1/data-sets/BC_THANG_XA", token: token, json: DataSetInput(closeDays: 0)) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "closeDays")
            }
            try await app.api(.PATCH, "/api/v1/data-sets/BC_THANG_XA", token: token, json: DataSetInput(closeDays: 10)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(DataSetDTO.self).closeDays, 10)
            }
            let commune = try await app.communes()[0]
            try await app.makeUser("xa", role: .communeOfficer, scope: commune.code)
            let xaToken = try await app.token(for: try await User.query(on: app.db).filter(\.$username == "xa").first()!)
            let path = "/api/v1/reports/BC_THANG_XA/\(commune.code)/202609"
            // 10 October: September (ended 30/09) is open until the 10th.
            try await app.api(.PUT, path, token: xaToken, json: ReportBody(0, [("CTV_TONG", nil, "5")])) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            app.clock.set(at("2026-10-11"))
            try await app.api(.PUT, path, token: xaToken, json: ReportBody(1, [("CTV_TONG", nil, "6")], submit: true)) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                XCTAssertEqual(res.errorField, "period")
                XCTAssertEqual(res.errorMessage, "Tháng 9/2026 đã khóa nhập từ ngày 11/10/2026: biểu “Báo cáo tháng của xã” cho nhập đến 10 ngày sau kỳ.")
            }
            try await app.api(.GET, path, token: xaToken) { res in
                let report = try res.json(ReportDTO.self)
                XCTAssertEqual(report.status, "draft")
                XCTAssertEqual(report.values.first?.value, "5", "nothing stored")
            }
            var clerk = try await app.login("xa")
            // The page: read-only, saying why; the phone's definition says it cannot be edited.
            try await app.page(.GET, "/reports/entry?set=BC_THANG_XA&unit=\(commune.code)&period=202609", as: &clerk) { res in
                let html = res.body.string
                XCTAssertEqual(res.page.text(id: "closed"), "Kỳ này đã khóa nhập từ ngày 11/10/2026.", html)
                XCTAssertFalse(html.contains(#"value="submit""#))
                XCTAssertFalse(try OfflineEntryTests.definition(html).editable)
            }
            // A copy queued on a phone while the period was open is refused, by field, when it arrives.
            try await app.test(.POST, "/reports/entry", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: clerk.cookieHeader)
                req.headers.replaceOrAdd(name: .accept, value: "application/json")
                try req.content.encode(["_csrf": clerk.csrf, "set": "BC_THANG_XA", "unit": commune.code, "period": "202609", "version": "1",
                                        "clientId": "queued-1", "action": "submit", "v:CTV_TONG": "6"], as: .urlEncodedForm)
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "period")
            })
            // The reports page offers the open periods only, as people write them; the unit left
            // empty is the account's own.
            try await app.page(.GET, "/reports", as: &clerk) { res in
                let html = res.body.string
                XCTAssertTrue(res.page.options("open-periods").contains("Tháng 10/2026"), html)
                XCTAssertFalse(res.page.options("open-periods").contains("Tháng 9/2026"), "closed")
                XCTAssertTrue(html.contains(#"value="Tháng 9/2026" required list="open-periods""#), "last month is the default")
                XCTAssertTrue(html.contains("(để trống: đơn vị của bạn)"))
            }
            try await app.page(.GET, "/reports/entry?set=BC_THANG_XA&unit=&period=T10%2F2026", as: &clerk) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains(#"name="unit" value="\#(commune.code)""#))
            }
            // The start page lists the open periods only: October, not September.
            try await app.api(.GET, "/api/v1/me/work", token: xaToken) { res in
                let titles = try res.json(WorkList.self).items.filter { $0.kind == "report" }.map(\.title)
                XCTAssertEqual(titles, ["Báo cáo tháng của xã — Tháng 10/2026"], "\(titles)")
            }
        }
    }
}
