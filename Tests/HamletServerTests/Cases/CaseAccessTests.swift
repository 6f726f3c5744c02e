import XCTest
import XCTVapor
import Fluent
@testable import HamletServer

/// A case is seen by its circle only. Another caseworker of the same centre, the officer of the
/// person's commune and the provincial officer get 404 on every case route, while the counts
/// include the case; break-glass opens it for a while, audited and shown to the manager.
final class CaseAccessTests: XCTestCase {
    struct Anything: Content { var text: String? = "x"; var on: String? = "10/03/2026" }

    func testOutsidersGet404OnEveryCaseRouteButCountsIncludeTheCase() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let c = try await app.makeCase(scene)
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/services", token: scene.token("nv1"), json: EntryInput(on: "05/03/2026", code: "tu-van")) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            let id = c.id!, person = c.person.id!
            let routes: [(HTTPMethod, String)] = [
                (.GET, "/api/v1/cases/\(id)"), (.GET, "/api/v1/cases/\(id)/export"), (.POST, "/api/v1/cases/\(id)/steps"),
                (.POST, "/api/v1/cases/\(id)/assessments"), (.POST, "/api/v1/cases/\(id)/goals"), (.POST, "/api/v1/cases/\(id)/services"),
                (.POST, "/api/v1/cases/\(id)/followups"), (.POST, "/api/v1/cases/\(id)/notes"), (.POST, "/api/v1/cases/\(id)/referrals"),
                (.POST, "/api/v1/cases/\(id)/transfer"), (.GET, "/api/v1/served-people/\(person)"), (.PATCH, "/api/v1/served-people/\(person)"),
                (.GET, "/api/v1/served-people/\(person)/export"), (.POST, "/api/v1/served-people/\(person)/consents"),
            ]
            for outsider in ["nv2", "xa", "cv", "khac"] {
                for (method, path) in routes {
                    try await app.api(method, path, token: scene.token(outsider), json: method == .GET ? nil : Anything()) { res in
                        XCTAssertEqual(res.status, .notFound, "\(outsider) \(method) \(path)")
                        XCTAssertFalse(res.body.string.contains("Lan"), "nothing personal in the answer")
                    }
                }
                try await app.api(.GET, "/api/v1/cases", token: scene.token(outsider)) { res in XCTAssertEqual(try res.json(ListBody<CaseSummary>.self).total, 0) }
            }
            for member in ["nv1", "gs", "ql"] {
                try await app.api(.GET, "/api/v1/cases/\(id)", token: scene.token(member)) { res in
                    XCTAssertEqual(res.status, .ok, member)
                    XCTAssertEqual(res.headers.first(name: .cacheControl), "no-store")
                    XCTAssertEqual(try res.json(CaseDetail.self).person.fullName, "Nguyễn Thị Lan")
                }
            }
            // The counts the officers may read include the case, with no name.
            for officer in ["xa", "cv"] {
                try await app.api(.GET, "/api/v1/case-figures?from=01/01/2026&to=31/12/2026" + (officer == "xa" ? "" : "&unit=91"), token: scene.token(officer)) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    let figures = try res.json(CaseFigures.Result.self)
                    XCTAssertEqual(figures.peopleServed, officer == "cv" ? 1 : 0, "the centre sits at the province, outside the commune")
                    XCTAssertFalse(res.body.string.contains("Lan"))
                }
            }
            try await app.api(.GET, "/api/v1/case-figures?unit=91&from=01/01/2026&to=31/12/2026", token: scene.token("cv")) { res in
                XCTAssertEqual(try res.json(CaseFigures.Result.self).casesOpened, 1)
            }
            // Every read is audited, with where it came from.
            let reads = try await AuditEntry.query(on: app.db).filter(\.$entity == "case").filter(\.$entityID == id.uuidString).filter(\.$action == "read").all()
            XCTAssertEqual(Set(reads.map(\.username)), ["nv1", "gs", "ql"])
            XCTAssertTrue(reads.allSatisfy { $0.ip != nil })
            // The audit log never holds the person's values.
            let all = try await AuditEntry.query(on: app.db).all().map(\.changes).joined()
            XCTAssertFalse(all.contains("Nguyễn Thị Lan"))
            XCTAssertFalse(all.contains("mất việc"))
        }
    }

    func testBreakGlassNeedsAReasonLastsAWhileAndIsShownToTheManager() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let c = try await app.makeCase(scene)
            try await app.api(.POST, "/api/v1/break-glass", token: scene.token("cv"), json: CaseAPI.GlassRequest(number: c.number, reason: "cần xem", hours: 2)) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "reason")
            }
            try await app.api(.POST, "/api/v1/break-glass", token: scene.token("nv2"), json: CaseAPI.GlassRequest(number: c.number, reason: String(repeating: "khẩn cấp ", count: 4), hours: 2)) { res in
                XCTAssertEqual(res.status, .notFound, "a caseworker is not a manager")
            }
            try await app.api(.POST, "/api/v1/break-glass", token: scene.token("xa"), json: CaseAPI.GlassRequest(number: c.number, reason: String(repeating: "khẩn cấp ", count: 4), hours: 2)) { res in
                XCTAssertEqual(res.status, .notFound, "a commune officer may not")
            }
            let reason = "Trẻ có nguy cơ bị xâm hại, cần liên hệ gia đình ngay trong đêm."
            try await app.api(.POST, "/api/v1/break-glass", token: scene.token("cv"), json: CaseAPI.GlassRequest(number: c.number, reason: reason, hours: 48)) { res in
                XCTAssertEqual(res.errorField, "hours")
            }
            try await app.api(.POST, "/api/v1/break-glass", token: scene.token("cv"), json: CaseAPI.GlassRequest(number: c.number, reason: reason, hours: 2)) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("cv")) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(try res.json(CaseDetail.self).access, "break-glass")
            }
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/notes", token: scene.token("cv"), json: EntryInput(text: "ghi")) { res in
                XCTAssertEqual(res.status, .notFound, "break-glass reads, never writes")
            }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("ql")) { res in
                let glass = try res.json(CaseDetail.self).breakGlass
                XCTAssertEqual(glass.map(\.username), ["cv"])
                XCTAssertEqual(glass.first?.reason, reason)
            }
            let audited = try await AuditEntry.query(on: app.db).filter(\.$action == "break-glass").count()
            XCTAssertEqual(audited, 1)
            let glassRead = try await AuditEntry.query(on: app.db).filter(\.$action == "read").filter(\.$username == "cv").first()
            XCTAssertTrue(glassRead?.changes.contains("break-glass") == true)
            // Expired: closed again.
            for g in try await BreakGlass.query(on: app.db).all() { g.expiresAt = Date().addingTimeInterval(-60); try await g.save(on: app.db) }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("cv")) { XCTAssertEqual($0.status, .notFound) }
        }
    }

    func testReferralOpensTheCaseToTheReceivingSideWhileActive() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let c = try await app.makeCase(scene)
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/referrals", token: scene.token("nv1"), json: ReferralInput(toOrganisationId: scene.centre, reason: "x")) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "toOrganisationId", "not to itself")
            }
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/referrals", token: scene.token("nv1"), json: ReferralInput(toOrganisationId: UUID(), reason: "x")) { res in
                XCTAssertEqual(res.errorField, "toOrganisationId", "not to a facility that does not exist")
            }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("khac")) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/referrals", token: scene.token("nv1"),
                              json: ReferralInput(toOrganisationId: scene.other, reason: "Cần chỗ ở tạm thời cho hai mẹ con.", on: "04/03/2026")) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            var referral: UUID?
            try await app.api(.GET, "/api/v1/referrals", token: scene.token("khac")) { res in referral = try res.json([CaseAPI.IncomingReferral].self).first?.id }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("khac")) { XCTAssertEqual($0.status, .ok, "the receiving side sees it") }
            try await app.api(.POST, "/api/v1/referrals/\(referral!)/answer", token: scene.token("khac"), json: ReferralAnswer(status: "completed")) { res in
                XCTAssertEqual(res.status, .conflict, "a sent referral is accepted or declined first")
            }
            try await app.api(.POST, "/api/v1/referrals/\(referral!)/answer", token: scene.token("khac"), json: ReferralAnswer(status: "accepted", feedback: "Đã bố trí phòng.")) {
                XCTAssertEqual($0.status, .ok, $0.body.string)
            }
            try await app.api(.POST, "/api/v1/referrals/\(referral!)/answer", token: scene.token("khac"), json: ReferralAnswer(status: "completed")) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("khac")) { XCTAssertEqual($0.status, .notFound, "no longer once completed") }
            try await app.api(.GET, "/api/v1/case-figures?unit=91&from=01/01/2026&to=31/12/2026", token: scene.token("cv")) { res in
                let f = try res.json(CaseFigures.Result.self)
                XCTAssertEqual([f.referralsSent, f.referralsCompleted], [1, 1])
                XCTAssertEqual(f.referralCompletion, 100)
            }
        }
    }
}
