import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletTraining
@testable import HamletPlans

/// A plan's status follows its period unless an officer records why not; a target states its
/// direction and shows it.
final class PlanStatusTests: XCTestCase {
    func testStatusFollowsThePeriodUnlessAnOfficerSaysWhy() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            var input = PlanTests.planBody
            input.fromYear = 2021; input.toYear = 2025; input.status = nil; input.interimYear = 2023; input.finalYear = 2025
            var id: UUID?
            try await app.api(.POST, "/api/v1/plans", token: token, json: input) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let plan = try res.json(PlanDTO.self)
                id = plan.id
                // The test day is 05/12/2026: a plan to 2025 has ended, by its period.
                XCTAssertEqual([plan.status, plan.statusSource], ["ended", "period"])
                XCTAssertEqual(plan.statusLabel, "Đã kết thúc (theo thời gian của kế hoạch)")
            }
            let plan = try XCTUnwrap(id)
            try await app.api(.PATCH, "/api/v1/plans/\(plan)", token: token, json: JSON(["status": "active"])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "statusReason")
            }
            try await app.api(.PATCH, "/api/v1/plans/\(plan)", token: token, json: JSON(["status": "active", "statusReason": "Gia hạn đến hết năm 2027 theo Quyết định 99/QĐ-UBND"])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "statusSince")
            }
            try await app.api(.PATCH, "/api/v1/plans/\(plan)", token: token,
                              json: JSON(["status": "active", "statusReason": "Gia hạn đến hết năm 2027 theo Quyết định 99/QĐ-UBND", "statusSince": "01/01/2026"])) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let p = try res.json(PlanDTO.self)
                XCTAssertEqual([p.status, p.statusSource, p.recordedStatus], ["active", "officer", "active"])
                XCTAssertTrue(p.statusLabel.contains("Gia hạn đến hết năm 2027"))
            }
            // Before the day it holds from, the period rules: on 31/12/2025 the plan was in force anyway.
            try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?date=31/12/2025&trend=false", token: token) { res in
                XCTAssertEqual(try res.json(PlanDashboardDTO.self).plan.statusSource, "period")
            }
            // Back to the period: it has ended again, and the reason is gone.
            try await app.api(.PATCH, "/api/v1/plans/\(plan)", token: token, json: JSON(["status": "period"])) { res in
                let p = try res.json(PlanDTO.self)
                XCTAssertEqual([p.status, p.statusSource], ["ended", "period"])
                XCTAssertNil(p.statusReason)
            }
            // An "at most" target: shown as "≤", met when the value is at or under it.
            let share = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare, staff: StaffCriteria(domains: [.population])))
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: share, stages: [.init(deadline: "31/12/2025", value: 10)], direction: "sideways")) { res in
                XCTAssertEqual(res.errorField, "direction")
            }
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: share, stages: [.init(deadline: "31/12/2025", value: 10)], direction: "at-most")) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let t = try res.json(TargetView.self)
                XCTAssertEqual([t.direction, t.directionSymbol], ["at-most", "≤"])
                XCTAssertEqual(t.status, "missed", "judged on 31/12/2025, when there was nobody to count: no value meets no goal")
                XCTAssertEqual(t.judgedOn, "2025-12-31")
            }
            var browser = try await app.login("cv")
            // The page of an ended plan: figures to its last day, its status as of today.
            try await app.page(.GET, "/plans/\(plan)", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("≤ 10,0% (31/12/2025)"), res.body.string)
                XCTAssertTrue(res.body.string.contains("Đã kết thúc (theo thời gian của kế hoạch)"))
            }
        }
    }
}
