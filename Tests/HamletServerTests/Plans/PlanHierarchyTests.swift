import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletPlans

/// Issue 23, point 1: a plan implements another; the parent lists its children; a child takes
/// over the parent's targets, measured over its own scope and years.
final class PlanHierarchyTests: XCTestCase {
    func plan(_ app: Application, _ token: String, _ number: String, scope: String, from: Int, to: Int) async throws -> UUID {
        var body = PlanTests.planBody
        body.number = number; body.scopeCode = scope; body.fromYear = from; body.toYear = to; body.interimYear = nil; body.finalYear = nil
        return try await app.makePlan(token, body)
    }

    func testAChildPlanTakesOverItsParentsTargetsAtItsOwnScope() async throws {
        try await withApp { app in
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let th = try await app.token(for: try await app.makeUser("th", role: .provinceOfficer, scope: "38"))
            let parent = try await plan(app, cv, "588/QĐ-UBND", scope: "91", from: 2021, to: 2030)
            let child = try await plan(app, cv, "25/KH-UBND", scope: "30292", from: 2026, to: 2026)
            let other = try await plan(app, th, "126/KH-UBND", scope: "38", from: 2014, to: 2030)
            let indicator = try await app.makeIndicator(cv, "AG-DT", IndicatorDefinition(kind: .trainedShare))
            try await app.api(.POST, "/api/v1/plans/\(parent)/targets", token: cv, json: TargetInput(indicatorId: indicator, unitCode: "91",
                              stages: [.init(deadline: "31/12/2025", value: 30), .init(deadline: "31/12/2030", value: 60)])) { XCTAssertEqual($0.status, .created) }
            _ = try await app.seedPeople(4, unit: "30292", start: "2020-01-01")
            // Refused by name, nothing stored: a plan of another province, a parent that does not hold
            // the child's scope or years, a circle.
            let narrow = try await plan(app, cv, "01/KH-UBND", scope: "30292", from: 2021, to: 2030)
            let short = try await plan(app, cv, "02/KH-UBND", scope: "91", from: 2027, to: 2028)
            for bad in [other, short] {
                try await app.api(.PUT, "/api/v1/plans/\(child)/parent", token: cv, json: ParentInput(parentId: bad)) { XCTAssertEqual($0.errorField, "parentId") }
            }
            try await app.api(.PUT, "/api/v1/plans/\(parent)/parent", token: cv, json: ParentInput(parentId: narrow)) { XCTAssertEqual($0.errorField, "parentId") }
            try await app.api(.PUT, "/api/v1/plans/\(child)/parent", token: cv, json: ParentInput(parentId: parent)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(HierarchyDTO.self).parent?.number, "588/QĐ-UBND")
            }
            try await app.api(.PUT, "/api/v1/plans/\(parent)/parent", token: cv, json: ParentInput(parentId: child)) { XCTAssertEqual($0.errorField, "parentId") }
            let links = try await PlanParent.query(on: app.db).count()
            XCTAssertEqual(links, 1)
            // The parent lists its child with its status, on the API and its page.
            try await app.api(.GET, "/api/v1/plans/\(parent)/hierarchy", token: cv) { res in
                let h = try res.json(HierarchyDTO.self)
                XCTAssertEqual(h.children.map(\.number), ["25/KH-UBND"]); XCTAssertEqual(h.children.first?.status, "active")
            }
            var browser = try await app.login("cv")
            try await app.page(.GET, "/plans/\(parent)", as: &browser) { res in
                XCTAssertEqual(res.page.all("#child-plans").first.map { $0.descendants.filter { $0.tag == "li" }.map(\.text) }, ["25/KH-UBND (2026–2026, 30292) — Đang thực hiện (theo thời gian của kế hoạch)"], res.body.string)
                XCTAssertEqual(res.page.link("25/KH-UBND"), "/plans/\(child.uuidString)")
            }
            // Taken over: the 2030 stage becomes the child's last day, measured at the commune.
            try await app.api(.POST, "/api/v1/plans/\(child)/targets/inherit", token: cv) { XCTAssertEqual(try $0.json(ImplementationAPI.Inherited.self).added, 1) }
            try await app.api(.POST, "/api/v1/plans/\(child)/targets/inherit", token: cv) { XCTAssertEqual(try $0.json(ImplementationAPI.Inherited.self).added, 0, "never twice") }
            try await app.api(.GET, "/api/v1/plans/\(child)/dashboard?date=31/12/2026", token: cv) { res in
                let t = try res.json(PlanDashboardDTO.self).targets
                XCTAssertEqual(t.count, 1)
                XCTAssertEqual(t.first?.unitCode, "30292")
                XCTAssertEqual(t.first?.stages, [StageInput(deadline: "2026-12-31", value: 60)])
                // By hand: four people at work in the commune, none trained.
                XCTAssertEqual(t.first?.denominator, 4); XCTAssertEqual(t.first?.numerator, 0)
            }
            // Thanh Hóa sees neither.
            try await app.api(.GET, "/api/v1/plans/\(parent)/hierarchy", token: th) { XCTAssertEqual($0.status, .notFound) }
        }
    }
}
