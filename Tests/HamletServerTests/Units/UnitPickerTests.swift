import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletWorkforce

/// Issue 22, point 3: units are typed by name (accents optional, inside the scope), with the
/// commune after a comma when names repeat; codes still work; the form is never pre-filled.
final class UnitPickerTests: XCTestCase {
    func testAUnitTypedByNameOrCode() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            var codes: [String: String] = [:]
            for commune in ["30292", "30313"] {
                try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: token, json: JSON(["name": "Ấp Hòa An", "type": "Ấp", "effectiveDate": "01/07/2025"])) {
                    codes[commune] = try $0.json(UnitDTO.self).code
                }
            }
            // Two "Ấp Hòa An": refused by the field, each named with the units above it.
            try await app.api(.POST, "/api/v1/people", token: token, json: PersonBody(fullName: "Lê Văn Một", homeUnitCode: "ap hoa an")) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "homeUnitCode")
                XCTAssertTrue(res.body.string.contains("Có 2 đơn vị tên «ap hoa an»"), res.body.string)
                XCTAssertTrue(res.body.string.contains("Phường Bình Đức"), res.body.string)
            }
            // The commune after a comma, without accents, picks one; the commune's own name and a code work too.
            let commune = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == "30292").first()!
            let short = commune.name.replacingOccurrences(of: "Phường ", with: "")
            let first = try await app.makePerson(token, PersonBody(fullName: "Lê Văn Một", homeUnitCode: "Ấp Hòa An, " + VietnameseTextFold.plain(short)))
            XCTAssertEqual(first.homeUnitCode, codes["30292"])
            let second = try await app.makePerson(token, PersonBody(fullName: "Lê Văn Hai", homeUnitCode: short))
            XCTAssertEqual(second.homeUnitCode, "30292")
            let third = try await app.makePerson(token, PersonBody(fullName: "Lê Văn Ba", homeUnitCode: codes["30313"]!))
            XCTAssertEqual(third.homeUnitCode, codes["30313"])
            // A name outside the scope is not found.
            let thanhHoa = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "38").sort(\.$code).first()!
            try await app.api(.POST, "/api/v1/people", token: token, json: PersonBody(fullName: "Lê Văn Bốn", homeUnitCode: thanhHoa.name)) {
                XCTAssertEqual($0.errorField, "homeUnitCode")
            }
            // A post's workplace by name, on the page; the new-person form starts empty.
            var browser = try await app.login("cv")
            try await app.page(.GET, "/people/new", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains(#"id="homeUnitCode" name="homeUnitCode" value="" required"#), res.body.string)
            }
            try await app.api(.POST, "/api/v1/people/\(first.id!)/assignments", token: token,
                              json: PostBody(unitCode: "Ấp Hòa An, " + short, domains: ["population"], positionTitle: "Cộng tác viên", employmentKind: "cong-tac-vien", startDate: "01/08/2025")) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            let post = try await Assignment.query(on: app.db).filter(\.$person.$id == first.id!).first()
            XCTAssertEqual(post?.unitCode, codes["30292"])
        }
    }
}

/// Accents off, as a phone keyboard without Vietnamese input types them.
enum VietnameseTextFold {
    static func plain(_ s: String) -> String {
        s.folding(options: [.diacriticInsensitive], locale: nil).replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
    }
}
