import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletWorkforce

final class TurnoverTests: XCTestCase {
    func testTurnoverAgainstHandCount() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            func person(_ name: String) async throws -> PersonDTO { try await app.makePerson(token, PersonBody(fullName: name, homeUnitCode: "30292")) }
            func post(_ p: PersonDTO, _ unit: String, _ domain: String, from: String, to: String? = nil) async throws -> String {
                var id = ""
                try await app.api(.POST, "/api/v1/people/\(p.id!)/assignments", token: token,
                                  json: PostBody(unitCode: unit, domains: [domain], positionTitle: "Công chức", employmentKind: "cong-chuc", startDate: from, endDate: to)) {
                    XCTAssertEqual($0.status, .created, $0.body.string)
                    id = try $0.json(AssignmentDTO.self).id!.uuidString
                }
                return id
            }
            let a = try await person("Phan Văn An"), b = try await person("Phan Thị Bình"), c = try await person("Phan Văn Cường")
            let aPost = try await post(a, "30292", "social-work", from: "01/03/2022")
            try await app.api(.POST, "/api/v1/assignments/\(aPost)/end", token: token, json: JSON(["endDate": "31/05/2024", "endReason": "resigned"])) { _ in }
            _ = try await post(b, "30292", "social-work", from: "01/01/2023")
            _ = try await post(b, "30292", "children", from: "01/06/2023")
            let cPost = try await post(c, "30313", "social-work", from: "01/01/2021")
            try await app.api(.POST, "/api/v1/assignments/\(cPost)/transfer", token: token,
                              json: PostBody(unitCode: "30292", domains: ["social-work"], positionTitle: "Công chức", employmentKind: "cong-chuc", startDate: "01/01/2024")) {
                XCTAssertEqual($0.status, .created)
            }
            try await app.api(.GET, "/api/v1/turnover?unit=91&from=2022&to=2024", token: token) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let r = try res.json(TurnoverQuery.Result.self)
                // In people: A joins in 2022, B in 2023 (two posts, one person), A leaves in 2024; C's
                // move from 30313 to 30292 is neither in the province's total.
                XCTAssertEqual(r.years.map(\.opening), [1, 2, 3])
                XCTAssertEqual(r.years.map(\.joined), [1, 1, 0])
                XCTAssertEqual(r.years.map(\.left), [0, 0, 1])
                XCTAssertEqual(r.years.map(\.closing), [2, 3, 2])
                XCTAssertEqual(r.years.map(\.rate), [0, 0, 40.0])
                let byCode = Dictionary(uniqueKeysWithValues: r.children.map { ($0.code, $0.years) })
                XCTAssertEqual(byCode["30292"]?.map(\.joined), [1, 1, 1], "C joins 30292 in 2024")
                XCTAssertEqual(byCode["30292"]?.map(\.left), [0, 0, 1])
                XCTAssertEqual(byCode["30292"]?.map(\.rate), [0, 0, 50.0])
                XCTAssertEqual(byCode["30313"]?.map(\.left), [0, 0, 1], "C leaves 30313 in 2024")
                for years in [r.years] + r.children.map(\.years) {
                    for (y, next) in zip(years, years.dropFirst()) {
                        XCTAssertEqual(y.opening + y.joined - y.left, y.closing, "\(y.year)")
                        XCTAssertEqual(next.opening, y.closing, "\(next.year) opens where \(y.year) closed")
                    }
                }
            }
            try await app.api(.GET, "/api/v1/turnover?unit=91&from=2022&to=2024&domains=children", token: token) { res in
                XCTAssertEqual(try res.json(TurnoverQuery.Result.self).years.map(\.joined), [0, 1, 0])
            }
            try await app.api(.GET, "/api/v1/turnover?unit=91&from=2025&to=2022", token: token) { XCTAssertEqual($0.errorField, "from") }
            var browser = try await app.login("cv")
            try await app.page(.GET, "/turnover?unit=91&from=2022&to=2024", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertContains(res.body.string, "3 +0 −1 = <strong>2</strong><br><small>40,0%</small>")
            }
        }
    }
}
