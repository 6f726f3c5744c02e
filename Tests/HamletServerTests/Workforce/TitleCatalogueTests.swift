import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletOrganisations
@testable import HamletWorkforce

final class TitleCatalogueTests: XCTestCase {
    func testTitlesAreEditableDataUsedByPeople() async throws {
        try await withApp { app in
            let officer = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let commune = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30292"))
            try await app.api(.GET, "/api/v1/professional-titles", token: commune) { res in
                XCTAssertEqual(try res.json(ListBody<PeopleAPI.TitleDTO>.self).items.map(\.code), ["V.09.04.01", "V.09.04.02", "V.09.04.03"])
            }
            try await app.api(.POST, "/api/v1/professional-titles", token: commune, json: JSON(["code": "V.99", "name": "X"])) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.POST, "/api/v1/professional-titles", token: officer, json: JSON(["code": "có dấu", "name": "X"])) { XCTAssertEqual($0.errorField, "code") }
            try await app.api(.POST, "/api/v1/professional-titles", token: officer, json: JSON(["code": "v.09.04.04", "name": "Nhân viên công tác xã hội (thử)"])) {
                XCTAssertEqual($0.status, .created)
                XCTAssertEqual(try $0.json(PeopleAPI.TitleDTO.self).code, "V.09.04.04")
            }
            try await app.api(.PATCH, "/api/v1/professional-titles/V.09.04.04", token: officer, json: JSON(["validTo": "31/12/2026"])) {
                XCTAssertEqual(try $0.json(PeopleAPI.TitleDTO.self).validTo, "2026-12-31")
            }
            var person: PersonDTO?
            struct WithTitle: Content { var fullName: String; var homeUnitCode: String; var titleCode: String }
            try await app.api(.POST, "/api/v1/people", token: officer, json: WithTitle(fullName: "Hà Thị Chức", homeUnitCode: "30292", titleCode: "V.09.04.04")) {
                XCTAssertEqual($0.status, .created)
                person = try $0.json(PersonDTO.self)
            }
            XCTAssertEqual(person?.titleCode, "V.09.04.04")
            try await app.api(.POST, "/api/v1/people", token: officer, json: WithTitle(fullName: "Hà Thị Sai", homeUnitCode: "30292", titleCode: "V.00")) {
                XCTAssertEqual($0.errorField, "titleCode")
            }
            var browser = try await app.login("cv")
            try await app.page(.POST, "/catalogues/titles/V.09.04.04/edit", as: &browser, form: ["name": "Nhân viên CTXH (thử nghiệm)"]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.GET, "/catalogues", as: &browser) { XCTAssertContains($0.body.string, "Nhân viên CTXH (thử nghiệm)") }
        }
    }

    func testPostAtAnOrganisationFromTheForm() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            var station = ""
            try await app.api(.POST, "/api/v1/agencies", token: token, json: JSON(["name": "Trạm Y tế phường Bình Đức", "typeCode": "tram-y-te", "unitCode": "30292"])) {
                station = try $0.json(OrganisationDTO.self).id!.uuidString
            }
            let person = try await app.makePerson(token, PersonBody(fullName: "Tôn Thị Trạm", homeUnitCode: "30292"))
            var browser = try await app.login("cv")
            try await app.page(.GET, "/people/\(person.id!)", as: &browser) { XCTAssertContains($0.body.string, "Trạm Y tế phường Bình Đức") }
            try await app.page(.POST, "/people/\(person.id!)/assignments", as: &browser,
                               form: ["organisationId": station, "domains[]": "population", "positionTitle": "Viên chức dân số", "employmentKind": "vien-chuc", "startDate": "01/03/2025"]) {
                XCTAssertEqual($0.status, .seeOther, $0.body.string)
            }
            let post = try await Assignment.query(on: app.db).first()
            XCTAssertEqual(post?.$organisation.id?.uuidString, station)
            XCTAssertEqual(post?.unitCode, "30292")
        }
    }
}
