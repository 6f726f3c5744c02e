import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletAccounts
@testable import HamletWorkforce
@testable import HamletTraining
@testable import HamletPopulation
@testable import HamletPlans
@testable import HamletDemo

/// The demo as a province would read it on the test day (05/12/2026): no status contradicts its
/// own numbers, no ended plan or target says "at risk" or "on track", a past year's report tells
/// that year's task states, and every turnover row adds up and chains.
final class DemoFiguresTests: XCTestCase {
    func testTheDemoSignsWhatItSays() async throws {
        try await withApp { app in
            _ = try await DemoData.loadIfEmpty(app)
            let token = try await app.token(for: try await app.makeUser("qg", role: .admin, scope: "VN"))
            var plans: [PlanDTO] = []
            try await app.api(.GET, "/api/v1/plans", token: token) { plans = try $0.json(ListBody<PlanDTO>.self).items }
            XCTAssertEqual(plans.count, 5)
            // Hamlet collaborators: three in An Giang, one in each other province, each scoped to a hamlet
            // that has this month's report to enter.
            let collaborators = try await User.query(on: app.db).filter(\.$username ~~ DemoData.collaboratorAccounts.map(\.0)).all()
            XCTAssertEqual(collaborators.count, 6)
            for u in collaborators {
                XCTAssertEqual(u.role, .collaborator)
                let unit = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == u.scopeCode).first()
                XCTAssertEqual(unit?.level, .hamlet, u.username)
            }
            let ctv = try await app.token(for: collaborators.first { $0.username == "congtacvien" }!)
            try await app.api(.GET, "/api/v1/reports/BC_CTV_THANG/30292-001/202612", token: ctv) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await app.api(.GET, "/api/v1/reports/BC_CTV_THANG/30292-002/202612", token: ctv) { XCTAssertEqual($0.status, .notFound) }
            // Demo records are valid records: every result fits its course (scale 10 unless stated).
            let results = try await Participation.query(on: app.db).all()
            let courses = Dictionary(uniqueKeysWithValues: try await Course.query(on: app.db).all().map { ($0.id!, $0.resultRules) })
            for r in results {
                let problems = courses[r.courseID]?.problems(attended: r.attended, score: r.score, completed: r.trainingResult == .completed,
                                                            reason: r.completionReason) ?? []
                XCTAssertEqual(problems.map(\.message), [], "a demo learner's result breaks its course's rules")
                if !problems.isEmpty { break }
            }
            for plan in plans {
                // Over by its period on the test day: ended, said so, and why.
                XCTAssertEqual(plan.status, plan.toYear < 2026 ? "ended" : "active", plan.number)
                XCTAssertEqual(plan.statusSource, "period", plan.number)
                var board: PlanDashboardDTO?
                try await app.api(.GET, "/api/v1/plans/\(plan.id!)/dashboard?date=05/12/2026&trend=false", token: token) { board = try $0.json(PlanDashboardDTO.self) }
                XCTAssertEqual(board?.plan.status, plan.status)
                for t in board?.targets ?? [] {
                    let direction = TargetDirection(rawValue: t.direction)!
                    let last = t.stages.max { $0.deadline < $1.deadline }!
                    let over = last.deadline <= "2026-12-05" || plan.toYear < 2026
                    if over {
                        XCTAssertTrue(["achieved", "missed"].contains(t.status), "\(plan.number) \(t.name): \(t.status)")
                        XCTAssertNotNil(t.judgedOn, t.name)
                    }
                    // The status agrees with the number it was judged on.
                    if let judged = t.judgedValue, let on = t.judgedOn {
                        let goal = t.stages.filter { $0.deadline <= on }.last?.value ?? last.value
                        XCTAssertEqual(t.status == "achieved", direction.meets(judged, goal), "\(plan.number) \(t.name): \(judged) vs \(goal)")
                    }
                    if !over, t.status == "achieved" { XCTAssertTrue(direction.meets(t.current, last.value), t.name) }
                }
            }
            // 588's "≥ 85 % of children supported": a value of 85 or more is met, whatever its baseline;
            // its base is An Giang's 2025 figures of the five groups, as the population list gives them.
            var base: Int?
            let p588 = plans.first { $0.number == "588/QĐ-UBND" }!
            try await app.api(.GET, "/api/v1/plans/\(p588.id!)/dashboard?date=31/12/2025&trend=false", token: token) { res in
                let t = try res.json(PlanDashboardDTO.self).targets.first { $0.indicatorCode == "TRE-HOTRO" }!
                XCTAssertEqual(t.direction, "at-least")
                if t.current >= 85 { XCTAssertEqual(t.status, "achieved", "\(t.current)") }
                // Judged on the day asked, with the value shown for that day (a share over the population, not withheld as "< 5").
                XCTAssertEqual(t.judgedOn, "2025-12-31")
                XCTAssertNotEqual(t.hidden, true)
                XCTAssertEqual(t.judgedValue, t.current)
                base = t.denominator
            }
            try await app.api(.GET, "/api/v1/population?unit=91&year=2025", token: token) { res in
                let figures = try res.json([PopulationFigureDTO].self).filter { DemoPopulation.groups.contains($0.group) }
                XCTAssertEqual(base, figures.reduce(0) { $0 + $1.value })
                XCTAssertGreaterThan(figures.count, 100)
            }
            // Lạng Sơn's 2013 report: tasks running 2013–2015 are not done in 2013.
            let p411 = plans.first { $0.number == "411/QĐ-UBND" }!
            try await app.api(.GET, "/api/v1/plans/\(p411.id!)", token: token) { res in
                XCTAssertTrue(try res.json(PlanDTO.self).tasks!.allSatisfy { $0.status == "done" }, "on the test day every task is done")
            }
            let full = try await PlanDTO.full(try await Plan.find(p411.id, on: app.db)!, asOf: DayDate("2013-12-31")!, on: app.db)
            for task in full.tasks! where task.endsOn > "2013-12-31" {
                XCTAssertNotEqual(task.status, "done", task.title)
            }
            // Turnover: every unit and year of each demo province reconciles and chains.
            for province in ["91", "38", "20", "86"] {
                try await app.api(.GET, "/api/v1/turnover?unit=\(province)&from=2015&to=2026", token: token) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    let r = try res.json(TurnoverQuery.Result.self)
                    for years in [r.years] + r.children.map(\.years) {
                        for y in years { XCTAssertEqual(y.opening + y.joined - y.left, y.closing, "\(province) \(y.year)") }
                        for (a, b) in zip(years, years.dropFirst()) { XCTAssertEqual(b.opening, a.closing, "\(province) \(b.year)") }
                    }
                    XCTAssertGreaterThan(r.years.last?.closing ?? 0, 0, province)
                }
            }
            // Demo activities are valid activities: inside their plan's years and scope, as the service checks them.
            let service = ActivityService(db: app.db, scope: AccessScope(code: "VN", path: ""), actor: nil, ip: nil, today: DayDate("2026-12-05")!)
            var byPlan: [UUID: Plan] = [:]
            for p in try await Plan.query(on: app.db).all() { byPlan[p.id!] = p }
            let activities = try await PlanActivity.query(on: app.db).all()
            XCTAssertGreaterThan(activities.count, 40)
            for a in activities {
                let dto = try await service.dto(a)
                _ = try await service.check(byPlan[a.planID]!, ActivityInput(kind: a.kind, title: a.title, taskId: a.taskID, boardId: a.boardID, heldOn: a.heldOn,
                                                                            unitCode: a.unitCode, personIds: dto.people.map(\.id),
                                                                            followUps: dto.followUps.map { FollowUpInput(text: $0.text, dueOn: $0.dueOn) }))
            }
            let p170 = plans.first { $0.number == "170/KH-UBND" }!
            try await app.api(.GET, "/api/v1/plans/\(p170.id!)/boards", token: token) { res in
                let boards = try res.json([BoardDTO].self)
                XCTAssertEqual(boards.count, 1)
                XCTAssertEqual(boards.first?.members.filter(\.current).first?.roleLabel, "Trưởng ban")
                XCTAssertEqual(boards.first?.meetings.count, 5)
            }
            // Demo records are valid records.
            let negative = try await Participation.query(on: app.db).filter(\.$attended < 0).count()
            XCTAssertEqual(negative, 0)
        }
    }
}
