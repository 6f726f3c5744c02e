import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletCases
@testable import HamletPlans

/// Seed 004's case targets as indicators, checked by hand: people supported this year against
/// 2020 (+20%), the share of a vulnerable children's group supported, referrals completed.
final class CaseIndicatorTests: XCTestCase {
    func testCaseIndicatorsByHand() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let nv1 = scene.token("nv1")
            /// A person with a case opened on a day, given services on some days.
            func served(_ name: String, _ categories: [String], opened: String, services: [String], born: String = "01/01/2012") async throws -> CaseDetail {
                let person = try await app.registerPerson(nv1, ServedPersonInput(fullName: name, birthDate: born, unitCode: scene.commune.code,
                                                                                  guardianName: "Người giám hộ", categories: categories, facilityId: scene.centre))
                let c = try await app.openCase(nv1, CaseInput(personId: person, facilityId: scene.centre, openedOn: opened))
                for day in services {
                    try await app.api(.POST, "/api/v1/cases/\(c.id!)/services", token: nv1, json: EntryInput(on: day, code: "tu-van")) { XCTAssertEqual($0.status, .created, $0.body.string) }
                }
                return c
            }
            // 2020: five people supported. 2025: six (one of them twice), and an orphan who got nothing.
            for n in 1...5 { _ = try await served("Người năm 2020 số \(n)", ["ho-ngheo"], opened: "01/02/2020", services: ["10/02/2020"]) }
            for n in 1...3 { _ = try await served("Trẻ mồ côi \(n)", ["tre-mo-coi"], opened: "01/02/2025", services: ["10/02/2025"]) }
            _ = try await served("Trẻ mồ côi 4", ["tre-mo-coi"], opened: "01/03/2025", services: [])
            _ = try await served("Trẻ bị bỏ rơi", ["tre-bi-bo-roi"], opened: "01/02/2025", services: ["10/02/2025", "10/03/2025"])
            let lastOne = try await served("Người cao tuổi", ["nguoi-cao-tuoi-co-don"], opened: "01/02/2025", services: ["11/02/2025"], born: "01/01/1950")
            _ = try await served("Người năm 2025", ["ho-ngheo"], opened: "01/04/2025", services: ["12/04/2025"])

            let change = try await app.makeIndicator(scene.token("cv"), "CTXH-TD", IndicatorDefinition(kind: .casesServed, baselineYear: 2020))
            var v = try await app.indicatorValue(scene.token("cv"), change, "unit=91&date=31/12/2025")
            XCTAssertEqual(v.value, 20, "6 people in 2025 against 5 in 2020")
            XCTAssertEqual([v.numerator, v.denominator], [6, 5])

            // Small counts are checked by hand on the engine itself: through the API they are withheld.
            func exact(_ id: UUID) async throws -> IndicatorValue {
                let province = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == "91").first()
                return try await IndicatorEngine(db: app.db).value(try await Indicator.find(id, on: app.db)!, unit: province, date: "2025-12-31")
            }
            let group = try await app.makeIndicator(scene.token("cv"), "TRE-DB", IndicatorDefinition(kind: .casesGroupServed, caseCategories: ["tre-mo-coi", "tre-bi-bo-roi"]))
            v = try await exact(group)
            XCTAssertEqual([v.numerator, v.denominator], [4, 5], "four of the five children with a case this year were supported")
            XCTAssertEqual(v.value, 80)
            v = try await app.indicatorValue(scene.token("cv"), group, "unit=91&date=31/12/2025")
            XCTAssertEqual(v.hidden, true, "four children: withheld from an officer")

            // Referrals: two sent in 2025 (consent given), one completed.
            try await app.consent(nv1, lastOne.person.id!, ConsentInput(givenOn: "01/02/2025", givenBy: "Người cao tuổi", relation: "self", scope: ["share"]))
            for reason in ["Chăm sóc dài hạn", "Khám bệnh"] {
                try await app.api(.POST, "/api/v1/cases/\(lastOne.id!)/referrals", token: nv1, json: ReferralInput(toOrganisationId: scene.other, reason: reason, on: "15/02/2025")) {
                    XCTAssertEqual($0.status, .created, $0.body.string)
                }
            }
            let referral = try await CaseReferral.query(on: app.db).first()!
            for status in ["accepted", "completed"] {
                try await app.api(.POST, "/api/v1/referrals/\(referral.id!)/answer", token: scene.token("khac"), json: ReferralAnswer(status: status, on: "20/02/2025")) {
                    XCTAssertEqual($0.status, .ok, $0.body.string)
                }
            }
            let completion = try await app.makeIndicator(scene.token("cv"), "CG", IndicatorDefinition(kind: .referralsCompleted))
            v = try await exact(completion)
            XCTAssertEqual(v.value, 50)

            // The indicators are counts: a commune officer reads them too, with no names.
            let raw = try await app.indicatorValue(scene.token("cv"), group, "unit=91&date=31/12/2025")
            XCTAssertFalse(raw.children.contains { $0.name.contains("mồ côi") })
            try await app.api(.POST, "/api/v1/indicators", token: scene.token("cv"),
                              json: IndicatorInput(code: "X", name: "X", definition: IndicatorDefinition(kind: .casesGroupServed))) { res in
                XCTAssertEqual(res.errorField, "caseCategories")
            }
            try await app.api(.POST, "/api/v1/indicators", token: scene.token("cv"),
                              json: IndicatorInput(code: "X", name: "X", definition: IndicatorDefinition(kind: .casesServed, caseCategories: ["nguoi-ngoai-hanh-tinh"]))) { res in
                XCTAssertEqual(res.errorField, "caseCategories")
            }
        }
    }
}
