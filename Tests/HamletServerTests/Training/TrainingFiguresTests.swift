import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletTraining

extension Application {
    func enrol(_ token: String, _ klass: UUID, _ people: [UUID]) async throws {
        for person in people {
            try await api(.POST, "/api/v1/classes/\(klass)/participants", token: token, json: TrainingAPI.EnrolInput(personId: person)) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
        }
    }

    func results(_ token: String, _ klass: UUID, _ results: [(UUID, String)]) async throws {
        try await api(.POST, "/api/v1/classes/\(klass)/results", token: token, json: results.map { ResultInput(personId: $0.0, result: $0.1) }) { res in
            XCTAssertEqual(res.status, .ok, res.body.string)
        }
    }

    /// Every enrolled learner of the class completes it.
    func completeAll(_ token: String, _ klass: UUID) async throws {
        var ids: [UUID] = []
        try await api(.GET, "/api/v1/classes/\(klass)/participants", token: token) { ids = try $0.json(ListBody<ParticipantDTO>.self).items.map(\.personId) }
        try await results(token, klass, ids.map { ($0, "completed") })
    }

    func share(_ token: String, _ query: String) async throws -> TrainedShare {
        var result: TrainedShare?
        try await api(.GET, "/api/v1/training/figures/share?" + query, token: token) { res in
            XCTAssertEqual(res.status, .ok, res.body.string)
            result = try res.json(TrainedShare.self)
        }
        return result!
    }

    func years(_ token: String, _ query: String) async throws -> TrainingYears {
        var result: TrainingYears?
        try await api(.GET, "/api/v1/training/figures/years?" + query, token: token) { res in
            XCTAssertEqual(res.status, .ok, res.body.string)
            result = try res.json(TrainingYears.self)
        }
        return result!
    }
}

