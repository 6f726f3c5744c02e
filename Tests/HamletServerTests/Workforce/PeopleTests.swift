import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletWorkforce

struct PersonBody: Content {
    var fullName: String
    var birthDate: String?
    var cccd: String?
    var phone: String?
    var homeUnitCode: String
    var sex: String?
    var qualificationLevel: String?
    var confirmDuplicate: Bool?
}

struct PostBody: Content {
    var unitCode: String
    var domains: [String]
    var positionTitle: String
    var employmentKind: String
    var startDate: String
    var endDate: String?
    var allowanceMultiple: Double?
    var allowanceAmount: Int?
    var concurrent: Bool?
}

extension Application {
    func makePerson(_ token: String, _ body: PersonBody) async throws -> PersonDTO {
        var person: PersonDTO?
        try await api(.POST, "/api/v1/people", token: token, json: body) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            person = try res.json(PersonDTO.self)
        }
        return person!
    }
}

/// The register: who a person is, checked and stored once; found by name without accents, by
/// CCCD or by phone; listed in the official order.
final class PeopleTests: XCTestCase {
    func testBadInputIsRefusedByFieldAndNothingStored() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let cases: [(PersonBody, String)] = [
                (PersonBody(fullName: "Hoa", homeUnitCode: "30292"), "fullName"),
                (PersonBody(fullName: "Nguyễn Thị Hoa", cccd: "12345678901", homeUnitCode: "30292"), "cccd"),
                (PersonBody(fullName: "Nguyễn Thị Hoa", phone: "12345", homeUnitCode: "30292"), "phone"),
                (PersonBody(fullName: "Nguyễn Thị Hoa", birthDate: "01/01/2099", homeUnitCode: "30292"), "birthDate"),
                (PersonBody(fullName: "Nguyễn Thị Hoa", birthDate: "30/02/1990", homeUnitCode: "30292"), "birthDate"),
                (PersonBody(fullName: "Nguyễn Thị Hoa", homeUnitCode: "00004"), "homeUnitCode"),
                (PersonBody(fullName: "Nguyễn Thị Hoa", homeUnitCode: "30292", sex: "x"), "sex"),
                (PersonBody(fullName: "Nguyễn Thị Hoa", homeUnitCode: "30292", qualificationLevel: "giao-su"), "qualificationLevel"),
            ]
            for (body, field) in cases {
                try await app.api(.POST, "/api/v1/people", token: token, json: body) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, "\(body)")
                    XCTAssertEqual(res.errorField, field)
                }
            }
            let stored = try await Person.query(on: app.db).count()
            XCTAssertEqual(stored, 0)
        }
    }

    func testDuplicatesAreFlaggedBeforeSaving() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: token, json: JSON(["name": "Khóm 1", "type": "Khóm"])) { _ in }
            let first = try await app.makePerson(token, PersonBody(fullName: "Nguyễn Thị Hoa", birthDate: "02/03/1990", cccd: "089190000123",
                                                                   phone: "+84 912 345 678", homeUnitCode: "30292-001"))
            XCTAssertEqual(first.phone, "0912345678")
            XCTAssertEqual(first.birthDate, "1990-03-02")
            try await app.api(.POST, "/api/v1/people", token: token,
                              json: PersonBody(fullName: "Trần Văn Nam", cccd: "089190000123", homeUnitCode: "30313")) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "cccd")
            }
            // Same name (typed without accents), birth date and commune: shown, not stored, until confirmed.
            let twin = PersonBody(fullName: "nguyen thi hoa", birthDate: "1990-03-02", homeUnitCode: "30292")
            try await app.api(.POST, "/api/v1/people", token: token, json: twin) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertEqual(try res.content.decode(ErrorBody.self).error.code, "possible_duplicate")
                XCTAssertContains(res.errorMessage ?? "", "Nguyễn Thị Hoa")
            }
            var confirmed = twin
            confirmed.fullName = "Nguyễn Thị Hoa"
            confirmed.confirmDuplicate = true
            _ = try await app.makePerson(token, confirmed)
            let count = try await Person.query(on: app.db).count()
            XCTAssertEqual(count, 2)
        }
    }

    func testSearchByNameCCCDPhoneInOfficialOrder() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            for (name, cccd, phone) in [("Lê Thị Hòa", "089190000001", "0911000001"), ("Nguyễn Văn An", "089190000002", "0911000002"),
                                        ("Trần Thị Ánh", "089190000003", "0911000003"), ("Phạm Văn Anh", "089190000004", "0911000004"),
                                        ("Đỗ Thị Hoa", "089190000005", "0911000005")] {
                _ = try await app.makePerson(token, PersonBody(fullName: name.decomposedStringWithCanonicalMapping, cccd: cccd, phone: phone, homeUnitCode: "30292"))
            }
            try await app.api(.GET, "/api/v1/people", token: token) { res in
                let names = try res.json(ListBody<PersonDTO>.self).items.map(\.fullName)
                XCTAssertEqual(names, ["Nguyễn Văn An", "Phạm Văn Anh", "Trần Thị Ánh", "Đỗ Thị Hoa", "Lê Thị Hòa"])
            }
            try await app.api(.GET, "/api/v1/people?q=hoa", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).items.map(\.fullName), ["Đỗ Thị Hoa", "Lê Thị Hòa"])
            }
            try await app.api(.GET, "/api/v1/people?q=do%20thi", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).items.map(\.fullName), ["Đỗ Thị Hoa"])
            }
            try await app.api(.GET, "/api/v1/people?q=089190000003", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).items.map(\.fullName), ["Trần Thị Ánh"])
            }
            try await app.api(.GET, "/api/v1/people?q=%2B84911000004", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).items.map(\.fullName), ["Phạm Văn Anh"])
            }
            try await app.api(.GET, "/api/v1/people?per=2&page=2", token: token) { res in
                let body = try res.json(ListBody<PersonDTO>.self)
                XCTAssertEqual(body.total, 5)
                XCTAssertEqual(body.items.map(\.fullName), ["Trần Thị Ánh", "Đỗ Thị Hoa"])
            }
            let stored = try await Person.query(on: app.db).all()
            XCTAssertTrue(stored.allSatisfy { $0.fullName == $0.fullName.precomposedStringWithCanonicalMapping }, "stored NFC")
        }
    }

    /// Words are matched by their beginnings in any order; a renamed person is found by the new
    /// name only.
    func testNameSearchMatchesWordBeginningsAndFollowsRenames() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let hoa = try await app.makePerson(token, PersonBody(fullName: "Nguyễn Thị Hoa", homeUnitCode: "30292"))
            _ = try await app.makePerson(token, PersonBody(fullName: "Nguyễn Văn Hòa Bình", homeUnitCode: "30292"))
            _ = try await app.makePerson(token, PersonBody(fullName: "Trần Thị Thoa", homeUnitCode: "30292"))
            func names(_ q: String) async throws -> [String] {
                var found: [String] = []
                let query = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q
                try await app.api(.GET, "/api/v1/people?q=\(query)", token: token) { res in
                    found = try res.json(ListBody<PersonDTO>.self).items.map(\.fullName)
                }
                return found
            }
            let all = try await names("hoa")
            XCTAssertEqual(all, ["Nguyễn Văn Hòa Bình", "Nguyễn Thị Hoa"], "“hoa” starts a word in both, not in Thoa")
            let found = try await names("hoa ngu")
            XCTAssertEqual(found, ["Nguyễn Văn Hòa Bình", "Nguyễn Thị Hoa"])
            let one = try await names("NGUYỄN thị h")
            XCTAssertEqual(one, ["Nguyễn Thị Hoa"])
            let none = try await names("oa")
            XCTAssertEqual(none, [])
            try await app.api(.PATCH, "/api/v1/people/\(hoa.id!)", token: token, json: ["fullName": "Lê Thị Mai"]) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            let old = try await names("nguyen thi")
            XCTAssertEqual(old, [])
            let new = try await names("mai le")
            XCTAssertEqual(new, ["Lê Thị Mai"])
        }
    }
}
