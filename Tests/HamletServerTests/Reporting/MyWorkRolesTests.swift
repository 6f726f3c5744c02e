import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletWorkforce
@testable import HamletCases
@testable import HamletPlans

/// Issue 22, point 2 beyond reporting: a commune officer's hamlets without a collaborator and
/// classes soon, a leader's targets with what changed in a month, a caseworker's referrals.
/// Today is 05/12/2026; a month ago is 05/11/2026.
final class MyWorkRolesTests: XCTestCase {
    func work(_ app: Application, _ token: String) async throws -> [WorkItem] { try await app.myWork(token) }

    func hamlets(_ app: Application, _ token: String, _ names: [String]) async throws -> [String] {
        var codes: [String] = []
        for name in names {
            try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: token, json: JSON(["name": name, "type": "Ấp", "effectiveDate": "01/07/2025"])) {
                codes.append(try $0.json(UnitDTO.self).code)
            }
        }
        return codes
    }

    func testACommuneOfficerSeesHamletsWithoutCollaboratorAndClassesSoon() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("qt", role: .admin, scope: "91"))
            let codes = try await hamlets(app, admin, ["Ấp Hòa An", "Ấp Hòa Bình"])
            _ = try await app.seedPeople(1, unit: codes[0], prefix: "Cộng Tác")
            let course = try await app.makeCourse(admin, "Kỹ năng tư vấn dân số", kind: "tap-huan")
            let org = try await app.makeAgency(admin, "Sở Y tế An Giang")
            let soon = try await app.makeClass(admin, ClassBody(courseId: course, organiserId: org, unitCode: "91", startDate: "15/12/2026", endDate: "20/12/2026"))
            let later = try await app.makeClass(admin, ClassBody(courseId: course, organiserId: org, unitCode: "91", startDate: "20/01/2027", endDate: "25/01/2027"))
            let elsewhere = try await app.makeClass(admin, ClassBody(courseId: course, organiserId: org, unitCode: "91", startDate: "10/12/2026", endDate: "12/12/2026"))
            let ours = try await app.seedPeople(2, unit: "30292", prefix: "Học Viên")
            let theirs = try await app.seedPeople(1, unit: "30313", prefix: "Người Khác")
            // One lives next door but works here (counted); one worked here until October (not).
            let commuter = try await app.seedPeople(1, unit: "30292", prefix: "Đi Làm")
            try await app.movedHome(commuter, to: "30313")
            let former = try await app.seedPeople(1, unit: "30313", prefix: "Đã Nghỉ")
            try await app.endedPost(former[0], at: "30292", from: "2020-01-01", to: "2026-10-31")
            try await app.enrol(admin, soon, ours + commuter + former)
            try await app.enrol(admin, later, ours)
            try await app.enrol(admin, elsewhere, theirs)
            let xa = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30292"))
            let items = try await work(app, xa)
            let coverage = try XCTUnwrap(items.first { $0.kind == "coverage" })
            XCTAssertEqual(coverage.title, "1 thôn, tổ dân phố chưa có cộng tác viên")
            XCTAssertEqual(coverage.detail, "Ấp Hòa Bình")
            let classes = items.filter { $0.kind == "class" }
            XCTAssertEqual(classes.map(\.link), ["/training/classes/\(soon.uuidString)"], "within 30 days and with the commune's people only")
            XCTAssertEqual(classes.first?.detail, "từ 15/12/2026 · 3 học viên của Phường Bình Đức")
            // One tap: both open for the officer, the coverage page naming the hamlet with its commune.
            var officer = try await app.login("xa")
            try await app.page(.GET, coverage.link, as: &officer) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("Ấp Hòa Bình"), res.body.string)
                XCTAssertTrue(res.body.string.contains("Phường Bình Đức"))
            }
            try await app.page(.GET, classes[0].link, as: &officer) { res in XCTAssertEqual(res.status, .ok) }
        }
    }

    func testALeaderSeesEachTargetWithWhatChangedInAMonth() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("qt", role: .admin, scope: "91"))
            let codes = try await hamlets(app, admin, ["Ấp Hòa An", "Ấp Hòa Bình"])
            let plan = try await app.makePlan(admin)
            let covered = try await app.makeIndicator(admin, "AP-CTV", IndicatorDefinition(kind: .unitsWithPeople,
                rule: CoverageRule(level: .hamlet, domains: [.population], kinds: [.congTacVien], min: 1)))
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: admin,
                              json: TargetInput(indicatorId: covered, unitCode: "91", stages: [.init(deadline: "31/12/2030", value: 100)], baselineYear: 2020, baselineValue: 0)) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            let viewer = try await app.token(for: try await app.makeUser("xem", role: .viewer, scope: "91"))
            var glance = try await work(app, viewer).filter { $0.kind == "glance" }
            XCTAssertEqual(glance.map(\.title), ["588/QĐ-UBND: Chỉ tiêu AP-CTV"])
            XCTAssertTrue(glance[0].detail.hasSuffix("(không đổi so với 05/11/2026)"), glance[0].detail)
            // A collaborator since 20/11 in one of the two hamlets: half of them now, none a month ago.
            _ = try await app.seedPeople(1, unit: codes[0], start: "2026-11-20", prefix: "Cộng Tác")
            glance = try await work(app, viewer).filter { $0.kind == "glance" }
            XCTAssertEqual(glance[0].detail, "Tỉnh An Giang · 50,0% (ngày 05/11/2026: 0,0%)")
            XCTAssertEqual(glance[0].link, "/plans/\(plan)")
        }
    }

    func testACaseworkerSeesReferralsWaitingForAnAnswer() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let c = try await app.makeCase(scene)
            try await app.api(.POST, "/api/v1/cases/\(c.id!)/referrals", token: scene.token("nv1"),
                              json: ReferralInput(toOrganisationId: scene.other, reason: "Cần chỗ ở tạm thời cho hai mẹ con.", on: "01/12/2026")) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            let incoming = try await work(app, scene.token("khac")).filter { $0.kind == "referral" }
            XCTAssertEqual(incoming.map(\.title), ["Chuyển gửi chờ trả lời — hồ sơ " + c.number])
            XCTAssertEqual(incoming.first?.urgent, true, "sent four days ago")
            XCTAssertEqual(incoming.first?.link, "/cases/\(c.id!.uuidString)")
            let sent = try await work(app, scene.token("nv1")).filter { $0.kind == "referred" }
            XCTAssertEqual(sent.map(\.detail), ["Cơ sở Bảo trợ xã hội Long Xuyên · gửi 01/12/2026"])
            var referral: UUID?
            try await app.api(.GET, "/api/v1/referrals", token: scene.token("khac")) { res in referral = try res.json([CaseAPI.IncomingReferral].self).first?.id }
            try await app.api(.POST, "/api/v1/referrals/\(referral!)/answer", token: scene.token("khac"), json: ReferralAnswer(status: "accepted")) {
                XCTAssertEqual($0.status, .ok, $0.body.string)
            }
            let left = try await work(app, scene.token("khac")).filter { $0.kind == "referral" } + work(app, scene.token("nv1")).filter { $0.kind == "referred" }
            XCTAssertTrue(left.isEmpty, "answered: off both lists")
        }
    }
}
