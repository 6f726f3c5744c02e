import XCTest
import XCTVapor
import Fluent
import SQLKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletDatabase
@testable import HamletPlans
@testable import HamletReporting
@testable import HamletWorkforce
@testable import HamletTraining

/// Dashboards, indicator values and totals kept under the data versions they were computed at:
/// asked again with nothing changed, the kept answer; after any change to what they read, by
/// the API or by SQL outside the app, the figure counted afresh, by hand.
final class KeptAnswersTests: XCTestCase {
    func versions(_ app: Application) async throws -> [String: Int64] { try await DataVersions.all(on: app.db) }

    func testEveryTableAFigureMayReadRaisesItsGroup() async throws {
        try await withApp { app in
            let sql = app.db as! any SQLDatabase
            let without = try await DataVersions.tablesWithout(on: sql, postgres: SQLText.isPostgres(app.db))
            XCTAssertEqual(Set(without).subtracting(DataVersions.untracked).filter { !$0.hasPrefix("sqlite_") }, [], "tables a figure may read without their triggers")
            XCTAssertTrue(without.contains("audit_entries"), "the audit log is not tracked")

            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let commune = try await app.communes()[0].code
            var before = try await versions(app)
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202601&ou=\(commune)&value=3", token: token) { XCTAssertEqual($0.status, .created, $0.body.string) }
            var after = try await versions(app)
            XCTAssertGreaterThan(after["reports"] ?? 0, before["reports"] ?? 0, "a saved value raises the reports")
            XCTAssertEqual(after["figures"] ?? 0, before["figures"] ?? 0, "and nothing else")
            before = after
            _ = try await app.makePerson(token, PersonBody(fullName: "Nguyễn Thị Hoa", homeUnitCode: commune))
            after = try await versions(app)
            XCTAssertGreaterThan(after["figures"] ?? 0, before["figures"] ?? 0, "a new person raises the figures")
            XCTAssertEqual(after["reports"] ?? 0, before["reports"] ?? 0)
        }
    }

