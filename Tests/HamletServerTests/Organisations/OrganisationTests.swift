import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletOrganisations

final class OrganisationTests: XCTestCase {
    func testCreateListFilterAndValidate() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let bad: [([String: String], String)] = [
                (["name": "", "typeCode": "tt-ctxh", "unitCode": "91"], "name"),
                (["name": "Trung tâm", "typeCode": "khong-co", "unitCode": "91"], "typeCode"),
                (["name": "Trung tâm", "typeCode": "tt-ctxh", "unitCode": "01"], "unitCode"),
                (["name": "Trung tâm", "typeCode": "tt-ctxh", "unitCode": "91", "validFrom": "01/07/2025", "validTo": "01/01/2025"], "validTo"),
                (["name": "Trung tâm", "typeCode": "tt-ctxh", "unitCode": "91", "validFrom": "32/13/2025"], "validFrom"),
            ]
            for (body, field) in bad {
                try await app.api(.POST, "/api/v1/facilities", token: token, json: JSON(body)) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, "\(body)")
                    XCTAssertEqual(res.errorField, field)
                }
            }
            let none = try await Organisation.query(on: app.db).count()
            XCTAssertEqual(none, 0)
            struct Body: Content { var name: String; var typeCode: String; var unitCode: String; var providesSocialWork: Bool; var validFrom: String }
            var id = ""
            try await app.api(.POST, "/api/v1/facilities", token: token,
                              json: Body(name: "Trung tâm Công tác xã hội tỉnh", typeCode: "tt-ctxh", unitCode: "91", providesSocialWork: true, validFrom: "01/07/2025")) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let org = try res.json(OrganisationDTO.self)
                XCTAssertEqual(org.validFrom, "2025-07-01")
                XCTAssertTrue(org.providesSocialWork)
                XCTAssertEqual(org.unitName, "Tỉnh An Giang")
                id = org.id!.uuidString
            }
            try await app.api(.POST, "/api/v1/facilities", token: token,
                              json: Body(name: "Trường THCS Bình Đức", typeCode: "truong-hoc", unitCode: "30292", providesSocialWork: false, validFrom: "")) { res in
                XCTAssertEqual(res.status, .created)
            }
            try await app.api(.GET, "/api/v1/facilities?q=cong%20tac%20xa%20hoi", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<OrganisationDTO>.self).items.map(\.name), ["Trung tâm Công tác xã hội tỉnh"])
            }
            try await app.api(.GET, "/api/v1/facilities?unit=30292", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<OrganisationDTO>.self).total, 1)
            }
            try await app.api(.GET, "/api/v1/facilities?providesSocialWork=true", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<OrganisationDTO>.self).total, 1)
            }
            try await app.api(.PATCH, "/api/v1/facilities/\(id)", token: token, json: JSON(["validTo": "30/06/2026"])) { res in
                XCTAssertEqual(try res.json(OrganisationDTO.self).validTo, "2026-06-30")
            }
            try await app.api(.GET, "/api/v1/facilities?activeOn=2026-07-01", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<OrganisationDTO>.self).items.map(\.name), ["Trường THCS Bình Đức"])
            }
            // The agency catalogue is separate: a facility type is not an agency type.
            try await app.api(.POST, "/api/v1/agencies", token: token, json: JSON(["name": "X", "typeCode": "tt-ctxh", "unitCode": "91"])) { res in
                XCTAssertEqual(res.errorField, "typeCode")
            }
        }
    }

    func testTypeCatalogueIsEditableData() async throws {
        try await withApp { app in
            let officer = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let commune = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30292"))
            try await app.api(.POST, "/api/v1/agency-types", token: commune, json: JSON(["code": "so-y-te-moi", "name": "Sở Y tế (mới)"])) {
                XCTAssertEqual($0.status, .forbidden)
            }
            try await app.api(.POST, "/api/v1/agency-types", token: officer, json: JSON(["code": "Sở", "name": "x"])) {
                XCTAssertEqual($0.errorField, "code")
            }
            var id = ""
            try await app.api(.POST, "/api/v1/agency-types", token: officer, json: JSON(["code": "so-nnptnt", "name": "Sở Nông nghiệp và Phát triển nông thôn", "validTo": "28/02/2025"])) { res in
                XCTAssertEqual(res.status, .created)
                id = try res.json(OrganisationTypeDTO.self).id!.uuidString
            }
            // An ended type is kept but cannot be chosen for a new agency.
            try await app.api(.POST, "/api/v1/agencies", token: officer, json: JSON(["name": "Sở NN&PTNT", "typeCode": "so-nnptnt", "unitCode": "91"])) {
                XCTAssertEqual($0.errorField, "typeCode")
            }
            try await app.api(.PATCH, "/api/v1/agency-types/\(id)", token: officer, json: JSON(["name": "Sở NN&PTNT (đã giải thể)"])) { res in
                XCTAssertEqual(try res.json(OrganisationTypeDTO.self).name, "Sở NN&PTNT (đã giải thể)")
            }
            try await app.api(.GET, "/api/v1/agency-types", token: commune) { res in
                XCTAssertTrue(try res.json(ListBody<OrganisationTypeDTO>.self).items.contains { $0.code == "so-nnptnt" })
            }
        }
    }

    func testPagesListAndEdit() async throws {
        try await withApp { app in
            try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            var browser = try await app.login("cv")
            try await app.page(.POST, "/facilities", as: &browser, form: ["name": "Cơ sở Bảo trợ", "typeCode": "co-so-trgxh", "unitCode": "01"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertContains(res.body.string, #"data-field="unitCode""#)
            }
            try await app.page(.POST, "/facilities", as: &browser, form: ["name": "Cơ sở Bảo trợ xã hội", "typeCode": "co-so-trgxh", "unitCode": "91", "providesSocialWork": "on"]) { res in
                XCTAssertEqual(res.status, .seeOther)
            }
            try await app.page(.GET, "/facilities", as: &browser) { res in
                XCTAssertContains(res.body.string, "Cơ sở Bảo trợ xã hội")
            }
            let org = try await Organisation.query(on: app.db).first()!
            XCTAssertTrue(org.providesSocialWork)
            try await app.page(.POST, "/facilities/\(org.requireID())", as: &browser, form: ["name": "Cơ sở Bảo trợ xã hội tỉnh", "typeCode": "co-so-trgxh", "unitCode": "91"]) { res in
                XCTAssertEqual(res.status, .seeOther)
            }
            let updated = try await Organisation.find(org.id, on: app.db)!
            XCTAssertEqual(updated.name, "Cơ sở Bảo trợ xã hội tỉnh")
            XCTAssertFalse(updated.providesSocialWork, "an unticked box is false")
            try await app.page(.GET, "/catalogues", as: &browser) { res in
                XCTAssertContains(res.body.string, "Trung tâm công tác xã hội")
            }
            let type = try await OrganisationType.query(on: app.db).filter(\.$code == "phong-ctxh").first()!
            try await app.page(.POST, "/catalogues/facility/\(type.requireID())", as: &browser, form: ["name": "Phòng CTXH", "validTo": "31/12/2025"]) { res in
                XCTAssertEqual(res.status, .seeOther)
            }
            try await app.page(.POST, "/catalogues/facility", as: &browser, form: ["code": "", "name": "X"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertContains(res.body.string, #"data-field="code""#)
            }
            let edited = try await OrganisationType.find(type.id, on: app.db)!
            XCTAssertEqual(edited.name, "Phòng CTXH")
            XCTAssertEqual(edited.validTo, "2025-12-31")
        }
    }
}
