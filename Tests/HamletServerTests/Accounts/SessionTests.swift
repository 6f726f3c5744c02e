import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAccounts
@testable import HamletOrganisations

/// Sessions live in the database: a new id at each login, idle and absolute limits enforced by
/// the server, logout and disabling end them, cookies locked down.
final class SessionTests: XCTestCase {
    func testLoginSetsLockedDownCookieAndNewSessionID() async throws {
        try await withApp { app in
            try await app.makeUser("hoa")
            var browser = Browser()
            try await app.test(.GET, "/login") { res async in browser.absorb(res) }
            let anonymous = browser
            try await app.test(.POST, "/login", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: anonymous.cookieHeader + "; hamlet_session=planted-by-attacker")
                try req.content.encode(["_csrf": anonymous.csrf, "username": "HOA", "password": "Mat-khau-rat-kho-2026", "next": "//evil.example/"], as: .urlEncodedForm)
            }, afterResponse: { res async in
                XCTAssertEqual(res.status, .seeOther)
                XCTAssertEqual(res.headers.first(name: .location), "/", "no open redirect")
                let cookie = res.headers.setCookie?[UserSession.cookieName]
                XCTAssertNotNil(cookie)
                XCTAssertNotEqual(cookie?.string, "planted-by-attacker")
                XCTAssertEqual(cookie?.isHTTPOnly, true)
                XCTAssertEqual(cookie?.sameSite, .lax)
                XCTAssertEqual(cookie?.isSecure, false)
                let raw = res.headers[.setCookie].joined()
                XCTAssertTrue(raw.contains("HttpOnly") && raw.contains("SameSite=Lax"))
            })
            // Behind an HTTPS proxy the cookie is Secure.
            try await app.test(.POST, "/login", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: anonymous.cookieHeader)
                req.headers.replaceOrAdd(name: "X-Forwarded-Proto", value: "https")
                try req.content.encode(["_csrf": anonymous.csrf, "username": "hoa", "password": "Mat-khau-rat-kho-2026"], as: .urlEncodedForm)
            }, afterResponse: { res async in
                XCTAssertEqual(res.headers.setCookie?[UserSession.cookieName]?.isSecure, true)
            })
            let stored = try await UserSession.query(on: app.db).all()
            XCTAssertEqual(stored.count, 2)
            XCTAssertTrue(stored.allSatisfy { $0.tokenDigest.count == 64 }, "only the digest is stored")
        }
    }

    func testIdleTimeoutAndAbsoluteLifetime() async throws {
        try await withApp { app in
            try await app.makeUser("hoa")
            var browser = try await app.login("hoa")
            try await app.page(.GET, "/", as: &browser) { XCTAssertEqual($0.status, .ok) }
            // 31 minutes idle: the server refuses the session and deletes it.
            let session = try await UserSession.query(on: app.db).first()!
            session.lastSeenAt = app.clock.now.addingTimeInterval(-31 * 60)
            try await session.update(on: app.db)
            try await app.page(.GET, "/", as: &browser) { res in
                XCTAssertEqual(res.status, .seeOther)
                XCTAssertTrue(res.headers.first(name: .location)?.hasPrefix("/login") ?? false)
            }
            let left = try await UserSession.query(on: app.db).count()
            XCTAssertEqual(left, 0)
            // Active all along but started 12 h ago: over.
            browser = try await app.login("hoa")
            let fresh = try await UserSession.query(on: app.db).first()!
            fresh.createdAt = app.clock.now.addingTimeInterval(-12 * 3600 - 60)
            try await fresh.update(on: app.db)
            try await app.page(.GET, "/", as: &browser) { XCTAssertEqual($0.status, .seeOther) }
        }
    }

    func testLogoutAndDisablingEndSessions() async throws {
        try await withApp { app in
            try await app.makeUser("admin1")
            let hoa = try await app.makeUser("hoa", role: .viewer, scope: "91")
            var mine = try await app.login("hoa")
            try await app.page(.POST, "/logout", as: &mine, form: [:]) { XCTAssertEqual($0.status, .seeOther) }
            let afterLogout = try await UserSession.query(on: app.db).filter(\.$user.$id == hoa.requireID()).count()
            XCTAssertEqual(afterLogout, 0)
            var hers = try await app.login("hoa")
            let hoaToken = try await app.token(for: hoa)
            var admin = try await app.login("admin1")
            try await app.page(.POST, "/users/\(hoa.requireID())/disable", as: &admin, form: [:]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.GET, "/", as: &hers) { XCTAssertEqual($0.status, .seeOther, "disabled: session over") }
            try await app.api(.GET, "/api/v1/me", token: hoaToken) { XCTAssertEqual($0.status, .unauthorized) }
            try await app.test(.GET, "/login") { res async in
                _ = res
            }
            var again = Browser()
            try await app.test(.GET, "/login") { res async in again.absorb(res) }
            let b = again
            try await app.test(.POST, "/login", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: b.cookieHeader)
                try req.content.encode(["_csrf": b.csrf, "username": "hoa", "password": "Mat-khau-rat-kho-2026"], as: .urlEncodedForm)
            }, afterResponse: { res async in
                XCTAssertEqual(res.status, .unauthorized, "a disabled account cannot sign in")
            })
        }
    }

    func testGETNeverChangesAnythingAndFormsNeedCSRF() async throws {
        try await withApp { app in
            try await app.makeUser("admin1")
            var browser = try await app.login("admin1")
            try await app.page(.GET, "/logout", as: &browser) { XCTAssertEqual($0.status, .methodNotAllowed, "signing out is a POST") }
            try await app.page(.GET, "/", as: &browser) { XCTAssertEqual($0.status, .ok, "still signed in") }
            try await app.page(.POST, "/logout", as: &browser, form: ["_csrf": ""]) { XCTAssertEqual($0.status, .forbidden) }
            try await app.page(.POST, "/agencies", as: &browser, form: ["_csrf": "x", "name": "A", "typeCode": "ubnd", "unitCode": "91"]) {
                XCTAssertEqual($0.status, .forbidden)
            }
            let agencies = try await Organisation.query(on: app.db).count()
            XCTAssertEqual(agencies, 0)
            // The login form itself carries a token bound to a cookie.
            try await app.test(.POST, "/login", beforeRequest: { req in
                try req.content.encode(["username": "admin1", "password": "Mat-khau-rat-kho-2026"], as: .urlEncodedForm)
            }, afterResponse: { res async in XCTAssertEqual(res.status, .forbidden) })
        }
    }
}
