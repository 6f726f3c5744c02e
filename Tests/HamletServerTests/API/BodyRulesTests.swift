import XCTest
import XCTVapor
@testable import HamletServer
@testable import HamletWeb
@testable import HamletWorkforce

/// The document states a body's closed lists as the server reads them: every value it lists for
/// a person's sex and qualification is taken, one it does not list is refused by name; a PATCH
/// body requires nothing, and a person changed by one field keeps the others.
final class BodyRulesTests: XCTestCase {
    func testAPersonsClosedListsAreWhatTheServerTakes() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            var schemas: [String: [String: Any]] = [:]
            try await app.api(.GET, "/api/v1/openapi.json", token: token) { res in
                let doc = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [String: Any]
                schemas = ((doc?["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]]) ?? [:]
            }
            func values(_ schema: String, _ field: String) -> [String] {
                ((schemas[schema]?["properties"] as? [String: Any])?[field] as? [String: Any])?["enum"] as? [String] ?? []
            }
            XCTAssertEqual(values("PersonInput", "sex"), ["", "male", "female"])
            let levels = values("PersonInput", "qualificationLevel")
            XCTAssertTrue(levels.contains("") && levels.contains("dai-hoc") && levels.count > 4, "\(levels)")
            XCTAssertNil(schemas["PersonPatch"]?["required"], "a PATCH changes only the fields sent")
            XCTAssertEqual(schemas["PersonInput"]?["required"] as? [String], ["fullName", "homeUnitCode"])

            struct Body: Content { var fullName: String; var homeUnitCode = "30292"; var sex: String?; var qualificationLevel: String? }
            for (n, sex) in values("PersonInput", "sex").enumerated() {
                let level = levels[n % levels.count]
                try await app.api(.POST, "/api/v1/people", token: token, json: Body(fullName: "Trần Thị Số \(["Một", "Hai", "Ba"][n])", sex: sex, qualificationLevel: level)) {
                    XCTAssertEqual($0.status, .created, "sex «\(sex)», level «\(level)»: \($0.body.string)")
                }
            }
            for level in levels {
                try await app.api(.POST, "/api/v1/people", token: token, json: Body(fullName: "Lê Văn Bậc \(level.isEmpty ? "Không" : level.replacingOccurrences(of: "-", with: " "))", qualificationLevel: level)) {
                    XCTAssertEqual($0.status, .created, "level «\(level)»: \($0.body.string)")
                }
            }
            try await app.api(.POST, "/api/v1/people", token: token, json: Body(fullName: "Trần Thị Khác", sex: "other")) {
                XCTAssertEqual($0.status, .unprocessableEntity); XCTAssertEqual($0.errorField, "sex")
            }
            try await app.api(.POST, "/api/v1/people", token: token, json: Body(fullName: "Trần Thị Khác", qualificationLevel: "tien-si-x")) {
                XCTAssertEqual($0.status, .unprocessableEntity); XCTAssertEqual($0.errorField, "qualificationLevel")
            }

            // PATCH: one field sent, one changed.
            var id = ""
            try await app.api(.GET, "/api/v1/people?q=s%E1%BB%91%20m%E1%BB%99t", token: token) { res in
                struct Item: Content { var id: UUID }
                id = try res.json(ListBody<Item>.self).items.first?.id.uuidString ?? ""
            }
            XCTAssertFalse(id.isEmpty)
            try await app.api(.PATCH, "/api/v1/people/\(id)", token: token, json: ["phone": "0912345678"]) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let person = try res.json(PersonDTO.self)
                XCTAssertEqual(person.phone, "0912345678")
                XCTAssertEqual(person.fullName, "Trần Thị Số Một")
                XCTAssertEqual(person.homeUnitCode, "30292")
            }
        }
    }
}
