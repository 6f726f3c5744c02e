import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletCases
@testable import HamletPlans

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
            // The counts the officers may read include the case, with no name, and one person is "< 5".
            for officer in ["xa", "cv"] {
                try await app.api(.GET, "/api/v1/case-figures?from=01/01/2026&to=31/12/2026" + (officer == "xa" ? "" : "&unit=91"), token: scene.token(officer)) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    let figures = try res.json(CaseFigures.Result.self)
                    XCTAssertEqual(figures.peopleServed, officer == "cv" ? nil : 0, "the centre sits at the province, outside the commune")
                    XCTAssertTrue(figures.suppressed)
                    XCTAssertFalse(res.body.string.contains("Lan"))
                }
            }
            // The centre's manager sees the centre's own figures whole.
            try await app.api(.GET, "/api/v1/case-figures?unit=91&facility=\(scene.centre)&from=01/01/2026&to=31/12/2026", token: scene.token("ql")) { res in
                let figures = try res.json(CaseFigures.Result.self)
                XCTAssertEqual([figures.casesOpened, figures.peopleServed], [1, 1]); XCTAssertFalse(figures.suppressed)
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
            for g in try await BreakGlass.query(on: app.db).all() { g.expiresAt = app.clock.now.addingTimeInterval(-60); try await g.save(on: app.db) }
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
            try await app.api(.GET, "/api/v1/case-figures?unit=91&facility=\(scene.centre)&from=01/01/2026&to=31/12/2026", token: scene.token("ql")) { res in
                let f = try res.json(CaseFigures.Result.self)
                XCTAssertEqual([f.referralsSent, f.referralsCompleted], [1, 1])
                XCTAssertEqual(f.referralCompletion, 100)
            }
            try await app.api(.GET, "/api/v1/case-figures?unit=91&from=01/01/2026&to=31/12/2026", token: scene.token("cv")) { res in
                let f = try res.json(CaseFigures.Result.self)
                XCTAssertEqual([f.referralsSent, f.referralsCompleted], [nil, nil], "one referral is < 5")
                XCTAssertNil(f.referralCompletion, "a share of hidden counts is hidden too")
            }
        }
    }
}

