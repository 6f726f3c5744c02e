import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletPlans

/// Issue 23, point 7: steering boards with dated members, never the same member twice at once;
/// their meetings are the plan's activities.
final class BoardTests: XCTestCase {
    func testABoardKeepsWhoSatWhenAndItsMeetings() async throws {
        try await withApp { app in
            let s = try await app.activityScene()
            let agency = try await app.makeAgency(s.cv, "Sở Y tế")
            var board: BoardDTO?
            try await app.api(.POST, "/api/v1/plans/\(s.plan)/boards", token: s.cv,
                              json: BoardInput(name: "Ban Chỉ đạo thực hiện Kế hoạch", unitCode: "91", decision: "Quyết định số 1234/QĐ-UBND", establishedOn: "15/06/2021")) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                board = try res.json(BoardDTO.self)
            }
            let members = "/api/v1/plans/\(s.plan)/boards/\(board!.id!)/members"
            func add(_ input: MemberInput, _ status: HTTPStatus = .created, field: String? = nil) async throws {
                try await app.api(.POST, members, token: s.cv, json: input) { res in
                    XCTAssertEqual(res.status, status, res.body.string)
                    if let field { XCTAssertEqual(res.errorField, field, res.body.string) }
                }
            }
            try await add(MemberInput(personId: s.collaborator, role: "secretary", fromOn: "15/06/2021", toOn: "31/12/2022"))
            try await add(MemberInput(title: "Phó Giám đốc", organisationId: agency, role: "deputy", fromOn: "15/06/2021"))
            // The same person, or the same title at the same agency, twice at once: refused by field.
            let before = try await BoardMember.query(on: app.db).count()
            try await add(MemberInput(personId: s.collaborator, role: "member", fromOn: "01/06/2022"), .unprocessableEntity, field: "personId")
            try await add(MemberInput(title: "phó giám đốc", organisationId: agency, role: "member", fromOn: "01/01/2024"), .unprocessableEntity, field: "title")
            try await add(MemberInput(personId: s.collaborator, title: "Chuyên viên", organisationId: agency, role: "member", fromOn: "01/01/2024"), .unprocessableEntity, field: "personId")
            try await add(MemberInput(role: "member", fromOn: "01/01/2024"), .unprocessableEntity, field: "personId")
            try await add(MemberInput(title: "Chuyên viên", role: "member", fromOn: "01/01/2024"), .unprocessableEntity, field: "organisationId")
            try await add(MemberInput(personId: s.collaborator, role: "chairman", fromOn: "01/01/2024"), .unprocessableEntity, field: "role")
            try await add(MemberInput(personId: s.collaborator, role: "member", fromOn: "01/01/2024", toOn: "01/01/2023"), .unprocessableEntity, field: "toOn")
            try await add(MemberInput(personId: UUID(), role: "member", fromOn: "01/01/2024"), .unprocessableEntity, field: "personId")
            let after = try await BoardMember.query(on: app.db).count()
            XCTAssertEqual(after, before)
            // After leaving, the same person may sit again.
            try await add(MemberInput(personId: s.collaborator, role: "head", fromOn: "01/01/2023"))

            var dto: BoardDTO?
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/boards/\(board!.id!)", token: s.cv) { dto = try $0.json(BoardDTO.self) }
            XCTAssertEqual(dto!.members.filter(\.current).map(\.roleLabel), ["Trưởng ban", "Phó Trưởng ban"], "the test day: the head, then the deputy")
            XCTAssertEqual(dto!.members.filter(\.current).map(\.name), ["Trần Thị Mai", "Phó Giám đốc, Sở Y tế"])
            XCTAssertEqual(dto!.members.filter { !$0.current }.map(\.toOn), ["2022-12-31"])

            // A member leaves once, on a day not before they joined.
            let deputy = dto!.members.first { $0.role == "deputy" }!.id!
            try await app.api(.POST, members + "/\(deputy)/end", token: s.cv, json: MemberEnd(toOn: "01/01/2020")) { XCTAssertEqual($0.errorField, "toOn") }
            try await app.api(.POST, members + "/\(deputy)/end", token: s.cv, json: MemberEnd(toOn: "30/06/2025")) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(BoardDTO.self).members.filter(\.current).count, 1)
            }
            try await app.api(.POST, members + "/\(deputy)/end", token: s.cv, json: MemberEnd(toOn: "30/07/2025")) { XCTAssertEqual($0.status, .conflict) }

            // Its meetings are activities of kind meeting.
            let meeting = try await app.recordActivity(s, s.cv, ActivityInput(kind: "meeting", title: "Họp Ban Chỉ đạo 6 tháng", boardId: board!.id, heldOn: "10/07/2022",
                                                                                      unitCode: "91", decisions: "Đẩy nhanh rà soát cộng tác viên", personIds: [s.collaborator]))
            try await app.api(.POST, "/api/v1/plans/\(s.plan)/activities", token: s.cv,
                              json: ActivityInput(kind: "event", title: "Sự kiện", boardId: board!.id, heldOn: "10/07/2022", unitCode: "91")) { XCTAssertEqual($0.errorField, "kind") }
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/boards/\(board!.id!)", token: s.cv) { res in
                XCTAssertEqual(try res.json(BoardDTO.self).meetings.map { "\($0.title) \($0.participants)" }, ["\(meeting.title) 1"])
            }
            XCTAssertEqual(meeting.board, "Ban Chỉ đạo thực hiện Kế hoạch")

            // A commune's officer sees neither the province's board nor may set one up for another commune.
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/boards/\(board!.id!)", token: s.xa) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/boards", token: s.xa) { XCTAssertEqual(try $0.json([BoardDTO].self).count, 0) }
            try await app.api(.POST, "/api/v1/plans/\(s.plan)/boards", token: s.xa, json: BoardInput(name: "Tổ công tác", unitCode: s.b.code)) { XCTAssertEqual($0.errorField, "unitCode") }
            try await app.api(.POST, "/api/v1/plans/\(s.plan)/boards", token: s.xa, json: BoardInput(name: " ", unitCode: s.a.code)) { XCTAssertEqual($0.errorField, "name") }
            let audited = try await AuditEntry.query(on: app.db).filter(\.$entity == "steering-board").all().map(\.action).sorted()
            XCTAssertEqual(audited, ["add-member", "add-member", "add-member", "create", "end-member"])

            // The page: members by date, a refusal beside its field.
            var browser = try await app.login("cv")
            try await app.page(.GET, "/plans/\(s.plan)/boards/\(board!.id!)", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("Phó Giám đốc, Sở Y tế"))
                XCTAssertTrue(res.body.string.contains(meeting.title))
            }
            try await app.page(.POST, "/plans/\(s.plan)/boards/\(board!.id!)/members", as: &browser,
                               form: ["personId": s.collaborator.uuidString, "role": "member", "fromOn": "01/02/2024"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("id=\"personId\" name=\"personId\" aria-invalid=\"true\""), res.body.string)
                XCTAssertTrue(res.body.string.contains("đã là thành viên của ban từ 01/01/2023"), res.body.string)
            }
        }
    }
}
