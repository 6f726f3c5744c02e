import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletTraining
@testable import HamletReporting

/// Issue 21, point 8: a course states its sessions, score scale and minimum attendance, and a
/// result that breaks them is refused (every problem of every learner at once), through the API,
/// the class page and the roster file. "Completed" below the minimum stands only with a reason.
final class ClassResultRulesTests: XCTestCase {
    func testRulesOfTheCourseHangTogether() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            for (sessions, scale, minimum, field) in [(10, 100.0, 12, "minimumSessions"), (0, 10.0, 1, "sessions"), (10, -5.0, 8, "scoreScale")] {
                var input = CourseInput(name: "Kỹ năng", kind: "tap-huan", domains: ["population"], hours: 24)
                input.sessions = sessions; input.scoreScale = scale; input.minimumSessions = minimum
                try await app.api(.POST, "/api/v1/courses", token: token, json: input) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity)
                    XCTAssertEqual(res.errorField, field)
                }
            }
            var noSessions = CourseInput(name: "Kỹ năng", kind: "tap-huan", domains: ["population"], hours: 24)
            noSessions.minimumSessions = 3
            try await app.api(.POST, "/api/v1/courses", token: token, json: noSessions) { XCTAssertEqual($0.errorField, "minimumSessions") }
            let stored = try await Course.query(on: app.db).count()
            XCTAssertEqual(stored, 0)
        }
    }

    func testResultsOutsideTheCourseRulesAreRefusedAllAtOnce() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let (klass, people) = try await Self.classWithRules(app, token)
            // Attended 12 of 10 sessions, score 101 on a scale of 100, completed with 5 of the 8 sessions needed.
            try await app.api(.POST, "/api/v1/classes/\(klass)/results", token: token,
                              json: [ResultInput(personId: people[0], attended: 12, result: "completed", score: 101),
                                     ResultInput(personId: people[1], attended: 5, result: "completed", score: 70)]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let problems = try res.content.decode(ErrorBodyWithProblems.self).error.problems
                XCTAssertEqual(problems.map(\.line), [1, 1, 2])
                XCTAssertEqual(problems.map(\.field), ["attended", "score", "completionReason"])
                XCTAssertEqual(problems[0].message, "Có mặt 12 buổi, nhiều hơn 10 buổi của khoá học.")
                XCTAssertEqual(problems[1].message, "Điểm 101 cao hơn thang điểm 100 của khoá học.")
                XCTAssertTrue(problems[2].message.contains("ít nhất 8 buổi"), problems[2].message)
            }
            let stored = try await Participation.query(on: app.db).filter(\.$result != nil).count()
            XCTAssertEqual(stored, 0, "nothing stored")
            // A score of 95 is fine on this course's scale of 100 (it would not be on 10).
            try await app.api(.POST, "/api/v1/classes/\(klass)/results", token: token,
                              json: [ResultInput(personId: people[0], attended: 10, result: "completed", score: 95),
                                     ResultInput(personId: people[1], attended: 5, result: "completed", score: 70,
                                                 completionReason: "Nghỉ ốm có giấy, học bù đủ nội dung")]) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            try await app.api(.GET, "/api/v1/classes/\(klass)/participants", token: token) { res in
                let rows = try res.json(ListBody<ParticipantDTO>.self).items
                let reasons = Dictionary(uniqueKeysWithValues: rows.map { ($0.personId, $0.completionReason) })
                XCTAssertEqual(reasons[people[1]], "Nghỉ ốm có giấy, học bù đủ nội dung")
                XCTAssertEqual(reasons[people[0]] ?? nil, nil)
            }
            // Taking the reason away later leaves a completed learner below the minimum: refused.
            try await app.api(.POST, "/api/v1/classes/\(klass)/results", token: token,
                              json: [ResultInput(personId: people[1], completionReason: "")]) { XCTAssertEqual($0.errorField, "completionReason") }
            let audited = try await AuditEntry.query(on: app.db).filter(\.$entity == "participation").filter(\.$action == "result").all()
            XCTAssertTrue(audited.contains { $0.changes.contains("completion_reason") })
        }
    }

    func testClassPageShowsEachLearnersProblemsInTheirRowAndKeepsWhatWasTyped() async throws {
        try await withApp { app in
            let user = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let token = try await app.token(for: user)
            let (klass, people) = try await Self.classWithRules(app, token)
            var browser = try await app.login("cv")
            let a = people[0].uuidString, b = people[1].uuidString
            try await app.page(.POST, "/training/classes/\(klass)/results", as: &browser,
                               form: ["result[\(a)]": "completed", "attended[\(a)]": "11", "score[\(a)]": "80",
                                      "result[\(b)]": "completed", "attended[\(b)]": "4", "score[\(b)]": "chín"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let html = res.body.string
                XCTAssertTrue(html.contains(#"id="refused""#))
                XCTAssertTrue(html.contains(#"name="score[\#(b)]" value="chín""#), "the typed value is kept")
                XCTAssertTrue(html.contains("Điểm phải là số (ví dụ 8,5)."))
                XCTAssertTrue(html.contains(#"name="attended[\#(a)]" value="11" inputmode="numeric" size="3""#), html)
                XCTAssertTrue(html.contains(#"aria-describedby="p-\#(b)""#))
            }
            // Every rule of every row, once the cells read: both learners' problems in their own rows.
            try await app.page(.POST, "/training/classes/\(klass)/results", as: &browser,
                               form: ["result[\(a)]": "completed", "attended[\(a)]": "11", "score[\(a)]": "80",
                                      "result[\(b)]": "completed", "attended[\(b)]": "4", "score[\(b)]": "90"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let html = res.body.string
                // Each learner's problems beside their row, each naming its field.
                XCTAssertEqual(res.page.element("p-\(a)")?.descendants.first?.attributes["data-field"], "attended", html)
                XCTAssertEqual(res.page.element("p-\(b)")?.descendants.first?.attributes["data-field"], "completionReason")
                XCTAssertTrue(html.contains("10 buổi; thang điểm 100; hoàn thành khi có mặt ít nhất 8 buổi"))
            }
            try await app.page(.POST, "/training/classes/\(klass)/results", as: &browser,
                               form: ["result[\(a)]": "completed", "attended[\(a)]": "10", "score[\(a)]": "80",
                                      "result[\(b)]": "completed", "attended[\(b)]": "4", "score[\(b)]": "90", "reason[\(b)]": "Học bù"]) { res in
                XCTAssertEqual(res.status, .seeOther)
            }
            let completed = try await Participation.query(on: app.db).filter(\.$result == "completed").count()
            XCTAssertEqual(completed, 2)
        }
    }

    func testRosterFileReportsEveryRuleOfEveryRowAndSkipsTheSignatures() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let (klass, _) = try await Self.classWithRules(app, token)
            var exported: [SheetRow] = []
            try await app.api(.GET, "/api/v1/classes/\(klass)/roster?format=xlsx", token: token) { res in
                exported = try XLSXReader.read(Data(buffer: res.body))
            }
            XCTAssertEqual(exported[0].cells.last, "Lý do xét hoàn thành")
            func file(_ first: [XLSXCell], _ second: [XLSXCell]) throws -> Data {
                let rows: [[XLSXCell]] = [RosterRoutes.header.map { .text($0) },
                                          [.text(exported[1][0]), .empty, .empty, .empty] + first,
                                          [.text(exported[2][0]), .empty, .empty, .empty] + second,
                                          [], [.text("Người lập biểu"), .empty, .empty, .text("Thủ trưởng đơn vị")],
                                          [.text("An Giang, ngày 05 tháng 12 năm 2026")]]
                return try XLSXWriter.write(rows: rows)
            }
            let bad = try file([.number(11), .text("Hoàn thành"), .number(150)], [.number(3), .text("Hoàn thành"), .number(60)])
            try await app.upload("/api/v1/classes/\(klass)/roster", token: token, xlsx: bad) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let problems = try res.content.decode(ErrorBodyWithProblems.self).error.problems
                XCTAssertEqual(problems.map(\.line), [2, 2, 3], "the signature lines are not learners")
                XCTAssertEqual(problems.map(\.field), ["Số buổi có mặt", "Điểm", "Lý do xét hoàn thành"])
            }
            // A learner not found is reported with the row's other problems, not instead of them.
            let unknown = try XLSXWriter.write(rows: [RosterRoutes.header.map { .text($0) },
                                                      [.text("Không Có Ai"), .empty, .empty, .empty, .number(2), .text("Xuất sắc"), .text("chín")]])
            try await app.upload("/api/v1/classes/\(klass)/roster", token: token, xlsx: unknown) { res in
                let problems = try res.content.decode(ErrorBodyWithProblems.self).error.problems
                XCTAssertEqual(problems.map(\.field), ["Họ và tên", "Kết quả", "Điểm"])
                XCTAssertEqual(Set(problems.map(\.line)), [2])
            }
            let good = try file([.number(10), .text("Hoàn thành"), .number(90)],
                                [.number(3), .text("Hoàn thành"), .number(60), .empty, .empty, .text("Học bù theo quyết định của ban tổ chức")])
            try await app.upload("/api/v1/classes/\(klass)/roster", token: token, xlsx: good) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.content.decode(RosterRoutes.Report.self).rows, 2)
            }
        }
    }

    /// A course of 10 sessions scored out of 100, completed with at least 8; a class with two learners.
    static func classWithRules(_ app: Application, _ token: String) async throws -> (UUID, [UUID]) {
        var input = CourseInput(name: "Kỹ năng công tác xã hội", kind: "tap-huan", domains: ["population"], hours: 40)
        input.sessions = 10; input.scoreScale = 100; input.minimumSessions = 8
        var course: UUID?
        try await app.api(.POST, "/api/v1/courses", token: token, json: input) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            let dto = try res.json(CourseDTO.self)
            XCTAssertEqual([dto.sessions, dto.minimumSessions], [10, 8])
            XCTAssertEqual(dto.scoreScale, 100)
            course = dto.id
        }
        let org = try await app.makeAgency(token, "Sở Y tế An Giang")
        let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "91", startDate: "01/03/2025", endDate: "12/03/2025"))
        let people = try await app.seedPeople(2, unit: "30292")
        try await app.enrol(token, klass, people)
        return (klass, people)
    }
}
