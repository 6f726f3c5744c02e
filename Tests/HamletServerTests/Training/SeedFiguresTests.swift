import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletWorkforce
@testable import HamletTraining

/// The plans' own training figures, rebuilt from class records: the numbers a province would
/// otherwise copy from a spreadsheet come out of the register.
final class SeedFiguresTests: XCTestCase {
    /// One class: its learners are everyone of `count` seeded people in `commune`, all completing.
    func run(_ app: Application, _ token: String, course: UUID, organiser: UUID, commune: String, count: Int, kind: EmploymentKind = .congTacVien,
             start: String, end: String, spent: Int64, source: String = "local") async throws {
        _ = try await app.seedPeople(count, unit: commune, kind: kind)
        let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: organiser, unitCode: commune, startDate: start, endDate: end,
                                                             status: "finished", budget: [BudgetInput(source: source, planned: spent, spent: spent)]))
        try await app.api(.POST, "/api/v1/classes/\(klass)/participants/bulk", token: token, json: BulkEnrolInput(unitCode: commune)) { res in
            XCTAssertEqual(try res.json(TrainingAPI.BulkResult.self).enrolled, count)
        }
        try await app.completeAll(token, klass)
    }

    func testAnGiang2010To2020() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("ag", role: .provinceOfficer, scope: "91"))
            let communes = try await app.communes(of: "91", count: 13)
            let org = try await app.makeAgency(token, "Sở Lao động - Thương binh và Xã hội An Giang")
            let skills = try await app.makeCourse(token, "Tập huấn kỹ năng công tác xã hội", kind: "tap-huan", domains: ["social-work"])
            let officials = try await app.makeCourse(token, "Bồi dưỡng công chức cấp xã", kind: "boi-duong", domains: ["social-work", "children"])
            let bachelor = try await app.makeCourse(token, "Cử nhân công tác xã hội", kind: "dao-tao", level: "dai-hoc", domains: ["social-work"])
            // 577 people trained for 740 million đồng.
            try await run(app, token, course: skills, organiser: org, commune: communes[0], count: 300, start: "10/04/2012", end: "14/04/2012", spent: 400_000_000)
            try await run(app, token, course: skills, organiser: org, commune: communes[1], count: 277, start: "10/04/2018", end: "14/04/2018", spent: 340_000_000)
            // 3,850 commune officials refreshed for 900 million: ten yearly classes of 385.
            for (i, year) in (2011...2020).enumerated() {
                try await run(app, token, course: officials, organiser: org, commune: communes[2 + i], count: 385, kind: .congChuc,
                              start: "01/06/\(year)", end: "05/06/\(year)", spent: 90_000_000)
            }
            // 124 in a bachelor's programme for 700 million.
            try await run(app, token, course: bachelor, organiser: org, commune: communes[12], count: 124, start: "01/09/2016", end: "30/06/2020",
                          spent: 700_000_000, source: "central")

            let trained = try await app.years(token, "unit=91&from=2010&to=2020&courseKinds=tap-huan")
            XCTAssertEqual(trained.people, 577)
            XCTAssertEqual(trained.spent, 740_000_000)
            let refreshed = try await app.years(token, "unit=91&from=2010&to=2020&courseKinds=boi-duong")
            XCTAssertEqual(refreshed.people, 3_850)
            XCTAssertEqual(refreshed.spent, 900_000_000)
            XCTAssertEqual(refreshed.rows.map(\.people), Array(repeating: 385, count: 10))
            let degrees = try await app.years(token, "unit=91&from=2010&to=2020&courseKinds=dao-tao&minLevel=dai-hoc")
            XCTAssertEqual(degrees.people, 124)
            XCTAssertEqual(degrees.spent, 700_000_000)
            XCTAssertEqual(degrees.costPerTrainee, 700_000_000 / 124)
        }
    }

    func testLangSon2011To2015() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("ls", role: .provinceOfficer, scope: "20"))
            let communes = try await app.communes(of: "20", count: 10)
            let org = try await app.makeAgency(token, "Sở Lao động - Thương binh và Xã hội Lạng Sơn", unit: "20")
            let degree = try await app.makeCourse(token, "Đại học công tác xã hội", kind: "dao-tao", level: "dai-hoc", domains: ["social-work"])
            let skills = try await app.makeCourse(token, "Tập huấn kỹ năng", kind: "tap-huan", domains: ["social-work"])
            for (i, year) in (2011...2015).enumerated() {
                try await run(app, token, course: degree, organiser: org, commune: communes[i], count: 24,
                              start: "01/09/\(year - 4)", end: "30/06/\(year)", spent: 100_000_000)
                try await run(app, token, course: skills, organiser: org, commune: communes[5 + i], count: year == 2015 ? 68 : 70,
                              start: "01/05/\(year)", end: "03/05/\(year)", spent: 20_000_000)
            }
            let degrees = try await app.years(token, "unit=20&from=2011&to=2015&courseKinds=dao-tao,dao-tao-lai&minLevel=cao-dang")
            XCTAssertEqual(degrees.people, 120)
            XCTAssertEqual(degrees.rows.map(\.people), [24, 24, 24, 24, 24])
            let skilled = try await app.years(token, "unit=20&from=2011&to=2015&courseKinds=tap-huan")
            XCTAssertEqual(skilled.people, 348)
            XCTAssertEqual(skilled.rows.map(\.people), [70, 70, 70, 70, 68])
        }
    }
}
