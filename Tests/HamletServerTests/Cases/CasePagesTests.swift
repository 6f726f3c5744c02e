import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletCases

/// The caseworker's and the officer's pages, as a browser uses them.
final class CasePagesTests: XCTestCase {
    func testCaseworkerOpensAndWorksACaseThroughThePages() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            var nv1 = try await app.login("nv1")
            try await app.page(.GET, "/cases", as: &nv1) { res in
                XCTAssertEqual(res.headers.first(name: .cacheControl), "no-store")
                XCTAssertTrue(res.body.string.contains("id=\"new-case\""))
            }
            try await app.page(.GET, "/cases/new", as: &nv1) { XCTAssertEqual($0.status, .ok) }
            var form = ["fullName": "Đặng Thị Hoa", "birthDate": "14/02/1975", "sex": "female", "unitCode": "", "facilityId": scene.centre.uuidString,
                        "openedOn": "02/03/2026", "source": "family", "summary": "Bị chồng đánh, cần chỗ ở.", "categories[]": "ho-ngheo"]
            try await app.page(.POST, "/cases/new", as: &nv1, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"data-field="unitCode""#))
                XCTAssertTrue(res.body.string.contains(#"value="Đặng Thị Hoa""#), "typed values stay")
            }
            form["unitCode"] = scene.commune.code
            var location = ""
            try await app.page(.POST, "/cases/new", as: &nv1, form: form) { res in
                XCTAssertEqual(res.status, .seeOther, res.body.string)
                location = res.headers.first(name: .location) ?? ""
            }
            let casePath = String(location.prefix { $0 != "?" })
            XCTAssertTrue(casePath.hasPrefix("/cases/"))
            try await app.page(.GET, casePath, as: &nv1) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("Đặng Thị Hoa"))
                XCTAssertEqual(res.headers.first(name: .cacheControl), "no-store")
            }
            // A wrong step and an assessment without consent are refused on the page, by field.
            try await app.page(.POST, casePath + "/step", as: &nv1, form: ["to": "closed", "on": "03/03/2026", "reason": "x"]) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertTrue(res.body.string.contains(#"data-field="to""#))
            }
            try await app.page(.POST, casePath + "/assessment", as: &nv1, form: ["needs[safety]": "urgent", "risk": "high", "on": "03/03/2026"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("Chưa có sự đồng ý"))
            }
            let person = try await ServedPerson.query(on: app.db).first()!
            try await app.page(.POST, "/cases/people/\(person.id!)/consents", as: &nv1,
                               form: ["givenOn": "02/03/2026", "givenBy": "Đặng Thị Hoa", "relation": "self", "scope[]": "sensitive"]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.POST, casePath + "/step", as: &nv1, form: ["to": "assessment", "on": "03/03/2026"]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.POST, casePath + "/assessment", as: &nv1, form: ["needs[safety]": "urgent", "needs[shelter]": "urgent", "risk": "high", "on": "03/03/2026"]) {
                XCTAssertEqual($0.status, .seeOther, $0.body.string)
            }
            try await app.page(.POST, casePath + "/service", as: &nv1, form: ["code": "cho-o", "on": "04/03/2026", "provider": "Nhà tạm lánh"]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.GET, casePath, as: &nv1) { res in
                let html = res.body.string
                XCTAssertTrue(html.contains("Chỗ ở tạm thời"))
                XCTAssertTrue(html.contains("nguy cơ <strong>Cao</strong>"))
            }
            let assessment = try await CaseEntry.query(on: app.db).filter(\.$kind == "assessment").first()
            XCTAssertTrue(assessment?.detail?.contains("\"shelter\":\"urgent\"") == true)
            // The printable record of everything held.
            try await app.page(.GET, "/cases/people/\(person.id!)/print", as: &nv1) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("Ai đã xem, tải dữ liệu"))
            }
            // Someone else of the centre gets 404 on the page.
            var nv2 = try await app.login("nv2")
            try await app.page(.GET, casePath, as: &nv2) { XCTAssertEqual($0.status, .notFound) }
            try await app.page(.GET, "/cases/people/\(person.id!)", as: &nv2) { XCTAssertEqual($0.status, .notFound) }
        }
    }

    func testOfficerPagesShowCountsBreachesAndStaff() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let c = try await app.makeCase(scene)
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/services", token: scene.token("nv1"), json: EntryInput(on: "05/03/2026", code: "tu-van")) { XCTAssertEqual($0.status, .created) }
            var cv = try await app.login("cv")
            try await app.page(.GET, "/cases/figures?unit=91&from=01/01/2026&to=31/12/2026", as: &cv) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.page.row("Số người được phục vụ"), ["< 5"], res.body.string)
                XCTAssertFalse(res.body.string.contains("Nguyễn Thị Lan"))
            }
            try await app.page(.GET, "/cases/figures?unit=91&from=01/01/2026&to=31/12/2026&format=xlsx", as: &cv) { res in
                XCTAssertEqual(res.headers.first(name: .cacheControl), "no-store")
                XCTAssertGreaterThan(res.body.readableBytes, 1000)
            }
            try await app.page(.POST, "/cases/breaches", as: &cv, form: ["description": "", "peopleAffected": "2", "dataKinds": "họ tên"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"data-field="description""#))
            }
            try await app.page(.POST, "/cases/breaches", as: &cv, form: ["description": "Gửi nhầm email danh sách", "peopleAffected": "2", "dataKinds": "họ tên, địa chỉ"]) {
                XCTAssertEqual($0.status, .seeOther)
            }
            try await app.page(.GET, "/cases/breaches", as: &cv) { XCTAssertTrue($0.body.string.contains("Gửi nhầm email danh sách")) }
            // An officer sees who works where but cannot change it (finding 2).
            try await app.page(.POST, "/cases/staff", as: &cv, form: ["facilityId": scene.centre.uuidString, "username": "cv", "duty": "manager",
                                                                     "reason": "Tự thêm để xem hồ sơ"]) {
                XCTAssertEqual($0.status, .forbidden)
            }
            try await app.page(.GET, "/cases/staff", as: &cv) { res in
                XCTAssertTrue(res.body.string.contains("Trung tâm Công tác xã hội tỉnh An Giang"))
                XCTAssertTrue(res.body.string.contains("(nv1) — nhân viên"))
                XCTAssertFalse(res.body.string.contains("Lịch sử nhân sự"), "the history is for the centre's managers")
            }
            cv.cookies["hamlet_lang"] = "en"
            try await app.page(.GET, "/cases/staff", as: &cv) { res in
                XCTAssertTrue(res.body.string.contains("(nv1) — caseworker"), "duties in English too")
                XCTAssertEqual(res.page.title, "Facility staff · Hamlet")
            }
            var nv = try await app.login("nv1")
            nv.cookies["hamlet_lang"] = "en"
            try await app.page(.GET, "/cases/new", as: &nv) { res in
                XCTAssertTrue(res.body.string.contains("(sensitive: recorded only with consent)"), res.body.string)
                XCTAssertFalse(res.body.string.contains("nhạy cảm"))
            }
            cv.cookies["hamlet_lang"] = "vi"
            var ql = try await app.login("ql")
            try await app.page(.POST, "/cases/staff", as: &ql, form: ["facilityId": scene.centre.uuidString, "username": "khong-co", "duty": "caseworker",
                                                                     "reason": "Nhân viên mới từ tháng 12"]) {
                XCTAssertEqual($0.status, .unprocessableEntity)
                XCTAssertTrue($0.body.string.contains(#"data-field="username""#))
            }
            try await app.page(.GET, "/cases/staff", as: &ql) { res in
                XCTAssertTrue(res.body.string.contains("Lịch sử nhân sự"))
                XCTAssertTrue(res.body.string.contains("Phân công công tác tại cơ sở"), "why each was added")
            }
            // Break-glass from the page: an unknown number is refused by field, a real one opens the case.
            try await app.page(.POST, "/cases/break-glass", as: &cv, form: ["number": "HS-1999-9999", "reason": String(repeating: "khẩn cấp ", count: 4), "hours": "2"]) {
                XCTAssertEqual($0.status, .unprocessableEntity)
            }
            try await app.page(.POST, "/cases/break-glass", as: &cv, form: ["number": c.number, "reason": "Người này gọi đường dây nóng, cần biết nơi ở hiện tại.", "hours": "2"]) {
                XCTAssertEqual($0.status, .seeOther)
            }
            try await app.page(.GET, "/cases/\(c.id!)", as: &cv) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("id=\"glass-banner\""))
                XCTAssertFalse(res.body.string.contains("id=\"step-form\""), "read only")
            }
        }
    }
}
