import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletReporting

/// A provincial officer keeps the reporting catalogue from the pages: a category, an element
/// split by it, a form with sections and rules typed one per line; mistakes shown by field.
final class CataloguePagesTests: XCTestCase {
    func testOfficerBuildsAFormFromThePages() async throws {
        try await withApp { app in
            try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            var browser = try await app.login("cv")
            try await app.page(.GET, "/reports/catalogue/categories/new", as: &browser) { XCTAssertEqual($0.status, .ok) }
            var category = ["code": "gioi_tinh", "name": "Giới tính", "options": "NAM | Nam\nNU Nữ"]
            try await app.page(.POST, "/reports/catalogue/categories", as: &browser, form: category) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let html = res.body.string
                XCTAssertTrue(html.contains("Dòng 2: viết MÃ | Tên"), html)
                XCTAssertTrue(html.contains(#"aria-invalid="true" aria-describedby="err">NAM | Nam"#), "the box keeps what was typed")
            }
            category["options"] = "NAM | Nam\nNU | Nữ"
            try await app.page(.POST, "/reports/catalogue/categories", as: &browser, form: category) { res in
                XCTAssertEqual(res.status, .seeOther)
                XCTAssertEqual(res.headers.first(name: .location), "/reports/catalogue/categories/GIOI_TINH?notice=saved")
            }
            for element in [["code": "CTV_TONG", "name": "Tổng số cộng tác viên", "valueType": "INTEGER", "aggregation": "LAST"],
                            ["code": "CTV_TAP_HUAN", "name": "Số cộng tác viên được tập huấn", "valueType": "INTEGER", "aggregation": "SUM", "categories[]": "GIOI_TINH"]] {
                try await app.page(.POST, "/reports/catalogue/elements", as: &browser, form: element) { XCTAssertEqual($0.status, .seeOther, $0.body.string) }
            }
            let split = try await DataElement.query(on: app.db).filter(\.$code == "CTV_TAP_HUAN").first()
            XCTAssertEqual(split?.categoryCodes, ["GIOI_TINH"])

            var form = ["code": "BC_THON", "name": "Báo cáo tháng của thôn", "periodicity": "monthly", "levels[]": "hamlet", "dueDays": "5", "cutoffDay": "",
                        "elements": "CTV_TONG | Mạng lưới\nCTV_TAP_HUAN\n", "rules": "CTV_TAP_HUAN <= CTV_TONG\nCTV_TONG lớn hơn 0"]
            try await app.page(.POST, "/reports/catalogue/forms", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("Dòng 2 của quy tắc không đọc được"), res.body.string)
                XCTAssertTrue(res.body.string.contains(#"id="rules" name="rules""#))
            }
            form["rules"] = "CTV_TAP_HUAN <= CTV_TONG\nCTV_KHAC 0..10"
            try await app.page(.POST, "/reports/catalogue/forms", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"data-field="rules""#), "the service's rules[1].left is the rules box")
            }
            var none = try await DataSet.query(on: app.db).count()
            XCTAssertEqual(none, 0)
            form["rules"] = "CTV_TAP_HUAN <= CTV_TONG | Số được tập huấn không quá tổng số\nCTV_TONG 0..500"
            try await app.page(.POST, "/reports/catalogue/forms", as: &browser, form: form) { XCTAssertEqual($0.status, .seeOther, $0.body.string) }
            let set = try await DataSet.query(on: app.db).first()
            XCTAssertEqual(set?.levels, [.hamlet])
            XCTAssertEqual(set?.rules.map(\.kind), [.compare, .range])
            let rows = try await CatalogueService(db: app.db, actor: nil, ip: nil).elementsOf(set!)
            XCTAssertEqual(rows.map(\.section), ["Mạng lưới", "Mạng lưới"], "a line without a section stays in the one above")

            // The edit page shows it as typed; a change is saved and audited.
            try await app.page(.GET, "/reports/catalogue/forms/BC_THON", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("CTV_TONG | Mạng lưới\nCTV_TAP_HUAN | Mạng lưới"), res.body.string)
                XCTAssertTrue(res.body.string.contains("CTV_TAP_HUAN &lt;= CTV_TONG | Số được tập huấn không quá tổng số"))
            }
            form["name"] = "Báo cáo tháng của thôn, ấp"
            form["dueDays"] = ""; form["dueDate"] = "30/11"
            try await app.page(.POST, "/reports/catalogue/forms/BC_THON", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, "a fixed due day is for yearly forms")
                XCTAssertTrue(res.body.string.contains(#"data-field="dueDay""#))
            }
            form["dueDays"] = "7"; form["dueDate"] = ""
            try await app.page(.POST, "/reports/catalogue/forms/BC_THON", as: &browser, form: form) { XCTAssertEqual($0.status, .seeOther) }
            let renamed = try await DataSet.query(on: app.db).first()
            XCTAssertEqual(renamed?.name, "Báo cáo tháng của thôn, ấp")
            XCTAssertEqual(renamed?.dueDays, 7)
            none = try await AuditEntry.query(on: app.db).filter(\.$entity == "data_set").count()
            XCTAssertEqual(none, 2)
            try await app.page(.GET, "/reports/catalogue", as: &browser) { res in
                XCTAssertEqual(res.page.link("BC_THON"), "/reports/catalogue/forms/BC_THON")
                XCTAssertTrue(res.body.string.contains("Thêm biểu báo cáo"))
            }
        }
    }

    func testOnlyCatalogueKeepersChangeIt() async throws {
        try await withApp { app in
            let commune = try await app.communes()[0]
            try await app.makeUser("xa", role: .communeOfficer, scope: commune.code)
            var browser = try await app.login("xa")
            try await app.page(.GET, "/reports/catalogue", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertFalse(res.body.string.contains("Thêm biểu báo cáo"))
            }
            try await app.page(.GET, "/reports/catalogue/forms/new", as: &browser) { XCTAssertEqual($0.status, .forbidden) }
            try await app.page(.POST, "/reports/catalogue/categories", as: &browser, form: ["code": "X", "name": "X", "options": "A | A\nB | B"]) {
                XCTAssertEqual($0.status, .forbidden)
            }
            try await app.page(.GET, "/reports/catalogue/planets/new", as: &browser) { XCTAssertEqual($0.status, .notFound) }
            try await app.page(.GET, "/reports/catalogue/forms/KHONG_CO", as: &browser) { XCTAssertEqual($0.status, .notFound) }
            let stored = try await DataCategory.query(on: app.db).count()
            XCTAssertEqual(stored, 0)
        }
    }
}
