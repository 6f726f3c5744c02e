import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletReporting
@testable import HamletPlans

/// Finding 9: a Thanh Hóa officer changed An Giang's monthly form, a data element, and an
/// indicator that drives An Giang's plan targets. A catalogue item now belongs to the province
/// that made it; others use it and cannot change it.
final class CatalogueOwnerTests: XCTestCase {
    struct Rename: Content { var name: String }

    func testAnotherProvinceUsesButCannotChangeACatalogue() async throws {
        try await withApp { app in
            let anGiang = try await app.token(for: try await app.makeUser("cv-ag", role: .provinceOfficer, scope: "91"))
            let thanhHoa = try await app.token(for: try await app.makeUser("cv-th", role: .provinceOfficer, scope: "38"))
            let nation = try await app.token(for: try await app.makeUser("qt-vn", role: .admin, scope: "VN"))
            try await app.makeReportingCatalogue(anGiang)
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA", token: thanhHoa) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(try res.json(DataSetDTO.self).owner, "91")
            }
            for path in ["/api/v1/data-sets/BC_THANG_XA", "/api/v1/data-elements/CTV_TONG", "/api/v1/data-categories/GIOI_TINH"] {
                try await app.api(.PATCH, path, token: thanhHoa, json: Rename(name: "Đổi bởi tỉnh khác")) { res in
                    XCTAssertEqual(res.status, .forbidden, path)
                    XCTAssertContains(res.errorMessage ?? "", "Tỉnh An Giang")
                }
            }
            let names = try await DataSet.query(on: app.db).all().map(\.name) + DataElement.query(on: app.db).all().map(\.name) + DataCategory.query(on: app.db).all().map(\.name)
            XCTAssertFalse(names.contains("Đổi bởi tỉnh khác"))
            // Thanh Hóa builds its own form from An Giang's elements: used, not changed.
            let own = DataSetInput(code: "BC_TH_THANG", name: "Báo cáo tháng Thanh Hóa", periodicity: "monthly", levels: ["commune"], dueDays: 5,
                                   elements: [.init(element: "CTV_TONG", section: nil)])
            try await app.api(.POST, "/api/v1/data-sets", token: thanhHoa, json: own) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                XCTAssertEqual(try res.json(DataSetDTO.self).owner, "38")
            }
            try await app.api(.PATCH, "/api/v1/data-sets/BC_TH_THANG", token: anGiang, json: Rename(name: "x")) { XCTAssertEqual($0.status, .forbidden) }
            // The owner and a whole-country administrator may change it.
            try await app.api(.PATCH, "/api/v1/data-sets/BC_THANG_XA", token: anGiang, json: Rename(name: "Báo cáo tháng của xã (sửa)")) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.PATCH, "/api/v1/data-elements/CTV_TONG", token: nation, json: Rename(name: "Tổng số CTV")) { XCTAssertEqual($0.status, .ok) }
            // Pages: the form says whose it is and offers no save button; a post is refused.
            try await app.makeUser("cv-th2", role: .provinceOfficer, scope: "38")
            var browser = try await app.login("cv-th2")
            try await app.page(.GET, "/reports/catalogue/forms/BC_THANG_XA", as: &browser) { res in
                XCTAssertContains(res.body.string, "Thuộc danh mục của Tỉnh An Giang")
                XCTAssertContains(res.body.string, "Bạn chỉ xem")
                XCTAssertFalse(res.page.texts("button").contains("Lưu"), "no save button for a catalogue it does not own")
            }
            try await app.page(.POST, "/reports/catalogue/forms/BC_THANG_XA", as: &browser, form: ["name": "Đổi qua trang", "periodicity": "monthly", "levels[]": "commune",
                                                                                              "elements": "CTV_TONG"]) { res in
                XCTAssertEqual(res.status, .forbidden)
            }
            let form = try await DataSet.query(on: app.db).filter(\.$code == "BC_THANG_XA").first()
            XCTAssertEqual(form?.name, "Báo cáo tháng của xã (sửa)")
        }
    }

    func testAnIndicatorBelongsToItsProvince() async throws {
        try await withApp { app in
            let anGiang = try await app.token(for: try await app.makeUser("cv-ag", role: .provinceOfficer, scope: "91"))
            let thanhHoa = try await app.token(for: try await app.makeUser("cv-th", role: .provinceOfficer, scope: "38"))
            var id = ""
            try await app.api(.POST, "/api/v1/indicators", token: anGiang,
                              json: IndicatorInput(code: "AG-DT", name: "Tỷ lệ được đào tạo", definition: IndicatorDefinition(kind: .trainedShare))) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let dto = try res.json(IndicatorDTO.self)
                XCTAssertEqual(dto.owner, "91")
                id = dto.id!.uuidString
            }
            try await app.api(.PATCH, "/api/v1/indicators/\(id)", token: thanhHoa, json: Rename(name: "Đổi bởi tỉnh khác")) { res in
                XCTAssertEqual(res.status, .forbidden)
            }
            try await app.api(.GET, "/api/v1/indicators/\(id)/values?unit=38", token: thanhHoa) { XCTAssertEqual($0.status, .ok, "others measure with it") }
            try await app.api(.PATCH, "/api/v1/indicators/\(id)", token: anGiang, json: Rename(name: "Tỷ lệ người được đào tạo")) { XCTAssertEqual($0.status, .ok) }
            let name = try await Indicator.query(on: app.db).filter(\.$code == "AG-DT").first()?.name
            XCTAssertEqual(name, "Tỷ lệ người được đào tạo")
        }
    }
}
