import XCTest
import XCTVapor
import HamletKit
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletReporting

/// The report pages as officers use them: type, make a mistake, submit, approve.
final class ReportPagesTests: XCTestCase {
    /// A form with a statistics cut-off: November's report covers 15/10 to 14/11 and is due
    /// five days after the cut-off, on the page, in the API and in the completeness matrix.
    func testCutOffDayShowsTheWindowAndMovesTheDueDate() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            try await app.api(.PATCH, "/api/v1/data-sets/BC_THANG_XA", token: token, json: DataSetInput(cutoffDay: 14)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(DataSetDTO.self).dueLabel, "5 ngày sau ngày chốt số liệu (ngày 14)")
            }
            let commune = try await app.communes()[0]
            try await app.api(.GET, "/api/v1/reports/BC_THANG_XA/\(commune.code)/202610", token: token) { res in
                XCTAssertTrue(res.body.string.contains("\"dueDate\":\"2026-10-19\""), res.body.string)
            }
            var browser = try await app.login("cv")
            try await app.page(.GET, "/reports/entry?set=BC_THANG_XA&unit=\(commune.code)&period=202610", as: &browser) { res in
                XCTAssertEqual(res.page.text(id: "window"), "số liệu từ 15/09/2026 đến 14/10/2026", res.body.string)
                XCTAssertTrue(res.body.string.contains("19/10/2026"))
            }
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/completeness?unit=91&from=202610&to=202610", token: token) { res in
                let periods = try res.json(ReportCompleteness.Result.self).periods
                XCTAssertEqual(periods.map(\.due), ["19/10/2026"])
            }
            try await app.api(.PATCH, "/api/v1/data-sets/BC_THANG_XA", token: token, json: DataSetInput(cutoffDay: 31)) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "cutoffDay")
            }
        }
    }

    /// Issue 22: a period is typed as people write it, on the page and in the completeness API.
    func testPeriodsTypedAsPeopleWriteThem() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let commune = try await app.communes()[0]
            var browser = try await app.login("cv")
            for typed in ["T10/2026", "10/2026", "Tháng 10/2026", "thang 10 nam 2026"] {
                let query = typed.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? typed
                try await app.page(.GET, "/reports/entry?set=BC_THANG_XA&unit=\(commune.code)&period=\(query)", as: &browser) { res in
                    XCTAssertEqual(res.status, .ok, typed)
                    XCTAssertTrue(res.body.string.contains("Tháng 10/2026"), typed)
                    XCTAssertTrue(res.body.string.contains(#"name="period" value="202610""#), typed)
                }
            }
            try await app.page(.GET, "/reports/entry?set=BC_THANG_XA&unit=\(commune.code)&period=Qu%C3%BD%203%2F2026", as: &browser) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("báo cáo theo tháng"), res.body.string)
            }
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/completeness?unit=91&from=9%2F2026&to=T10%2F2026", token: token) { res in
                XCTAssertEqual(try res.json(ReportCompleteness.Result.self).periods.count, 2, res.body.string)
            }
        }
    }

    func testTypeSubmitAndApproveThroughThePages() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(admin)
            let commune = try await app.communes()[0]
            try await app.makeUser("xa", role: .communeOfficer, scope: commune.code)
            var clerk = try await app.login("xa")
            try await app.page(.GET, "/reports", as: &clerk) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("Báo cáo tháng của xã"))
            }
            let entry = "/reports/entry?set=BC_THANG_XA&unit=\(commune.code)&period=202609"
            var form: [String: String] = [:]
            try await app.page(.GET, entry, as: &clerk) { res in
                XCTAssertEqual(res.status, .ok)
                let html = res.body.string
                XCTAssertTrue(html.contains("Số cộng tác viên được tập huấn — Nữ"), "one field per sex")
                XCTAssertTrue(html.contains("name=\"v:CTV_TAP_HUAN.NU\""))
                XCTAssertEqual(res.headers.first(name: .cacheControl), "no-store")
                let clientId = html.range(of: #"name="clientId" value="([^"]+)""#, options: .regularExpression).map { String(html[$0]) } ?? ""
                form = ["set": "BC_THANG_XA", "unit": commune.code, "period": "202609", "version": "0",
                        "clientId": String(clientId.dropFirst(22).dropLast()), "v:CTV_TONG": "1.200", "v:CTV_TAP_HUAN.NAM": "3", "v:CTV_TAP_HUAN.NU": "4,5", "v:GHI_CHU": ""]
            }
            // Two mistakes: a thousand over the range and a fraction of a person. Both shown, nothing stored.
            try await app.page(.POST, "/reports/entry", as: &clerk, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let html = res.body.string
                XCTAssertTrue(html.contains("Số cộng tác viên được tập huấn: Phải là số nguyên, ví dụ 12 hoặc 1.234."), html)
                XCTAssertTrue(html.contains("value=\"4,5\""), "the typed value stays in its field")
                // The range rule is reported in the same try, next to its field, and listed with the other.
                XCTAssertEqual(res.page.text(id: "e-CTV_TONG"), "“Tổng số cộng tác viên” phải từ 0 đến 500.", html)
                XCTAssertTrue(html.contains(##"<a href="#f-CTV_TAP_HUAN.NU">Số cộng tác viên được tập huấn: Phải là số nguyên"##))
                XCTAssertTrue(html.contains(##"<a href="#f-CTV_TONG">“Tổng số cộng tác viên” phải từ 0 đến 500.</a>"##))
            }
            var stored = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(stored, 0)
            form["v:CTV_TAP_HUAN.NU"] = "4"
            try await app.page(.POST, "/reports/entry", as: &clerk, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("“Tổng số cộng tác viên” phải từ 0 đến 500."))
            }
            form["v:CTV_TONG"] = "12"; form["action"] = "submit"
            try await app.page(.POST, "/reports/entry", as: &clerk, form: form) { res in
                XCTAssertEqual(res.status, .seeOther, res.body.string)
            }
            // The same form posted again (a double tap, a retry) changes nothing.
            try await app.page(.POST, "/reports/entry", as: &clerk, form: form) { res in XCTAssertEqual(res.status, .seeOther) }
            let report = try await Report.query(on: app.db).first()
            XCTAssertEqual(report?.version, 1); XCTAssertEqual(report?.status, "submitted")
            stored = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(stored, 3)
            try await app.page(.GET, entry, as: &clerk) { res in
                XCTAssertTrue(res.body.string.contains("Đã gửi"))
                XCTAssertFalse(res.body.string.contains("value=\"approve\""), "a commune does not approve itself")
            }
            var province = try await app.login("cv")
            try await app.page(.GET, "/reports", as: &province) { res in
                XCTAssertTrue(res.body.string.contains("id=\"waiting\""))
                XCTAssertTrue(res.body.string.contains(commune.name))
            }
            try await app.page(.GET, entry, as: &province) { _ in }
            try await app.page(.POST, "/reports/decide", as: &province, form: ["set": "BC_THANG_XA", "unit": commune.code, "period": "202609", "decision": "return"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("Khi trả lại, ghi rõ cần sửa gì."))
            }
            try await app.page(.POST, "/reports/decide", as: &province, form: ["set": "BC_THANG_XA", "unit": commune.code, "period": "202609", "decision": "approve"]) { res in
                XCTAssertEqual(res.status, .seeOther)
            }
            try await app.page(.GET, entry, as: &clerk) { res in
                XCTAssertTrue(res.body.string.contains("Báo cáo đã được duyệt và bị khóa"))
                XCTAssertFalse(res.body.string.contains("value=\"submit\""))
            }
            // A page save with an old version shows what is stored now, and what was typed beside it.
            try await app.page(.POST, "/reports/decide", as: &province, form: ["set": "BC_THANG_XA", "unit": commune.code, "period": "202609", "decision": "unlock"]) { _ in }
            form["action"] = "save"; form["clientId"] = UUID().uuidString; form["v:CTV_TONG"] = "13"; form["version"] = "1"
            try await app.page(.POST, "/reports/entry", as: &clerk, form: form) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertTrue(res.body.string.contains("Bạn đã nhập: 13"))
            }
        }
    }
}