/// The trained share and the yearly figures against hand-counted values.
final class TrainingFiguresTests: XCTestCase {
    func testTrainedShareByHand() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let skills = try await app.makeCourse(token, "Kỹ năng truyền thông", kind: "tap-huan")
            let refresher = try await app.makeCourse(token, "Bồi dưỡng nghiệp vụ dân số", kind: "boi-duong")
            let org = try await app.makeAgency(token, "Sở Y tế")
            func klass(_ course: UUID, _ start: String, _ end: String) async throws -> UUID {
                try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "91", startDate: start, endDate: end, status: "finished"))
            }
            let c1 = try await klass(skills, "01/05/2024", "05/05/2024"), c2 = try await klass(refresher, "05/03/2025", "10/03/2025")
            let c3 = try await klass(skills, "01/04/2025", "02/04/2025"), c4 = try await klass(skills, "25/08/2025", "01/09/2025")
            let p1 = try await app.seedPeople(1, unit: "30292", start: "2020-01-01", prefix: "Một")[0]
            let p2 = try await app.seedPeople(1, unit: "30292", domains: [.population, .family], start: "2020-01-01", prefix: "Hai")[0]
            let p3 = try await app.seedPeople(1, unit: "30292", start: "2020-01-01", end: "2025-01-31", prefix: "Ba")[0]
            let p4 = try await app.seedPeople(1, unit: "30292", start: "2020-01-01", prefix: "Bốn")[0]
            let p5 = try await app.seedPeople(1, unit: "30292", start: "2020-01-01", prefix: "Năm")[0]
            let p6 = try await app.seedPeople(1, unit: "30313", start: "2020-01-01", prefix: "Sáu")[0]
            let p7 = try await app.seedPeople(1, unit: "30313", start: "2020-01-01", prefix: "Bảy")[0]
            // p7 also serves in the first commune.
            try await app.api(.POST, "/api/v1/people/\(p7)/assignments", token: token,
                              json: PostBody(unitCode: "30292", domains: ["population"], positionTitle: "Cộng tác viên", employmentKind: "cong-tac-vien",
                                             startDate: "01/01/2021", concurrent: true)) { XCTAssertEqual($0.status, .created, $0.body.string) }
            try await app.enrol(token, c1, [p1, p2, p3, p6])
            try await app.results(token, c1, [(p1, "completed"), (p2, "completed"), (p3, "completed"), (p6, "not-completed")])
            try await app.enrol(token, c2, [p2, p7])
            try await app.completeAll(token, c2)
            try await app.enrol(token, c3, [p4])
            try await app.completeAll(token, c3)
            try await app.api(.PATCH, "/api/v1/classes/\(c3)", token: token, json: JSON(["status": "cancelled"])) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await app.enrol(token, c4, [p5])
            try await app.completeAll(token, c4)

            // 30/06/2025: active p1 p2 p4 p5 p6 p7 (p3 left); trained p1 p2 p7 (p4's class was cancelled, p5's ends later, p6 failed).
            var s = try await app.share(token, "unit=91&date=30/06/2025&domains=population")
            XCTAssertEqual([s.active, s.trained], [6, 3])
            XCTAssertEqual(s.percent, 50)
            XCTAssertEqual(s.children.map(\.code), ["30292", "30313"])
            XCTAssertEqual(s.children.map(\.active), [5, 2], "p7 serves in both communes")
            XCTAssertEqual(s.children.map(\.trained), [3, 1])
            s = try await app.share(token, "unit=91&date=31/12/2025&domains=population")
            XCTAssertEqual([s.active, s.trained], [6, 4])
            s = try await app.share(token, "unit=91&date=30/06/2025&domains=population&since=01/01/2025")
            XCTAssertEqual(s.trained, 2)
            s = try await app.share(token, "unit=91&date=30/06/2025&domains=population&courseKinds=boi-duong")
            XCTAssertEqual(s.trained, 2)
            s = try await app.share(token, "unit=91&date=30/06/2025&domains=family")
            XCTAssertEqual([s.active, s.trained], [1, 1], "p2 alone does family work")
            s = try await app.share(token, "unit=30292&date=30/06/2025")
            XCTAssertEqual([s.active, s.trained], [5, 3])
            s = try await app.share(token, "unit=91&date=01/01/2000")
            XCTAssertEqual([s.active, s.trained], [0, 0])
            XCTAssertEqual(s.percent, 0)
            try await app.api(.GET, "/api/v1/training/figures/share?domains=astronomy", token: token) { XCTAssertEqual($0.errorField, "domains") }
        }
    }

    func testYearlyFiguresByHand() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let skills = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
            let degree = try await app.makeCourse(token, "Cử nhân công tác xã hội", kind: "dao-tao", level: "dai-hoc", domains: ["social-work"])
            let org = try await app.makeAgency(token, "Sở Y tế")
            let people = try await app.seedPeople(6, unit: "30292", start: "2015-01-01")
            let c2023 = try await app.makeClass(token, ClassBody(courseId: skills, organiserId: org, unitCode: "30292", startDate: "01/03/2023", endDate: "03/03/2023",
                                                                 status: "finished", budget: [BudgetInput(source: "local", planned: 30_000_000, spent: 24_000_000)]))
            let c2024 = try await app.makeClass(token, ClassBody(courseId: skills, organiserId: org, unitCode: "30313", startDate: "01/03/2024", endDate: "03/03/2024",
                                                                 status: "finished", budget: [BudgetInput(source: "local", planned: 10_000_000, spent: 9_000_000),
                                                                                              BudgetInput(source: "central", planned: 5_000_000, spent: 3_000_000)]))
            let cDegree = try await app.makeClass(token, ClassBody(courseId: degree, organiserId: org, unitCode: "91", startDate: "01/09/2020", endDate: "30/06/2024",
                                                                   status: "finished", budget: [BudgetInput(source: "central", planned: 100_000_000, spent: 90_000_000)]))
            let cancelled = try await app.makeClass(token, ClassBody(courseId: skills, organiserId: org, unitCode: "30292", startDate: "01/05/2024", endDate: "02/05/2024",
                                                                     status: "cancelled", budget: [BudgetInput(source: "local", planned: 7_000_000, spent: 0)]))
            _ = cancelled
            try await app.enrol(token, c2023, Array(people[0..<4]))
            try await app.results(token, c2023, [(people[0], "completed"), (people[1], "completed"), (people[2], "completed"), (people[3], "absent")])
            try await app.enrol(token, c2024, [people[0], people[4]])
            try await app.completeAll(token, c2024)
            try await app.enrol(token, cDegree, [people[5]])
            try await app.completeAll(token, cDegree)

            let y = try await app.years(token, "unit=91&from=2023&to=2024")
            XCTAssertEqual(y.rows.map { "\($0.year) \($0.kind) \($0.level ?? "-") \($0.people) \($0.spent)" },
                           ["2023 tap-huan - 3 24000000", "2024 dao-tao dai-hoc 1 90000000", "2024 tap-huan - 2 12000000"])
            XCTAssertEqual(y.people, 5, "people[0] trained twice counts once over the period")
            XCTAssertEqual(y.completions, 6)
            XCTAssertEqual(y.classes, 3, "the cancelled class is left out")
            XCTAssertEqual(y.spent, 126_000_000)
            XCTAssertEqual(y.costPerTrainee, 126_000_000 / 5)
            XCTAssertEqual(Set(y.children.map(\.code)), ["91", "30292", "30313"], "the degree class sits at the province itself")
            let byCode = Dictionary(uniqueKeysWithValues: y.children.map { ($0.code, $0) })
            XCTAssertEqual(byCode["30292"]?.people, 3)
            XCTAssertEqual(byCode["30313"]?.spent, 12_000_000)
            let degrees = try await app.years(token, "unit=91&from=2020&to=2026&courseKinds=dao-tao&minLevel=dai-hoc")
            XCTAssertEqual([degrees.people, Int(degrees.spent)], [1, 90_000_000])
            try await app.api(.GET, "/api/v1/training/figures/years?from=2025&to=2020", token: token) { XCTAssertEqual($0.errorField, "to") }
        }
    }
}
