import XCTest
import XCTVapor
import Fluent
import SQLKit
@testable import HamletServer
@testable import HamletDatabase
@testable import HamletUnits
@testable import HamletWorkforce

/// What others keep computed from the posts (the plans' tallies) hangs on `person_id` and
/// `unit_code`, and on a unit's `code`: the triggers these tables' owners install note, whoever
/// writes, whose posts and which places changed.
final class AssignmentNotesTests: XCTestCase {
    func noted(_ app: Application, _ table: String, _ column: String) async throws -> Set<String> {
        let rows = try await (app.db as! any SQLDatabase).raw("SELECT \(unsafeRaw: column) AS v FROM \(unsafeRaw: table)").all()
        return Set(try rows.map { row in
            if let id = try? row.decode(column: "v", as: UUID.self) { return id.uuidString }
            return try row.decode(column: "v", as: String.self).uppercased()
        })
    }

    func clear(_ app: Application) async throws {
        for table in ["noted_people", "noted_places"] { try await (app.db as! any SQLDatabase).raw("DELETE FROM \(unsafeRaw: table)").run() }
    }

    func testChangedPostsAndUnitsAreNotedByPersonAndPlace() async throws {
        try await withApp { app in
            let sql = app.db as! any SQLDatabase
            let id = SQLText.isPostgres(app.db) ? "uuid" : "TEXT"
            try await sql.raw("CREATE TABLE noted_people (person_id \(unsafeRaw: id) PRIMARY KEY)").run()
            try await sql.raw("CREATE TABLE noted_places (unit_code TEXT PRIMARY KEY)").run()
            try await Assignment.notePeople(into: "noted_people", name: "test_people", on: app.db)
            try await Assignment.notePlaces(into: "noted_places", name: "test_places", on: app.db)
            try await AdminUnit.notePlaces(into: "noted_places", name: "test_places", on: app.db)

            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let lan = try await app.makePerson(token, PersonBody(fullName: "Võ Thị Lan", birthDate: "01/01/1985", homeUnitCode: "30292"))
            let minh = try await app.makePerson(token, PersonBody(fullName: "Trần Văn Minh", birthDate: "02/02/1980", homeUnitCode: "30292"))
            try await clear(app)

            // A post added: its person and its place.
            var postID = ""
            try await app.api(.POST, "/api/v1/people/\(lan.id!.uuidString)/assignments", token: token,
                              json: PostBody(unitCode: "30292", domains: ["population"], positionTitle: "Viên chức dân số",
                                             employmentKind: "vien-chuc", startDate: "01/01/2020")) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                postID = try res.json(AssignmentDTO.self).id!.uuidString
            }
            let people = try await noted(app, "noted_people", "person_id"), places = try await noted(app, "noted_places", "unit_code")
            XCTAssertEqual(people, [lan.id!.uuidString])
            XCTAssertEqual(places, ["30292"])
            try await clear(app)

            // Moved to another commune: the post ends and a new one starts; both places, one person.
            try await app.api(.POST, "/api/v1/assignments/\(postID)/transfer", token: token,
                              json: PostBody(unitCode: "30313", domains: ["population"], positionTitle: "Viên chức dân số",
                                             employmentKind: "vien-chuc", startDate: "01/07/2025")) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            let movedPeople = try await noted(app, "noted_people", "person_id"), movedPlaces = try await noted(app, "noted_places", "unit_code")
            XCTAssertEqual(movedPeople, [lan.id!.uuidString], "Minh's posts did not change")
            XCTAssertFalse(movedPeople.contains(minh.id!.uuidString))
            XCTAssertEqual(movedPlaces, ["30292", "30313"])
            try await clear(app)

            // A hamlet opened: its code, for the figures kept per place.
            try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: token, json: JSON(["name": "Khóm 9", "type": "Khóm"])) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            let hamlets = try await noted(app, "noted_places", "unit_code")
            XCTAssertEqual(hamlets.count, 1)
            XCTAssertTrue(hamlets.first?.hasPrefix("30292-") ?? false, "\(hamlets)")
            let nobody = try await noted(app, "noted_people", "person_id")
            XCTAssertEqual(nobody, [])
        }
    }
}
