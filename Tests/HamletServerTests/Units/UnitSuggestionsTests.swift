import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits

/// Issue 22, point 3: a unit field suggests units as part of a name is typed, accents optional,
/// inside the account's scope, each with the units above it; the value chosen is the code.
final class UnitSuggestionsTests: XCTestCase {
    func suggestions(_ app: Application, _ token: String, _ query: String) async throws -> [UnitSuggestion] {
        var items: [UnitSuggestion] = []
        try await app.api(.GET, "/api/v1/units/suggest?" + query, token: token) { res in
            XCTAssertEqual(res.status, .ok, res.body.string)
            items = try res.json(UnitSuggestions.self).items
        }
        return items
    }

    func testUnitsSuggestedByPartOfTheirName() async throws {
        try await withApp { app in
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            var codes: [String: String] = [:]
            for (commune, name) in [("30292", "Khóm 1"), ("30292", "Khóm 10"), ("30313", "Khóm 1")] {
                try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: cv, json: JSON(["name": name, "type": "Khóm", "effectiveDate": "01/07/2025"])) {
                    codes[commune + " " + name] = try $0.json(UnitDTO.self).code
                }
            }
            let binhDuc = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == "30292").first()!
            let other = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == "30313").first()!

            // Without accents: both "Khóm 1" first (a whole name), each with its commune and province, then "Khóm 10".
            let found = try await suggestions(app, cv, "q=khom%201")
            XCTAssertEqual(found.count, 3)
            XCTAssertEqual(Set(found.prefix(2).map(\.code)), [codes["30292 Khóm 1"]!, codes["30313 Khóm 1"]!])
            XCTAssertEqual(found.last?.code, codes["30292 Khóm 10"])
            let first = try XCTUnwrap(found.first { $0.code == codes["30292 Khóm 1"] })
            XCTAssertEqual(first.label, "Khóm 1 — \(binhDuc.name), Tỉnh An Giang")
            XCTAssertEqual(first.above, "\(binhDuc.name), Tỉnh An Giang")
            XCTAssertEqual(found.first { $0.code == codes["30313 Khóm 1"] }?.above, "\(other.name), Tỉnh An Giang")

            // Levels: only hamlets when asked; a district is not a 2025 level.
            let communes = try await suggestions(app, cv, "q=" + VietnameseTextFold.plain(binhDuc.name).replacingOccurrences(of: " ", with: "%20") + "&level=commune")
            XCTAssertEqual(communes.map(\.code), ["30292"])
            try await app.api(.GET, "/api/v1/units/suggest?q=khom&level=district", token: cv) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "level")
            }
            // One letter suggests nothing.
            let short = try await suggestions(app, cv, "q=k")
            XCTAssertEqual(short.count, 0)

            // A commune officer sees its own commune's hamlets only; Thanh Hóa sees none of An Giang's.
            let xa = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30292"))
            let ours = try await suggestions(app, xa, "q=Kh%C3%B3m%201")
            XCTAssertEqual(Set(ours.map(\.code)), [codes["30292 Khóm 1"]!, codes["30292 Khóm 10"]!])
            let th = try await app.token(for: try await app.makeUser("th", role: .provinceOfficer, scope: "38"))
            let theirs = try await suggestions(app, th, "q=khom%201")
            XCTAssertEqual(theirs.count, 0)

            // The pages' fields ask the same with the session, and the chosen code is taken.
            var browser = try await app.login("xa")
            try await app.page(.GET, "/units/suggest?q=khom%2010", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(try res.json(UnitSuggestions.self).items.map(\.code), [codes["30292 Khóm 10"]!])
            }
            try await app.page(.GET, "/people/new", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains(#"name="homeUnitCode""#))
                XCTAssertTrue(res.body.string.contains("data-units"), "the home field suggests units")
                XCTAssertFalse(res.body.string.contains(#"inputmode="numeric" autocomplete="off" data-units"#))
            }
        }
    }
}
