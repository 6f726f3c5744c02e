import XCTest
import XCTVapor
import Fluent
@testable import HamletServer

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
}
