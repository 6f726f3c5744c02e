import XCTest
import XCTVapor
import Fluent
import SQLKit
@testable import HamletServer
@testable import HamletDatabase
@testable import HamletWorkforce
@testable import HamletTraining

/// What others keep computed from training (the plans' trained shares) hangs on a participation's
/// `person_id`, and on what a course or class says of it: the triggers Training installs note,
/// whoever writes, whose training changed.
final class TrainingNotesTests: XCTestCase {
    func noted(_ app: Application) async throws -> Set<UUID> {
        let rows = try await (app.db as! any SQLDatabase).raw("SELECT person_id AS v FROM noted_people").all()
        return Set(try rows.map { try $0.decode(column: "v", as: UUID.self) })
    }

    func testEnrolmentsAndEditedClassesAndCoursesAreNotedByPerson() async throws {
        try await withApp { app in
            let sql = app.db as! any SQLDatabase
            try await sql.raw("CREATE TABLE noted_people (person_id \(unsafeRaw: SQLText.isPostgres(app.db) ? "uuid" : "TEXT") PRIMARY KEY)").run()
            try await Participation.notePeople(into: "noted_people", name: "test_people", on: app.db)
            try await Course.noteParticipants(into: "noted_people", name: "test_people", on: app.db)
            try await TrainingClass.noteParticipants(into: "noted_people", name: "test_people", on: app.db)
            func clear() async throws { try await sql.raw("DELETE FROM noted_people").run() }

            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let people = try await app.seedPeople(3, unit: "30292")
            let course = try await app.makeCourse(token, "Kỹ năng tư vấn", kind: "tap-huan")
            let other = try await app.makeCourse(token, "Quản lý trường hợp", kind: "tap-huan")
            let organiser = try await app.makeAgency(token, "Sở Y tế An Giang")
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: organiser, unitCode: "91", startDate: "01/03/2025", endDate: "05/03/2025"))
            try await clear()

            // Two enrolled: those two.
            for person in people.prefix(2) {
                try await app.api(.POST, "/api/v1/classes/\(klass)/participants", token: token, json: TrainingAPI.EnrolInput(personId: person)) { res in
                    XCTAssertEqual(res.status, .created, res.body.string)
                }
            }
            let enrolled = try await noted(app)
            XCTAssertEqual(enrolled, Set(people.prefix(2)))
            try await clear()

            // The class's dates changed: everyone in it, nobody else.
            try await app.api(.PATCH, "/api/v1/classes/\(klass)", token: token,
                              json: ClassBody(courseId: course, organiserId: organiser, unitCode: "91", startDate: "01/03/2025", endDate: "06/03/2025")) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            let classEdited = try await noted(app)
            XCTAssertEqual(classEdited, Set(people.prefix(2)))
            try await clear()

            // Its course edited: everyone who took it; another course edited: nobody.
            try await app.api(.PATCH, "/api/v1/courses/\(other)", token: token, json: CourseInput(name: "Quản lý ca", kind: "tap-huan", domains: ["population"], hours: 16)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            let untouched = try await noted(app)
            XCTAssertEqual(untouched, [])
            try await app.api(.PATCH, "/api/v1/courses/\(course)", token: token, json: CourseInput(name: "Kỹ năng tư vấn cơ bản", kind: "tap-huan", domains: ["population"], hours: 16)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            let courseEdited = try await noted(app)
            XCTAssertEqual(courseEdited, Set(people.prefix(2)))
        }
    }
}
