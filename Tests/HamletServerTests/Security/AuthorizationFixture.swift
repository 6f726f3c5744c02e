import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletAccounts
@testable import HamletOrganisations
@testable import HamletWorkforce
@testable import HamletTraining
@testable import HamletCases
@testable import HamletPopulation
@testable import HamletPlans

/// One of each kind of record in An Giang, named for `RoutePolicy` samples, and the accounts that
/// try them: one of each role in An Giang and in Thanh Hóa.
struct AuthorizationFixture {
    var names: [String: String] = [:]
    var tokens: [String: String] = [:]
    var browsers: [String: Browser] = [:]

    func fill(_ sample: String) -> String {
        var out = sample
        for (name, value) in names { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
        return out
    }

    static func make(_ app: Application) async throws -> AuthorizationFixture {
        var f = AuthorizationFixture()
        let scene = try await app.makeCaseScene()
        let cv = scene.token("cv"), qt = scene.token("qt")
        let commune = scene.commune.code
        f.names["commune"] = commune; f.names["facility"] = scene.centre.uuidString
        // Cases: a case of the centre, its person, a consent, a follow-up, a referral, a breach.
        let c = try await app.makeCase(scene)
        f.names["case"] = c.id!.uuidString; f.names["caseNumber"] = c.number; f.names["served"] = c.person.id!.uuidString
        f.names["consent"] = try await Consent.query(on: app.db).first()!.requireID().uuidString
        try await app.api(.POST, "/api/v1/cases/\(c.id!)/followups", token: scene.token("nv1"), json: EntryInput(on: "20/03/2026", text: "Thăm lại")) { _ in }
        f.names["entry"] = try await CaseEntry.query(on: app.db).filter(\.$kind == "followup").first()!.requireID().uuidString
        try await app.api(.POST, "/api/v1/cases/\(c.id!)/referrals", token: scene.token("nv1"), json: ReferralInput(toOrganisationId: scene.other, reason: "Cần chỗ ở")) { _ in }
        f.names["referral"] = try await CaseReferral.query(on: app.db).first()?.requireID().uuidString ?? UUID().uuidString
        try await app.api(.POST, "/api/v1/data-breaches", token: qt, json: BreachInput(discoveredAt: app.clock.now, description: "Gửi nhầm", peopleAffected: 1, dataKinds: "họ tên")) { _ in }
        f.names["breach"] = try await DataBreach.query(on: app.db).first()?.requireID().uuidString ?? UUID().uuidString
        f.names["staffRow"] = try await FacilityStaff.active(on: app.db).filter(\.$facilityID == scene.centre).first()!.requireID().uuidString
        // Reporting, training, the register, plans.
        try await app.makeReportingCatalogue(cv)
        let agency = try await app.makeAgency(cv, "Sở Y tế")
        f.names["agency"] = agency.uuidString
        let course = try await app.makeCourse(cv, "Kỹ năng công tác xã hội", kind: "tap-huan")
        f.names["course"] = course.uuidString
        let klass = try await app.makeClass(cv, ClassBody(courseId: course, organiserId: agency, unitCode: "91", startDate: "01/03/2025", endDate: "05/03/2025"))
        f.names["class"] = klass.uuidString
        let person = try await app.makePerson(cv, PersonBody(fullName: "Trần Thị Mai", birthDate: "05/06/1985", cccd: "091185001111", homeUnitCode: commune))
        let personID = person.id!
        f.names["person"] = personID.uuidString
        try await app.api(.POST, "/api/v1/people/\(personID)/assignments", token: cv,
                          json: PostBody(unitCode: commune, domains: ["population"], positionTitle: "Cộng tác viên", employmentKind: "cong-tac-vien", startDate: "01/01/2024")) {
            XCTAssertEqual($0.status, .created, $0.body.string)
        }
        f.names["post"] = try await Assignment.query(on: app.db).filter(\.$person.$id == personID).first()!.requireID().uuidString
        try await app.enrol(cv, klass, [personID])
        f.names["participation"] = try await Participation.query(on: app.db).first()!.requireID().uuidString
        let plan = try await app.makePlan(cv)
        f.names["plan"] = plan.uuidString
        let indicator = try await app.makeIndicator(cv, "AG-DT", IndicatorDefinition(kind: .trainedShare))
        f.names["indicator"] = indicator.uuidString
        try await app.api(.POST, "/api/v1/plans/\(plan)/objectives", token: cv, json: ObjectiveInput(text: "Mục tiêu")) { _ in }
        try await app.api(.POST, "/api/v1/plans/\(plan)/tasks", token: cv, json: TaskInput(title: "Tập huấn", leadAgencyId: agency, timeFrame: "Quý I/2022")) { _ in }
        try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: cv,
                          json: TargetInput(indicatorId: indicator, unitCode: "91", stages: [.init(deadline: "31/12/2025", value: 30)])) { _ in }
        try await app.api(.POST, "/api/v1/plans/\(plan)/budget-lines", token: cv, json: PlanBudgetInput(source: "local", year: 2022, planned: 1_000_000)) { _ in }
        f.names["objective"] = try await PlanObjective.query(on: app.db).first()!.requireID().uuidString
        f.names["task"] = try await PlanTask.query(on: app.db).first()!.requireID().uuidString
        f.names["target"] = try await Target.query(on: app.db).first()!.requireID().uuidString
        f.names["budget"] = try await PlanBudgetLine.query(on: app.db).first()!.requireID().uuidString
        try await app.api(.POST, "/api/v1/plans/\(plan)/duties", token: cv, json: DutyInput(title: "Báo cáo kết quả", reporters: "communes", recipientId: agency,
                                                                                          frequency: "yearly", due: "30/11")) { XCTAssertEqual($0.status, .created, $0.body.string) }
        f.names["duty"] = try await PlanDuty.query(on: app.db).first()!.requireID().uuidString
        try await app.api(.POST, "/api/v1/population", token: cv, json: PopulationInput(unitCode: commune, year: 2025, group: "tre-mo-coi", value: 9, source: "Rà soát")) {
            XCTAssertEqual($0.status, .created, $0.body.string)
        }
        f.names["population"] = try await PopulationFigure.query(on: app.db).first()!.requireID().uuidString
        try await app.api(.POST, "/api/v1/plans/\(plan)/activities", token: cv, json: ActivityInput(kind: "supervision", title: "Giám sát xã", heldOn: "10/03/2022",
                                                                                              unitCode: commune, followUps: [FollowUpInput(text: "Bổ sung sổ", dueOn: "30/06/2022")])) {
            XCTAssertEqual($0.status, .created, $0.body.string)
        }
        f.names["activity"] = try await PlanActivity.query(on: app.db).first()!.requireID().uuidString
        f.names["followUp"] = try await ActivityFollowUp.query(on: app.db).first()!.requireID().uuidString
        try await app.api(.POST, "/api/v1/plans/\(plan)/boards", token: cv, json: BoardInput(name: "Ban Chỉ đạo", unitCode: commune)) { XCTAssertEqual($0.status, .created, $0.body.string) }
        let board = try await SteeringBoard.query(on: app.db).first()!.requireID()
        f.names["board"] = board.uuidString
        try await app.api(.POST, "/api/v1/plans/\(plan)/boards/\(board)/members", token: cv, json: MemberInput(personId: personID, role: "head", fromOn: "01/01/2022")) {
            XCTAssertEqual($0.status, .created, $0.body.string)
        }
        f.names["member"] = try await BoardMember.query(on: app.db).first()!.requireID().uuidString
        try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: cv, json: JSON(["name": "Ấp Hòa An", "type": "Ấp"])) { _ in }
        f.names["hamlet"] = try await AdminUnit.query(on: app.db).filter(\.$level == .hamlet).first()!.code
        f.names["agencyType"] = try await OrganisationType.query(on: app.db).filter(\.$kind == .agency).first()!.requireID().uuidString
        f.names["facilityType"] = try await OrganisationType.query(on: app.db).filter(\.$kind == .facility).first()!.requireID().uuidString
        f.names["title"] = try await ProfessionalTitle.query(on: app.db).first()!.code
        // The accounts that try: each role in An Giang and in Thanh Hóa.
        let thCommune = try await app.communes("38")[0].code
        for role in Role.allCases {
            for (province, place) in [("ag", role == .communeOfficer || role == .collaborator ? commune : "91"), ("th", role == .communeOfficer || role == .collaborator ? thCommune : "38")] {
                let name = "\(province)-\(role.rawValue)"
                let user = try await app.makeUser(name, role: role, scope: place)
                f.tokens[name] = try await app.token(for: user)
                f.browsers[name] = try await app.login(name)
                if name == "ag-viewer" {
                    f.names["user"] = try user.requireID().uuidString
                    f.names["token"] = try await APIToken.query(on: app.db).filter(\.$user.$id == user.requireID()).first()!.requireID().uuidString
                }
            }
        }
        // Each role scoped to another hamlet of the same commune: the fixture's records are outside it.
        var beside = ""
        try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: cv, json: JSON(["name": "Ấp Láng Giềng", "type": "Ấp"])) {
            beside = try $0.json(UnitDTO.self).code
        }
        for role in Role.allCases {
            let name = "hm-\(role.rawValue)"
            let user = try await app.makeUser(name, role: role, scope: beside)
            f.tokens[name] = try await app.token(for: user)
            f.browsers[name] = try await app.login(name)
        }
        // Thanh Hóa's caseworker works at a centre of Thanh Hóa, so only the province stands between.
        let thAdmin = f.tokens["th-admin"]!
        let thCentre = try await app.makeFacility(thAdmin, "Trung tâm Công tác xã hội tỉnh Thanh Hóa", unit: "38")
        try await app.addStaff(thAdmin, thCentre, "th-caseworker", "manager")
        return f
    }
}
