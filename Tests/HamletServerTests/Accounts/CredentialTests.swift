import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAccounts

/// Credentials end together: a new password, role or scope, disabling and enabling again revoke
/// every session and every token. Redirects stay on the site; common Vietnamese passwords are refused.
final class CredentialTests: XCTestCase {
    struct Patch: Content { var password: String?; var role: String?; var disabled: Bool? }

    /// Finding 8: API tokens survived a password change and a disable/enable.
    func testPasswordRoleAndDisablingRevokeTokensAndSessions() async throws {
        try await withApp { app in
            app.clock.set(Date(timeIntervalSince1970: 1_796_441_400))  // 05/12/2026 10:30 in Việt Nam
            let admin = try await app.token(for: try await app.makeUser("quantri"))
            let hoa = try await app.makeUser("hoa", role: .provinceOfficer, scope: "91")
            let id = try hoa.requireID()
            // A password change ends the token and the browser session.
            var token = try await app.token(for: hoa)
            var browser = try await app.login("hoa")
            try await app.api(.PATCH, "/api/v1/users/\(id)", token: admin, json: Patch(password: "Song-Hau-chay-dai-2026")) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.GET, "/api/v1/me", token: token) { XCTAssertEqual($0.status, .unauthorized, "token after a password change") }
            try await app.page(.GET, "/me", as: &browser) { XCTAssertEqual($0.status, .seeOther, "session after a password change") }
            // A role change the same.
            var fresh = try await User.find(id, on: app.db)!
            token = try await app.token(for: fresh)
            try await app.api(.GET, "/api/v1/me", token: token) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.PATCH, "/api/v1/users/\(id)", token: admin, json: Patch(role: "viewer")) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.GET, "/api/v1/me", token: token) { XCTAssertEqual($0.status, .unauthorized, "token after a role change") }
            // Disabled, then enabled again: what was issued before stays dead.
            fresh = try await User.find(id, on: app.db)!
            token = try await app.token(for: fresh)
            try await app.api(.PATCH, "/api/v1/users/\(id)", token: admin, json: Patch(disabled: true)) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.PATCH, "/api/v1/users/\(id)", token: admin, json: Patch(disabled: false)) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.GET, "/api/v1/me", token: token) { XCTAssertEqual($0.status, .unauthorized, "token after disable and enable") }
            let live = try await APIToken.query(on: app.db).filter(\.$user.$id == id).filter(\.$revokedAt == nil).count()
            XCTAssertEqual(live, 0, "every token is marked revoked, not only refused")
            // A token issued now works, and the account page says when it was last used.
            fresh = try await User.find(id, on: app.db)!
            token = try await app.token(for: fresh)
            try await app.api(.GET, "/api/v1/me", token: token) { XCTAssertEqual($0.status, .ok) }
            browser = try await app.login("hoa", password: "Song-Hau-chay-dai-2026")
            try await app.page(.GET, "/me", as: &browser) { res in
                XCTAssertContains(res.body.string, "Dùng lần cuối")
                XCTAssertContains(res.body.string, ">10:30 05/12/2026</td>")
            }
        }
    }

    /// Finding 11: `next=/%09/evil.example` became `//evil.example` in a browser.
    func testRedirectsStayOnTheSite() async throws {
        try await withApp { app in
            try await app.makeUser("hoa")
            for next in ["/%09/evil.example", "/\t/evil.example", "/%5Cevil.example", "/\\evil.example", "//evil.example", "https://evil.example",
                         "/%2F/evil.example", "%2F%2Fevil.example", "/\u{0}/evil", " //evil.example"] {
                var browser = Browser()
                try await app.test(.GET, "/login") { res async in browser.absorb(res) }
                let b = browser
                try await app.test(.POST, "/login", beforeRequest: { req in
                    req.headers.replaceOrAdd(name: .cookie, value: b.cookieHeader)
                    try req.content.encode(["_csrf": b.csrf, "username": "hoa", "password": "Mat-khau-rat-kho-2026", "next": next], as: .urlEncodedForm)
                }, afterResponse: { res async in
                    XCTAssertEqual(res.headers.first(name: .location), "/", "next=\(next.debugDescription)")
                })
            }
            var browser = Browser()
            try await app.test(.GET, "/login") { res async in browser.absorb(res) }
            let b = browser
            try await app.test(.POST, "/login", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: b.cookieHeader)
                try req.content.encode(["_csrf": b.csrf, "username": "hoa", "password": "Mat-khau-rat-kho-2026", "next": "/people?q=ho%C3%A0"], as: .urlEncodedForm)
            }, afterResponse: { res async in
                XCTAssertEqual(res.headers.first(name: .location), "/people?q=ho%C3%A0", "a path of the site is kept as sent")
            })
        }
    }

    /// The policy's "also": `Matkhau@123` and `hanoi2024` were accepted.
    func testCommonVietnamesePasswordsAreRefused() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("quantri"))
            for password in ["Matkhau@123", "hanoi2024", "123456a@", "AnGiang2025!", "Thanh Hóa 2024", "matkhaumoi#1", "Admin@2026", "99999999x"] {
                try await app.api(.POST, "/api/v1/users", token: admin, json: JSON(["username": "moi", "password": password, "role": "viewer", "scope": "91"])) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, password)
                    XCTAssertEqual(res.errorField, "password", password)
                }
            }
            try await app.api(.POST, "/api/v1/users", token: admin, json: JSON(["username": "moi", "password": "Đò-dọc-sông-Hậu-7", "role": "viewer", "scope": "91"])) { res in
                XCTAssertEqual(res.status, .created)
            }
        }
    }
}

