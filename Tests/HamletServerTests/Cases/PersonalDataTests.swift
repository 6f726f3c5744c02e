import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletCases

/// Decree 13/2023: what a person can ask for, how long data is kept, and breaches.
final class PersonalDataTests: XCTestCase {
    func testSubjectExportHoldsEverythingAndWhoReadIt() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let c = try await app.makeCase(scene)
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/notes", token: scene.token("nv1"), json: EntryInput(text: "Ghi chú riêng")) { XCTAssertEqual($0.status, .created) }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("gs")) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.GET, "/api/v1/served-people/\(c.person.id!)/export", token: scene.token("ql")) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.first(name: .cacheControl), "no-store")
                XCTAssertTrue(res.headers.first(name: .contentDisposition)?.contains("attachment") == true)
                let export = try res.json(SubjectExport.self)
                XCTAssertEqual(export.record.person.fullName, "Nguyễn Thị Lan")
                XCTAssertEqual(export.record.consents.count, 1)
                XCTAssertEqual(export.cases.map(\.number), [c.number])
                XCTAssertEqual(export.cases.first?.notes.first?.text, "Ghi chú riêng")
                XCTAssertTrue(export.accesses.contains { $0.username == "gs" && $0.action == "read" && $0.caseNumber == c.number })
            }
            try await app.api(.GET, "/api/v1/served-people/\(c.person.id!)/export", token: scene.token("nv2")) { XCTAssertEqual($0.status, .notFound) }
            let exports = try await AuditEntry.query(on: app.db).filter(\.$action == "export").filter(\.$entity == "served_person").count()
            XCTAssertEqual(exports, 1)
            // Correction, audited by field only.
            try await app.api(.PATCH, "/api/v1/served-people/\(c.person.id!)", token: scene.token("nv1"), json: ServedPersonInput(phone: "0912345678")) { res in
                XCTAssertEqual(try res.json(PersonRecord.self).person.phone, "0912345678")
            }
            let correction = try await AuditEntry.query(on: app.db).filter(\.$action == "correct").first()
            XCTAssertTrue(correction?.changes.contains("phone") == true)
            XCTAssertFalse(correction?.changes.contains("0912345678") == true)
        }
    }

    func testAnonymisationAfterRetentionKeepsTheFigures() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            // Closed eight years ago, and one closed this year.
            let old = try await app.makeCase(scene, name: "Phạm Văn Cũ", born: "01/01/1970", opened: "02/03/2018")
            let recent = try await app.makeCase(scene, name: "Võ Thị Mới", born: "01/01/1990", opened: "02/03/2026")
            for (c, day) in [(old, "2018"), (recent, "2026")] {
                let base = "/api/v1/cases/\(c.id!)", nv1 = scene.token("nv1")
                try await app.api(.POST, base + "/steps", token: nv1, json: StepInput(to: "assessment", on: "03/03/\(day)")) { XCTAssertEqual($0.status, .ok, $0.body.string) }
                try await app.api(.POST, base + "/assessments", token: nv1, json: AssessmentInput(on: "03/03/\(day)", needs: ["health": "some"], risk: "low", note: "Đau lưng")) { XCTAssertEqual($0.status, .ok) }
                try await app.api(.POST, base + "/services", token: nv1, json: EntryInput(on: "04/03/\(day)", code: "y-te", provider: "Bệnh viện tỉnh")) { XCTAssertEqual($0.status, .created) }
                try await app.api(.POST, base + "/steps", token: nv1, json: StepInput(to: "closed", on: "05/03/\(day)", reason: "Đã khỏi")) { XCTAssertEqual($0.status, .ok) }
            }
            func figures(_ year: String) async throws -> CaseFigures.Result {
                var out: CaseFigures.Result?
                try await app.api(.GET, "/api/v1/case-figures?unit=91&facility=\(scene.centre)&from=01/01/\(year)&to=31/12/\(year)", token: scene.token("ql")) { out = try $0.json(CaseFigures.Result.self) }
                return out!
            }
            let before2018 = try await figures("2018"), before2026 = try await figures("2026")
            XCTAssertEqual([before2018.peopleServed, before2018.casesOpened, before2018.casesClosed], [1, 1, 1])
            let admin = scene.token("qt")
            try await app.api(.POST, "/api/v1/cases/anonymise", token: scene.token("cv"), json: AnonymiseInput(retentionYears: 5)) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.POST, "/api/v1/cases/anonymise", token: admin, json: AnonymiseInput(retentionYears: 5, dryRun: true)) { res in
                XCTAssertEqual(try res.json(Anonymiser.Summary.self).cases, 1)
            }
            var name = try await ServedPerson.find(old.person.id, on: app.db)?.fullName
            XCTAssertEqual(name, "Phạm Văn Cũ", "a dry run changes nothing")
            try await app.api(.POST, "/api/v1/cases/anonymise", token: admin, json: AnonymiseInput(retentionYears: 5)) { res in
                let s = try res.json(Anonymiser.Summary.self)
                XCTAssertEqual([s.cases, s.people], [1, 1])
            }
            let person = try await ServedPerson.find(old.person.id, on: app.db)
            XCTAssertEqual(person?.fullName, "Đã ẩn danh")
            XCTAssertNil(person?.birthDate); XCTAssertNil(person?.cccd)
            XCTAssertEqual(person?.categories, ["ho-ngheo"], "what the figures count stays")
            let texts = try await CaseEntry.query(on: app.db).filter(\.$caseID == old.id!).all().compactMap(\.text)
            XCTAssertEqual(texts, [])
            name = try await ServedPerson.find(recent.person.id, on: app.db)?.fullName
            XCTAssertEqual(name, "Võ Thị Mới", "closed this year: kept")
            let after2018 = try await figures("2018"), after2026 = try await figures("2026")
            for (a, b) in [(before2018, after2018), (before2026, after2026)] {
                XCTAssertEqual([a.peopleServed, a.services, a.casesOpened, a.casesClosed, a.openAtEnd], [b.peopleServed, b.services, b.casesOpened, b.casesClosed, b.openAtEnd])
                XCTAssertEqual(a.byCategory.map(\.people), b.byCategory.map(\.people))
                XCTAssertEqual(a.byService.map(\.services), b.byService.map(\.services))
            }
        }
    }

    func testBreachRegisterComputesTheSeventyTwoHours() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            try await app.api(.POST, "/api/v1/data-breaches", token: scene.token("cv"), json: BreachInput(peopleAffected: 3, dataKinds: "họ tên")) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "description")
            }
            try await app.api(.POST, "/api/v1/data-breaches", token: scene.token("nv1"), json: BreachInput(description: "x", peopleAffected: 1, dataKinds: "y")) {
                XCTAssertEqual($0.status, .forbidden)
            }
            let found = app.clock.now.addingTimeInterval(-4 * 24 * 3600)
            var id: UUID?
            try await app.api(.POST, "/api/v1/data-breaches", token: scene.token("cv"),
                              json: BreachInput(discoveredAt: found, description: "Máy tính xách tay có bản sao hồ sơ bị mất trộm", peopleAffected: 12, dataKinds: "họ tên, tình trạng sức khỏe")) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let row = try res.json(BreachRow.self)
                XCTAssertEqual(row.deadline.timeIntervalSince(found), 72 * 3600, accuracy: 1)
                XCTAssertEqual(row.status, "overdue")
                id = row.id
            }
            try await app.api(.POST, "/api/v1/data-breaches/\(id!)/notified", token: scene.token("cv"), json: BreachNotice(authority: true)) { res in
                XCTAssertEqual(try res.json(BreachRow.self).status, "notified-late")
            }
            try await app.api(.GET, "/api/v1/data-breaches", token: scene.token("cv")) { XCTAssertEqual(try $0.json([BreachRow].self).count, 1) }
        }
    }
}
