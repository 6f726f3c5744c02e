import XCTest
import XCTVapor
@testable import HamletServer
@testable import HamletWeb

/// Issue 24, point 4: a path asked with a method it does not take is 405 with `Allow`, not 404; a
/// body without its content type is a documented 415; a record not found stays 404.
final class MethodTests: XCTestCase {
    func testAWrongMethodIs405AndABodyWithoutItsTypeIs415() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.test(.TRACE, "/api/v1/units") { res async throws in
                XCTAssertEqual(res.status, .methodNotAllowed)
                XCTAssertEqual(res.headers.first(name: .allow), "GET, HEAD")
                XCTAssertTrue(res.body.string.contains("method_not_allowed"), res.body.string)
            }
            try await app.api(.DELETE, "/api/v1/people", token: token) { res in
                XCTAssertEqual(res.status, .methodNotAllowed)
                XCTAssertEqual(res.headers.first(name: .allow), "GET, HEAD, POST")
            }
            try await app.test(.TRACE, "/api/40/dataValueSets") { res async throws in XCTAssertEqual(res.status, .methodNotAllowed) }
            try await app.test(.DELETE, "/login") { res async throws in XCTAssertEqual(res.status, .methodNotAllowed) }
            // No such path, or no such record: still 404.
            try await app.api(.GET, "/api/v1/nowhere", token: token) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/people/\(UUID())", token: token) { XCTAssertEqual($0.status, .notFound) }
            // A JSON route sent a body with no content type: 415, as the document says.
            try await app.test(.POST, "/api/v1/people", beforeRequest: { req async throws in
                req.headers.bearerAuthorization = .init(token: token)
                req.body = ByteBuffer(string: #"{"fullName":"Nguyễn Văn A"}"#)
            }) { res async throws in XCTAssertEqual(res.status, .unsupportedMediaType, res.body.string) }
            try await app.test(.GET, "/api/v1/openapi.json") { res async throws in
                let doc = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
                let post = ((doc["paths"] as? [String: Any])?["/api/v1/people"] as? [String: Any])?["post"] as? [String: Any]
                let responses = post?["responses"] as? [String: Any] ?? [:]
                XCTAssertNotNil(responses["415"]); XCTAssertNotNil(responses["405"])
            }
        }
    }
}
