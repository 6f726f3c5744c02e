import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletReporting

/// Counts are never negative: a count element (DHIS2's INTEGER_ZERO_OR_POSITIVE) refuses −3 in
/// the form's API and in a DHIS2 import, every bad value of a save at once, each by its field.
final class CountValueTests: XCTestCase {
    func testACountIsNeverNegative() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            for e in [ElementInput(code: "TRE_PHAT_HIEN", name: "Số trẻ em có nguy cơ được phát hiện", valueType: "INTEGER_ZERO_OR_POSITIVE"),
                      ElementInput(code: "LOP_MO", name: "Số lớp đã mở", valueType: "INTEGER_POSITIVE")] {
                try await app.api(.POST, "/api/v1/data-elements", token: token, json: e) { XCTAssertEqual($0.status, .created, $0.body.string) }
            }
            let form = DataSetInput(code: "BC_TRE", name: "Báo cáo tháng về trẻ em", periodicity: "monthly", levels: ["commune"], dueDays: 5,
                                    elements: [.init(element: "TRE_PHAT_HIEN", section: "Trẻ em"), .init(element: "LOP_MO", section: "Trẻ em")])
            try await app.api(.POST, "/api/v1/data-sets", token: token, json: form) { XCTAssertEqual($0.status, .created, $0.body.string) }
            let commune = try await app.communes()[0]
            let url = "/api/v1/reports/BC_TRE/\(commune.code)/202609"
            try await app.api(.PUT, url, token: token, json: ReportBody(0, [("TRE_PHAT_HIEN", nil, "-3"), ("LOP_MO", nil, "0")])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let problems = try res.content.decode(ErrorBody.self).error.problems ?? []
                XCTAssertEqual(problems.map { $0.field ?? "" }, ["TRE_PHAT_HIEN", "LOP_MO"], "both at once")
                XCTAssertEqual(problems.first?.message, "Số trẻ em có nguy cơ được phát hiện: Số đếm không được âm.")
            }
            let none = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(none, 0)
            try await app.api(.PUT, url, token: token, json: ReportBody(0, [("TRE_PHAT_HIEN", nil, "0"), ("LOP_MO", nil, "2")])) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            let (status, message) = try await DHIS2ExchangeTests.post(app, "/api/dataValueSets", DHIS2ValueSet(dataSet: "BC_TRE", dataValues: [
                DHIS2Value(dataElement: "TRE_PHAT_HIEN", period: "202610", orgUnit: commune.code, categoryOptionCombo: nil, value: "-3")]), auth: "Bearer " + token)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(message?.response.conflicts.map(\.property), ["value"])
            XCTAssertEqual(message?.response.importCount.imported, 0)
        }
    }

    /// A data element's own bounds hold in the form, its API and a DHIS2 import; a draft saves
    /// with a required field empty; a submit shows every problem of the form at once, each next
    /// to its field, and keeps what was typed.
    func testElementBoundsDraftsAndEveryErrorAtOnce() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.api(.POST, "/api/v1/data-elements", token: token,
                              json: ElementInput(code: "HO_NGHEO", name: "Số hộ nghèo", valueType: "NUMBER", minimum: 5, maximum: 1)) { res in
                XCTAssertEqual(res.errorField, "maximum")
            }
            try await app.api(.POST, "/api/v1/data-elements", token: token,
                              json: ElementInput(code: "GHI_CHU", name: "Ghi chú", valueType: "TEXT", maximum: 1)) { XCTAssertEqual($0.errorField, "minimum") }
            for e in [ElementInput(code: "CTV_XA", name: "Số cộng tác viên của xã", valueType: "INTEGER_ZERO_OR_POSITIVE", maximum: 500),
                      ElementInput(code: "BUOI_GIAO_BAN", name: "Số buổi giao ban", valueType: "INTEGER_ZERO_OR_POSITIVE", minimum: 0, maximum: 31)] {
                try await app.api(.POST, "/api/v1/data-elements", token: token, json: e) { res in
                    XCTAssertEqual(res.status, .created, res.body.string)
                    XCTAssertNotNil(try res.json(ElementDTO.self).maximum)
                }
            }
            let form = DataSetInput(code: "BC_GB", name: "Báo cáo giao ban", periodicity: "monthly", levels: ["commune"], dueDays: 5,
                                    elements: [.init(element: "CTV_XA", section: "Chung"), .init(element: "BUOI_GIAO_BAN", section: "Chung")],
                                    rules: [ValidationRule(kind: .required, left: "BUOI_GIAO_BAN")])
            try await app.api(.POST, "/api/v1/data-sets", token: token, json: form) { XCTAssertEqual($0.status, .created, $0.body.string) }
            let commune = try await app.communes()[0]
            let url = "/api/v1/reports/BC_GB/\(commune.code)/202609"
            try await app.api(.PUT, url, token: token, json: ReportBody(0, [("CTV_XA", nil, "501"), ("BUOI_GIAO_BAN", nil, "40")])) { res in
                let problems = try res.content.decode(ErrorBody.self).error.problems ?? []
                XCTAssertEqual(problems.map(\.message), ["Số cộng tác viên của xã: Không được lớn hơn 500.", "Số buổi giao ban: Không được lớn hơn 31."])
            }
            // A draft with the required field empty is kept; the submit asks for it.
            try await app.api(.PUT, url, token: token, json: ReportBody(0, [("CTV_XA", nil, "12")])) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await app.api(.PUT, url, token: token, json: ReportBody(1, [("CTV_XA", nil, "12")], submit: true)) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "BUOI_GIAO_BAN")
            }
            // The page: a negative count and the missing required value in one try, each by its field.
            try await app.makeUser("xa", role: .communeOfficer, scope: commune.code)
            var clerk = try await app.login("xa")
            let fields = ["set": "BC_GB", "unit": commune.code, "period": "202609", "version": "1", "clientId": UUID().uuidString,
                          "v:CTV_XA": "-3", "v:BUOI_GIAO_BAN": "", "action": "submit"]
            try await app.page(.POST, "/reports/entry", as: &clerk, form: fields) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let html = res.body.string
                XCTAssertEqual(res.page.text(id: "e-CTV_XA"), "Số cộng tác viên của xã: Số đếm không được âm.", html)
                XCTAssertEqual(res.page.text(id: "e-BUOI_GIAO_BAN"), "“Số buổi giao ban” phải được nhập.")
                XCTAssertTrue(html.contains(#"name="v:CTV_XA" value="-3""#), "what was typed stays")
            }
            // Saved as a draft (no submit), the same incomplete form is kept without the required value.
            var draft = fields; draft["v:CTV_XA"] = "14"; draft["action"] = "save"
            try await app.page(.POST, "/reports/entry", as: &clerk, form: draft) { res in
                XCTAssertEqual(res.status, .ok, "the draft is kept and the page says what the submit will ask")
                XCTAssertEqual(res.page.element("warnings")?.descendants.filter { $0.tag == "li" }.map(\.text), ["“Số buổi giao ban” phải được nhập."])
            }
            let kept = try await DataValue.query(on: app.db).all().map(\.value)
            XCTAssertEqual(kept, ["14"])
            let (status, message) = try await DHIS2ExchangeTests.post(app, "/api/dataValueSets", DHIS2ValueSet(dataSet: "BC_GB", dataValues: [
                DHIS2Value(dataElement: "BUOI_GIAO_BAN", period: "202610", orgUnit: commune.code, categoryOptionCombo: nil, value: "45")]), auth: "Bearer " + token)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(message?.response.conflicts.map(\.property), ["value"])
            // The catalogue page sets and clears a bound.
            var province = try await app.login("cv")
            try await app.page(.POST, "/reports/catalogue/elements/CTV_XA", as: &province,
                               form: ["code": "CTV_XA", "name": "Số cộng tác viên của xã", "valueType": "INTEGER_ZERO_OR_POSITIVE", "aggregation": "SUM",
                                      "minimum": "", "maximum": "1.000"]) { XCTAssertEqual($0.status, .seeOther, $0.body.string) }
            let bounds = try await DataElement.query(on: app.db).filter(\.$code == "CTV_XA").first()
            XCTAssertEqual(bounds?.maximum, 1000)
            XCTAssertNil(bounds?.minimum)
        }
    }
}