/// Who reported, on time or late, and who did not.
final class ReportCompletenessTests: XCTestCase {
    func testMatrixCountsAndOverdueList() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let (a, b) = (try await app.communes()[0], try await app.communes()[1])
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "91").count()
            for (unit, period) in [(a, "202607"), (b, "202608")] {
                try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(unit.code)/\(period)", token: token, json: ReportBody(0, [("CTV_TONG", nil, "5")], submit: true)) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                }
            }
            // b sent August's report on 01/09 (due 05/09): on time. a's July report came today: late, then approved.
            try await Report.query(on: app.db).filter(\.$orgCode == b.code).set(\.$firstSubmittedOn, to: "2026-09-01").update()
            let admin = try await app.token(for: try await app.makeUser("tw", role: .admin))
            try await app.api(.POST, "/api/v1/reports/BC_THANG_XA/\(a.code)/202607/approve", token: admin) { res in XCTAssertEqual(res.status, .ok) }
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/completeness?unit=91&from=202607&to=202609", token: token) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let r = try res.json(ReportCompleteness.Result.self)
                XCTAssertEqual(r.periods.map(\.id), ["202607", "202608", "202609"])
                XCTAssertEqual(r.periods.first?.due, "05/08/2026")
                XCTAssertEqual(r.rows.count, communes)
                XCTAssertEqual(r.total.expected, communes * 3)
                XCTAssertEqual(r.total.approved, 1); XCTAssertEqual(r.total.onTime, 1); XCTAssertEqual(r.total.missing, communes * 3 - 2)
                XCTAssertEqual(r.reportedPercent, Percent.of(2, communes * 3))
                XCTAssertEqual(r.onTimePercent, Percent.of(1, communes * 3), "a's approved report came late")
                XCTAssertEqual(r.cameLate, 1)
                XCTAssertEqual(r.rows.first { $0.code == a.code }?.cells, ["approved", "missing", "missing"])
                XCTAssertEqual(r.rows.first { $0.code == b.code }?.cells, ["missing", "on-time", "missing"])
                XCTAssertEqual(r.overdue.count, communes * 3 - 2)
                XCTAssertEqual(r.children.count, communes, "a province's children are its communes")
            }
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/completeness?unit=91&from=2026Q1", token: token) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "from")
            }
            let clerk = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: b.code))
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/completeness?unit=91", token: clerk) { res in XCTAssertEqual(res.status, .notFound) }
            try await app.makeUser("lanhdao", role: .viewer, scope: "91")
            var leader = try await app.login("lanhdao")
            try await app.page(.GET, "/reports/completeness?set=BC_THANG_XA&unit=91&from=202607&to=202609", as: &leader) { res in
                XCTAssertEqual(res.status, .ok)
                let html = res.body.string
                XCTAssertTrue(html.contains("id=\"matrix\""))
                XCTAssertTrue(html.contains("Đúng hạn")); XCTAssertTrue(html.contains("Chưa báo cáo (quá hạn)"))
                XCTAssertTrue(html.contains(b.name))
                // Newest period first, so the current one is in view on a phone.
                let sep = html.range(of: "Tháng 9/2026")!.lowerBound, jul = html.range(of: "Tháng 7/2026")!.lowerBound
                XCTAssertLessThan(sep, jul)
            }
        }
    }
}