/// Finding 2: a province officer put themselves into a centre's circle as "manager" and read
/// and wrote all of its cases, with no reason and no expiry.
final class CaseCircleTests: XCTestCase {
    func staff(_ app: Application, _ token: String, _ facility: UUID, _ username: String, _ duty: String, reason: String? = "Phân công công tác tại cơ sở",
               _ check: (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.api(.POST, "/api/v1/facilities/\(facility)/staff", token: token, json: StaffInput(username: username, duty: duty, reason: reason), check)
    }

    func testOnlyAdministratorsAndManagersChangeTheCircleAndRemovalEndsAccess() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let c = try await app.makeCase(scene)
            try await app.makeUser("xem", role: .viewer, scope: "91")
            try await app.makeUser("moi", role: .caseworker, scope: "91")
            // An officer can neither add themselves nor anyone else.
            try await staff(app, scene.token("cv"), scene.centre, "cv", "manager") { XCTAssertEqual($0.status, .forbidden) }
            try await staff(app, scene.token("cv"), scene.centre, "xem", "manager") { XCTAssertEqual($0.status, .forbidden) }
            try await staff(app, scene.token("nv2"), scene.centre, "moi", "caseworker") { XCTAssertEqual($0.status, .forbidden, "a caseworker is not a manager") }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("cv")) { XCTAssertEqual($0.status, .notFound) }
            // Officers and viewers are never circle members, whoever adds them; nobody adds themselves.
            try await staff(app, scene.token("qt"), scene.centre, "cv", "manager") { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "username")
            }
            try await staff(app, scene.token("qt"), scene.centre, "xem", "caseworker") { XCTAssertEqual($0.errorField, "username") }
            try await staff(app, scene.token("ql"), scene.centre, "ql", "supervisor") { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertContains(res.errorMessage ?? "", "tự thêm")
            }
            try await staff(app, scene.token("ql"), scene.centre, "moi", "caseworker", reason: nil) { XCTAssertEqual($0.errorField, "reason") }
            try await staff(app, scene.token("ql"), scene.centre, "moi", "caseworker", reason: "Nhân viên mới, bắt đầu từ 01/12/2026") { XCTAssertEqual($0.status, .created) }
            let held = try await FacilityStaff.active(on: app.db).filter(\.$facilityID == scene.centre).count()
            XCTAssertEqual(held, 5, "ql, nv1, nv2, gs, moi")
            // Removing nv1 ends their access to the case still written in their name.
            var nv1Row: UUID?
            try await app.api(.GET, "/api/v1/facilities/\(scene.centre)/staff", token: scene.token("ql")) { res in
                nv1Row = try res.json([StaffRow].self).first { $0.username == "nv1" }?.id
            }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("nv1")) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.DELETE, "/api/v1/facilities/\(scene.centre)/staff/\(nv1Row!)?reason=Chuy%E1%BB%83n%20c%C3%B4ng%20t%C3%A1c", token: scene.token("ql")) {
                XCTAssertEqual($0.status, .noContent)
            }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("nv1")) { XCTAssertEqual($0.status, .notFound, "removed: no longer in the circle") }
            try await app.api(.GET, "/api/v1/cases", token: scene.token("nv1")) { XCTAssertEqual(try $0.json(ListBody<CaseSummary>.self).total, 0) }
            // The history keeps both, with who and why; only managers and administrators read it.
            try await app.api(.GET, "/api/v1/facilities/\(scene.centre)/staff/history", token: scene.token("cv")) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.GET, "/api/v1/facilities/\(scene.centre)/staff/history", token: scene.token("ql")) { res in
                let rows = try res.json([StaffService.HistoryRow].self)
                let nv1 = rows.first { $0.username == "nv1" }
                XCTAssertEqual(nv1?.removedBy, "ql"); XCTAssertEqual(nv1?.removalReason, "Chuyển công tác"); XCTAssertEqual(nv1?.addedBy, "qt")
                XCTAssertEqual(rows.first { $0.username == "moi" }?.reason, "Nhân viên mới, bắt đầu từ 01/12/2026")
            }
            // Given back later, the duty opens the case again.
            try await staff(app, scene.token("ql"), scene.centre, "nv1", "caseworker", reason: "Trở lại làm việc tại trung tâm") { XCTAssertEqual($0.status, .created) }
            try await app.api(.GET, "/api/v1/cases/\(c.id!)", token: scene.token("nv1")) { XCTAssertEqual($0.status, .ok) }
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "add-staff").all().map(\.changes).joined()
            XCTAssertContains(audit, "Nhân viên mới, bắt đầu từ")
        }
    }
}

