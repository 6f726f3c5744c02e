import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits

/// Hamlets: kept by communes, history never overwritten, codes never reused, imports all or nothing.
final class HamletTests: XCTestCase {
    let commune = "30292"   // Phường Bình Đức, An Giang

    func testCreateRenameMergeCloseKeepsHistoryAndCodes() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("canbo", role: .communeOfficer, scope: commune))
            var codes: [String] = []
            for name in ["Khóm Bình Thới 1", "Khóm Bình Thới 2", "Khóm Bình Thới 3"] {
                try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: token, json: JSON(["name": name, "type": "khom"])) { res in
                    XCTAssertEqual(res.status, .created, res.body.string)
                    let unit = try res.json(UnitDTO.self)
                    XCTAssertEqual(unit.type, "Khóm")
                    codes.append(unit.code)
                }
            }
            XCTAssertEqual(codes, ["30292-001", "30292-002", "30292-003"])
            try await app.api(.PATCH, "/api/v1/units/2025/30292-001", token: token, json: JSON(["name": "Khóm Bình Thới Một", "effectiveDate": "01/09/2025"])) { res in
                XCTAssertEqual(res.status, .ok)
            }
            try await app.api(.POST, "/api/v1/units/2025/30292-002/merge", token: token, json: JSON(["into": "30292-001", "effectiveDate": "2025-10-01"])) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(try res.json(UnitDTO.self).mergedInto, "30292-001")
            }
            try await app.api(.POST, "/api/v1/units/2025/30292-003/close", token: token, json: JSON(["note": "Giải thể"])) { res in
                XCTAssertEqual(res.status, .ok)
            }
            // Closing again is a conflict; the closed hamlet is still readable with its history.
            try await app.api(.POST, "/api/v1/units/2025/30292-003/close", token: token, json: JSON([:])) { res in
                XCTAssertEqual(res.status, .conflict)
            }
            try await app.api(.GET, "/api/v1/units/2025/30292-001", token: token) { res in
                let detail = try res.json(UnitDetailDTO.self)
                XCTAssertEqual(detail.unit.name, "Khóm Bình Thới Một")
                XCTAssertEqual(detail.history?.map(\.kind), ["created", "renamed", "absorbed"])
                XCTAssertEqual(detail.history?[1].oldValue, "Khóm Bình Thới 1")
                XCTAssertEqual(detail.history?[1].effectiveDate, "2025-09-01")
            }
            // Open hamlets only by default; all with includeClosed.
            try await app.api(.GET, "/api/v1/units/2025/\(commune)/hamlets", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<UnitDTO>.self).items.map(\.code), ["30292-001"])
            }
            try await app.api(.GET, "/api/v1/units/2025/\(commune)/hamlets?includeClosed=true", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<UnitDTO>.self).total, 3)
            }
            // A new hamlet never takes a closed one's code, and may reuse a closed one's name.
            try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: token, json: JSON(["name": "Khóm Bình Thới 3", "type": "Khóm"])) { res in
                XCTAssertEqual(res.status, .created)
                XCTAssertEqual(try res.json(UnitDTO.self).code, "30292-004")
            }
            try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: token, json: JSON(["name": "Khác", "type": "Khóm", "code": "30292-002"])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "code")
            }
            let audits = try await AuditEntry.query(on: app.db).filter(\.$entity == "hamlet").count()
            XCTAssertEqual(audits, 7)
        }
    }

    func testBadHamletInputIsRefusedByField() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("canbo", role: .communeOfficer, scope: commune))
            let cases: [([String: String], String)] = [
                (["name": "", "type": "Thôn"], "name"),
                (["name": "Ấp Mới", "type": "Làng xã"], "type"),
                (["name": "Ấp Mới", "type": "Ấp", "code": "có dấu"], "code"),
                (["name": "Ấp Mới", "type": "Ấp", "effectiveDate": "31/02/2025"], "effectiveDate"),
                (["name": "Ấp Mới", "type": "Ấp", "effectiveDate": "01/01/2099"], "effectiveDate"),
            ]
            for (body, field) in cases {
                try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: token, json: JSON(body)) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, "\(body)")
                    XCTAssertEqual(res.errorField, field, "\(body)")
                    XCTAssertFalse(res.errorMessage?.isEmpty ?? true)
                }
            }
            try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: token, json: JSON(["name": "Ấp Mới", "type": "Ấp"])) { res in
                XCTAssertEqual(res.status, .created)
            }
            try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: token, json: JSON(["name": "ap moi", "type": "Ấp"])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, "same name without accents is the same hamlet")
                XCTAssertEqual(res.errorField, "name")
            }
            let stored = try await AdminUnit.query(on: app.db).filter(\.$parentCode == commune).count()
            XCTAssertEqual(stored, 1)
        }
    }

    func testHamletPagesAddAndRenameWithCSRF() async throws {
        try await withApp { app in
            try await app.makeUser("canbo", role: .communeOfficer, scope: commune)
            var browser = try await app.login("canbo")
            try await app.page(.GET, "/units/2025/\(commune)", as: &browser) { res in
                XCTAssertContains(res.body.string, "Thêm thôn/tổ dân phố")
            }
            try await app.page(.POST, "/units/2025/\(commune)/hamlets", as: &browser, form: ["name": "", "type": "Khóm"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertContains(res.body.string, "không được để trống")
                XCTAssertContains(res.body.string, #"data-field="name""#)
            }
            try await app.page(.POST, "/units/2025/\(commune)/hamlets", as: &browser, form: ["name": "Khóm Đông Thịnh", "type": "Khóm"]) { res in
                XCTAssertEqual(res.status, .seeOther)
            }
            try await app.page(.POST, "/units/2025/\(commune)/hamlets", as: &browser, form: ["name": "Khóm Tây", "type": "Khóm", "_csrf": "wrong"]) { res in
                XCTAssertEqual(res.status, .forbidden)
            }
            try await app.page(.POST, "/units/2025/30292-001/rename", as: &browser, form: ["name": "Khóm Đông Thịnh A", "type": "Khóm"]) { res in
                XCTAssertEqual(res.status, .seeOther)
            }
            try await app.page(.GET, "/units/2025/30292-001", as: &browser) { res in
                XCTAssertContains(res.body.string, "Khóm Đông Thịnh A")
                XCTAssertContains(res.body.string, "Đổi tên: «Khóm Đông Thịnh» → «Khóm Đông Thịnh A»")
            }
            let names = try await AdminUnit.query(on: app.db).filter(\.$parentCode == commune).all().map(\.name)
            XCTAssertEqual(names, ["Khóm Đông Thịnh A"])
        }
    }
}
