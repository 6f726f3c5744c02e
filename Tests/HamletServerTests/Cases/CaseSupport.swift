import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletOrganisations
@testable import HamletCases

/// A social-work centre of An Giang with its staff, a second facility, and officers around it.
struct CaseScene {
    var centre: UUID
    var other: UUID
    var tokens: [String: String]
    var commune: AdminUnit

    func token(_ name: String) -> String { tokens[name]! }
}

extension Application {
    func makeFacility(_ token: String, _ name: String, type: String = "tt-ctxh", unit: String = "91") async throws -> UUID {
        var id: UUID?
        try await api(.POST, "/api/v1/facilities", token: token, json: FacilityBody(name: name, typeCode: type, unitCode: unit, providesSocialWork: true)) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            id = try res.json(OrganisationDTO.self).id
        }
        return id!
    }

    func addStaff(_ token: String, _ facility: UUID, _ username: String, _ duty: String) async throws {
        try await api(.POST, "/api/v1/facilities/\(facility)/staff", token: token, json: StaffInput(username: username, duty: duty, reason: "Phân công công tác tại cơ sở")) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
        }
    }

    /// cv: provincial officer; qt: the province's administrator (who staffs facilities); ql: the centre's manager; nv1, nv2: caseworkers; gs: supervisor;
    /// xa: officer of the commune the people live in; khac: manager of another facility.
    func makeCaseScene() async throws -> CaseScene {
        let commune = try await communes()[0]
        var tokens: [String: String] = [:]
        tokens["cv"] = try await token(for: try await makeUser("cv", role: .provinceOfficer, scope: "91"))
        tokens["qt"] = try await token(for: try await makeUser("qt", role: .admin, scope: "91"))
        tokens["xa"] = try await token(for: try await makeUser("xa", role: .communeOfficer, scope: commune.code))
        for name in ["ql", "nv1", "nv2", "gs", "khac"] { tokens[name] = try await token(for: try await makeUser(name, role: .caseworker, scope: "91")) }
        let centre = try await makeFacility(tokens["cv"]!, "Trung tâm Công tác xã hội tỉnh An Giang")
        let other = try await makeFacility(tokens["cv"]!, "Cơ sở Bảo trợ xã hội Long Xuyên", type: "co-so-trgxh", unit: commune.code)
        for (name, duty) in [("ql", "manager"), ("nv1", "caseworker"), ("nv2", "caseworker"), ("gs", "supervisor")] {
            try await addStaff(tokens["qt"]!, centre, name, duty)
        }
        try await addStaff(tokens["qt"]!, other, "khac", "manager")
        return CaseScene(centre: centre, other: other, tokens: tokens, commune: commune)
    }

    func registerPerson(_ token: String, _ input: ServedPersonInput) async throws -> UUID {
        var id: UUID?
        try await api(.POST, "/api/v1/served-people", token: token, json: input) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            id = try res.json(PersonRecord.self).person.id
        }
        return id!
    }

    func openCase(_ token: String, _ input: CaseInput) async throws -> CaseDetail {
        var detail: CaseDetail?
        try await api(.POST, "/api/v1/cases", token: token, json: input) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            detail = try res.json(CaseDetail.self)
        }
        return detail!
    }

    func consent(_ token: String, _ person: UUID, _ input: ConsentInput) async throws {
        try await api(.POST, "/api/v1/served-people/\(person)/consents", token: token, json: input) { res in XCTAssertEqual(res.status, .created, res.body.string) }
    }

    /// An adult with a case at the centre, worked by nv1 under gs, consent given.
    func makeCase(_ scene: CaseScene, name: String = "Nguyễn Thị Lan", born: String = "12/05/1980", opened: String = "02/03/2026") async throws -> CaseDetail {
        let person = try await registerPerson(scene.token("nv1"), ServedPersonInput(fullName: name, birthDate: born, sex: "female", unitCode: scene.commune.code,
                                                                                     categories: ["ho-ngheo"], facilityId: scene.centre))
        try await consent(scene.token("nv1"), person, ConsentInput(givenOn: opened, givenBy: name, relation: "self", scope: ["basic", "sensitive", "share"]))
        var gs: UUID?
        try await api(.GET, "/api/v1/facilities/\(scene.centre)/staff", token: scene.token("cv")) { res in gs = try res.json([StaffRow].self).first { $0.username == "gs" }?.userId }
        return try await openCase(scene.token("nv1"), CaseInput(personId: person, facilityId: scene.centre, supervisorId: gs, openedOn: opened, source: "community",
                                                                summary: "Phụ nữ đơn thân, con nhỏ, mất việc."))
    }
}
