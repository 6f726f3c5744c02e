import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb

/// The completeness and pivot pages take a unit's name as the reports home does, and never
/// offer a unit outside the account's subtree.
final class ReportUnitByNameTests: XCTestCase {
    func testCompletenessOpensAUnitByName() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            var officer = try await app.login("cv")
            try await app.page(.GET, "/reports/completeness?set=BC_THANG_XA&unit=my+hoa+hung&from=202601&to=202603", as: &officer) { res in
                XCTAssertEqual(res.status, .seeOther)
                XCTAssertEqual(res.headers.first(name: .location), "/reports/completeness?set=BC_THANG_XA&from=202601&to=202603&unit=30313")
            }
            try await app.page(.GET, "/reports/completeness?set=BC_THANG_XA&unit=30313&from=202601&to=202603", as: &officer) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("Tình hình báo cáo — Xã Mỹ Hòa Hưng"), res.body.string)
            }
            // Several: each links to the same page at that unit, with the other choices kept.
            try await app.page(.GET, "/reports/completeness?set=BC_THANG_XA&unit=Ph%C6%B0%E1%BB%9Dng&from=202601&to=202603", as: &officer) { res in
                XCTAssertEqual(res.status, .ok)
                let html = res.body.string
                XCTAssertTrue(html.contains("Chọn đơn vị"), html)
                XCTAssertTrue(html.contains("/reports/completeness?set=BC_THANG_XA&amp;from=202601&amp;to=202603&amp;unit=30292\">Phường Bình Đức</a>"), html)
                XCTAssertTrue(res.page.all("input").contains { $0.attributes["type"] == "hidden" && $0.attributes["name"] == "from" && $0.attributes["value"] == "202601" }, html)
                XCTAssertFalse(html.contains("Phường Sài Gòn"), "nothing from another province")
            }
            // None, or only outside the subtree: the message names the field, nothing is leaked.
            try await app.page(.GET, "/reports/completeness?set=BC_THANG_XA&unit=sai+gon", as: &officer) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let html = res.body.string
                XCTAssertTrue(html.contains(#"data-field="unit""#), html)
                XCTAssertTrue(html.contains("Không tìm thấy đơn vị nào tên “sai gon”"), html)
                XCTAssertFalse(html.contains("Phường Sài Gòn"))
            }
            // A code outside the subtree stays a plain 404.
            try await app.page(.GET, "/reports/completeness?set=BC_THANG_XA&unit=79", as: &officer) { res in
                XCTAssertEqual(res.status, .notFound)
            }
        }
    }

    func testPivotOpensAUnitByNameAndKeepsTheDownload() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            var officer = try await app.login("cv")
            try await app.page(.GET, "/reports/pivot?set=BC_THANG_XA&unit=M%E1%BB%B9+H%C3%B2a+H%C6%B0ng&from=202601&to=202603", as: &officer) { res in
                XCTAssertEqual(res.status, .seeOther)
                XCTAssertEqual(res.headers.first(name: .location), "/reports/pivot?set=BC_THANG_XA&from=202601&to=202603&unit=30313")
            }
            try await app.page(.GET, "/reports/pivot?set=BC_THANG_XA&unit=my+hoa+hung&from=202601&to=202603&format=csv", as: &officer) { res in
                XCTAssertEqual(res.status, .seeOther)
                XCTAssertEqual(res.headers.first(name: .location), "/reports/pivot?set=BC_THANG_XA&from=202601&to=202603&format=csv&unit=30313")
            }
            try await app.page(.GET, "/reports/pivot?set=BC_THANG_XA&unit=30313&from=202601&to=202603", as: &officer) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("Xã Mỹ Hòa Hưng"), res.body.string)
                XCTAssertTrue(res.body.string.contains("Đơn vị (tên hoặc mã)"))
            }
            try await app.page(.GET, "/reports/pivot?set=BC_THANG_XA&unit=khong+co&from=202601", as: &officer) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"data-field="unit""#))
            }
        }
    }
}
