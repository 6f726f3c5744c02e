import XCTest
import XCTVapor
import Fluent
import SQLKit
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletWorkforce
@testable import HamletTraining
@testable import HamletPlans

/// The kept tallies of the trained share give, after every kind of change, the same counts as the
/// live statement over the posts, for the country and for a province, on days around each change.
final class ShareTallyTests: XCTestCase {
    let days = ["2004-12-31", "2019-12-31", "2020-01-01", "2021-06-30", "2022-03-03", "2023-06-30", "2023-07-01", "2024-12-31", "2026-03-31"]

    /// "code active/trained" per child and the total, as the indicator's values show them.
    func kept(_ app: Application, _ id: UUID, _ unit: String?) async throws -> [String] {
        let indicator = try await Indicator.find(id, on: app.db)!
        let place = try await unit.asyncMap { try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == $0).first()! }
        var out: [String] = []
        for day in days {
            let v = try await IndicatorEngine(db: app.db).value(indicator, unit: place, date: day)
            XCTAssertNil(v.building, "counted from the built tally")
            out.append("\(day) \(v.numerator ?? -1)/\(v.denominator ?? -1) " + v.children.map { "\($0.code) \($0.numerator ?? -1)/\($0.denominator ?? -1)" }.joined(separator: ", "))
        }
        return out
    }

    func live(_ app: Application, _ id: UUID, _ unit: String?) async throws -> [String] {
        let d = try await Indicator.find(id, on: app.db)!.parsed()
        let place = try await unit.asyncMap { try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == $0).first()! }
        if d.kind == .trainedCount {
            var out: [String] = []
            for day in days {
                let y = try await TrainingFigures(db: app.db).years(unit: place, from: d.fromYear!, to: Int(day.prefix(4))!, trained: d.trained ?? TrainedCriteria(), until: day)
                out.append("\(day) \(y.people)/-1 " + y.children.filter { $0.people > 0 }.map { "\($0.code) \($0.people)/-1" }.joined(separator: ", "))
            }
            return out
        }
        let all = try await TrainingFigures(db: app.db).shares(unit: place, dates: days, staff: d.staff ?? StaffCriteria(), trained: d.trained ?? TrainedCriteria())
        return days.map { day in
            let s = all[day]!
            return "\(day) \(s.trained)/\(s.active) " + s.children.map { "\($0.code) \($0.trained)/\($0.active)" }.joined(separator: ", ")
        }
    }

    /// A count against a baseline year: the stored indicator (kept) beside an unsaved copy (live).
    func assertSameChange(_ app: Application, _ id: UUID, _ step: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let stored = try await Indicator.find(id, on: app.db)!
        let copy = Indicator()
        copy.code = stored.code; copy.name = stored.name; copy.kind = stored.kind; copy.definition = stored.definition
        for unit in [nil, "91"] as [String?] {
            let place = try await unit.asyncMap { try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == $0).first()! }
            for day in days {
                func shown(_ v: IndicatorValue) -> String {
                    "\(v.value) \(v.numerator ?? -1)/\(v.denominator ?? -1) " + v.children.filter { ($0.numerator ?? 0) != 0 || ($0.denominator ?? 0) != 0 }
                        .map { "\($0.code) \($0.value) \($0.numerator ?? -1)/\($0.denominator ?? -1)" }.joined(separator: ", ")
                }
                let kept = try await IndicatorEngine(db: app.db).value(stored, unit: place, date: day)
                XCTAssertNil(kept.building, "counted from the built tally", file: file, line: line)
                let live = try await IndicatorEngine(db: app.db).value(copy, unit: place, date: day)
                XCTAssertEqual(shown(kept), shown(live), "\(step), \(unit ?? "VN"), \(day)", file: file, line: line)
            }
        }
    }

    func assertSame(_ app: Application, _ ids: [UUID], _ step: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        for id in ids {
            for unit in [nil, "91"] {
                let k = try await kept(app, id, unit), l = try await live(app, id, unit)
                XCTAssertEqual(k, l, "\(step), \(unit ?? "VN")", file: file, line: line)
            }
        }
    }

    func testKeptCountsFollowEveryChange() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            let everyone = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare, staff: StaffCriteria(domains: [.population])))
            let course = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
            let byKind = try await app.makeIndicator(token, "DT2", IndicatorDefinition(kind: .trainedShare,
                trained: TrainedCriteria(courseKinds: [.tapHuan], since: "2020-01-01")))
            let count = try await app.makeIndicator(token, "SL", IndicatorDefinition(kind: .trainedCount, fromYear: 2021))
            let ids = [everyone, byKind, count]
            let change = try await app.makeIndicator(token, "SL2", IndicatorDefinition(kind: .trainedCount, fromYear: 2021, baselineYear: 2021))
            let a = try await app.seedPeople(3, unit: "30292", start: "2020-01-01")
            let b = try await app.seedPeople(2, unit: "30313", start: "2019-01-01", end: "2023-06-30", prefix: "Đã Nghỉ")
            _ = try await app.seedPeople(1, unit: "79", start: "2021-01-01", prefix: "Tỉnh Khác")
            try await TallyBuilds(db: app.db).finishAll()
            try await assertSame(app, ids, "people only")
            var expected = try await kept(app, everyone, "91")
            XCTAssertEqual(expected[5], "2023-06-30 0/5 30292 0/3, 30313 0/2", "the figure itself, by hand")

            // A completion, then a class cancelled, then the course's kind changed.
            let org = try await app.makeAgency(token, "Sở Y tế")
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30292", startDate: "01/03/2022", endDate: "03/03/2022", status: "finished"))
            try await app.enrol(token, klass, [a[0], b[0]])
            try await app.completeAll(token, klass)
            try await assertSame(app, ids, "after completions")
            try await assertSameChange(app, change, "after completions")
            expected = try await kept(app, everyone, "91")
            XCTAssertEqual(expected[4], "2022-03-03 2/5 30292 1/3, 30313 1/2")
            try await app.api(.PATCH, "/api/v1/classes/\(klass)", token: token, json: JSON(["status": "cancelled"])) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await assertSame(app, ids, "class cancelled")
            try await assertSameChange(app, change, "class cancelled")
            let cancelled = try await kept(app, count, nil)
            XCTAssertEqual(cancelled[5], "2023-06-30 0/-1 ", "a cancelled class trains nobody")
            try await app.api(.PATCH, "/api/v1/classes/\(klass)", token: token, json: JSON(["status": "finished"])) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await app.api(.PATCH, "/api/v1/courses/\(course)", token: token, json: JSON(["kind": "boi-duong"])) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await assertSame(app, ids, "course kind changed")
            try await assertSameChange(app, change, "course kind changed")
            let held = try await kept(app, count, "91")
            XCTAssertEqual(held[5], "2023-06-30 2/-1 30292 2/-1", "both counted where the class was held")
            // The class moved to another commune: counted there.
            try await app.api(.PATCH, "/api/v1/classes/\(klass)", token: token, json: JSON(["unitCode": "30313"])) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await assertSame(app, ids, "class moved")
            try await assertSameChange(app, change, "class moved")
            let moved = try await kept(app, count, "91")
            XCTAssertEqual(moved[5], "2023-06-30 2/-1 30313 2/-1")
            // Trained again the next year: counted once in each year, against the baseline.
            let again = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30292", startDate: "01/05/2023", endDate: "05/05/2023", status: "finished"))
            try await app.enrol(token, again, [a[0]])
            try await app.completeAll(token, again)
            try await assertSameChange(app, change, "trained again")
            try await assertSame(app, ids, "trained again")
            let twice = try await IndicatorEngine(db: app.db).value(try await Indicator.find(change, on: app.db)!, unit: nil, date: "2023-06-30")
            XCTAssertEqual(twice.numerator, 1, "2023 counts the second class")

            // A concurrent post in another commune and another province, an ended post, a moved post.
            let first = try await Assignment.query(on: app.db).filter(\.$person.$id == a[1]).first()!
            for (code, start) in [("30313", "2021-01-01"), ("79", "2022-01-01")] {
                let unit = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == code).first()!
                let extra = Assignment()
                extra.$person.id = a[1]; extra.unitCode = unit.code; extra.unitPath = unit.path
                extra.socialWork = false; extra.family = false; extra.population = true; extra.children = false
                extra.positionTitle = "Kiêm nhiệm"; extra.employmentKind = .congTacVien; extra.fullTime = false; extra.concurrent = true
                extra.startDate = start
                try await extra.create(on: app.db)
            }
            try await assertSame(app, ids, "concurrent posts")
            first.endDate = "2023-06-30"
            try await first.update(on: app.db)
            try await assertSame(app, ids, "ended post")
            try await (app.db as! any SQLDatabase).raw("UPDATE assignments SET unit_path = '91.30313.' , unit_code = '30313' WHERE person_id = \(bind: a[2])").run()
            try await assertSame(app, ids, "moved by SQL")

            // The definition edited: the tally is built again for the new one.
            try await app.api(.PATCH, "/api/v1/indicators/\(everyone)", token: token,
                              json: IndicatorInput(definition: IndicatorDefinition(kind: .trainedShare, staff: StaffCriteria(domains: [.population]),
                                                                                   trained: TrainedCriteria(since: "2023-01-01")))) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await TallyBuilds(db: app.db).finishAll()
            try await assertSame(app, ids, "definition edited")
            let noOneTrained = try await kept(app, everyone, nil)
            XCTAssertTrue(noOneTrained.allSatisfy { $0.contains(" 0/") }, "only classes ending from 2023 count now: \(noOneTrained)")
            // Nothing left to rebuild once read.
            let dirty = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM share_tally_dirty").first()!.decode(column: "n", as: Int.self)
            XCTAssertEqual(dirty, 0)
        }
    }

    /// Coverage of hamlets, kept per place, against `CoverageQuery` after posts and units change.
    func testKeptCoverageFollowsPostsAndUnits() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            let rule = CoverageRule(level: .hamlet, domains: [.population], min: 1, max: 2)
            let id = try await app.makeIndicator(token, "AP", IndicatorDefinition(kind: .unitsWithPeople, rule: rule))
            var codes: [String] = []
            for (commune, name, from) in [("30292", "Ấp Cũ", "01/07/2025"), ("30292", "Ấp Hai", "01/07/2025"), ("30313", "Ấp Ba", "01/07/2025"), ("30292", "Ấp Mới", "01/03/2026")] {
                try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: token,
                                  json: JSON(["name": name, "type": "Ấp", "effectiveDate": from])) { codes.append(try $0.json(UnitDTO.self).code) }
            }
            let coverageDays = days + ["2026-02-28", "2026-03-01"]
            try await TallyBuilds(db: app.db).finishAll()
            func check(_ step: String, file: StaticString = #filePath, line: UInt = #line) async throws {
                let indicator = try await Indicator.find(id, on: app.db)!
                for code in [nil, "91"] as [String?] {
                    let place = try await code.asyncMap { try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == $0).first()! }
                    for day in coverageDays {
                        let kept = try await IndicatorEngine(db: app.db).value(indicator, unit: place, date: day)
                        XCTAssertNil(kept.building, "counted from the built tally", file: file, line: line)
                        let live = try await CoverageQuery(db: app.db).run(rule, unit: place, date: day, withMisses: false)
                        XCTAssertEqual("\(kept.numerator ?? -1)/\(kept.denominator ?? -1) " + kept.children.map { "\($0.code) \($0.numerator ?? -1)/\($0.denominator ?? -1)" }.joined(separator: ", "),
                                       "\(live.meeting)/\(live.places) " + live.children.map { "\($0.code) \($0.meeting)/\($0.places)" }.joined(separator: ", "),
                                       "\(step), \(code ?? "VN"), \(day)", file: file, line: line)
                    }
                    let trend = try await IndicatorEngine(db: app.db).series(indicator, unit: place, dates: coverageDays)
                    let each = try await CoverageQuery(db: app.db).series(rule, unit: place, dates: coverageDays)
                    XCTAssertEqual(trend, each, "\(step), trend", file: file, line: line)
                }
            }
            try await check("empty hamlets")
            let a = try await app.seedPeople(3, unit: codes[0], start: "2020-01-01")
            _ = try await app.seedPeople(1, unit: codes[1], start: "2019-01-01", end: "2023-06-30", prefix: "Đã Nghỉ")
            _ = try await app.seedPeople(1, unit: codes[2], start: "2021-01-01", prefix: "Xã Khác")
            try await check("people")
            var v = try await IndicatorEngine(db: app.db).value(try await Indicator.find(id, on: app.db)!, unit: nil, date: "2023-01-01")
            XCTAssertEqual([v.numerator, v.denominator], [2, 3], "three people is over the maximum; the new hamlet is not open yet")
            // A post ends, one moves to another hamlet, a hamlet closes.
            let post = try await Assignment.query(on: app.db).filter(\.$person.$id == a[0]).first()!
            post.endDate = "2022-12-31"
            try await post.update(on: app.db)
            try await check("ended post")
            try await (app.db as! any SQLDatabase).raw("UPDATE assignments SET unit_code = \(bind: codes[3]), unit_path = (SELECT path FROM units WHERE code = \(bind: codes[3])) WHERE person_id = \(bind: a[1])").run()
            try await check("moved post")
            try await app.api(.POST, "/api/v1/units/2025/\(codes[1])/close", token: token, json: JSON(["note": "Giải thể"])) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await check("closed hamlet")
            // Closed today: it counted yesterday, not today.
            let today = DayDate.today()
            v = try await IndicatorEngine(db: app.db).value(try await Indicator.find(id, on: app.db)!, unit: nil, date: today.iso)
            XCTAssertEqual(v.denominator, 3, "the closed hamlet no longer counts; the one opened in March does")
            v = try await IndicatorEngine(db: app.db).value(try await Indicator.find(id, on: app.db)!, unit: nil, date: today.adding(days: -1).iso)
            XCTAssertEqual(v.denominator, 4)
        }
    }
}
