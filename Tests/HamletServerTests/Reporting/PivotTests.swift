import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletReporting

/// The pivot: child units × elements × periods, summed live, checked against sums by hand.
final class PivotTests: XCTestCase {
    /// Two communes' values for the first half of 2026, on two monthly commune forms.
    func seed(_ app: Application, _ token: String) async throws -> (AdminUnit, AdminUnit) {
        try await app.makeReportingCatalogue(token)
        for e in [ElementInput(code: "CTV_CUOI_KY", name: "Cộng tác viên cuối kỳ", valueType: "INTEGER", aggregation: "LAST"),
                  ElementInput(code: "TY_LE", name: "Tỷ lệ hộ được thăm", valueType: "PERCENTAGE", aggregation: "AVERAGE")] {
            try await app.api(.POST, "/api/v1/data-elements", token: token, json: e) { res in XCTAssertEqual(res.status, .created, res.body.string) }
        }
        let form = DataSetInput(code: "BC_B", name: "Báo cáo B", periodicity: "monthly", levels: ["commune"], dueDays: 5,
                                elements: [.init(element: "CTV_CUOI_KY", section: "A"), .init(element: "TY_LE", section: "A")])
        try await app.api(.POST, "/api/v1/data-sets", token: token, json: form) { res in XCTAssertEqual(res.status, .created, res.body.string) }
        let (a, b) = (try await app.communes()[0], try await app.communes()[1])
        func v(_ e: String, _ p: String, _ u: AdminUnit, _ value: String, _ coc: String? = nil) -> DHIS2Value {
            DHIS2Value(dataElement: e, period: p, orgUnit: u.code, categoryOptionCombo: coc, value: value)
        }
        let values = [
            v("CTV_TONG", "202601", a, "10"), v("CTV_TONG", "202602", a, "12"), v("CTV_TONG", "202604", a, "5"),
            v("CTV_TONG", "202601", b, "3"), v("CTV_TONG", "202606", b, "4"),
            v("CTV_TAP_HUAN", "202601", a, "1", "NAM"), v("CTV_TAP_HUAN", "202601", a, "2", "NU"), v("CTV_TAP_HUAN", "202604", b, "5", "NU"),
            v("CTV_CUOI_KY", "202601", a, "8"), v("CTV_CUOI_KY", "202603", a, "9"), v("CTV_CUOI_KY", "202602", b, "2"),
            v("TY_LE", "202601", a, "50"), v("TY_LE", "202602", a, "70"), v("TY_LE", "202601", b, "30"),
        ]
        try await app.api(.POST, "/api/dataValueSets", token: token, json: DHIS2ValueSet(dataValues: values)) { res in
            XCTAssertEqual(try res.content.decode(ImportMessage.self).response.importCount.imported, 14, res.body.string)
        }
        return (a, b)
    }

    func pivot(_ app: Application, _ token: String, _ query: String) async throws -> ReportPivot.Result? {
        var out: ReportPivot.Result?
        try await app.api(.GET, "/api/v1/data-sets/" + query, token: token) { res in
            XCTAssertEqual(res.status, .ok, res.body.string)
            out = try? res.content.decode(ReportPivot.Result.self)
        }
        return out
    }

    /// The value of a row in the column of an element (and combination) and period, as text
    /// ("" for no value).
    func cell(_ r: ReportPivot.Result?, _ row: String, _ element: String, _ period: String, combo: String? = nil) -> String {
        guard let r, let i = r.columns.firstIndex(where: { $0.element == element && $0.period == period && $0.combo == combo }) else { return "no column" }
        guard let line = row == "total" ? r.total : r.rows.first(where: { $0.code == row }) else { return "no row" }
        return line.values[i].map { String(format: "%g", $0) } ?? ""
    }

