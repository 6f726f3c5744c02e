import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletWorkforce
@testable import HamletTraining

/// Issue 22, point 3: the coverage page and the class forms take a unit by name (accents
/// optional, inside the account's scope) as well as by code; the misses name each hamlet's commune.
final class UnitNamedFormsTests: XCTestCase {
    func testCoverageAndClassesTakeAUnitByName() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: token, json: JSON(["name": "Ấp Hòa An", "type": "Ấp", "effectiveDate": "01/07/2025"])) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            var officer = try await app.login("cv")
            try await app.page(.GET, "/coverage?rule=hamlet-population-collaborator&unit=binh+duc", as: &officer) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let html = res.body.string
                XCTAssertTrue(res.page.headings(2).contains { $0.hasPrefix("Phường Bình Đức") }, html)
                XCTAssertTrue(res.page.texts("td").contains("Phường Bình Đức"), "the hamlet's commune beside it")
            }
            try await app.page(.GET, "/coverage?rule=hamlet-population-collaborator&unit=khong+co+noi+nay", as: &officer) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"id="unit" name="unit" value="khong co noi nay""#), "the typed text stays")
                XCTAssertTrue(res.body.string.contains(#"aria-invalid="true""#))
            }
            try await app.page(.GET, "/coverage?rule=hamlet-population-collaborator&unit=sai+gon", as: &officer) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, "Phường Sài Gòn is outside An Giang: not found there")
            }
            try await app.api(.GET, "/api/v1/coverage?rule=hamlet-population-collaborator&unit=Ph%C6%B0%E1%BB%9Dng%20B%C3%ACnh%20%C4%90%E1%BB%A9c", token: token) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(CoverageResult.self).unitCode, "30292")
            }
            let course = try await app.makeCourse(token, "Kỹ năng tư vấn", kind: "tap-huan")
            let org = try await app.makeAgency(token, "Sở Y tế An Giang")
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "binh duc", startDate: "15/12/2026", endDate: "20/12/2026"))
            try await app.api(.GET, "/api/v1/classes/\(klass)", token: token) { res in
                XCTAssertEqual(try res.json(ClassDTO.self).unitCode, "30292")
            }
        }
    }
}
