import Foundation
import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
import HamletKit
@testable import HamletWeb
@testable import HamletDatabase
@testable import HamletAccounts

/// The moment every test starts at: 05/12/2026 10:30 in Việt Nam. The one clock is stopped
/// there, so no test depends on the day it runs; a test moves it with `app.clock`.
let testMoment = Date(timeIntervalSince1970: 1_796_441_400)

/// Makes an application on a fresh copy of the template database, runs the test, tears down.
/// `readingFromItself`: on PostgreSQL, the same database is also the app's read replica (its
/// sessions read-only, never replaying), so reads may be sent there and must cope.
func withApp(readingFromItself: Bool = false, _ test: (Application) async throws -> Void) async throws {
    HamletClock.shared.set(testMoment)
    var (choice, dispose) = try await TestDatabase.shared.make()
    if readingFromItself, case .postgres(let url, _) = choice { choice = .postgres(url: url, reads: [url]) }
    let app = try await Application.make(.testing)
    app.logger.logLevel = ProcessInfo.processInfo.environment["HAMLET_TEST_LOG"] == "1" ? .debug : .warning
    do {
        try await configure(app, database: choice)
        try await DatabaseSetup.tune(app)
        try await test(app)
    } catch {
        try? await app.asyncShutdown()
        try? await dispose()
        throw error
    }
    try await app.asyncShutdown()
    try await dispose()
}

/// A signed-in browser: the session cookie and the CSRF token from the last page.
struct Browser {
    var cookies: [String: String] = [:]
    var csrf = ""
    var lastBody = ""

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    mutating func absorb(_ res: XCTHTTPResponse) {
        for (name, value) in res.headers.setCookie?.all ?? [:] {
            if value.expires.map({ $0 < HamletClock.shared.now }) ?? false || value.string.isEmpty { cookies[name] = nil } else { cookies[name] = value.string }
        }
        let body = res.body.string
        lastBody = body
        if let range = body.range(of: #"name="_csrf" value=""#) {
            csrf = String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }
}

extension Application {
    @discardableResult
    func makeUser(_ username: String, role: Role = .admin, scope: String = "VN", password secret: String = "Mat-khau-rat-kho-2026") async throws -> User {
        try await UserService(db: db, actor: nil, ip: nil, hasher: password.async)
            .create(UserInput(username: username, password: secret, displayName: username, role: role.rawValue, scope: scope),
                    within: AccessScope(code: "VN", path: ""))
    }

    /// A bearer token for API calls as this user.
    func token(for user: User) async throws -> String {
        try await APIToken.issue(for: user, name: "test", lifetime: nil, on: db).0
    }

    /// Signs a browser in through the login form.
    func login(_ username: String, password: String = "Mat-khau-rat-kho-2026") async throws -> Browser {
        var browser = Browser()
        try await test(.GET, "/login") { res async in browser.absorb(res) }
        let b = browser
        try await test(.POST, "/login", beforeRequest: { req in
            req.headers.replaceOrAdd(name: .cookie, value: b.cookieHeader)
            try req.content.encode(["_csrf": b.csrf, "username": username, "password": password, "next": "/"], as: .urlEncodedForm)
        }, afterResponse: { res async in
            XCTAssertEqual(res.status, .seeOther, "login of \(username) failed: \(res.body.string.prefix(300))")
            browser.absorb(res)
        })
        let signedIn = browser
        try await test(.GET, "/me", beforeRequest: { req in req.headers.replaceOrAdd(name: .cookie, value: signedIn.cookieHeader) }) { res async in
            browser.absorb(res)
        }
        return browser
    }

    /// A page request as a signed-in browser; POSTs carry the CSRF token.
    func page(_ method: HTTPMethod, _ path: String, as browser: inout Browser, form: [String: String]? = nil,
              file: StaticString = #filePath, line: UInt = #line, _ check: (XCTHTTPResponse) async throws -> Void = { _ in }) async throws {
        let b = browser
        var captured: XCTHTTPResponse? = nil
        try await test(method, path, beforeRequest: { req in
            req.headers.replaceOrAdd(name: .cookie, value: b.cookieHeader)
            if var form {
                form["_csrf"] = form["_csrf"] ?? b.csrf
                try req.content.encode(form, as: .urlEncodedForm)
            }
        }, afterResponse: { res async in captured = res })
        guard let res = captured else { return XCTFail("no response", file: file, line: line) }
        browser.absorb(res)
        try await check(res)
    }

    /// A file sent by a page's form (multipart, the CSRF token among the parts) as a signed-in browser.
    func pageUpload(_ path: String, as browser: inout Browser, filename: String, contentType: String, data: Data,
                    _ check: (XCTHTTPResponse) async throws -> Void = { _ in }) async throws {
        let boundary = "hamlet-test-boundary", cookies = browser.cookieHeader
        var body = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf)\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n")
        body.writeBytes(data)
        body.writeString("\r\n--\(boundary)--\r\n")
        var captured: XCTHTTPResponse?
        try await test(.POST, path, beforeRequest: { req in
            req.headers.replaceOrAdd(name: .cookie, value: cookies)
            req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            req.body = body
        }, afterResponse: { res async in captured = res })
        browser.absorb(captured!)
        try await check(captured!)
    }

    /// A workbook posted to an import route with a bearer token.
    func upload(_ path: String, token: String, xlsx data: Data, _ check: (XCTHTTPResponse) async throws -> Void) async throws {
        try await test(.POST, path, beforeRequest: { req in
            req.headers.bearerAuthorization = .init(token: token)
            req.headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            req.body = ByteBuffer(data: data)
        }, afterResponse: { res async throws in try await check(res) })
    }

    /// An API call with a bearer token and an optional JSON body.
    func api(_ method: HTTPMethod, _ path: String, token: String?, json: (any Content)? = nil,
             _ check: (XCTHTTPResponse) async throws -> Void) async throws {
        try await test(method, path, beforeRequest: { req in
            if let token { req.headers.bearerAuthorization = .init(token: token) }
            if let json { try req.content.encode(json, as: .json) }
        }, afterResponse: { res async throws in try await check(res) })
    }
}

extension XCTHTTPResponse {
    func json<T: Decodable>(_ type: T.Type) throws -> T { try content.decode(T.self) }

    var errorField: String? { try? content.decode(ErrorBody.self).error.field }
    var errorMessage: String? { try? content.decode(ErrorBody.self).error.message }
}

/// A tiny JSON object for request bodies.
struct JSON: Content {
    var values: [String: String]
    init(_ values: [String: String]) { self.values = values }
    func encode(to encoder: any Encoder) throws { try values.encode(to: encoder) }
    init(from decoder: any Decoder) throws { values = try [String: String](from: decoder) }
}
