import XCTest
import XCTVapor
@testable import HamletServer
@testable import HamletWeb

final class OpenAPITests: XCTestCase {
    /// Every /api route (ours under /api/v1, DHIS2's under /api) is described, and every described operation is a route.
    func testDocumentMatchesRoutes() async throws {
        try await withApp { app in
            let routes = Set(app.routes.all.compactMap { route -> String? in
                let parts = route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }
                guard parts.first == "api" else { return nil }
                return route.method.rawValue + " /" + parts.joined(separator: "/")
            })
            var documented = Set<String>()
            try await app.test(.GET, "/api/v1/openapi.json") { res async throws in
                XCTAssertEqual(res.status, .ok)
                let doc = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as! [String: Any]
                XCTAssertEqual(doc["openapi"] as? String, "3.1.0")
                for (path, operations) in doc["paths"] as! [String: [String: Any]] {
                    for method in operations.keys { documented.insert(method.uppercased() + " " + path) }
                }
            }
            XCTAssertEqual(routes.subtracting(documented).sorted(), [], "routes not in the OpenAPI document")
            XCTAssertEqual(documented.subtracting(routes).sorted(), [], "documented operations with no route")
        }
    }

    /// Every `$ref` in the document points at a schema it defines.
    func testEveryReferenceResolves() throws {
        let object = try JSONSerialization.jsonObject(with: OpenAPIDocument.json()) as? [String: Any]
        let schemas = Set(((object?["components"] as? [String: Any])?["schemas"] as? [String: Any])?.keys.map { $0 } ?? [])
        var refs: [String] = []
        func walk(_ value: Any) {
            if let dict = value as? [String: Any] {
                if let ref = dict["$ref"] as? String { refs.append(String(ref.dropFirst("#/components/schemas/".count))) }
                dict.values.forEach(walk)
            } else if let array = value as? [Any] { array.forEach(walk) }
        }
        walk(object ?? [:])
        XCTAssertFalse(refs.isEmpty)
        XCTAssertEqual(Set(refs).subtracting(schemas).sorted(), [])
    }

    func testErrorsAreJSONWithVietnameseMessage() async throws {
        try await withApp { app in
            try await app.test(.GET, "/api/v1/units") { res async throws in
                XCTAssertEqual(res.status, .unauthorized)
                let body = try res.content.decode(ErrorBody.self)
                XCTAssertEqual(body.error.code, "unauthorized")
                XCTAssertEqual(body.error.message, "Cần đăng nhập.")
            }
            let token = try await app.token(for: try await app.makeUser("admin1"))
            try await app.test(.POST, "/api/v1/units/2025/30292/hamlets", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = .json
                req.body = ByteBuffer(string: "{not json")
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .badRequest)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.code, "bad_request")
            })
            try await app.api(.GET, "/api/v1/units?per=5000", token: token) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "per")
            }
        }
    }
}
