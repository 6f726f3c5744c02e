import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAccounts

/// Password guessing under attack: a limit no burst beats, lockout per account and address,
/// growing delays for strangers, the owner never locked out of a place they sign in from.
final class LoginThrottleTests: XCTestCase {
    let right = "Mat-khau-rat-kho-2026"

    /// A token request as if from an address (the test trusts X-Forwarded-For, as behind a proxy).
    func token(_ app: Application, _ username: String, _ password: String, from ip: String = "10.0.0.1",
               _ check: (XCTHTTPResponse) async throws -> Void) async throws {
        try await Self.token(app, username, password, from: ip, check)
    }

    static func token(_ app: Application, _ username: String, _ password: String, from ip: String = "10.0.0.1",
                      _ check: (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.test(.POST, "/api/v1/auth/token", beforeRequest: { req in
            req.headers.replaceOrAdd(name: "X-Forwarded-For", value: ip)
            try req.content.encode(["username": username, "password": password], as: .json)
        }, afterResponse: { res async throws in try await check(res) })
    }

    /// The statuses of `count` token requests sent at once.
    static func atOnce(_ app: Application, _ count: Int, _ attempt: @escaping @Sendable (Int) -> (String, String, String)) async throws -> [HTTPStatus] {
        try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for n in 0..<count {
                group.addTask {
                    var status = HTTPStatus.ok
                    let (username, password, ip) = attempt(n)
                    try await Self.token(app, username, password, from: ip) { status = $0.status }
                    return status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    func testFiveFailuresThenWait() async throws {
        try await withApp { app in
            app.trustsProxy = true
            try await app.makeUser("hoa")
            for attempt in 1...5 {
                try await token(app, "hoa", "sai-mat-khau-\(attempt)") { res in
                    XCTAssertEqual(res.status, .unauthorized)
                    XCTAssertEqual(res.errorField, "password")
                }
            }
            // Now even the right password waits, with Retry-After.
            try await token(app, "hoa", right) { res in
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
                req.headers.replaceOrAdd(name: "X-Forwarded-For", value: "10.0.0.1")
                try req.content.encode(["_csrf": b.csrf, "username": "hoa", "password": self.right], as: .urlEncodedForm)
            }, afterResponse: { res async in
                XCTAssertEqual(res.status, .tooManyRequests)
                XCTAssertContains(res.body.string, "thử lại sau")
            })
            // After the window the account may try again.
            app.clock.advance(by: 16 * 60)
            try await token(app, "hoa", right) { res in XCTAssertEqual(res.status, .created) }
        }
    }

    /// Finding 5: 40 wrong passwords at once for one account had 31 checked (the limit is 5).
    func testABurstCannotBeatTheLimit() async throws {
        try await withApp { app in
            app.trustsProxy = true
            app.passwordGate = PasswordGate(running: 8, waiting: 100)
            try await app.makeUser("hoa")
            let statuses = try await Self.atOnce(app, 40) { n in ("hoa", "sai-mat-khau-\(n)", "10.0.0.1") }
            XCTAssertLessThanOrEqual(statuses.filter { $0 == .unauthorized }.count, LoginThrottle.pairLimit, "only the allowed tries were checked")
            XCTAssertTrue(statuses.allSatisfy { [.unauthorized, .tooManyRequests].contains($0) }, "\(statuses)")
        }
    }

    /// Finding 5: a flood waits its turn at the password gate or is told to come back, never a 500.
    func testAFloodIsRefusedWith429NotAnError() async throws {
        try await withApp { app in
            app.trustsProxy = true
            app.passwordGate = PasswordGate(running: 1, waiting: 2)
            try await app.makeUser("hoa")
            let statuses = try await Self.atOnce(app, 30) { n in ("khach-\(n)", "sai-mat-khau", "10.1.0.\(n)") }
            XCTAssertTrue(statuses.allSatisfy { [.unauthorized, .tooManyRequests].contains($0) }, "\(statuses)")
            XCTAssertGreaterThan(statuses.filter { $0 == .tooManyRequests }.count, 0, "beyond the queue, tries are turned away")
            try await token(app, "hoa", right, from: "10.2.0.1") { XCTAssertEqual($0.status, .created) }
        }
    }

    /// Finding 13: five wrong tries from anywhere locked any account, the administrator's too.
    func testAStrangerCannotLockTheOwnerOutOfTheirAddress() async throws {
        try await withApp { app in
            app.trustsProxy = true
            app.clock.set(Date(timeIntervalSince1970: 1_796_000_000))
            try await app.makeUser("quantri")
            try await token(app, "quantri", right, from: "10.0.0.1") { XCTAssertEqual($0.status, .created) }
            for n in 0..<8 {
                try await token(app, "quantri", "doan-mo-\(n)", from: "203.0.113.9") { res in
                    XCTAssertEqual(res.status, n < 5 ? .unauthorized : .tooManyRequests)
                }
            }
            // The owner, from the address they sign in from, is not locked out.
            try await token(app, "quantri", right, from: "10.0.0.1") { XCTAssertEqual($0.status, .created) }
            // A second stranger's address meets the account's growing delay instead.
            for n in 0..<5 {
                try await token(app, "quantri", "doan-mo-b\(n)", from: "198.51.100.\(n)") { _ in }
            }
            try await token(app, "quantri", "doan-mo-c", from: "198.51.100.77") { XCTAssertEqual($0.status, .unauthorized) }
            try await token(app, "quantri", "doan-mo-d", from: "198.51.100.78") { res in
                XCTAssertEqual(res.status, .tooManyRequests, "after the free tries a new address waits")
            }
            app.clock.advance(by: 2)
            try await token(app, "quantri", "doan-mo-e", from: "198.51.100.79") { XCTAssertEqual($0.status, .unauthorized) }
            try await token(app, "quantri", "doan-mo-f", from: "198.51.100.80") { res in
                XCTAssertEqual(res.status, .tooManyRequests)
                XCTAssertEqual(res.headers.first(name: .retryAfter), "2", "each wait twice the one before")
            }
        }
    }

    func testFailuresFromOneAddressAcrossAccountsAreThrottled() async throws {
        try await withApp { app in
            app.trustsProxy = true
            for n in 1...LoginThrottle.addressLimit {
                try await token(app, "khong-co-\(n)", "sai-mat-khau") { res in
                    XCTAssertEqual(res.status, .unauthorized, "unknown user and wrong password answer alike")
                }
            }
            try await app.makeUser("hoa")
            try await token(app, "hoa", right) { XCTAssertEqual($0.status, .tooManyRequests) }
            try await token(app, "hoa", right, from: "10.9.9.9") { XCTAssertEqual($0.status, .created) }
        }
    }

    /// Finding 6: the stand-in hash for unknown accounts had cost 4, real ones 12 (7 ms against
    /// 330 ms), so timing told which usernames exist.
    func testUnknownAccountsCostAsMuchAsRealOnes() async throws {
        try await withApp { app in
            app.trustsProxy = true
            app.passwords.use(.bcrypt(cost: 9))
            try SignIn.prepareStubHash(app)
            try await app.makeUser("hoa")
            let stub = app.storage[SignIn.StubHashKey.self] ?? ""
            let real = try await User.query(on: app.db).filter(\.$username == "hoa").first()!.passwordHash
            XCTAssertEqual(stub.prefix(7), real.prefix(7), "the same bcrypt cost")
            func median(_ username: String, _ n: Int) async throws -> TimeInterval {
                var times: [TimeInterval] = []
                for k in 0..<5 {
                    let start = Date()
                    try await token(app, username, "sai-mat-khau", from: "10.3.\(n).\(k)") { XCTAssertEqual($0.status, .unauthorized) }
                    times.append(Date().timeIntervalSince(start))
                }
                return times.sorted()[2]
            }
            let known = try await median("hoa", 1), unknown = try await median("khong-co-ai", 2)
            XCTAssertGreaterThan(unknown, known * 0.4, "an unknown name takes as long as a wrong password (\(unknown) s against \(known) s)")
        }
    }
}
