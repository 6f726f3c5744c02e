import XCTest
import XCTVapor
import HamletKit
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits
@testable import HamletPlans

/// Issue 23, point 6: what a plan's people do between reports, recorded inside the plan's years and
/// the account's unit, and counted by indicators the way a hand count of the list gives.
final class ActivityTests: XCTestCase {
    func scene(_ app: Application) async throws -> ActivityScene { try await app.activityScene() }
    func record(_ app: Application, _ s: ActivityScene, _ token: String, _ input: ActivityInput) async throws -> ActivityDTO {
        try await app.recordActivity(s, token, input)
    }

    func testActivitiesAreRecordedInsideThePlanAndTheScope() async throws {
        try await withApp { app in
            let s = try await scene(app)
            let day = try await record(app, s, s.cv, ActivityInput(kind: "event", title: "Hưởng ứng Ngày Công tác xã hội Việt Nam", heldOn: "25/03/2022", unitCode: "91",
                                                                 organiser: "Sở Y tế", male: 40, female: 60, reached: 500, spentLocal: 5_000_000, outputs: "2.000 tờ rơi"))
            XCTAssertEqual([day.participants, day.reached], [100, 500])
            XCTAssertEqual(day.spent, 5_000_000)
            let briefing = try await record(app, s, s.xa, ActivityInput(kind: "briefing", title: "Giao ban cộng tác viên tháng 3", heldOn: "28/03/2022", unitCode: s.a.code,
                                                                      findings: "Hai ấp chưa nộp báo cáo", personIds: [s.collaborator]))
            XCTAssertEqual(briefing.people.map(\.fullName), ["Trần Thị Mai"])
            XCTAssertEqual(briefing.participants, 1, "no count by sex: the people named")
            let visit = try await record(app, s, s.xa, ActivityInput(kind: "supervision", title: "Giám sát ấp Bình Hòa", heldOn: "02/04/2022", unitCode: s.a.code,
                                                                   findings: "Sổ theo dõi chưa cập nhật", followUps: [FollowUpInput(text: "Cập nhật sổ theo dõi", dueOn: "30/04/2022")]))
            XCTAssertEqual(visit.followUps.map(\.state), ["overdue"], "due in 2022, not closed by the test day")

            // Bad input: the field named, nothing stored.
            let before = try await PlanActivity.query(on: app.db).count()
            let other = try await app.makePlan(s.cv, PlanInput(number: "12/KH-UBND", kind: "ke-hoach", issuer: "UBND tỉnh", issuedOn: "01/02/2023", title: "Kế hoạch năm 2023",
                                                                fromYear: 2023, toYear: 2023, scopeCode: "91"))
            try await app.api(.POST, "/api/v1/plans/\(other)/tasks", token: s.cv, json: TaskInput(title: "Tập huấn", leadAgencyId: nil, timeFrame: "Năm 2023")) { _ in }
            let foreignTask = try await PlanTask.query(on: app.db).filter(\.$planID == other).first()?.id
            let good = ActivityInput(kind: "supervision", title: "Giám sát", heldOn: "02/04/2022", unitCode: s.a.code)
            var bad: [(ActivityInput, String)] = []
            var i = good; i.kind = "picnic"; bad.append((i, "kind"))
            i = good; i.title = " "; bad.append((i, "title"))
            i = good; i.heldOn = "02/04/2019"; bad.append((i, "heldOn"))
            i = good; i.heldOn = "31/02/2022"; bad.append((i, "heldOn"))
            i = good; i.endsOn = "01/04/2022"; bad.append((i, "endsOn"))
            i = good; i.unitCode = s.b.code; bad.append((i, "unitCode"))
            i = good; i.unitCode = "38"; bad.append((i, "unitCode"))
            i = good; i.male = -3; bad.append((i, "male"))
            i = good; i.spentOther = -1; bad.append((i, "spentOther"))
            i = good; i.taskId = foreignTask ?? UUID(); bad.append((i, "taskId"))
            i = good; i.personIds = [UUID()]; bad.append((i, "personIds"))
            i = good; i.followUps = [FollowUpInput(text: "Bổ sung", dueOn: "01/04/2022")]; bad.append((i, "followUps"))
            for (input, field) in bad {
                try await app.api(.POST, "/api/v1/plans/\(s.plan)/activities", token: s.xa, json: input) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, field + " " + res.body.string)
                    XCTAssertEqual(res.errorField, field, res.body.string)
                }
            }
            let viewer = try await app.token(for: try await app.makeUser("ld", role: .viewer, scope: "91"))
            try await app.api(.POST, "/api/v1/plans/\(s.plan)/activities", token: viewer, json: good) { XCTAssertEqual($0.status, .forbidden) }
            let after = try await PlanActivity.query(on: app.db).count()
            XCTAssertEqual(after, before)