    func testInstancesStartingTogetherInstallTheTriggersOnce() async throws {
        try await withApp { app in
            let sql = app.db as! any SQLDatabase
            let postgres = SQLText.isPostgres(app.db)
            // Tables without their triggers, as after migrations that added them.
            let tables = ["people", "assignments", "participations", "training_classes", "courses", "units", "organisations", "plans", "targets", "indicators",
                          "cases", "population_figures", "plan_activities", "data_values", "reports", "report_approvals"]
            for table in tables {
                if postgres {
                    try await sql.raw("DROP TRIGGER \(unsafeRaw: table)_data_version ON \(unsafeRaw: table)").run()
                } else {
                    for event in ["insert", "update", "delete"] { try await sql.raw("DROP TRIGGER \(unsafeRaw: table)_data_version_\(unsafeRaw: event)").run() }
                }
            }
            let missing = try await DataVersions.tablesWithout(on: sql, postgres: postgres)
            XCTAssertEqual(Set(tables).subtracting(missing), [])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { try await DataVersions.install(on: app.db) } }
                try await group.waitForAll()
            }
            let after = try await DataVersions.tablesWithout(on: sql, postgres: postgres)
            XCTAssertEqual(Set(tables).intersection(after), [], "eight installs at once: every table has its triggers, and none failed")
        }
    }

    func testAFigureIsKeptUntilWhatItReadChanges() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            _ = try await app.seedPeople(3, unit: "30292", start: "2020-01-01")
            let share = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare))
            let plan = try await app.makePlan(token)
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: share, stages: [.init(deadline: "31/12/2030", value: 60)])) { XCTAssertEqual($0.status, .created, $0.body.string) }
            try await app.makeReportingCatalogue(token)
            let kept = app.keptAnswers
            func dashboard() async throws -> PlanDashboardDTO {
                var dto: PlanDashboardDTO?
                try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?date=01/06/2026", token: token) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    dto = try res.json(PlanDashboardDTO.self)
                }
                return dto!
            }
            let first = try await dashboard()
            XCTAssertEqual([first.targets[0].numerator, first.targets[0].denominator], [0, 3])
            let (hits, misses) = (kept.hits, kept.misses)
            let again = try await dashboard()
            XCTAssertEqual(kept.hits, hits + 1, "asked again with nothing changed: the kept answer")
            XCTAssertEqual(kept.misses, misses)
            XCTAssertEqual(again.targets[0].denominator, 3)

            // A value saved to a report: the plan reads no reported total, so its dashboard stays kept.
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202601&ou=30292&value=3", token: token) { XCTAssertEqual($0.status, .created, $0.body.string) }
            _ = try await dashboard()
            XCTAssertEqual(kept.hits, hits + 2, "a reported value does not touch a plan that reads none")

            // Two people added through the API: counted at once (3 + 2 = 5 active, none trained).
            for name in ["Trần Văn An", "Lê Thị Bình"] {
                let person = try await app.makePerson(token, PersonBody(fullName: name, homeUnitCode: "30313"))
                try await app.api(.POST, "/api/v1/people/\(person.id!)/assignments", token: token,
                                  json: PostBody(unitCode: "30313", domains: ["population"], positionTitle: "Cộng tác viên dân số", employmentKind: "cong-tac-vien",
                                                 startDate: "01/01/2021")) { XCTAssertEqual($0.status, .created, $0.body.string) }
            }
            let added = try await dashboard()
            XCTAssertEqual([added.targets[0].numerator, added.targets[0].denominator], [0, 5], "the change is in the next read")
            XCTAssertEqual(added.targets[0].children.filter { ($0.denominator ?? 0) > 0 }.map { "\($0.code) \($0.denominator!)" }, ["30292 3", "30313 2"])

            // A post ended by SQL outside the app (another instance, a script): still in the next read.
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE assignments SET end_date = '2021-06-30' WHERE unit_code = '30313'").run()
            let ended = try await dashboard()
            XCTAssertEqual(ended.targets[0].denominator, 3, "posts ended on 30/06/2021 do not count on 01/06/2026")

            // The same figure through the indicator's values: kept the same way.
            func value() async throws -> IndicatorValue { try await app.indicatorValue(token, share, "unit=91&date=01/06/2026") }
            let v = try await value()
            let h = kept.hits
            let w = try await value()
            XCTAssertEqual(kept.hits, h + 1)
            XCTAssertEqual([v.numerator, v.denominator, w.numerator, w.denominator], [0, 3, 0, 3])
        }
    }

    func testManyAskingAtOnceMakeOneComputation() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            _ = try await app.seedPeople(4, unit: "30292", start: "2020-01-01")
            let share = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare))
            let plan = try await app.makePlan(token)
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: share, stages: [.init(deadline: "31/12/2030", value: 60)])) { XCTAssertEqual($0.status, .created, $0.body.string) }
            let before = app.keptAnswers.computed
            let answers = try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        var active: Int?
                        try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?date=01/06/2026", token: token) { res in
                            XCTAssertEqual(res.status, .ok, res.body.string)
                            active = try res.json(PlanDashboardDTO.self).targets.first?.denominator
                        }
                        return active
                    }
                }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            XCTAssertEqual(answers, Array(repeating: 4, count: 12))
            XCTAssertEqual(app.keptAnswers.computed, before + 1, "twelve at once, one computation")
        }
    }

    func testReportTotalsFollowEverySavedValue() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let communes = try await app.communes()
            func total() async throws -> Double {
                var sum = -1.0
                try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&period=202601", token: token) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    sum = try res.json(ReportTotals.Result.self).total ?? 0
                }
                return sum
            }
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202601&ou=\(communes[0].code)&value=3", token: token) { XCTAssertEqual($0.status, .created) }
            let first = try await total()
            let hits = app.keptAnswers.hits
            let again = try await total()
            XCTAssertEqual(again, first)
            XCTAssertEqual(app.keptAnswers.hits, hits + 1)
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202601&ou=\(communes[1].code)&value=4", token: token) { XCTAssertEqual($0.status, .created) }
            let after = try await total()
            XCTAssertEqual([first, after], [3, 7], "3, then 3 + 4")
        }
    }

    /// A figure of reported values is kept under its own element's counter: a value of another
    /// element saved, imported or changed leaves it kept; its own element's value, however written
    /// (a save, a DHIS2 import, SQL outside the app), is in the next read.
    func testAReportedFigureIsKeptUntilItsOwnElementChanges() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            try await app.makeReportingCatalogue(token)
            let communes = try await app.communes()
            let total = try await app.makeIndicator(token, "BC-CTV", IndicatorDefinition(kind: .reportedTotal, element: "CTV_TONG"))
            let plan = try await app.makePlan(token)
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: total, stages: [.init(deadline: "31/12/2030", value: 60)])) { XCTAssertEqual($0.status, .created, $0.body.string) }
            let kept = app.keptAnswers
            func dashboard() async throws -> Double? {
                var value: Double?
                try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?date=31/12/2026", token: token) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    value = try res.json(PlanDashboardDTO.self).targets.first?.current
                }
                return value
            }
            func totals() async throws -> Double {
                var sum = -1.0
                try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&from=202601&to=202612", token: token) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    sum = try res.json(ReportTotals.Result.self).total ?? 0
                }
                return sum
            }
            func save(_ element: String, _ unit: String, _ value: Int, combo: String = "") async throws {
                let co = combo.isEmpty ? "" : "&co=\(combo)"
                try await app.api(.POST, "/api/dataValues?de=\(element)&pe=202603&ou=\(unit)&value=\(value)\(co)", token: token) { XCTAssertEqual($0.status, .created, $0.body.string) }
            }
            try await save("CTV_TONG", communes[0].code, 3)
            let firstDashboard = try await dashboard(), firstTotal = try await totals()
            XCTAssertEqual([firstDashboard, firstTotal], [3, 3])

            // Another element saved, and imported: both answers stay kept.
            let computed = kept.computed
            try await save("CTV_TAP_HUAN", communes[0].code, 2, combo: "NU")
            try await app.api(.POST, "/api/dataValueSets", token: token, json: DHIS2ValueSet(dataValues: [
                DHIS2Value(dataElement: "CTV_TAP_HUAN", period: "202604", orgUnit: communes[1].code, categoryOptionCombo: "NAM", value: "5"),
            ])) { XCTAssertEqual(try $0.json(ImportMessage.self).response.importCount.imported, 1, $0.body.string) }
            let otherDashboard = try await dashboard(), otherTotal = try await totals()
            XCTAssertEqual([otherDashboard, otherTotal], [3, 3])
            XCTAssertEqual(kept.computed, computed, "values of another element leave the dashboard and the total kept")

            // Its own element: a save, an import, SQL by hand; each in the next read.
            try await save("CTV_TONG", communes[1].code, 4)
            let savedDashboard = try await dashboard(), savedTotal = try await totals()
            XCTAssertEqual([savedDashboard, savedTotal], [7, 7])
            try await app.api(.POST, "/api/dataValueSets", token: token, json: DHIS2ValueSet(dataValues: [
                DHIS2Value(dataElement: "CTV_TONG", period: "202605", orgUnit: communes[0].code, categoryOptionCombo: nil, value: "10"),
            ])) { XCTAssertEqual(try $0.json(ImportMessage.self).response.importCount.imported, 1, $0.body.string) }
            let importedDashboard = try await dashboard(), importedTotal = try await totals()
            XCTAssertEqual([importedDashboard, importedTotal], [17, 17])
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE data_values SET value = '1', number = 1 WHERE org_code = \(bind: communes[0].code) AND period = '202605'").run()
            let bySQLDashboard = try await dashboard(), bySQLTotal = try await totals()
            XCTAssertEqual([bySQLDashboard, bySQLTotal], [8, 8], "changed outside the app: 3 + 4 + 1")
            let hits = kept.hits
            let again = try await totals()
            XCTAssertEqual(again, 8)
            XCTAssertEqual(kept.hits, hits + 1, "and kept again after")
        }
    }

    /// Coverage, the training figures (page and export) and the completeness matrix: kept while
    /// nothing they read changes, counted afresh in the next read after a change.
    func testCoverageTrainingFiguresAndCompletenessAreKeptUntilTheirDataChanges() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            _ = try await app.seedPeople(2, unit: "30292", start: "2020-01-01")
            let kept = app.keptAnswers
            func coverage() async throws -> CoverageResult {
                var r: CoverageResult?
                try await app.api(.GET, "/api/v1/coverage?unit=91&level=commune&domains=population&min=1&date=01/06/2026", token: token) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    r = try res.json(CoverageResult.self)
                }
                return r!
            }
            let c1 = try await coverage()
            var hits = kept.hits
            let c2 = try await coverage()
            XCTAssertEqual(kept.hits, hits + 1, "coverage asked again: kept")
            XCTAssertEqual([c1.meeting, c2.meeting], [1, 1], "one commune of the province has a collaborator")
            _ = try await app.seedPeople(1, unit: "30313", start: "2020-01-01")
            let c3 = try await coverage()
            XCTAssertEqual(c3.meeting, 2, "a post in a second commune: in the next read")

            var browser = try await app.login("cv")
            func figures() async throws -> String {
                var html = ""
                try await app.page(.GET, "/training/figures?unit=91&date=01/06/2026&from=2024&to=2026", as: &browser) { res in
                    XCTAssertEqual(res.status, .ok)
                    html = res.body.string
                }
                return html
            }
            _ = try await figures()
            hits = kept.hits
            _ = try await figures()
            XCTAssertEqual(kept.hits, hits + 2, "the share and the years, both kept")
            var export = ""
            try await app.page(.GET, "/training/figures/export?unit=91&date=01/06/2026&format=csv", as: &browser) { export = $0.body.string }
            XCTAssertTrue(export.contains("91,Tổng,3,0,0"), export)
            _ = try await app.seedPeople(1, unit: "30313", start: "2020-01-01")
            try await app.page(.GET, "/training/figures/export?unit=91&date=01/06/2026&format=csv", as: &browser) { export = $0.body.string }
            XCTAssertTrue(export.contains("91,Tổng,4,0,0"), "a fourth post: in the next export")

            try await app.makeReportingCatalogue(token)
            let commune = try await app.communes()[0].code
            func reported() async throws -> Int {
                var n = -1
                try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/completeness?unit=91&from=202610&to=202610", token: token) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    n = try res.json(ReportCompleteness.Result.self).total.reported
                }
                return n
            }
            let none = try await reported()
            hits = kept.hits
            let still = try await reported()
            XCTAssertEqual(kept.hits, hits + 1, "completeness asked again: kept")
            XCTAssertEqual([none, still], [0, 0])
            try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(commune)/202610", token: token, json: ReportBody(0, [("CTV_TONG", nil, "4")], submit: true)) {
                XCTAssertEqual($0.status, .ok, $0.body.string)
            }
            let one = try await reported()
            XCTAssertEqual(one, 1, "a report sent: in the next read")
        }
    }

    /// A saved value reads the reporting catalogue kept, not afresh; a change to the catalogue
    /// (a bound put on an element) holds for the very next save.
    func testTheCatalogueAValueIsCheckedAgainstIsKeptUntilItChanges() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let commune = try await app.communes()[0].code
            let computed = app.keptAnswers.computed
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202601&ou=\(commune)&value=3", token: token) { XCTAssertEqual($0.status, .created, $0.body.string) }
            XCTAssertEqual(app.keptAnswers.computed, computed + 1, "the first save read the catalogue")
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202602&ou=\(commune)&value=3", token: token) { XCTAssertEqual($0.status, .created, $0.body.string) }
            XCTAssertEqual(app.keptAnswers.computed, computed + 1, "the second save read it kept")
            try await app.api(.PATCH, "/api/v1/data-elements/CTV_TONG", token: token, json: ElementInput(maximum: 2)) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202603&ou=\(commune)&value=3", token: token) { res in
                XCTAssertEqual(res.status, .conflict, "3 is above the new maximum 2: " + res.body.string)
            }
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202603&ou=\(commune)&value=2", token: token) { XCTAssertEqual($0.status, .created, $0.body.string) }
            XCTAssertEqual(app.keptAnswers.computed, computed + 2, "read again once, after the change")
        }
    }
}
