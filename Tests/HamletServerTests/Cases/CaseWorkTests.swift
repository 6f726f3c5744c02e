import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletCases

/// Issue 22, point 2 (cases): a caseworker's start page and `GET /api/v1/me/work` list the
/// follow-up visits of its cases due within a week or overdue, the overdue first; nobody outside
/// the case's circle sees them.
final class CaseWorkTests: XCTestCase {
    func testACaseworkerSeesItsFollowUpsDue() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let c = try await app.makeCase(scene)
            let other = try await app.makeCase(scene, name: "Trần Văn Hùng", born: "01/01/1970")
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/followups", token: scene.token("nv1"), json: EntryInput(on: "20/11/2026", text: "Thăm lại")) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            try await app.api(.POST, "/api/v1/cases/\(other.id!)/followups", token: scene.token("nv1"), json: EntryInput(on: "08/12/2026", text: "Thăm lại")) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            var items: [WorkItem] = []
            try await app.api(.GET, "/api/v1/me/work", token: scene.token("nv1")) { items = try $0.json(WorkList.self).items.filter { $0.kind == "followup" } }
            XCTAssertEqual(items.map(\.link), ["/cases/\(c.id!)", "/cases/\(other.id!)"], "the overdue first")
            XCTAssertEqual(items.map(\.urgent), [true, false])
            XCTAssertEqual(items.map(\.due), ["2026-11-20", "2026-12-08"])
            // Outside the circle: nothing.
            try await app.api(.GET, "/api/v1/me/work", token: scene.token("khac")) { res in
                XCTAssertEqual(try res.json(WorkList.self).items.filter { $0.kind == "followup" }.count, 0)
            }
        }
    }
}
