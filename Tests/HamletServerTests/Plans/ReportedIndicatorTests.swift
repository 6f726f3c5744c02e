import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletReporting
@testable import HamletPlans

/// Reported numbers feed plans: an indicator sums a data element over a subtree and the periods
/// of a year up to a date, legacy units' reports counted under their 2025 successor, and a change
/// against a baseline year.
final class ReportedIndicatorTests: XCTestCase {
    func testReportedTotalsByHandWithBaselineAndLegacyUnits() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let (line, _) = try await app.legacyCommune()
            let other = try await app.communes().map(\.code).first { $0 != line.toCode }!
            func v(_ e: String, _ p: String, _ ou: String, _ value: String, _ coc: String? = nil) -> DHIS2Value {
                DHIS2Value(dataElement: e, period: p, orgUnit: ou, categoryOptionCombo: coc, value: value)
            }
            // 2024 (the baseline): 10 at the legacy commune. 2026: 4 + 5 at its successor, 3 at another; women trained 2 then 1.
            try await app.api(.POST, "/api/dataValueSets", token: token, json: DHIS2ValueSet(dataValues: [
                v("CTV_TONG", "202403", line.fromCode, "10"), v("CTV_TONG", "202602", line.toCode, "4"), v("CTV_TONG", "202605", line.toCode, "5"),
                v("CTV_TONG", "202604", other, "3"), v("CTV_TAP_HUAN", "202602", line.toCode, "2", "NU"), v("CTV_TAP_HUAN", "202605", other, "1", "NU"),
                v("CTV_TAP_HUAN", "202605", other, "7", "NAM"),
            ])) { res in XCTAssertEqual(try res.json(ImportMessage.self).response.importCount.imported, 7, res.body.string) }

            let total = try await app.makeIndicator(token, "BC-CTV", IndicatorDefinition(kind: .reportedTotal, element: "CTV_TONG"))
            var value = try await app.indicatorValue(token, total, "unit=91&date=31/12/2026")
            XCTAssertEqual(value.value, 12)
            XCTAssertEqual(value.children.first { $0.code == line.toCode }?.value, 9)
            XCTAssertEqual(value.children.first { $0.code == other }?.value, 3)
            value = try await app.indicatorValue(token, total, "unit=91&date=30/04/2026")
            XCTAssertEqual(value.value, 7, "only the months that ended by the date: February and April")
            value = try await app.indicatorValue(token, total, "unit=91&date=31/12/2024")
            XCTAssertEqual(value.value, 10, "the legacy commune's report counts in An Giang")
            value = try await app.indicatorValue(token, total, "unit=\(line.toCode)&date=31/12/2024")
            XCTAssertEqual(value.value, 10, "and at its 2025 successor")

            let women = try await app.makeIndicator(token, "BC-NU", IndicatorDefinition(kind: .reportedTotal, element: "CTV_TAP_HUAN", combo: "NU"))
            value = try await app.indicatorValue(token, women, "unit=91&date=31/12/2026")
            XCTAssertEqual(value.value, 3)

            // +20% over the baseline year, as seed 004 asks: 12 against 10.
            let change = try await app.makeIndicator(token, "BC-TD", IndicatorDefinition(kind: .reportedTotal, element: "CTV_TONG", baselineYear: 2024))
            value = try await app.indicatorValue(token, change, "unit=91&date=31/12/2026")
            XCTAssertEqual(value.value, 20)
            XCTAssertEqual([value.numerator, value.denominator], [12, 10])

            // A target on it shows on the plan's dashboard with the live number.
            let plan = try await app.makePlan(token)
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: change, stages: [.init(deadline: "31/12/2026", value: 20)], baselineYear: 2024, baselineValue: 0)) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?date=2026-12-31", token: token) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertTrue(res.body.string.contains("\"value\":20"), res.body.string)
            }
        }
    }

    func testBadReportedDefinitionsAreRefusedByFieldOnPageAndAPI() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            for (definition, field) in [(IndicatorDefinition(kind: .reportedTotal), "element"),
                                        (IndicatorDefinition(kind: .reportedTotal, element: "KHONG_CO"), "element"),
                                        (IndicatorDefinition(kind: .reportedTotal, element: "GHI_CHU"), "element"),
                                        (IndicatorDefinition(kind: .reportedTotal, element: "CTV_TAP_HUAN", combo: "TRE_EM"), "combo")] {
                try await app.api(.POST, "/api/v1/indicators", token: token, json: IndicatorInput(code: "X", name: "X", definition: definition)) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, field)
                    XCTAssertEqual(res.errorField, field)
                }
            }
            var browser = try await app.login("cv")
            try await app.page(.GET, "/indicators", as: &browser) { res in
                let offered = res.page.all("option").filter { $0.attributes["value"] == "CTV_TONG" }.map(\.text)
                XCTAssertEqual(offered, ["CTV_TONG — Tổng số cộng tác viên"], res.body.string)
                XCTAssertFalse(res.page.all("option").contains { $0.attributes["value"] == "GHI_CHU" }, "text elements cannot be summed")
            }
            var form = ["code": "BC", "name": "Cộng tác viên được tập huấn (nữ)", "kind": "reported-total", "element": "CTV_TAP_HUAN", "combo": "X", "min": "1"]
            try await app.page(.POST, "/indicators", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"id="combo" name="combo" value="X" aria-invalid="true""#), res.body.string)
            }
            form["combo"] = "nu"
            try await app.page(.POST, "/indicators", as: &browser, form: form) { XCTAssertEqual($0.status, .seeOther) }
            let stored = try await Indicator.query(on: app.db).first()?.parsed()
            XCTAssertEqual(stored?.element, "CTV_TAP_HUAN")
        }
    }
}