            // Each sees its own subtree: the commune officer its commune's two, not the province's event.
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/activities", token: s.xa) { res in
                XCTAssertEqual(try res.json([ActivityDTO].self).map(\.title).sorted(), [briefing.title, visit.title].sorted())
            }
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/activities/\(day.id!)", token: s.xa) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/activities?year=2022&kind=event", token: s.cv) { res in
                XCTAssertEqual(try res.json([ActivityDTO].self).map(\.title), [day.title])
            }
            let th = try await app.token(for: try await app.makeUser("th", role: .provinceOfficer, scope: "38"))
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/activities/\(visit.id!)", token: th) { XCTAssertEqual($0.status, .notFound) }

            // A follow-up closes on a day between the visit and today, with what was done, once.
            let path = "/api/v1/plans/\(s.plan)/activities/\(visit.id!)/follow-ups/\(visit.followUps[0].id!)/close"
            try await app.api(.POST, path, token: s.xa, json: ActivityService.CloseInput(closedOn: "01/04/2022", note: "Đã cập nhật")) { XCTAssertEqual($0.errorField, "closedOn") }
            try await app.api(.POST, path, token: s.xa, json: ActivityService.CloseInput(closedOn: "28/04/2022", note: "")) { XCTAssertEqual($0.errorField, "note") }
            try await app.api(.POST, path, token: s.xa, json: ActivityService.CloseInput(closedOn: "28/04/2022", note: "Đã cập nhật sổ")) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(ActivityDTO.self).followUps.map(\.state), ["closed-on-time"])
            }
            try await app.api(.POST, path, token: s.xa, json: ActivityService.CloseInput(closedOn: "29/04/2022", note: "Lại")) { XCTAssertEqual($0.status, .conflict) }

            // A change keeps the attendees unless it names them; every change is audited.
            var change = good; change.title = "Giám sát ấp Bình Hòa (lần 1)"; change.findings = visit.findings
            try await app.api(.PUT, "/api/v1/plans/\(s.plan)/activities/\(briefing.id!)", token: s.xa, json: ActivityInput(kind: "briefing", title: "Giao ban tháng 3/2022",
                                                                                                              heldOn: "28/03/2022", unitCode: s.a.code)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(ActivityDTO.self).people.count, 1)
            }
            let audited = try await AuditEntry.query(on: app.db).filter(\.$entity == "plan-activity").all().map(\.action).sorted()
            XCTAssertEqual(audited, ["create", "create", "create", "update"])
            try await app.api(.DELETE, "/api/v1/plans/\(s.plan)/activities/\(visit.id!)", token: s.xa) { XCTAssertEqual($0.status, .noContent) }
            let followUps = try await ActivityFollowUp.query(on: app.db).count()
            XCTAssertEqual(followUps, 0, "a removed visit takes its follow-ups")
        }
    }

    func testIndicatorsCountActivitiesAsTheListDoes() async throws {
        try await withApp { app in
            let s = try await scene(app)
            _ = try await record(app, s, s.cv, ActivityInput(kind: "event", title: "Ngày Công tác xã hội", heldOn: "25/03/2022", unitCode: s.a.code, male: 10, female: 15, reached: 300))
            _ = try await record(app, s, s.cv, ActivityInput(kind: "event", title: "Ngày Gia đình Việt Nam", heldOn: "28/06/2022", unitCode: s.b.code, male: 5, female: 20))
            _ = try await record(app, s, s.cv, ActivityInput(kind: "event", title: "Ngày Công tác xã hội 2023", heldOn: "25/03/2023", unitCode: s.b.code, male: 50))
            _ = try await record(app, s, s.cv, ActivityInput(kind: "briefing", title: "Giao ban", heldOn: "05/04/2022", unitCode: s.a.code, personIds: [s.collaborator]))
            let v1 = try await record(app, s, s.cv, ActivityInput(kind: "supervision", title: "Giám sát 1", heldOn: "10/05/2022", unitCode: s.a.code,
                                                                followUps: [FollowUpInput(text: "Việc 1", dueOn: "30/06/2022"), FollowUpInput(text: "Việc 2", dueOn: "31/07/2022")]))
            let v2 = try await record(app, s, s.cv, ActivityInput(kind: "supervision", title: "Giám sát 2", heldOn: "12/05/2022", unitCode: s.b.code,
                                                                followUps: [FollowUpInput(text: "Việc 3", dueOn: "30/06/2022")]))
            func close(_ v: ActivityDTO, _ k: Int, on day: String) async throws {
                try await app.api(.POST, "/api/v1/plans/\(s.plan)/activities/\(v.id!)/follow-ups/\(v.followUps[k].id!)/close", token: s.cv,
                                  json: ActivityService.CloseInput(closedOn: day, note: "Xong")) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            }
            try await close(v1, 0, on: "20/06/2022")   // on time
            try await close(v1, 1, on: "15/08/2022")   // late
            try await close(v2, 0, on: "30/06/2022")   // on time, on the day

            // By hand, from the list of 2022.
            var listed: [ActivityDTO] = []
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/activities?year=2022", token: s.cv) { listed = try $0.json([ActivityDTO].self) }
            let events = listed.filter { $0.kind == "event" }
            let follow = listed.flatMap(\.followUps)
            func value(_ code: String, _ definition: IndicatorDefinition) async throws -> IndicatorValue {
                let id = try await app.makeIndicator(s.cv, code, definition)
                return try await app.indicatorValue(s.cv, id, "unit=91&date=31/12/2022")
            }
            var v = try await value("SK", IndicatorDefinition(kind: .activityCount, activityKinds: ["event"]))
            XCTAssertEqual(v.value, Double(events.count))
            XCTAssertEqual(v.value, 2, "2023's event is not 2022's")
            XCTAssertEqual(v.children.map { "\($0.code) \($0.numerator ?? -1)" }, ["\(s.a.code) 1", "\(s.b.code) 1"])
            v = try await value("NG", IndicatorDefinition(kind: .activityCount, activityKinds: ["event", "briefing"], activityMeasure: .participants))
            XCTAssertEqual(v.value, Double(listed.filter { ["event", "briefing"].contains($0.kind) }.reduce(0) { $0 + $1.participants }))
            XCTAssertEqual(v.value, 25 + 25 + 1)
            v = try await value("TC", IndicatorDefinition(kind: .activityCount, activityKinds: ["event"], activityMeasure: .reached))
            XCTAssertEqual(v.value, Double(events.reduce(0) { $0 + $1.participants + ($1.reached ?? 0) }))
            v = try await value("GS", IndicatorDefinition(kind: .activityCount, activityMeasure: .followUpsOnTime))
            XCTAssertEqual([v.numerator, v.denominator], [follow.filter { $0.state == "closed-on-time" }.count, follow.count])
            XCTAssertEqual(v.value, 66.7)
            v = try await value("GS23", IndicatorDefinition(kind: .activityCount, fromYear: 2022, activityKinds: ["event"]))
            XCTAssertEqual(v.value, 2, "from 2022 to the date asked, 31/12/2022")
            try await app.api(.POST, "/api/v1/indicators", token: s.cv, json: IndicatorInput(code: "X", name: "X", definition: IndicatorDefinition(kind: .activityCount, activityKinds: ["picnic"]))) {
                XCTAssertEqual($0.errorField, "activityKinds")
            }
        }
    }

    /// "Giao ban hằng tháng" in every commune: the share of commune-months, counted by hand from the
    /// list of briefings and the list of the province's communes; a month not yet over does not count.
    func testBriefingsPerCommunePerMonth() async throws {
        try await withApp { app in
            let s = try await scene(app)
            for (day, unit) in [("10/01/2022", s.a.code), ("25/01/2022", s.a.code), ("08/02/2022", s.a.code), ("09/02/2022", s.b.code),
                                ("05/03/2022", "91"), ("15/04/2022", s.b.code)] {
                _ = try await record(app, s, s.cv, ActivityInput(kind: "briefing", title: "Giao ban \(day)", heldOn: day, unitCode: unit))
            }
            _ = try await record(app, s, s.cv, ActivityInput(kind: "event", title: "Ngày Công tác xã hội", heldOn: "25/03/2022", unitCode: s.b.code))
            let id = try await app.makeIndicator(s.cv, "GB", IndicatorDefinition(kind: .activityCount, activityKinds: ["briefing"], activityMeasure: .monthsHeld))

            var listed: [ActivityDTO] = [], communes = 0
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/activities?year=2022&kind=briefing", token: s.cv) { listed = try $0.json([ActivityDTO].self) }
            try await app.api(.GET, "/api/v1/units?structure=2025&level=commune&parent=91&per=1", token: s.cv) { communes = try $0.json(ListBody<UnitDTO>.self).total }
            func byHand(through month: String) -> Int {
                Set(listed.filter { $0.unitCode.count == 5 && String($0.heldOn.prefix(7)) <= month }.map { $0.unitCode + String($0.heldOn.prefix(7)) }).count
            }
            var v = try await app.indicatorValue(s.cv, id, "unit=91&date=31/03/2022")
            XCTAssertEqual([v.numerator, v.denominator], [byHand(through: "2022-03"), communes * 3])
            XCTAssertEqual(v.numerator, 3, "two in one month of one commune are one; the province's own briefing is no commune's")
            XCTAssertEqual(v.value, Percent.of(3, communes * 3))
            XCTAssertEqual(v.children.first { $0.code == s.a.code }.map { [$0.numerator, $0.denominator] }, [2, 3])
            v = try await app.indicatorValue(s.cv, id, "unit=91&date=20/04/2022")
            XCTAssertEqual([v.numerator, v.denominator], [3, communes * 3], "April is not over on the 20th")
            v = try await app.indicatorValue(s.cv, id, "unit=\(s.b.code)&date=30/04/2022")
            XCTAssertEqual([v.numerator, v.denominator], [2, 4])
            XCTAssertEqual(v.value, 50)
            v = try await app.indicatorValue(s.cv, id, "unit=91&date=15/01/2022")
            XCTAssertEqual(v.computable, false, "no month over yet")
        }
    }

    func testThePagesRecordAnActivityAndCloseItsFollowUp() async throws {
        try await withApp { app in
            let s = try await scene(app)
            var browser = try await app.login("xa")
            let form = ["kind": "supervision", "title": "Giám sát ấp", "heldOn": "02/04/2035", "unitCode": s.a.name, "male": "3", "female": "4",
                        "followUpText[]": "Cập nhật sổ", "followUpDue[]": "30/04/2022"]
            try await app.page(.POST, "/plans/\(s.plan)/activities", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("id=\"heldOn\" name=\"heldOn\" value=\"02/04/2035\" required placeholder=\"dd/MM/yyyy\" inputmode=\"numeric\" aria-invalid=\"true\""), res.body.string)
                XCTAssertTrue(res.body.string.contains("value=\"Giám sát ấp\""), "typed values stay")
            }
            var location = ""
            var fixed = form; fixed["heldOn"] = "02/04/2022"
            try await app.page(.POST, "/plans/\(s.plan)/activities", as: &browser, form: fixed) { res in
                XCTAssertEqual(res.status, .seeOther, res.body.string)
                location = res.headers.first(name: .location) ?? ""
            }
            let page = String(location.split(separator: "?")[0])
            var closeAction = ""
            try await app.page(.GET, page, as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("Cập nhật sổ"))
                XCTAssertEqual(res.page.text(id: "participants")?.split(separator: " ").first, "7", res.body.string)
                XCTAssertTrue(res.body.string.contains("Trần Thị Mai"), "the commune's collaborators to tick")
                let marker = "action=\"" + page + "/follow-ups/"
                let start = res.body.string.range(of: marker)!.lowerBound
                closeAction = String(res.body.string[start...].dropFirst(8).prefix { $0 != "\"" })
            }
            try await app.page(.POST, page + "/people", as: &browser, form: ["personIds[]": s.collaborator.uuidString]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.POST, closeAction, as: &browser, form: ["closedOn": "29/04/2022", "note": "Đã cập nhật"]) { XCTAssertEqual($0.status, .seeOther, $0.body.string) }
            try await app.page(.GET, page, as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("status-closed-on-time"), res.body.string)
            }
            try await app.page(.GET, "/plans/\(s.plan)/activities?year=2022", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("Giám sát ấp"))
                XCTAssertTrue(res.body.string.contains("1/1"), "follow-ups done of all")
            }
        }
    }
}

