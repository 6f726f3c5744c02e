import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletPlans

/// Issue 23, point 4: a department's report on a plan goes to the lead department, which accepts
/// it, then to the provincial People's Committee, whose leader approves it. Each rule has its test.
final class SubmissionApprovalTests: XCTestCase {
    struct Scene {
        var plan: UUID; var duty: UUID; var department: UUID; var cv: String; var leader: String
        var base: String { "/api/v1/plans/\(plan)/duties/\(duty)/submissions/2025/\(department)" }
    }

    /// Plan 588 of An Giang: the education department reports to the health department by 30/11,
    /// and the Committee approves what the health department accepted.
    func scene(_ app: Application, committee: Bool = true) async throws -> Scene {
        let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
        let leader = try await app.token(for: try await app.makeUser("ct", role: .leader, scope: "91"))
        let plan = try await app.makePlan(cv)
        let health = try await app.makeAgency(cv, "Sở Y tế")
        let education = try await app.makeAgency(cv, "Sở Giáo dục và Đào tạo")
        var duty: UUID?
        try await app.api(.POST, "/api/v1/plans/\(plan)/duties", token: cv, json: DutyInput(title: "Báo cáo kết quả thực hiện Đề án", reporters: "organisations",
                                                                                           reporterIds: [education], recipientId: health, frequency: "yearly", due: "30/11",
                                                                                           committeeApproves: committee)) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            XCTAssertEqual(try res.json(DutyDTO.self).committeeApproves, committee)
            duty = try res.json(DutyDTO.self).id
        }
        let s = Scene(plan: plan, duty: duty!, department: education, cv: cv, leader: leader)
        try await app.api(.PUT, s.base, token: cv, json: SubmissionInput(results: "Đã tập huấn 40 giáo viên làm công tác xã hội trường học.", submit: true)) {
            XCTAssertEqual($0.status, .ok, $0.body.string)
        }
        return s
    }

    func status(_ app: Application, _ s: Scene) async throws -> SubmissionDTO {
        var dto: SubmissionDTO?
        try await app.api(.GET, s.base, token: s.cv) { dto = try $0.json(SubmissionDTO.self) }
        return dto!
    }

    func testTheCommitteeApprovesOnlyWhatTheLeadDepartmentAccepted() async throws {
        try await withApp { app in
            let s = try await scene(app)
            let viewer = try await app.token(for: try await app.makeUser("ld", role: .viewer, scope: "91"))
            let otherLeader = try await app.token(for: try await app.makeUser("ctth", role: .leader, scope: "38"))

            // Before the lead department: refused, nothing changed.
            try await app.api(.POST, s.base + "/approve", token: s.leader) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertTrue(res.body.string.contains("Cơ quan chủ trì chưa tiếp nhận"), res.body.string)
            }
            try await app.api(.POST, s.base + "/accept", token: s.leader) { XCTAssertEqual($0.status, .forbidden, "the Committee does not accept for the department") }
            var dto = try await status(app, s)
            XCTAssertEqual(dto.status, "submitted")
            XCTAssertNil(dto.approvedOn)

            try await app.api(.POST, s.base + "/accept", token: s.cv) { XCTAssertEqual(try $0.json(SubmissionDTO.self).status, "accepted") }
            // Only a leader of the plan's province approves; a return needs its reason.
            try await app.api(.POST, s.base + "/approve", token: s.cv) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.POST, s.base + "/approve", token: viewer) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.POST, s.base + "/approve", token: otherLeader) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.POST, s.base + "/return", token: s.leader, json: ReasonInput(reason: "  ")) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "reason")
            }
            dto = try await status(app, s)
            XCTAssertEqual(dto.status, "accepted")
            XCTAssertEqual(dto.mayUndoAccept, true)

            try await app.api(.POST, s.base + "/approve", token: s.leader) { res in
                let approved = try res.json(SubmissionDTO.self)
                XCTAssertEqual([approved.status, approved.approvedBy, approved.approvedOn], ["approved", "ct", "2026-12-05"])
                XCTAssertEqual(approved.mayUndoApproval, true)
            }
            // Approved above: the department's acceptance stands, the report is locked.
            try await app.api(.POST, s.base + "/unaccept", token: s.cv) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertTrue(res.body.string.contains("UBND đã phê duyệt"), res.body.string)
            }
            try await app.api(.PUT, s.base, token: s.cv, json: SubmissionInput(results: "Sửa sau khi duyệt")) { XCTAssertEqual($0.status, .conflict) }
            try await app.test(.POST, s.base + "/attachments?name=a.pdf", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: s.cv)
                req.headers.contentType = HTTPMediaType(type: "application", subType: "octet-stream")
                req.body = ByteBuffer(string: "%PDF-1.4\n%%EOF\n")
            }, afterResponse: { res async in XCTAssertEqual(res.status, .conflict) })
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/tracker?period=2025", token: s.cv) { res in
                let t = try res.json(TrackerDTO.self)
                XCTAssertEqual(t.counts["approved"], 1); XCTAssertEqual(t.counts["accepted"], 0)
            }
            // An approved report is in the province's assembled report, as an accepted one is.
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/report-text?year=2025", token: s.cv) { res in
                XCTAssertEqual(try res.json(ReportTextDTO.self).sections.first { $0.key == "results" }?.text,
                               "Sở Giáo dục và Đào tạo: Đã tập huấn 40 giáo viên làm công tác xã hội trường học.")
            }

            // Undone top down: the Committee, then the department; then the Committee returns it with its reason.
            try await app.api(.POST, s.base + "/unapprove", token: s.cv) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.POST, s.base + "/unapprove", token: s.leader) { XCTAssertEqual(try $0.json(SubmissionDTO.self).status, "accepted") }
            try await app.api(.POST, s.base + "/unaccept", token: s.cv) { XCTAssertEqual(try $0.json(SubmissionDTO.self).status, "submitted") }
            try await app.api(.POST, s.base + "/return", token: s.leader, json: ReasonInput(reason: "Thiếu số liệu")) { XCTAssertEqual($0.status, .conflict, "not accepted: not the Committee's to return") }
            try await app.api(.POST, s.base + "/accept", token: s.cv) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.POST, s.base + "/return", token: s.leader, json: ReasonInput(reason: "Chưa nêu kinh phí đã chi.")) { res in
                let back = try res.json(SubmissionDTO.self)
                XCTAssertEqual([back.status, back.returnReason], ["returned", "Chưa nêu kinh phí đã chi."])
                XCTAssertNil(back.approvedOn)
            }
            dto = try await status(app, s)
            XCTAssertEqual(dto.mayEdit, true, "returned: the department writes again")

            let steps = try await AuditEntry.query(on: app.db).filter(\.$entity == "plan_submission").sort(\.$at).all().map(\.action)
            XCTAssertEqual(steps, ["submit", "accept", "approve", "unapprove", "unaccept", "accept", "return"])
        }
    }

    func testADutyWithoutTheCommitteeStopsAtTheLeadDepartment() async throws {
        try await withApp { app in
            let s = try await scene(app, committee: false)
            try await app.api(.POST, s.base + "/accept", token: s.cv) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.POST, s.base + "/approve", token: s.leader) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertTrue(res.body.string.contains("không cần UBND phê duyệt"))
            }
            try await app.api(.POST, s.base + "/return", token: s.leader, json: ReasonInput(reason: "Lý do")) { XCTAssertEqual($0.status, .conflict) }
            let dto = try await status(app, s)
            XCTAssertEqual([dto.status], ["accepted"])
            XCTAssertEqual([dto.committeeApproves, dto.mayApprove], [false, false])
        }
    }

    /// The leader's start page names what waits for the Committee, and the report's page approves it.
    func testTheLeaderApprovesFromTheStartPageAndTheReportPage() async throws {
        try await withApp { app in
            let s = try await scene(app)
            try await app.api(.POST, s.base + "/accept", token: s.cv) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.GET, "/api/v1/me/work", token: s.leader) { res in
                let work = try res.json(WorkList.self).items
                XCTAssertEqual(work.filter { $0.kind == "plan-approve" }.map(\.title), ["1 báo cáo chờ UBND phê duyệt — 588/QĐ-UBND"])
                XCTAssertEqual(work.filter { $0.kind == "plan-report" }.map(\.title), [], "the department's 2026 report is not the leader's to write")
            }
            try await app.api(.GET, "/api/v1/me/work", token: s.cv) { res in
                XCTAssertEqual(try res.json(WorkList.self).items.filter { $0.kind == "plan-report" }.map(\.state), ["missing"], "the officer writes it")
            }
            var browser = try await app.login("ct")
            let page = "/plans/\(s.plan)/duties/\(s.duty)/2025/\(s.department)"
            try await app.page(.GET, page, as: &browser) { res in
                XCTAssertTrue(res.body.string.contains(#"id="approve-form""#))
                XCTAssertFalse(res.body.string.contains(#"id="decide-form""#), "accepting is the department's")
            }
            try await app.page(.POST, page + "/decide", as: &browser, form: ["action": "approve"]) { XCTAssertEqual($0.status, .seeOther, $0.body.string) }
            try await app.page(.GET, page, as: &browser) { res in
                XCTAssertEqual(res.page.text(id: "approved-by"), "ct, 05/12/2026", res.body.string)
                XCTAssertTrue(res.body.string.contains(#"id="unapprove-form""#))
            }
            try await app.api(.GET, "/api/v1/me/work", token: s.leader) { res in
                XCTAssertTrue(try res.json(WorkList.self).items.filter { $0.kind == "plan-approve" }.isEmpty)
            }
        }
    }
}