    func testSumsAverageAndLastByQuarterSpanAndCombination() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let (a, b) = try await seed(app, token)
            var r = try await pivot(app, token, "BC_THANG_XA/pivot?unit=91&from=202601&to=202606&by=quarterly")
            XCTAssertEqual(r?.columns.map(\.element), ["CTV_TONG", "CTV_TONG", "CTV_TAP_HUAN", "CTV_TAP_HUAN"], "text elements have no column")
            XCTAssertEqual(r?.rowLevel, "commune")
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "91").count()
            XCTAssertEqual(r?.rows.count, communes, "every commune has a row, reported or not")
            XCTAssertEqual(cell(r, a.code, "CTV_TONG", "2026Q1"), "22")
            XCTAssertEqual(cell(r, b.code, "CTV_TONG", "2026Q1"), "3")
            XCTAssertEqual(cell(r, "total", "CTV_TONG", "2026Q1"), "25")
            XCTAssertEqual(cell(r, "total", "CTV_TONG", "2026Q2"), "9")
            XCTAssertEqual(cell(r, a.code, "CTV_TAP_HUAN", "2026Q2"), "")
            XCTAssertEqual(cell(r, "total", "CTV_TAP_HUAN", "2026Q2"), "5")

            r = try await pivot(app, token, "BC_THANG_XA/pivot?unit=91&from=202601&to=202606&by=quarterly&split=combos")
            XCTAssertEqual(cell(r, a.code, "CTV_TAP_HUAN", "2026Q1", combo: "NAM"), "1")
            XCTAssertEqual(cell(r, a.code, "CTV_TAP_HUAN", "2026Q1", combo: "NU"), "2")
            XCTAssertEqual(cell(r, "total", "CTV_TAP_HUAN", "2026Q2", combo: "NAM"), "")
            XCTAssertEqual(cell(r, "total", "CTV_TAP_HUAN", "2026Q2", combo: "NU"), "5")

            r = try await pivot(app, token, "BC_THANG_XA/pivot?unit=91&from=202601&to=202606")
            XCTAssertEqual(r?.columns.map(\.period), ["202601-202606", "202601-202606"])
            XCTAssertEqual(cell(r, a.code, "CTV_TONG", "202601-202606"), "27")
            XCTAssertEqual(cell(r, "total", "CTV_TONG", "202601-202606"), "34")
            // The same number the totals API gives.
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&from=202601&to=202606", token: token) { res in
                XCTAssertEqual(try res.content.decode(ReportTotals.Result.self).total, 34)
            }

            r = try await pivot(app, token, "BC_B/pivot?unit=91&from=2026S1&by=quarterly")
            XCTAssertEqual(cell(r, a.code, "CTV_CUOI_KY", "2026Q1"), "9", "the latest month of the quarter")
            XCTAssertEqual(cell(r, "total", "CTV_CUOI_KY", "2026Q1"), "11")
            XCTAssertEqual(cell(r, "total", "CTV_CUOI_KY", "2026Q2"), "")
            XCTAssertEqual(cell(r, a.code, "TY_LE", "2026Q1"), "60")
            XCTAssertEqual(cell(r, "total", "TY_LE", "2026Q1"), "50", "the mean of the three values, not of the two communes")

            // One level down: the commune's own values are its own row.
            r = try await pivot(app, token, "BC_THANG_XA/pivot?unit=\(a.code)&from=2026&by=yearly")
            XCTAssertEqual(r?.rowLevel, "hamlet")
            XCTAssertEqual(cell(r, a.code, "CTV_TONG", "2026"), "27")
            XCTAssertTrue(r?.rows.first?.name.hasSuffix("(cấp này)") == true)

            // A value saved now is in the very next table.
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202603&ou=\(b.code)&value=100", token: token) { res in XCTAssertEqual(res.status, .created) }
            r = try await pivot(app, token, "BC_THANG_XA/pivot?unit=91&from=202601&to=202606&by=quarterly")
            XCTAssertEqual(cell(r, "total", "CTV_TONG", "2026Q1"), "125")
        }
    }

    func testBadRequestsAndScope() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            _ = try await seed(app, token)
            for (query, field) in [("by=weekly", "by"), ("from=2026X", "period"), ("from=202606&to=202601", "to")] {
                try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/pivot?unit=91&" + query, token: token) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, query)
                    XCTAssertEqual(res.errorField, field, query)
                }
            }
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/pivot?unit=01", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            let commune = try await app.communes()[0]
            let officer = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: commune.code))
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/pivot?unit=91", token: officer) { res in XCTAssertEqual(res.status, .notFound) }
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/pivot?from=2026", token: officer) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(try res.content.decode(ReportPivot.Result.self).unitCode, commune.code, "no unit: the account's own")
            }
        }
    }

    func testPageShowsTheTableErrorsByFieldAndDownloads() async throws {
        try await withApp { app in
            let user = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            var browser = try await app.login("cv")
            // No form yet: both pages send the officer to the catalogue, saying why.
            for path in ["/reports/pivot", "/reports/completeness"] {
                try await app.page(.GET, path, as: &browser) { res in
                    XCTAssertEqual(res.status, .seeOther, path)
                    XCTAssertEqual(res.headers.first(name: .location), "/reports/catalogue?notice=no_forms")
                }
            }
            try await app.page(.GET, "/reports/catalogue?notice=no_forms", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("Chưa có mẫu báo cáo nào"))
            }
            let (a, _) = try await seed(app, try await app.token(for: user))
            try await app.page(.GET, "/reports/pivot?set=BC_THANG_XA&unit=91&from=202601&to=202606&by=quarterly", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                let body = res.body.string
                let group = res.page.all("th").first { $0.text == "Tổng số cộng tác viên" }
                XCTAssertEqual(group?.attributes["colspan"], "2", "the element's heading spans its two columns")
                XCTAssertTrue(body.contains("Quý I/2026"))
                XCTAssertEqual(res.page.row("Tổng cộng"), ["25", "9", "3", "5"], body)
                XCTAssertTrue(res.page.hrefs.contains("/reports/pivot?set=BC_THANG_XA&from=202601&to=202606&by=quarterly&unit=\(a.code)"), body)
            }
            try await app.page(.GET, "/reports/pivot?set=BC_THANG_XA&unit=91&from=202613", as: &browser) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("id=\"pivot-error\""))
                XCTAssertTrue(res.body.string.contains("value=\"202613\""), "what was typed is kept")
            }
            try await app.page(.GET, "/reports/pivot?set=BC_THANG_XA&unit=91&from=202601&to=202606&by=quarterly&format=xlsx", as: &browser) { res in
                XCTAssertEqual(res.headers.first(name: .cacheControl), "no-store")
                let rows = try XLSXReader.read(Data(buffer: res.body))
                XCTAssertEqual(rows[1].cells.prefix(3), ["Mã", "Đơn vị", "Tổng số cộng tác viên"])
                let line = rows.first { $0.cells.first == a.code }
                XCTAssertEqual(line?.cells.dropFirst(2).first, "22")
                XCTAssertEqual(rows.last?.cells[1], "Tổng cộng")
                XCTAssertEqual(rows.last?.cells[2], "25")
            }
            try await app.page(.GET, "/reports/pivot?set=BC_THANG_XA&unit=91&from=202601&to=202606&format=csv", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("Tổng cộng,34,"), res.body.string)
            }
        }
    }
}
