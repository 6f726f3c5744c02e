import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletOrganisations
@testable import HamletWorkforce
@testable import HamletTraining

struct ClassBody: Content {
    var courseId: UUID?
    var organiserId: UUID?
    var unitCode: String
    var startDate: String
    var endDate: String
    var status: String?
    var capacity: Int?
    var budget: [BudgetInput]?
}

extension Application {
    func makeCourse(_ token: String, _ name: String, kind: String, level: String? = nil, domains: [String] = ["population"]) async throws -> UUID {
        var id: UUID?
        try await api(.POST, "/api/v1/courses", token: token, json: CourseInput(name: name, kind: kind, level: level, domains: domains, hours: 24)) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            id = try res.json(CourseDTO.self).id
        }
        return id!
    }

    func makeAgency(_ token: String, _ name: String, unit: String = "91") async throws -> UUID {
        var id: UUID?
        try await api(.POST, "/api/v1/agencies", token: token, json: JSON(["name": name, "typeCode": "so-y-te", "unitCode": unit])) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            id = try res.json(OrganisationDTO.self).id
        }
        return id!
    }

    func makeClass(_ token: String, _ body: ClassBody) async throws -> UUID {
        var id: UUID?
        try await api(.POST, "/api/v1/classes", token: token, json: body) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            id = try res.json(ClassDTO.self).id
        }
        return id!
    }

    /// Many people with one open post each, straight into the tables (fixtures for the figures).
    func seedPeople(_ count: Int, unit: String, kind: EmploymentKind = .congTacVien, domains: [WorkDomain] = [.population],
                    start: String = "2005-01-01", end: String? = nil, prefix: String = "Học Viên") async throws -> [UUID] {
        guard let place = try await AdminUnit.query(on: db).filter(\.$structure == "2025").filter(\.$code == unit).first() else { XCTFail("no unit \(unit)"); return [] }
        var people: [Person] = [], posts: [Assignment] = []
        let letters = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Lan", "Minh", "Nga"]
        for n in 0..<count {
            let p = Person()
            p.id = UUID()
            p.setName("\(prefix) \(letters[n % 10]) \(letters[(n / 10) % 10]) \(letters[(n / 100) % 10])")
            p.homeUnitCode = place.code; p.homeUnitPath = place.path
            p.qualificationLevel = .none; p.qualifiedInSocialWork = false
            people.append(p)
            let a = Assignment()
            a.id = UUID(); a.$person.id = p.id!; a.unitCode = place.code; a.unitPath = place.path
            a.socialWork = domains.contains(.socialWork); a.family = domains.contains(.family)
            a.population = domains.contains(.population); a.children = domains.contains(.children)
            a.positionTitle = "Cộng tác viên"; a.employmentKind = kind; a.fullTime = false; a.concurrent = false
            a.startDate = start; a.endDate = end; a.endReason = end == nil ? nil : .resigned
            posts.append(a)
        }
        for chunk in people.chunks(of: 500) { try await Array(chunk).create(on: db) }
        for chunk in posts.chunks(of: 500) { try await Array(chunk).create(on: db) }
        return people.compactMap(\.id)
    }

    /// People who now live in another unit than the one they were seeded in (their posts stay).
    func movedHome(_ people: [UUID], to unit: String) async throws {
        let place = try await AdminUnit.query(on: db).filter(\.$structure == "2025").filter(\.$code == unit).first()!
        for p in try await Person.query(on: db).filter(\.$id ~~ people).all() {
            p.homeUnitCode = place.code; p.homeUnitPath = place.path
            try await p.save(on: db)
        }
    }

    /// A post the person held in a unit once, now ended.
    func endedPost(_ person: UUID, at unit: String, from start: String, to end: String) async throws {
        let place = try await AdminUnit.query(on: db).filter(\.$structure == "2025").filter(\.$code == unit).first()!
        let post = try await Assignment.query(on: db).filter(\.$person.$id == person).first()!
        let old = Assignment()
        old.$person.id = person; old.unitCode = place.code; old.unitPath = place.path
        old.socialWork = post.socialWork; old.family = post.family; old.population = post.population; old.children = post.children
        old.positionTitle = post.positionTitle; old.employmentKind = post.employmentKind; old.fullTime = false; old.concurrent = false
        old.startDate = start; old.endDate = end; old.endReason = .resigned
        try await old.create(on: db)
    }

    func communes(of province: String, count: Int) async throws -> [String] {
        try await AdminUnit.query(on: db).filter(\.$structure == "2025").filter(\.$parentCode == province).sort(\.$code).limit(count).all().map(\.code)
    }
}
