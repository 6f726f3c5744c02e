import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletCases

/// The case's life: steps in order, each record's own rule, consents before sensitive data.
final class CaseWorkflowTests: XCTestCase {
    func post(_ app: Application, _ token: String, _ path: String, _ body: some Content, _ status: HTTPStatus, field: String? = nil,
              file: StaticString = #filePath, line: UInt = #line) async throws {
        try await app.api(.POST, path, token: token, json: body) { res in
            XCTAssertEqual(res.status, status, res.body.string, file: file, line: line)
            if let field { XCTAssertEqual(res.errorField, field, file: file, line: line) }
        }
    }

    func testStepsInOrderWithTheirRecords() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let c = try await app.makeCase(scene)
            let nv1 = scene.token("nv1"), base = "/api/v1/cases/\(c.id!)"
            XCTAssertEqual(c.stage, "intake")
            XCTAssertTrue(c.number.hasPrefix("HS-2026-"))
            try await post(app, nv1, base + "/steps", StepInput(to: "closed", reason: "Không còn nhu cầu"), .conflict, field: "to")
            try await post(app, nv1, base + "/steps", StepInput(to: "plan"), .conflict, field: "to")
            try await post(app, nv1, base + "/steps", StepInput(to: "assessment", on: "03/03/2026"), .ok)
            try await post(app, nv1, base + "/steps", StepInput(to: "plan", on: "04/03/2026"), .conflict, field: "to")   // no assessment yet
            try await post(app, nv1, base + "/assessments", AssessmentInput(on: "03/03/2026", needs: ["livelihood": "urgent", "astronomy": "some"], risk: "medium"), .unprocessableEntity, field: "needs")
            try await post(app, nv1, base + "/assessments", AssessmentInput(on: "03/03/2026", needs: ["livelihood": "urgent"], risk: "extreme"), .unprocessableEntity, field: "risk")
            try await post(app, nv1, base + "/assessments", AssessmentInput(on: "03/03/2026", needs: ["livelihood": "urgent", "shelter": "some"], risk: "medium",
                                                                           note: "Hai mẹ con ở nhờ người quen."), .ok)
            try await post(app, nv1, base + "/steps", StepInput(to: "plan", on: "04/03/2026"), .ok)
            try await post(app, nv1, base + "/steps", StepInput(to: "in-service", on: "05/03/2026"), .conflict, field: "to")   // no goal yet
            try await post(app, nv1, base + "/goals", EntryInput(on: "30/06/2026", text: "Có việc làm ổn định"), .created)
            try await post(app, nv1, base + "/steps", StepInput(to: "in-service", on: "05/03/2026"), .ok)
            try await post(app, nv1, base + "/services", EntryInput(on: "01/03/2026", code: "viec-lam"), .unprocessableEntity, field: "on")   // before intake
            try await post(app, nv1, base + "/services", EntryInput(on: "06/03/2026", code: "phi-thuyen"), .unprocessableEntity, field: "code")
            try await post(app, nv1, base + "/services", EntryInput(on: "06/03/2026", code: "viec-lam", provider: "Trung tâm Dịch vụ việc làm"), .created)
            try await post(app, nv1, base + "/followups", EntryInput(on: "01/02/2026"), .unprocessableEntity, field: "on")   // before intake
            try await post(app, nv1, base + "/followups", EntryInput(on: "20/03/2026"), .created)
            try await post(app, nv1, base + "/notes", EntryInput(text: "Chị Lan đã đi phỏng vấn."), .created)
            var detail: CaseDetail?
            try await app.api(.GET, base, token: nv1) { detail = try $0.json(CaseDetail.self) }
            XCTAssertEqual(detail?.steps.map(\.code), ["intake", "assessment", "plan", "in-service"])
            XCTAssertEqual(detail?.assessments.first?.detail, ["livelihood": "urgent", "shelter": "some"])
            XCTAssertEqual(detail?.risk, "medium")
            XCTAssertEqual(detail?.followups.first?.overdue, true, "20/03/2026 is before the test day, 05/12/2026")
            XCTAssertEqual(detail?.nextSteps, ["review", "closed"])
            // The goal reached, the visit made, then closed with a reason.
            try await post(app, nv1, base + "/goals/\(detail!.goals[0].id!)/done", EntryInput(on: "10/03/2026", code: "achieved"), .ok)
            try await post(app, nv1, base + "/followups/\(detail!.followups[0].id!)/done", EntryInput(on: "20/03/2026", text: "Đã đi làm."), .ok)
            try await post(app, nv1, base + "/steps", StepInput(to: "closed", on: "25/03/2026"), .unprocessableEntity, field: "reason")
            try await post(app, nv1, base + "/steps", StepInput(to: "closed", on: "25/03/2026", reason: "Đã đạt mục tiêu"), .ok)
            try await post(app, nv1, base + "/services", EntryInput(on: "26/03/2026", code: "tu-van"), .conflict)
            try await app.api(.GET, base, token: nv1) { res in
                let d = try res.json(CaseDetail.self)
                XCTAssertEqual([d.stage, d.closedOn, d.closeReason], ["closed", "2026-03-25", "Đã đạt mục tiêu"])
                XCTAssertEqual(d.goals.first?.code, "achieved")
                XCTAssertEqual(d.followups.first?.doneOn, "2026-03-20")
            }
        }
    }

    func testConsentComesBeforeSensitiveDataAndChildrenNeedTwo() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let nv1 = scene.token("nv1")
            // A ten-year-old: a guardian's consent, and her own.
            let child = try await app.registerPerson(nv1, ServedPersonInput(fullName: "Trần Thị Mai", birthDate: "01/06/2016", sex: "female", unitCode: scene.commune.code,
                                                                           guardianName: "Trần Văn Hùng", guardianRelation: "cha", categories: ["tre-mo-coi"], facilityId: scene.centre))
            let c = try await app.openCase(nv1, CaseInput(personId: child, facilityId: scene.centre, openedOn: "02/03/2026"))
            try await post(app, nv1, "/api/v1/cases/\(c.id!)/assessments", AssessmentInput(needs: ["safety": "urgent"], risk: "high"), .unprocessableEntity, field: "consent")
            try await post(app, nv1, "/api/v1/cases/\(c.id!)/notes", EntryInput(text: "Bé sợ người lạ."), .unprocessableEntity, field: "consent")
            try await post(app, nv1, "/api/v1/cases/\(c.id!)/referrals", ReferralInput(toOrganisationId: scene.other, reason: "Chăm sóc thay thế"), .unprocessableEntity, field: "consent")
            try await app.api(.PATCH, "/api/v1/served-people/\(child)", token: nv1, json: ServedPersonInput(categories: ["tre-mo-coi", "tre-anh-huong-hiv"])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "categories")
            }
            let path = "/api/v1/served-people/\(child)/consents"
            try await post(app, nv1, path, ConsentInput(givenOn: "02/03/2026", givenBy: "Trần Thị Mai", relation: "self", scope: ["sensitive"]), .unprocessableEntity, field: "relation")
            try await post(app, nv1, path, ConsentInput(givenOn: "02/03/2026", givenBy: "Trần Văn Hùng", relation: "guardian", scope: ["sensitive"]), .unprocessableEntity, field: "childAgreed")
            try await post(app, nv1, path, ConsentInput(givenOn: "02/03/2026", givenBy: "Trần Văn Hùng", relation: "guardian", scope: ["tat-ca"], childAgreed: true), .unprocessableEntity, field: "scope")
            try await post(app, nv1, path, ConsentInput(givenOn: "02/03/2026", givenBy: "Trần Văn Hùng", relation: "guardian", scope: ["basic", "sensitive"], childAgreed: true), .created)
            try await post(app, nv1, "/api/v1/cases/\(c.id!)/assessments", AssessmentInput(needs: ["safety": "urgent"], risk: "high"), .ok)
            try await app.api(.PATCH, "/api/v1/served-people/\(child)", token: nv1, json: ServedPersonInput(categories: ["tre-mo-coi", "tre-anh-huong-hiv"])) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            // Sharing was not consented: still no referral. Withdrawn: no more sensitive notes.
            try await post(app, nv1, "/api/v1/cases/\(c.id!)/referrals", ReferralInput(toOrganisationId: scene.other, reason: "Chăm sóc thay thế"), .unprocessableEntity, field: "consent")
            var consentID: UUID?
            try await app.api(.GET, "/api/v1/served-people/\(child)", token: nv1) { consentID = try $0.json(PersonRecord.self).consents.first?.id }
            try await app.api(.POST, "/api/v1/served-people/\(child)/consents/\(consentID!)/withdraw", token: nv1) { XCTAssertEqual($0.status, .ok) }
            try await post(app, nv1, "/api/v1/cases/\(c.id!)/notes", EntryInput(text: "Bé sợ người lạ."), .unprocessableEntity, field: "consent")
            let notes = try await CaseEntry.query(on: app.db).filter(\.$kind == "note").count()
            XCTAssertEqual(notes, 0)
        }
    }

    func testLikelyDuplicatesAreShownWithoutRevealingOtherCircles() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let input = ServedPersonInput(fullName: "Lê Văn Bình", birthDate: "03/04/1950", sex: "male", cccd: "091050001234", unitCode: scene.commune.code,
                                          categories: ["nguoi-cao-tuoi-co-don"], facilityId: scene.centre)
            let first = try await app.registerPerson(scene.token("nv1"), input)
            _ = try await app.openCase(scene.token("nv1"), CaseInput(personId: first, facilityId: scene.centre, openedOn: "02/03/2026"))
            // The same CCCD: refused, naming the field.
            try await post(app, scene.token("nv2"), "/api/v1/served-people", input, .unprocessableEntity, field: "cccd")
            // The same name, birth date and commune (written another way): shown first, the name hidden from another caseworker.
            var other = input
            other.cccd = nil; other.fullName = "le van binh"
            try await app.api(.POST, "/api/v1/served-people", token: scene.token("nv2"), json: other) { res in
                XCTAssertEqual(res.status, .conflict)
                let answer = try res.json(CaseAPI.DuplicateAnswer.self)
                XCTAssertEqual(answer.error.code, "likely_duplicate")
                XCTAssertEqual(answer.candidates.count, 1)
                XCTAssertNil(answer.candidates[0].fullName, "outside the circle: no name")
                XCTAssertEqual(answer.candidates[0].facility, "Trung tâm Công tác xã hội tỉnh An Giang")
            }
            try await app.api(.POST, "/api/v1/served-people/check", token: scene.token("nv1"), json: other) { res in
                let matches = try res.json([IntakeCheck.PossibleMatch].self)
                XCTAssertEqual(matches.map(\.facility), ["Trung tâm Công tác xã hội tỉnh An Giang"], "the check names where to ask, nothing more")
                XCTAssertFalse(res.body.string.contains("Bình"))
            }
            other.confirmNew = true
            try await post(app, scene.token("nv2"), "/api/v1/served-people", other, .created)
            // Bad fields are named and nothing is stored.
            var bad = input
            bad.cccd = "123"; bad.fullName = "Người Khác"
            try await post(app, scene.token("nv1"), "/api/v1/served-people", bad, .unprocessableEntity, field: "cccd")
            bad.cccd = nil; bad.phone = "12345"
            try await post(app, scene.token("nv1"), "/api/v1/served-people", bad, .unprocessableEntity, field: "phone")
            bad.phone = nil; bad.unitCode = "99999"
            try await post(app, scene.token("nv1"), "/api/v1/served-people", bad, .unprocessableEntity, field: "unitCode")
            bad.unitCode = scene.commune.code; bad.facilityId = scene.other
            try await post(app, scene.token("nv1"), "/api/v1/served-people", bad, .unprocessableEntity, field: "facilityId")
            let stored = try await ServedPerson.query(on: app.db).count()
            XCTAssertEqual(stored, 2)
        }
    }

    func testTransferMovesTheCaseAndItsCircle() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let c = try await app.makeCase(scene)
            var nv2: UUID?
            try await app.api(.GET, "/api/v1/facilities/\(scene.centre)/staff", token: scene.token("cv")) { nv2 = try $0.json([StaffRow].self).first { $0.username == "nv2" }?.userId }
            try await post(app, scene.token("nv1"), "/api/v1/cases/\(c.id!)/followups", EntryInput(on: "20/12/2026"), .created)
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/transfer", token: scene.token("nv1"), json: TransferInput(caseworkerId: nv2)) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/transfer", token: scene.token("ql"), json: TransferInput(caseworkerId: UUID())) {
                XCTAssertEqual($0.status, .unprocessableEntity); XCTAssertEqual($0.errorField, "caseworkerId")
            }
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/transfer", token: scene.token("ql"), json: TransferInput(caseworkerId: nv2, note: "Chị nv1 nghỉ sinh")) {
                XCTAssertEqual($0.status, .ok, $0.body.string)
            }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("nv1")) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("nv2")) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(try res.json(CaseDetail.self).followups.first?.code, nv2?.uuidString, "open visits go with the case")
            }
        }
    }
}
