import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits

/// The import page: upload, see every row (or every problem), then confirm; nothing is stored
/// before the confirmation.
final class HamletImportPageTests: XCTestCase {
    func upload(_ app: Application, _ browser: inout Browser, csv: String, _ check: (XCTHTTPResponse) throws -> Void) async throws {
        let boundary = "hamlet-test-boundary"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf)\r\n"
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"thon.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
        let cookies = browser.cookieHeader
        var captured: XCTHTTPResponse?
        try await app.test(.POST, "/units/import", beforeRequest: { req in
            req.headers.replaceOrAdd(name: .cookie, value: cookies)
            req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            req.body = ByteBuffer(string: body)
        }, afterResponse: { res async in captured = res })
        browser.absorb(captured!)
        try check(captured!)
    }

    func testPreviewThenConfirm() async throws {
        try await withApp { app in
            try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            try await app.makeUser("cv2", role: .provinceOfficer, scope: "91")
            var browser = try await app.login("cv")
            try await app.page(.GET, "/units/import", as: &browser) { XCTAssertEqual($0.status, .ok) }
            try await upload(app, &browser, csv: "Mã xã,Tên thôn,Loại\n30313,Ấp Hòa An,Ấp\n30313,,Ấp\n") { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertContains(res.body.string, "không lưu dòng nào")
                XCTAssertContains(res.body.string, "<td>3</td>")
            }
            try await upload(app, &browser, csv: "Mã xã,Tên thôn,Loại\n30313,Ấp Hòa An,Ấp\n30313,Ấp Hòa Bình,Ấp\n") { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertContains(res.body.string, "Xác nhận nhập")
                XCTAssertContains(res.body.string, "Ấp Hòa Bình")
            }
            let beforeConfirm = try await AdminUnit.query(on: app.db).filter(\.$level == .hamlet).count()
            XCTAssertEqual(beforeConfirm, 0)
            let html = browser.lastBody
            // The page carries the id of the file kept for the confirm step, not the file.
            let kept = String(html[html.range(of: #"name="upload" value=""#)!.upperBound...].prefix { $0 != "\"" })
            XCTAssertNotNil(UUID(uuidString: kept))
            var stranger = try await app.login("cv2")
            try await app.page(.POST, "/units/import", as: &stranger, form: ["upload": kept, "commit": "1"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, "another account cannot use it")
            }
            try await app.page(.POST, "/units/import", as: &browser, form: ["upload": kept, "commit": "1"]) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertContains(res.body.string, "Đã nhập xong")
            }
            let names = try await AdminUnit.query(on: app.db).filter(\.$level == .hamlet).sort(\.$code).all().map(\.name)
            XCTAssertEqual(names, ["Ấp Hòa An", "Ấp Hòa Bình"])
        }
    }
}
