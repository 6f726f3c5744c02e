import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletPlans

/// Issue 23, point 6: an activity keeps its minutes, photos and signed records, as a report does.
final class ActivityFileTests: XCTestCase {
    func testAnActivityKeepsItsFiles() async throws {
        try await withApp { app in
            let s = try await app.activityScene()
            let visit = try await app.recordActivity(s, s.xa, ActivityInput(kind: "supervision", title: "Giám sát ấp", heldOn: "02/04/2022", unitCode: s.a.code))
            let base = "/api/v1/plans/\(s.plan)/activities/\(visit.id!)/attachments"
            let pdf = Data("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
            let viewer = try await app.token(for: try await app.makeUser("ld", role: .viewer, scope: "91"))
            let th = try await app.token(for: try await app.makeUser("th", role: .provinceOfficer, scope: "38"))
            func send(_ data: Data, _ name: String, token: String, _ check: (XCTHTTPResponse) async throws -> Void) async throws {
                try await app.test(.POST, "\(base)?name=\(name)", beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: token)
                    req.headers.contentType = HTTPMediaType(type: "application", subType: "octet-stream")
                    req.body = ByteBuffer(data: data)
                }, afterResponse: { res async throws in try await check(res) })
            }
            try await send(Data("biên bản".utf8), "bien-ban.txt", token: s.xa) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "file")
            }
            try await send(pdf, "bien-ban.pdf", token: viewer) { XCTAssertEqual($0.status, .forbidden) }
            try await send(pdf, "bien-ban.pdf", token: th) { XCTAssertEqual($0.status, .notFound) }
            var id: UUID?
            try await send(pdf, "bien-ban-giam-sat.pdf", token: s.xa) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                id = try res.json(AttachmentDTO.self).id
            }
            // The page's form, with its token among the parts.
            var commune = try await app.login("xa")
            let page = "/plans/\(s.plan)/activities/\(visit.id!)"
            try await app.page(.GET, page, as: &commune) { XCTAssertTrue($0.body.string.contains(#"id="file-form""#)) }
            try await app.pageUpload(page + "/attachments", as: &commune, filename: "anh-giao-ban.png", contentType: "image/png", data: png) {
                XCTAssertEqual($0.status, .seeOther, $0.body.string)
            }
            try await app.page(.GET, page, as: &commune) { res in
                XCTAssertTrue(res.body.string.contains(">bien-ban-giam-sat.pdf</a>"), res.body.string)
                XCTAssertTrue(res.body.string.contains(">anh-giao-ban.png</a>"))
            }
            // Read back as sent by the province; listed with the activity; not by Thanh Hóa.
            try await app.api(.GET, "\(base)/\(id!)", token: s.cv) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(Data(buffer: res.body), pdf)
                XCTAssertEqual(res.headers.contentType?.description, "application/pdf")
                XCTAssertEqual(res.headers.first(name: .contentDisposition), "attachment; filename=\"bien-ban-giam-sat.pdf\"")
            }
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/activities/\(visit.id!)", token: viewer) { res in
                XCTAssertEqual(try res.json(ActivityDTO.self).files.map(\.filename).sorted(), ["anh-giao-ban.png", "bien-ban-giam-sat.pdf"])
            }
            try await app.api(.GET, "\(base)/\(id!)", token: th) { XCTAssertEqual($0.status, .notFound) }

            // At most five; removed by the recorder only; each step audited.
            for k in 0..<3 { try await send(pdf, "phu-luc-\(k).pdf", token: s.xa) { XCTAssertEqual($0.status, .created) } }
            try await send(pdf, "thua.pdf", token: s.xa) { XCTAssertEqual($0.errorField, "file") }
            try await app.api(.DELETE, "\(base)/\(id!)", token: viewer) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.DELETE, "\(base)/\(id!)", token: s.xa) { XCTAssertEqual($0.status, .noContent) }
            try await app.api(.GET, "\(base)/\(id!)", token: s.cv) { XCTAssertEqual($0.status, .notFound) }
            let actions = try await AuditEntry.query(on: app.db).filter(\.$entity == "plan-activity").filter(\.$action ~~ ["attach", "detach"]).all().map(\.action)
            XCTAssertEqual(actions.filter { $0 == "attach" }.count, 5)
            XCTAssertEqual(actions.filter { $0 == "detach" }.count, 1)
            // A removed activity takes its files.
            try await app.api(.DELETE, "/api/v1/plans/\(s.plan)/activities/\(visit.id!)", token: s.xa) { XCTAssertEqual($0.status, .noContent) }
            let left = try await ActivityFile.query(on: app.db).count()
            XCTAssertEqual(left, 0)
        }
    }
}
