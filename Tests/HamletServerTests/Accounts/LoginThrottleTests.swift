import XCTest
import XCTVapor
import Fluent
@testable import HamletServer

final class LoginThrottleTests: XCTestCase {
    func testFiveFailuresThenWait() async throws {
        try await withApp { app in
            try await app.makeUser("hoa")
            for attempt in 1...5 {
                try await app.api(.POST, "/api/v1/auth/token", token: nil, json: JSON(["username": "hoa", "password": "sai-mat-khau-\(attempt)"])) { res in
                    XCTAssertEqual(res.status, .unauthorized)
                    XCTAssertEqual(res.errorField, "password")
                }
            }
            // Now even the right password waits, with Retry-After.
            try await app.api(.POST, "/api/v1/auth/token", token: nil, json: JSON(["username": "hoa", "password": "Mat-khau-rat-kho-2026"])) { res in
                XCTAssertEqual(res.status, .tooManyRequests)
                XCTAssertNotNil(res.headers.first(name: .retryAfter))
                XCTAssertContains(res.errorMessage ?? "", "thử lại sau")
            }
            // The web form says the same.
            var browser = Browser()
            try await app.test(.GET, "/login") { res async in browser.absorb(res) }
            let b = browser
            try await app.test(.POST, "/login", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: b.cookieHeader)
                try req.content.encode(["_csrf": b.csrf, "username": "hoa", "password": "Mat-khau-rat-kho-2026"], as: .urlEncodedForm)
            }, afterResponse: { res async in
                XCTAssertEqual(res.status, .tooManyRequests)
                XCTAssertContains(res.body.string, "thử lại sau")
            })
            // After the window the account may try again.
            for failure in try await LoginFailure.query(on: app.db).all() {
                failure.at = Date().addingTimeInterval(-16 * 60)
                try await failure.update(on: app.db)
            }
            try await app.api(.POST, "/api/v1/auth/token", token: nil, json: JSON(["username": "hoa", "password": "Mat-khau-rat-kho-2026"])) { res in
                XCTAssertEqual(res.status, .created)
            }
        }
    }

    func testFailuresFromOneAddressAcrossAccountsAreThrottled() async throws {
        try await withApp { app in
            for n in 1...5 {
                try await app.api(.POST, "/api/v1/auth/token", token: nil, json: JSON(["username": "khong-co-\(n)", "password": "sai-mat-khau"])) { res in
                    XCTAssertEqual(res.status, .unauthorized, "unknown user and wrong password answer alike")
                }
            }
            try await app.makeUser("hoa")
            try await app.api(.POST, "/api/v1/auth/token", token: nil, json: JSON(["username": "hoa", "password": "Mat-khau-rat-kho-2026"])) { res in
                XCTAssertEqual(res.status, .tooManyRequests)
            }
        }
    }
}
