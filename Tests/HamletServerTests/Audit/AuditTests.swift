import XCTest
import XCTVapor
import Fluent
import SQLKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit

final class AuditTests: XCTestCase {
    func testChangesAreRecordedOldToNewAndCannotBeAltered() async throws {
        try await withApp { app in
            let admin = try await app.makeUser("admin1")
            let token = try await app.token(for: admin)
            try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: token, json: JSON(["name": "Khóm 1", "type": "Khóm"])) { _ in }
            try await app.api(.PATCH, "/api/v1/units/2025/30292-001", token: token, json: JSON(["name": "Khóm Một"])) { _ in }
            try await app.api(.GET, "/api/v1/audit?entity=hamlet", token: token) { res in
                let items = try res.json(ListBody<AuditDTO>.self).items
                XCTAssertEqual(items.map(\.action), ["update", "create"])
                XCTAssertEqual(items[0].changes["name"], ["Khóm 1", "Khóm Một"])
                XCTAssertEqual(items[0].username, "admin1")
            }
            let sql = app.db as! any SQLDatabase
            do {
                try await sql.raw("UPDATE audit_entries SET username = 'someone'").run()
                XCTFail("audit entries must not be updated")
            } catch {}
            do {
                try await sql.raw("DELETE FROM audit_entries").run()
                XCTFail("audit entries must not be deleted")
            } catch {}
            let kept = try await AuditEntry.query(on: app.db).filter(\.$username == "admin1").count()
            XCTAssertGreaterThanOrEqual(kept, 2)
        }
    }

    func testAuditIsForAdministratorsAndScoped() async throws {
        try await withApp { app in
            let hanoiAdmin = try await app.token(for: try await app.makeUser("qt-hanoi", role: .admin, scope: "01"))
            let officer = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: officer, json: JSON(["name": "Khóm 1", "type": "Khóm"])) { _ in }
            try await app.api(.GET, "/api/v1/audit", token: officer) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.GET, "/api/v1/audit?entity=hamlet", token: hanoiAdmin) { res in
                XCTAssertEqual(try res.json(ListBody<AuditDTO>.self).total, 0, "An Giang's changes are not Hà Nội's business")
            }
            try await app.makeUser("admin1")
            var browser = try await app.login("admin1")
            try await app.page(.GET, "/audit?entity=hamlet", as: &browser) { res in
                XCTAssertContains(res.body.string, "Khóm 1")
                XCTAssertContains(res.body.string, "cv")
            }
        }
    }
}
