import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAccounts
@testable import HamletAudit

/// Accounts: password policy, hashing, tokens for scripts, and who may manage whom.
final class AccountTests: XCTestCase {
    func testPasswordPolicyAndBcrypt() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("admin1"))
            let cases: [(String, String)] = [("ngan", "password"), ("12345678", "password"), ("matkhau123", "password"),
                                             (String(repeating: "x", count: 129), "password")]
            for (password, field) in cases {
                try await app.api(.POST, "/api/v1/users", token: admin,
                                  json: JSON(["username": "moi", "password": password, "role": "viewer", "scope": "91"])) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, password)
                    XCTAssertEqual(res.errorField, field)
                }
            }
            try await app.api(.POST, "/api/v1/users", token: admin, json: JSON(["username": "moi", "password": "Hoa-sen-no-2026", "role": "boss", "scope": "91"])) { res in
                XCTAssertEqual(res.errorField, "role")
            }
            try await app.api(.POST, "/api/v1/users", token: admin, json: JSON(["username": "moi", "password": "Hoa-sen-no-2026", "role": "viewer", "scope": "12345"])) { res in
                XCTAssertEqual(res.errorField, "scope")
            }
            try await app.api(.POST, "/api/v1/users", token: admin, json: JSON(["username": "moi", "password": "Hoa-sen-no-2026", "role": "viewer", "scope": "91", "phone": "12345"])) { res in
                XCTAssertEqual(res.errorField, "phone")
            }
            let none = try await User.query(on: app.db).filter(\.$username == "moi").count()
            XCTAssertEqual(none, 0)
            try await app.api(.POST, "/api/v1/users", token: admin, json: JSON(["username": "moi", "password": "Hoa-sen-no-2026", "role": "viewer", "scope": "91", "phone": "+84 912 345 678"])) { res in
                XCTAssertEqual(res.status, .created)
                XCTAssertEqual(try res.json(UserDTO.self).phone, "0912345678")
                XCTAssertFalse(res.body.string.contains("password"))
            }
            let user = try await User.query(on: app.db).filter(\.$username == "moi").first()!
            XCTAssertTrue(user.passwordHash.hasPrefix("$2"), "bcrypt")
            XCTAssertFalse(user.passwordHash.contains("Hoa-sen"))
        }
    }

    func testTokenForScriptsAndPersonalTokens() async throws {
        try await withApp { app in
            try await app.makeUser("hoa", role: .provinceOfficer, scope: "91")
            var token = ""
            try await app.api(.POST, "/api/v1/auth/token", token: nil, json: JSON(["username": "hoa", "password": "Mat-khau-rat-kho-2026"])) { res in
                XCTAssertEqual(res.status, .created)
                token = try res.json(TokenAPI.Issued.self).token
            }
            XCTAssertTrue(token.hasPrefix("hml_"))
            try await app.api(.GET, "/api/v1/me", token: token) { res in
                XCTAssertEqual(try res.json(UserDTO.self).scope, "91")
            }
            try await app.api(.GET, "/api/v1/me", token: "hml_made_up") { XCTAssertEqual($0.status, .unauthorized) }
            try await app.api(.GET, "/api/v1/me", token: nil) { XCTAssertEqual($0.status, .unauthorized) }
            try await app.test(.GET, "/api/v1/me", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .authorization, value: "ApiToken \(token)")
            }, afterResponse: { res async in XCTAssertEqual(res.status, .ok) })
            // A personal token from the account page: shown once, stored hashed, revocable.
            var browser = try await app.login("hoa")
            var secret = ""
            try await app.page(.POST, "/me/tokens", as: &browser, form: ["name": "Báo cáo tự động"]) { res in
                XCTAssertEqual(res.status, .ok)
                let body = res.body.string
                let range = body.range(of: #"id="new-token">"#)!
                secret = String(body[range.upperBound...].prefix { $0 != "<" })
            }
            XCTAssertTrue(secret.hasPrefix("hml_"))
            let stored = try await APIToken.query(on: app.db).filter(\.$name == "Báo cáo tự động").first()!
            XCTAssertNotEqual(stored.tokenDigest, secret)
            try await app.api(.GET, "/api/v1/me", token: secret) { XCTAssertEqual($0.status, .ok) }
            try await app.page(.GET, "/me", as: &browser) { res in
                XCTAssertFalse(res.body.string.contains(secret), "shown once only")
            }
            try await app.page(.POST, "/me/tokens/\(stored.requireID())/revoke", as: &browser, form: [:]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.api(.GET, "/api/v1/me", token: secret) { XCTAssertEqual($0.status, .unauthorized) }
            // Made and revoked, each with its audit entry; a nameless token is refused by name.
            let entries = try await AuditEntry.query(on: app.db).filter(\.$entity == "api_token").filter(\.$entityID == stored.requireID().uuidString).all()
            XCTAssertEqual(entries.map(\.action).sorted(), ["create", "revoke"])
            XCTAssertEqual(Set(entries.map(\.username)), ["hoa"])
            try await app.page(.POST, "/me/tokens", as: &browser, form: ["name": "  "]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("Đặt tên cho mã truy cập"))
            }
            // Another account's token cannot be revoked from this page.
            let other = try await app.makeUser("khac", role: .viewer, scope: "91")
            let otherSecret = try await app.token(for: other)
            let otherToken = try await APIToken.query(on: app.db).filter(\.$tokenDigest == Token.digest(otherSecret)).first()!
            try await app.page(.POST, "/me/tokens/\(otherToken.requireID())/revoke", as: &browser, form: [:]) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/me", token: otherSecret) { XCTAssertEqual($0.status, .ok) }
        }
    }

    func testOnlyAdministratorsManageAccountsInsideTheirScope() async throws {
        try await withApp { app in
            let provinceAdmin = try await app.token(for: try await app.makeUser("qt-angiang", role: .admin, scope: "91"))
            let officer = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let hanoi = try await app.makeUser("hanoi", role: .viewer, scope: "01")
            try await app.api(.GET, "/api/v1/users", token: officer) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.GET, "/api/v1/users", token: provinceAdmin) { res in
                let names = try res.json(ListBody<UserDTO>.self).items.map(\.username)
                XCTAssertEqual(Set(names), ["qt-angiang", "cv"])
            }
            try await app.api(.GET, "/api/v1/users/\(hanoi.requireID())", token: provinceAdmin) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.POST, "/api/v1/users", token: provinceAdmin, json: JSON(["username": "rong", "password": "Hoa-sen-no-2026", "role": "viewer", "scope": "VN"])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "scope")
            }
            try await app.api(.POST, "/api/v1/users", token: provinceAdmin, json: JSON(["username": "xa", "password": "Hoa-sen-no-2026", "role": "commune-officer", "scope": "30292"])) { res in
                XCTAssertEqual(res.status, .created)
            }
        }
    }

    func testAdministratorPagesCreateAndEditAccounts() async throws {
        try await withApp { app in
            try await app.makeUser("admin1")
            var browser = try await app.login("admin1")
            try await app.page(.POST, "/users", as: &browser, form: ["username": "cv2", "password": "123", "role": "viewer", "scope": "91"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertContains(res.body.string, "ít nhất 8 ký tự")
                XCTAssertContains(res.body.string, #"value="cv2""#)
            }
            try await app.page(.POST, "/users", as: &browser, form: ["username": "cv2", "password": "Hoa-sen-no-2026", "role": "viewer", "scope": "91", "displayName": "Phạm Văn Đức"]) { res in
                XCTAssertEqual(res.status, .seeOther)
            }
            try await app.page(.GET, "/users", as: &browser) { res in
                XCTAssertContains(res.body.string, "Phạm Văn Đức")
            }
            let viewer = try await User.query(on: app.db).filter(\.$username == "cv2").first()!
            try await app.page(.POST, "/users/\(viewer.requireID())", as: &browser, form: ["displayName": "Phạm Văn Đức", "role": "province-officer", "scope": "91"]) { res in
                XCTAssertEqual(res.status, .seeOther)
            }
            let updated = try await User.find(viewer.id, on: app.db)
            XCTAssertEqual(updated?.role, .provinceOfficer)
        }
    }
}