/// Finding 4: `POST /api/v1/served-people/check` answered every role in every province (a
/// viewer in Thanh Hóa learnt that a CCCD is a client of An Giang's centre), unaudited and
/// unthrottled.
final class IntakeCheckTests: XCTestCase {
    func testOnlyStaffAskOnlyTheirProvinceAndLearnOnlyWhereToAsk() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let input = ServedPersonInput(fullName: "Lê Văn Bình", birthDate: "03/04/1950", sex: "male", cccd: "091050001234", unitCode: scene.commune.code,
                                          facilityId: scene.centre)
            _ = try await app.registerPerson(scene.token("nv1"), input)
            // Officers, viewers of any province, and caseworkers with no facility cannot ask.
            let thViewer = try await app.token(for: try await app.makeUser("xem-th", role: .viewer, scope: "38"))
            let agViewer = try await app.token(for: try await app.makeUser("xem-ag", role: .viewer, scope: "91"))
            let loose = try await app.token(for: try await app.makeUser("nv-tu-do", role: .caseworker, scope: "91"))
            var probe = input; probe.facilityId = nil
            for token in [thViewer, agViewer, scene.token("cv"), scene.token("xa"), loose] {
                try await app.api(.POST, "/api/v1/served-people/check", token: token, json: probe) { res in
                    XCTAssertEqual(res.status, .forbidden)
                    XCTAssertFalse(res.body.string.contains("Trung tâm"))
                }
            }
            // A Thanh Hóa centre's caseworker asks about their own province only.
            let thAdmin = try await app.token(for: try await app.makeUser("qt-th", role: .admin, scope: "38"))
            let thCentre = try await app.makeFacility(thAdmin, "Trung tâm Công tác xã hội tỉnh Thanh Hóa", unit: "38")
            let thWorker = try await app.token(for: try await app.makeUser("nv-th", role: .caseworker, scope: "38"))
            try await app.addStaff(thAdmin, thCentre, "nv-th", "caseworker")
            var fromThanhHoa = input; fromThanhHoa.facilityId = thCentre; fromThanhHoa.unitCode = try await app.communes("38")[0].code
            try await app.api(.POST, "/api/v1/served-people/check", token: thWorker, json: fromThanhHoa) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json([IntakeCheck.PossibleMatch].self).count, 0, "An Giang's clients are not Thanh Hóa's business")
            }
            // Inside the province: where to ask, never who.
            try await app.api(.POST, "/api/v1/served-people/check", token: scene.token("nv2"), json: input) { res in
                let matches = try res.json([IntakeCheck.PossibleMatch].self)
                XCTAssertEqual(matches.map(\.facility), ["Trung tâm Công tác xã hội tỉnh An Giang"])
                XCTAssertContains(matches[0].message, "hãy liên hệ")
                XCTAssertFalse(res.body.string.contains("Bình") || res.body.string.contains("1950") || res.body.string.contains("id"))
            }
            // Audited with the fields used, never their values.
            let checks = try await AuditEntry.query(on: app.db).filter(\.$action == "check").all()
            XCTAssertEqual(Set(checks.map(\.username)), ["nv1", "nv-th", "nv2"])
            XCTAssertFalse(checks.map(\.changes).joined().contains("091050001234"))
            // Throttled: thirty an hour.
            var statuses: [HTTPStatus] = []
            for n in 0..<IntakeCheck.perHour {
                var other = fromThanhHoa; other.cccd = String(format: "0380500%05d", n)
                try await app.api(.POST, "/api/v1/served-people/check", token: thWorker, json: other) { statuses.append($0.status) }
            }
            XCTAssertEqual(statuses.filter { $0 == .tooManyRequests }.count, 1, "the earlier ask and 29 more fit in the hour")
        }
    }
}

