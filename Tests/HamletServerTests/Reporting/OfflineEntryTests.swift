import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAccounts
@testable import HamletReporting

/// Issue 22, point 5: what the phone needs to keep and check a report offline, and the answers
/// its script gets when it sends one (the journeys themselves run in Tests/browser/offline.py).
final class OfflineEntryTests: XCTestCase {
    struct Definition: Decodable {
        struct Field: Decodable { var name: String; var element: String; var label: String; var type: String; var min: Double?; var max: Double? }
        struct Rule: Decodable { var kind: String; var left: String; var message: String }
        var key: String; var version: Int; var status: String; var editable: Bool
        var fields: [Field]; var rules: [Rule]; var messages: [String: String]; var below: [String: String]; var above: [String: String]
        var server: [String: String]
    }
    struct Answer: Decodable { var key: String; var status: String; var version: Int; var replayed: Bool; var fields: [String: String] }
    struct Conflict: Decodable { var error: ErrorBody.Detail; var current: Answer }

    /// The page's `data-def`, as the browser reads the attribute.
    static func definition(_ html: String) throws -> Definition {
        let start = try XCTUnwrap(html.range(of: #"data-def=""#))
        let raw = html[start.upperBound...].prefix { $0 != "\"" }
        let text = raw.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Definition.self, from: Data(text.utf8))
    }

    /// A form post from the page's script: it asks for JSON.
    func post(_ app: Application, _ browser: Browser, _ form: [String: String], _ check: (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.test(.POST, "/reports/entry", beforeRequest: { req in
            req.headers.replaceOrAdd(name: .cookie, value: browser.cookieHeader)
            req.headers.replaceOrAdd(name: .accept, value: "application/json")
            try req.content.encode(form, as: .urlEncodedForm)
        }, afterResponse: { res async throws in try await check(res) })
    }

    func testTheEntryPageCarriesTheFormWithTheServersOwnSentences() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            try await app.api(.PATCH, "/api/v1/data-elements/CTV_TONG", token: token, json: ElementInput(minimum: 1, maximum: 400)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            let commune = try await app.communes()[0]
            try await app.makeUser("xa", role: .communeOfficer, scope: commune.code)
            var clerk = try await app.login("xa")
            var def: Definition? = nil
            try await app.page(.GET, "/reports/entry?set=BC_THANG_XA&unit=\(commune.code)&period=202609", as: &clerk) { res in
                XCTAssertEqual(res.status, .ok)
                def = try Self.definition(res.body.string)
            }
            let form = try XCTUnwrap(def)
            XCTAssertEqual(form.key, "BC_THANG_XA|\(commune.code)|202609")
            XCTAssertEqual(form.version, 0)
            XCTAssertTrue(form.editable)
            XCTAssertEqual(form.fields.map(\.name), ["CTV_TONG", "CTV_TAP_HUAN.NAM", "CTV_TAP_HUAN.NU", "GHI_CHU"])
            XCTAssertEqual(form.fields.map(\.type), ["INTEGER", "INTEGER", "INTEGER", "TEXT"])
            XCTAssertEqual(form.fields[0].min, 1)
            XCTAssertEqual(form.fields[0].max, 400)
            XCTAssertEqual(form.rules.map(\.kind), ["compare", "range"])
            // Each sentence is the one the server answers with for the same value.
            var base = ["set": "BC_THANG_XA", "unit": commune.code, "period": "202609", "version": "0", "action": "submit",
                        "v:CTV_TAP_HUAN.NAM": "", "v:CTV_TAP_HUAN.NU": "", "v:GHI_CHU": ""]
            base["_csrf"] = clerk.csrf
            var refused: [String] = []
            for (typed, expected) in [("0", form.fields[0].label + ": " + form.below["CTV_TONG"]!), ("401", form.fields[0].label + ": " + form.above["CTV_TONG"]!),
                                      ("mười", form.fields[0].label + ": " + form.messages["notInteger"]!)] {
                var body = base
                body["v:CTV_TONG"] = typed
                try await post(app, clerk, body) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                    let message = try XCTUnwrap(res.errorMessage)
                    XCTAssertEqual(message, expected)
                    refused.append(message)
                }
            }
            var body = base
            body["v:CTV_TONG"] = "3"; body["v:CTV_TAP_HUAN.NAM"] = "2"; body["v:CTV_TAP_HUAN.NU"] = "2"
            try await post(app, clerk, body) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                XCTAssertEqual(res.errorMessage, form.rules[0].message, "a rule reads as the page's copy of it")
            }
            try await app.api(.GET, "/api/v1/reports/BC_THANG_XA/\(commune.code)/202609", token: token) { res in
                XCTAssertEqual(try res.json(ReportDTO.self).status, "none", "nothing stored by a refused try")
            }
        }
    }

    func testTheScriptGetsJSONAndAStaleCopyIsNeverWritten() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            // Above the form's range rule (0–500) is refused even in a draft; 450 is not.
            let commune = try await app.communes()[0]
            try await app.makeUser("xa", role: .communeOfficer, scope: commune.code)
            var clerk = try await app.login("xa")
            try await app.page(.GET, "/reports/entry?set=BC_THANG_XA&unit=\(commune.code)&period=202609", as: &clerk)
            let form = ["_csrf": clerk.csrf, "set": "BC_THANG_XA", "unit": commune.code, "period": "202609", "version": "0", "clientId": "phone-1",
                        "action": "save", "v:CTV_TONG": "450", "v:CTV_TAP_HUAN.NAM": "12,0", "v:CTV_TAP_HUAN.NU": "", "v:GHI_CHU": "Ghi chú"]
            try await post(app, clerk, form) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let answer = try res.json(Answer.self)
                XCTAssertEqual(answer.key, "BC_THANG_XA|\(commune.code)|202609")
                XCTAssertEqual(answer.status, "draft")
                XCTAssertEqual(answer.version, 1)
                XCTAssertEqual(answer.fields, ["CTV_TONG": "450", "CTV_TAP_HUAN.NAM": "12", "GHI_CHU": "Ghi chú"])
                XCTAssertFalse(answer.replayed)
            }
            // The same send again (a retry after a lost answer) files nothing twice.
            try await post(app, clerk, form) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertTrue(try res.json(Answer.self).replayed)
                XCTAssertEqual(try res.json(Answer.self).version, 1)
            }
            // A copy made over version 0 while the server moved on: 409 with the server's copy.
            var stale = form
            stale["clientId"] = "phone-2"; stale["v:CTV_TONG"] = "15"; stale["action"] = "submit"
            try await post(app, clerk, stale) { res in
                XCTAssertEqual(res.status, .conflict, res.body.string)
                let body = try res.json(Conflict.self)
                XCTAssertEqual(body.error.code, "stale")
                XCTAssertEqual(body.current.version, 1)
                XCTAssertEqual(body.current.fields["CTV_TONG"], "450")
            }
            try await app.api(.GET, "/api/v1/reports/BC_THANG_XA/\(commune.code)/202609", token: token) { res in
                let report = try res.json(ReportDTO.self)
                XCTAssertEqual(report.version, 1)
                XCTAssertEqual(report.values.first { $0.dataElement == "CTV_TONG" }?.value, "450", "the stale copy wrote nothing")
            }
            // Chosen by the user: the same copy over the server's version goes through.
            stale["version"] = "1"; stale["clientId"] = "phone-3"
            try await post(app, clerk, stale) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(Answer.self).status, "submitted")
            }
            // No form token, or no session: JSON the script can read, not a page or a redirect.
            var noToken = form
            noToken["_csrf"] = "sai"
            try await post(app, clerk, noToken) { res in
                XCTAssertEqual(res.status, .forbidden)
                XCTAssertEqual(try res.json(ErrorBody.self).error.code, "csrf")
            }
            var signedOut = clerk
            signedOut.cookies = signedOut.cookies.filter { $0.key != UserSession.cookieName }
            // Anything else (a browser, curl's */*) still gets the page and the way to sign in.
            try await app.test(.GET, "/me", beforeRequest: { req in req.headers.replaceOrAdd(name: .accept, value: "*/*") }) { res async in
                XCTAssertEqual(res.status, .seeOther)
            }
            // A session that ended: its form token ended with it. The report stays on the phone.
            try await post(app, signedOut, form) { res in
                XCTAssertEqual(res.status, .forbidden, res.body.string)
                XCTAssertEqual(try res.json(ErrorBody.self).error.code, "csrf")
                XCTAssertNil(res.headers.first(name: .location))
            }
        }
    }

    func testTheAppShellIsServedForAnInstalledPhone() async throws {
        try await withApp { app in
            try await app.test(.GET, "/manifest.webmanifest") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType?.subType, "manifest+json")
                let body = res.body.string
                XCTAssertTrue(body.contains(#""start_url":"/""#), "no escaped slashes: \(body)")
                XCTAssertTrue(body.contains(#""display":"standalone""#), body)
                XCTAssertTrue(body.contains("favicon.svg?v=" + app.assetVersion), body)
            }
            try await app.test(.GET, "/offline") { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("Không có mạng"))
            }
            try await app.makeUser("ctv", role: .collaborator, scope: "91")
            var phone = try await app.login("ctv")
            try await app.page(.GET, "/", as: &phone) { res in
                let html = res.body.string
                XCTAssertTrue(res.page.all("link").contains { $0.attributes["rel"] == "manifest" && $0.attributes["href"] == "/manifest.webmanifest" })
                XCTAssertTrue(html.contains("/offline.js?v=" + app.assetVersion))
                XCTAssertTrue(html.contains(#"data-user="ctv""#), "the phone's copies are kept per account")
            }
            for file in ["sw.js", "offline.js"] {
                try await app.test(.GET, "/\(file)?v=\(app.assetVersion)") { res async in
                    XCTAssertEqual(res.status, .ok, file)
                    XCTAssertEqual(res.headers.contentType?.subType, "javascript", file)
                    XCTAssertEqual(res.headers.first(name: .cacheControl), "public, max-age=31536000, immutable", file)
                }
            }
        }
    }
}