/// A plan of An Giang, its province officer (cv), the officer of its first commune (xa), and a
/// collaborator working in that commune.
struct ActivityScene { var plan: UUID; var cv: String; var xa: String; var a: AdminUnit; var b: AdminUnit; var collaborator: UUID }

extension Application {
    func activityScene() async throws -> ActivityScene {
        let communes = try await communes()
        let cv = try await token(for: try await makeUser("cv", role: .provinceOfficer, scope: "91"))
        let xa = try await token(for: try await makeUser("xa", role: .communeOfficer, scope: communes[0].code))
        let plan = try await makePlan(cv)
        let person = try await makePerson(cv, PersonBody(fullName: "Trần Thị Mai", birthDate: "05/06/1985", cccd: "091185001111", homeUnitCode: communes[0].code))
        try await api(.POST, "/api/v1/people/\(person.id!)/assignments", token: cv,
                          json: PostBody(unitCode: communes[0].code, domains: ["population"], positionTitle: "Cộng tác viên", employmentKind: "cong-tac-vien", startDate: "01/01/2020")) {
            XCTAssertEqual($0.status, .created, $0.body.string)
        }
        return ActivityScene(plan: plan, cv: cv, xa: xa, a: communes[0], b: communes[1], collaborator: person.id!)
    }

    func recordActivity(_ s: ActivityScene, _ token: String, _ input: ActivityInput) async throws -> ActivityDTO {
        var out: ActivityDTO?
        try await api(.POST, "/api/v1/plans/\(s.plan)/activities", token: token, json: input) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            out = try res.json(ActivityDTO.self)
        }
        return out!
    }

}