/// Finding 7: case figures for one day and one province answered "1 person served, protected
/// group (HIV, domestic violence, drugs, sex work), legal aid" to a viewer.
final class SmallCountTests: XCTestCase {
    func testSmallCountsAreHiddenAndTotalsDoNotGiveThemBack() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let names = ["Nguyễn Thị An", "Trần Văn Bảo", "Lê Thị Cúc", "Phạm Văn Dũng", "Hoàng Thị Em", "Võ Văn Phúc"]
            for (n, name) in names.enumerated() {
                let c = try await app.makeCase(scene, name: name, born: "0\(n + 1)/01/1980", opened: "02/03/2026")
                let code = n == 5 ? "tro-giup-phap-ly" : "tu-van"
                try await app.api(.POST, "/api/v1/cases/\(c.id!)/services", token: scene.token("nv1"), json: EntryInput(on: "05/03/2026", code: code)) {
                    XCTAssertEqual($0.status, .created, $0.body.string)
                }
            }
            let viewer = try await app.token(for: try await app.makeUser("xem", role: .viewer, scope: "91"))
            let day = "/api/v1/case-figures?unit=91&from=05/03/2026&to=05/03/2026"
            try await app.api(.GET, day, token: viewer) { res in
                XCTAssertEqual(res.status, .ok)
                let f = try res.json(CaseFigures.Result.self)
                XCTAssertEqual(f.peopleServed, 6, "six people: shown")
                XCTAssertEqual(f.services, 6)
                let legal = f.byService.first { $0.code == "tro-giup-phap-ly" }, talk = f.byService.first { $0.code == "tu-van" }
                XCTAssertNil(legal?.people, "one person given legal aid: < 5")
                XCTAssertEqual(talk?.people, 5)
                // 6 services = 5 counselling + 1 legal aid: with the total shown, counselling goes too.
                XCTAssertNil(legal?.services); XCTAssertNil(talk?.services)
                XCTAssertEqual(f.casesOpened, 0, "none opened that day: a zero names no one")
                XCTAssertNotNil(f.rule)
            }
            // The page says "< 5" and why; the spreadsheet too.
            try await app.makeUser("xem2", role: .viewer, scope: "91")
            var browser = try await app.login("xem2")
            try await app.page(.GET, "/cases/figures?unit=91&from=05/03/2026&to=05/03/2026", as: &browser) { res in
                XCTAssertContains(res.body.string, "&lt; 5")
                XCTAssertContains(res.body.string, "id=\"small-counts\"")
            }
            try await app.page(.GET, "/cases/figures?unit=91&from=05/03/2026&to=05/03/2026&format=csv", as: &browser) { res in
                XCTAssertContains(res.body.string, "< 5")
                XCTAssertFalse(res.body.string.contains("Trợ giúp pháp lý,1,1"))
            }
            // The centre's manager, for the centre, sees every count.
            try await app.api(.GET, day + "&facility=\(scene.centre)", token: scene.token("ql")) { res in
                let f = try res.json(CaseFigures.Result.self)
                XCTAssertEqual(f.byService.first { $0.code == "tro-giup-phap-ly" }?.people, 1)
            }
            // Case indicators are case figures too: one person given legal aid is withheld
            // from the values, the indicator page and a plan's dashboard.
            let legal = try await app.makeIndicator(scene.token("cv"), "TG-PL", IndicatorDefinition(kind: .casesServed, fromYear: 2026, serviceTypes: ["tro-giup-phap-ly"]))
            let all = try await app.makeIndicator(scene.token("cv"), "DV-ALL", IndicatorDefinition(kind: .casesServed, fromYear: 2026))
            try await app.api(.GET, "/api/v1/indicators/\(legal)/values?unit=91&date=31/12/2026", token: viewer) { res in
                let v = try res.json(IndicatorValue.self)
                XCTAssertEqual(v.hidden, true); XCTAssertEqual(v.value, 0); XCTAssertNil(v.numerator); XCTAssertEqual(v.children.count, 0)
            }
            try await app.api(.GET, "/api/v1/indicators/\(all)/values?unit=91&date=31/12/2026", token: viewer) { res in
                let v = try res.json(IndicatorValue.self)
                XCTAssertNil(v.hidden); XCTAssertEqual(v.value, 6, "six people: shown")
            }
            try await app.page(.GET, "/indicators/\(legal)?unit=91&date=31/12/2026", as: &browser) { res in
                XCTAssertContains(res.body.string, "&lt; 5")
            }
            let plan = try await app.makePlan(scene.token("cv"))
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: scene.token("cv"),
                              json: TargetInput(indicatorId: legal, unitCode: "91", stages: [.init(deadline: "31/12/2026", value: 10)])) { XCTAssertEqual($0.status, .created) }
            try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?date=31/12/2026", token: viewer) { res in
                let board = try res.json(PlanDashboardDTO.self)
                XCTAssertEqual(board.targets.first?.hidden, true)
                XCTAssertEqual(board.targets.first?.current, 0)
                XCTAssertTrue(board.targets.first?.trend.allSatisfy { ($0.value ?? 0) == 0 || ($0.value ?? 0) >= 5 } ?? false)
            }
        }
    }
}
