import XCTest
import XCTVapor
import Fluent
import SQLKit
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletWorkforce
@testable import HamletTraining
@testable import HamletPlans

/// A new or edited indicator's kept tally is built in the background, a chunk at a time; until it
/// is built its values are counted live and marked, and the officer sees how far the build is.
final class TallyBuildTests: XCTestCase {
    func tally(_ app: Application, _ token: String, _ id: UUID) async throws -> TallyBuilds.Progress? {
        var p: TallyBuilds.Progress?
        try await app.api(.GET, "/api/v1/indicators/\(id)", token: token) { p = try $0.json(IndicatorDTO.self).tally }
        return p
    }

    func value(_ app: Application, _ token: String, _ id: UUID, unit: String? = nil) async throws -> IndicatorValue {
        try await app.indicatorValue(token, id, "date=31/12/2024" + (unit.map { "&unit=\($0)" } ?? ""))
    }

    func rows(_ app: Application, _ table: String, _ id: UUID) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE indicator_id = \(bind: id)").first()!.decode(column: "n", as: Int.self)
    }

    /// The text of the element with this id, tags dropped.
    func text(_ html: String, id: String) -> String? {
        guard let open = html.range(of: "id=\"\(id)\""), let start = html[open.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = html[html.index(after: start)...]
        guard let end = rest.range(of: "</p>") else { return nil }
        return String(rest[..<end.lowerBound]).replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
    }

    /// Four posts in one commune and one in another, two people trained in 2022: 2 of 5 at the end of 2024.
    func seed(_ app: Application, _ token: String) async throws -> [UUID] {
        let a = try await app.seedPeople(4, unit: "30292", start: "2020-01-01")
        let b = try await app.seedPeople(1, unit: "30313", start: "2019-01-01")
        let course = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
        let org = try await app.makeAgency(token, "Sở Y tế")
        let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30292", startDate: "01/03/2022", endDate: "03/03/2022", status: "finished"))
        try await app.enrol(token, klass, [a[0], a[1]])
        try await app.completeAll(token, klass)
        return a + b
    }

    func testANewIndicatorIsCountedLiveAndMarkedUntilItsTallyIsBuiltAChunkAtATime() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            let people = try await seed(app, token)
            var created: IndicatorDTO?
            try await app.api(.POST, "/api/v1/indicators", token: token,
                              json: IndicatorInput(code: "DT", name: "Tỷ lệ đã đào tạo", definition: IndicatorDefinition(kind: .trainedShare))) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                created = try res.json(IndicatorDTO.self)
            }
            let id = try XCTUnwrap(created?.id)
            XCTAssertEqual(created?.tally, TallyBuilds.Progress(state: "queued"), "saved: its build waits its turn")

            // Read before any build: counted live (2 of 5 by hand), marked, and nothing built by the request.
            var v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator], [2, 5])
            XCTAssertEqual(v.building, true)
            XCTAssertEqual(v.children.map { "\($0.code) \($0.numerator ?? -1)/\($0.denominator ?? -1)" }, ["91 2/5"])
            let province = try await value(app, token, id, unit: "91")
            XCTAssertEqual(province.building, true)
            XCTAssertEqual(province.children.map { "\($0.code) \($0.numerator ?? -1)/\($0.denominator ?? -1)" }, ["30292 2/4", "30313 0/1"])
            let commune = try await value(app, token, id, unit: "30292")
            XCTAssertNil(commune.building, "a commune is always counted live: nothing to mark")
            for table in ["share_tally_people", "share_tally_sums", "share_tally_built", "share_tally_builds"] {
                let n = try await rows(app, table, id)
                XCTAssertEqual(n, 0, "no request builds a tally (\(table))")
            }
            var browser = try await app.login("cv")
            // The country's page answers at once: the build's progress, no figure, a link to count live.
            try await app.page(.GET, "/indicators/\(id)?date=31/12/2024", as: &browser) { res in
                XCTAssertEqual(self.text(res.body.string, id: "tally-building"),
                               "Bảng đếm giữ sẵn của chỉ tiêu này đang chờ được dựng. Số liệu cả nước sẽ hiện ở đây khi dựng xong; đếm trực tiếp cả nước từ hồ sơ mất vài giây.")
                XCTAssertEqual(self.text(res.body.string, id: "count-live"), "Đếm trực tiếp ngay")
                XCTAssertTrue(res.page.hrefs.contains("/indicators/\(id)?date=31/12/2024&live=1"))
                XCTAssertFalse(res.body.string.contains("· 2/5"), "no figure until it is counted")
            }
            // Asked for, the country is counted live (2 of 5 by hand), and marked.
            try await app.page(.GET, "/indicators/\(id)?date=31/12/2024&live=1", as: &browser) { res in
                XCTAssertEqual(self.text(res.body.string, id: "tally-building"),
                               "Bảng đếm giữ sẵn của chỉ tiêu này đang chờ được dựng. Trong lúc chờ, số liệu dưới đây được đếm trực tiếp từ hồ sơ: con số như nhau, chỉ chậm hơn; biểu đồ xu hướng có khi xong.")
                XCTAssertNil(self.text(res.body.string, id: "count-live"))
                XCTAssertTrue(res.body.string.contains("· 2/5"), "the live figure is shown")
            }
            // A province is counted live without asking (a fraction of a second at national scale).
            try await app.page(.GET, "/indicators/\(id)?unit=91&date=31/12/2024", as: &browser) { res in
                XCTAssertNil(self.text(res.body.string, id: "count-live"))
                XCTAssertTrue(res.body.string.contains("· 2/5"), "the province's live figure is shown")
            }
            // A plan's dashboard says it of its target too.
            let plan = try await app.makePlan(token)
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: token,
                              json: TargetInput(indicatorId: id, stages: [.init(deadline: "31/12/2030", value: 100)])) { XCTAssertEqual($0.status, .created, $0.body.string) }
            let live = "đếm trực tiếp trong lúc bảng đếm giữ sẵn đang được dựng"
            try await app.page(.GET, "/plans/\(plan)?date=31/12/2024", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("2/5 · " + live), "the province: 2 of 5 trained, counted live")
            }

            // Started, then one chunk of two people: the officer sees how far it is.
            let builds = TallyBuilds(db: app.db, chunk: 2)
            var stepped = try await builds.step()
            XCTAssertTrue(stepped)
            var p = try await tally(app, token, id)
            XCTAssertEqual(p, TallyBuilds.Progress(state: "building", done: 0, total: 5))
            stepped = try await builds.step()
            XCTAssertTrue(stepped)
            p = try await tally(app, token, id)
            XCTAssertEqual(p, TallyBuilds.Progress(state: "building", done: 2, total: 5))
            XCTAssertEqual(p?.percent, 40)
            try await app.page(.GET, "/indicators/\(id)?date=31/12/2024", as: &browser) { res in
                XCTAssertEqual(self.text(res.body.string, id: "tally-building"),
                               "Bảng đếm giữ sẵn của chỉ tiêu này đang được dựng, đã xong 40 % (2/5 người). Số liệu cả nước sẽ hiện ở đây khi dựng xong; đếm trực tiếp cả nước từ hồ sơ mất vài giây.")
            }
            try await app.page(.GET, "/indicators/\(id)?unit=91&date=31/12/2024", as: &browser) { res in
                XCTAssertEqual(self.text(res.body.string, id: "tally-building"),
                               "Bảng đếm giữ sẵn của chỉ tiêu này đang được dựng, đã xong 40 % (2/5 người). Trong lúc chờ, số liệu dưới đây được đếm trực tiếp từ hồ sơ: con số như nhau, chỉ chậm hơn; biểu đồ xu hướng có khi xong.")
            }

            // A third person trained while the build is halfway: the live figure has it at once.
            let course = try await app.makeCourse(token, "Kỹ năng 2", kind: "tap-huan")
            let org = try await app.makeAgency(token, "Sở Nội vụ")
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30313", startDate: "01/05/2023", endDate: "05/05/2023", status: "finished"))
            try await app.enrol(token, klass, [people[4]])
            try await app.completeAll(token, klass)
            v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator], [3, 5])
            XCTAssertEqual(v.building, true)

            // The server stopped halfway: another builder (a restart, another instance) goes on from the row.
            let before = try await rows(app, "share_tally_people", id)
            XCTAssertGreaterThan(before, 0, "the first chunk's rows are kept")
            var steps = 0
            while try await TallyBuilds(db: app.db, chunk: 2).step() { steps += 1 }
            XCTAssertEqual(steps, 4, "the person trained meanwhile redone, two chunks (people 3–4, then 5), then the finish")
            p = try await tally(app, token, id)
            XCTAssertEqual(p, TallyBuilds.Progress(state: "ready"))

            // Built: the same figures from the tally, no longer marked; the answer kept while it was live is not served.
            v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator], [3, 5])
            XCTAssertNil(v.building)
            let kept = try await value(app, token, id, unit: "91")
            XCTAssertNil(kept.building)
            XCTAssertEqual(kept.children.map { "\($0.code) \($0.numerator ?? -1)/\($0.denominator ?? -1)" }, ["30292 2/4", "30313 1/1"])
            try await app.page(.GET, "/indicators/\(id)?date=31/12/2024", as: &browser) { res in
                XCTAssertNil(self.text(res.body.string, id: "tally-building"))
                XCTAssertTrue(res.body.string.contains("· 3/5"))
            }
            try await app.page(.GET, "/plans/\(plan)?date=31/12/2024", as: &browser) { res in
                XCTAssertFalse(res.body.string.contains(live))
                XCTAssertTrue(res.body.string.contains("3/5</small>"), "the province now: 3 of 5, from the tally")
            }
        }
    }

    func testAnEditedIndicatorIsBuiltAgainForItsNewDefinition() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            _ = try await seed(app, token)
            let id = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare))
            let builds = TallyBuilds(db: app.db, chunk: 2)
            try await builds.step()
            try await builds.step()
            // Edited halfway: the half-built tally is for the old definition.
            try await app.api(.PATCH, "/api/v1/indicators/\(id)", token: token,
                              json: IndicatorInput(definition: IndicatorDefinition(kind: .trainedShare, trained: TrainedCriteria(since: "2023-01-01")))) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(IndicatorDTO.self).tally, TallyBuilds.Progress(state: "queued"))
            }
            var v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator, v.building.map { $0 ? 1 : 0 }], [0, 5, 1], "nobody trained since 2023, counted live")
            try await builds.step()
            let dropped = try await rows(app, "share_tally_people", id)
            XCTAssertEqual(dropped, 0, "the old definition's rows are dropped")
            try await builds.finishAll()
            v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator], [0, 5])
            XCTAssertNil(v.building)
            // Edited once built: back to live until built again.
            try await app.api(.PATCH, "/api/v1/indicators/\(id)", token: token,
                              json: IndicatorInput(definition: IndicatorDefinition(kind: .trainedShare))) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator, v.building.map { $0 ? 1 : 0 }], [2, 5, 1])
            try await builds.finishAll()
            v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator], [2, 5])
            XCTAssertNil(v.building)
        }
    }

    /// More changes than a reader brings up to date itself (a large import): counted live and
    /// marked until the builder has caught up in the background, a chunk at a time.
    func testALargeBatchOfChangesIsCaughtUpInTheBackground() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            _ = try await seed(app, token)
            let id = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare))
            try await TallyBuilds(db: app.db).finishAll()
            var v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator], [2, 5])
            XCTAssertNil(v.building)
            // One more than a request catches up: 2,001 posts in another commune.
            _ = try await app.seedPeople(ShareTally.catchUpInRequest + 1, unit: "30313", start: "2020-01-01")
            v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator], [2, 2006], "counted live: 5 + 2,001 posts")
            XCTAssertEqual(v.building, true)
            let noted = try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM share_tally_dirty").first()!.decode(column: "n", as: Int.self)
            XCTAssertEqual(noted, ShareTally.catchUpInRequest + 1, "the request rebuilt nobody")
            var p = try await tally(app, token, id)
            XCTAssertEqual(p?.state, "catching-up")
            var browser = try await app.login("cv")
            try await app.page(.GET, "/indicators/\(id)?date=31/12/2024", as: &browser) { res in
                XCTAssertEqual(self.text(res.body.string, id: "tally-building"),
                               "Bảng đếm giữ sẵn của chỉ tiêu này đang được cập nhật theo các thay đổi mới. Số liệu cả nước sẽ hiện ở đây khi dựng xong; đếm trực tiếp cả nước từ hồ sơ mất vài giây.")
            }
            try await app.page(.GET, "/indicators/\(id)?date=31/12/2024&live=1", as: &browser) { res in
                XCTAssertEqual(self.text(res.body.string, id: "tally-building"),
                               "Bảng đếm giữ sẵn của chỉ tiêu này đang được cập nhật theo các thay đổi mới. Trong lúc chờ, số liệu dưới đây được đếm trực tiếp từ hồ sơ: con số như nhau, chỉ chậm hơn; biểu đồ xu hướng có khi xong.")
                XCTAssertFalse(res.body.string.contains(#"id="trend""#), "no trend while counted live")
                XCTAssertTrue(res.body.string.contains("· 2/2006"))
            }
            var steps = 0
            while try await TallyBuilds(db: app.db, chunk: 1000).step() { steps += 1 }
            XCTAssertEqual(steps, 3, "2,001 people in chunks of 1,000")
            p = try await tally(app, token, id)
            XCTAssertEqual(p?.state, "ready")
            v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator], [2, 2006])
            XCTAssertNil(v.building, "from the tally again, the answer kept while live not served")
            try await app.page(.GET, "/indicators/\(id)?date=31/12/2024", as: &browser) { res in
                XCTAssertNil(self.text(res.body.string, id: "tally-building"))
                XCTAssertTrue(res.body.string.contains(#"id="trend""#), "the trend is back")
            }
        }
    }

    /// Two instances' builders at once take turns: every tally built once, with the right figures.
    func testTwoBuildersAtOnceTakeTurns() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            _ = try await seed(app, token)
            let share = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare))
            let count = try await app.makeIndicator(token, "SL", IndicatorDefinition(kind: .trainedCount, fromYear: 2021))
            let hamlets = try await app.makeIndicator(token, "AP", IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(level: .province, domains: [.population], min: 1)))
            let facilities = try await app.makeIndicator(token, "CS", IndicatorDefinition(kind: .budgetSpent, fromYear: 2021, budgetOf: .training))
            let live = [try await value(app, token, share), try await value(app, token, count), try await value(app, token, hamlets)]
            XCTAssertEqual(live.map(\.building), [true, true, true])
            async let one: Void = TallyBuilds(db: app.db, chunk: 1).finishAll()
            async let two: Void = TallyBuilds(db: app.db, chunk: 1).finishAll()
            _ = try await (one, two)
            let built = [try await value(app, token, share), try await value(app, token, count), try await value(app, token, hamlets)]
            XCTAssertEqual(built.map(\.building), [nil, nil, nil])
            XCTAssertEqual(built.map { [$0.numerator, $0.denominator] }, live.map { [$0.numerator, $0.denominator] })
            XCTAssertEqual(built[1].numerator, 2, "people trained since 2021, by hand")
            for id in [share, count, hamlets] {
                let ready = try await tally(app, token, id)
                XCTAssertEqual(ready?.state, "ready")
            }
            let none = try await tally(app, token, facilities)
            XCTAssertNil(none, "budget spent is always counted live: no tally to show")
        }
    }

    /// `hamlet serve`'s builder: started, it builds a saved indicator's tally on its own.
    func testTheBackgroundBuilderBuildsASavedIndicator() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            _ = try await seed(app, token)
            TallyBuilder.start(app)
            let id = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare))
            var state: String?
            for _ in 0..<100 where state != "ready" {
                state = try await tally(app, token, id)?.state
                if state != "ready" { try await Task.sleep(for: .milliseconds(100)) }
            }
            await TallyBuilder().shutdownAsync(app)
            XCTAssertEqual(state, "ready", "built within ten seconds")
            let v = try await value(app, token, id)
            XCTAssertEqual([v.numerator, v.denominator], [2, 5])
            XCTAssertNil(v.building)
        }
    }
}
