import XCTest
@testable import HamletKit

final class TargetStatusTests: XCTestCase {
    let d = { (s: String) in DayDate(s)! }

    /// Thanh Hóa: 20% in 2014, ≥ 60% by 2016, 100% by 2020.
    func testStagedTargetAgainstTheStraightLine() {
        let baseline = TargetStatus.Stage(deadline: d("2014-12-31"), value: 20)
        let stages = [TargetStatus.Stage(deadline: d("2016-12-31"), value: 60), .init(deadline: d("2020-12-31"), value: 100)]
        XCTAssertEqual(TargetStatus.expected(baseline: baseline, stages: stages, on: d("2015-12-31")), 40, accuracy: 0.1)
        XCTAssertEqual(TargetStatus.expected(baseline: baseline, stages: stages, on: d("2018-12-31")), 80, accuracy: 0.1)
        XCTAssertEqual(TargetStatus.expected(baseline: baseline, stages: stages, on: d("2013-01-01")), 20)
        XCTAssertEqual(TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2015-12-31"), current: 45).status, .onTrack)
        XCTAssertEqual(TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2015-12-31"), current: 35).status, .atRisk)
        XCTAssertEqual(TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2019-06-30"), current: 100).status, .achieved)
        let over = TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2021-01-01"), current: 99)
        XCTAssertEqual(over.status, .missed)
        XCTAssertEqual(over.judgedOn, d("2020-12-31"))
    }

    /// 588/QĐ-UBND: ≥ 85% of vulnerable children supported by 2025, baseline 100% in 2020. A
    /// value of 100% meets "at least 85%" whatever the baseline (it was "at risk" when the
    /// direction was guessed from the baseline).
    func testAnAtLeastTargetBelowItsBaselineIsMetAt100() {
        let baseline = TargetStatus.Stage(deadline: d("2020-12-31"), value: 100)
        let stages = [TargetStatus.Stage(deadline: d("2025-12-31"), value: 85)]
        XCTAssertEqual(TargetStatus.evaluate(direction: .atLeast, baseline: baseline, stages: stages, on: d("2023-06-30"), current: 100).status, .achieved)
        XCTAssertEqual(TargetStatus.evaluate(direction: .atLeast, baseline: baseline, stages: stages, on: d("2023-06-30"), current: 80).status, .atRisk)
        let closed = TargetStatus.evaluate(direction: .atLeast, baseline: baseline, stages: stages, on: d("2026-12-05"), current: 70, valueOn: { $0 == self.d("2025-12-31") ? 90 : nil })
        XCTAssertEqual(closed.status, .achieved, "judged on the deadline day's 90%, not today's 70%")
        XCTAssertEqual(closed.value, 90)
    }

    /// A rate meant to fall ("at most"): 10 in 2020 to ≤ 5 by 2025.
    func testAnAtMostTarget() {
        let baseline = TargetStatus.Stage(deadline: d("2020-12-31"), value: 10)
        let stages = [TargetStatus.Stage(deadline: d("2025-12-31"), value: 5)]
        func status(_ day: String, _ v: Double) -> TargetStatus { TargetStatus.evaluate(direction: .atMost, baseline: baseline, stages: stages, on: d(day), current: v).status }
        XCTAssertEqual(status("2023-06-30", 7), .onTrack)
        XCTAssertEqual(status("2023-06-30", 9), .atRisk)
        XCTAssertEqual(status("2024-01-01", 4), .achieved)
        XCTAssertEqual(status("2026-01-01", 6), .missed)
        XCTAssertEqual(status("2026-01-01", 5), .achieved)
        XCTAssertEqual(d("2024-03-01").dayNumber - d("2024-02-28").dayNumber, 2, "2024 is a leap year")
        XCTAssertEqual(d("2025-01-01").dayNumber - d("2024-01-01").dayNumber, 366)
    }

    /// Once a stage's deadline or the plan's period has passed, never "on track" or "at risk":
    /// each passed stage has its verdict on its own day, and a plan that ends before its last
    /// deadline is judged on its last day.
    func testEndedStagesAndEndedPlansAreJudged() {
        let baseline = TargetStatus.Stage(deadline: d("2014-12-31"), value: 20)
        let stages = [TargetStatus.Stage(deadline: d("2016-12-31"), value: 60), .init(deadline: d("2020-12-31"), value: 100)]
        let values = [d("2016-12-31"): 55.0, d("2020-12-31"): 100.0, d("2018-12-31"): 70.0]
        let middle = TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2017-06-30"), current: 80, valueOn: { values[$0] })
        XCTAssertEqual(middle.status, .onTrack)
        XCTAssertEqual(middle.verdicts, [.init(stage: stages[0], value: 55, met: false)])
        XCTAssertEqual(TargetStatus.daysNeeded(stages: stages, on: d("2021-03-01")), [d("2016-12-31"), d("2020-12-31")])
        let after = TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2021-03-01"), current: 40, valueOn: { values[$0] })
        XCTAssertEqual(after.status, .achieved)
        XCTAssertEqual(after.verdicts.map(\.met), [false, true])
        // The plan ended in 2018: judged on 31/12/2018 against the goal due by then (60%).
        let cut = TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2019-05-01"), current: 40, planEnds: d("2018-12-31"), valueOn: { values[$0] })
        XCTAssertEqual(cut.status, .achieved)
        XCTAssertEqual(cut.judgedOn, d("2018-12-31"))
        XCTAssertEqual(cut.expected, 60)
        // On the deadline day itself the day's value is final.
        XCTAssertEqual(TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2020-12-31"), current: 99).status, .missed)
        for day in ["2021-01-01", "2030-06-30"] {
            for v in stride(from: 0.0, through: 120, by: 7.5) {
                let s = TargetStatus.evaluate(baseline: baseline, stages: stages, on: d(day), current: v).status
                XCTAssertTrue(s == .achieved || s == .missed, "\(day) \(v): \(s)")
            }
        }
    }

    /// A change against a baseline of 0 has no value: "not computable", before and after its deadline.
    func testAValueThatCannotBeComputedIsNotJudged() {
        let baseline = TargetStatus.Stage(deadline: d("2021-12-31"), value: 0)
        let stages = [TargetStatus.Stage(deadline: d("2026-12-31"), value: 20)]
        let before = TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2026-06-30"), current: nil, valueOn: { _ in nil }, unknownIsNotComputable: true)
        XCTAssertEqual(before.status, .notComputable)
        let after = TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2027-03-31"), current: nil, valueOn: { _ in nil }, unknownIsNotComputable: true)
        XCTAssertEqual(after.status, .notComputable)
        // Nothing to count on a share's deadline is still a miss.
        let share = TargetStatus.evaluate(baseline: baseline, stages: stages, on: d("2027-03-31"), current: 10, valueOn: { _ in nil })
        XCTAssertEqual(share.status, .missed)
        XCTAssertEqual(FigureText.current(0, percent: true, changeAgainst: 2021, baselineCount: 0), "không tính được (năm 2021 bằng 0)")
        XCTAssertEqual(FigureText.current(-100, percent: true, changeAgainst: 2021, baselineCount: 4), "−100,0% so với 2021")
    }

    func testATaskOnADayFollowsItsDatedUpdates() {
        let updates = [TaskState.Update(on: d("2013-06-30"), state: .inProgress), .init(on: d("2015-11-30"), state: .done)]
        func on(_ day: String) -> TaskState { TaskState.on(d(day), starts: d("2013-01-01"), ends: d("2015-12-31"), updates: updates) }
        XCTAssertEqual(on("2012-12-31"), .notStarted)
        XCTAssertEqual(on("2013-03-01"), .noUpdate)
        XCTAssertEqual(on("2013-12-31"), .inProgress, "Lạng Sơn's 2013 report: a 2013–2015 task is not yet done")
        XCTAssertEqual(on("2015-12-31"), .done)
        XCTAssertEqual(TaskState.on(d("2016-01-01"), starts: d("2013-01-01"), ends: d("2015-12-31"), updates: Array(updates.prefix(1))), .overdue)
    }

    func testFiguresAreWrittenAsWhatTheyAre() {
        XCTAssertEqual(FigureText.goal(85, percent: true, direction: .atLeast), "≥ 85,0%")
        XCTAssertEqual(FigureText.current(60, percent: true, changeAgainst: 2020), "+60,0% so với 2020")
        XCTAssertEqual(FigureText.current(-100, percent: true, changeAgainst: 2020), "−100,0% so với 2020")
        XCTAssertEqual(FigureText.counts(numerator: 16, denominator: 10, changeAgainst: 2020, year: 2026), "16 (2026) so với 10 (2020)")
        XCTAssertEqual(FigureText.counts(numerator: 16, denominator: 40, changeAgainst: nil, year: 2026), "16/40")
    }
}

final class LineChartGapTests: XCTestCase {
    /// A year without data is a gap, not 0; a negative value gets an axis below zero; the
    /// legend names both lines.
    func testGapsNegativesAndLegend() {
        let chart = LineChart(title: "t", points: [.init(label: "2021", value: 10), .init(label: "2022", value: nil), .init(label: "2023", value: 20),
                                                   .init(label: "2024", value: -100)], maximum: 100, target: 20, unit: "%", valueName: "Thay đổi", targetName: "Mốc cuối")
        XCTAssertEqual(chart.runs, [[0], [2, 3]])
        XCTAssertEqual(chart.svg.components(separatedBy: "<circle").count - 1, 3, "no dot for the year without data")
        XCTAssertEqual(chart.svg.components(separatedBy: "<polyline").count - 1, 1, "the line breaks at the gap")
        XCTAssertTrue(chart.description.contains("2022: không có số liệu"))
        XCTAssertLessThanOrEqual(chart.minimum, -100)
        XCTAssertTrue(chart.svg.contains(">-100</text>") || chart.svg.contains(">−100</text>"), chart.svg)
        XCTAssertGreaterThan(chart.y(-100), chart.y(0), "−100 is drawn below the zero line, not on it")
        XCTAssertTrue(chart.legend.contains("Thay đổi") && chart.legend.contains("Mốc cuối: 20,0%"))
        // Without negatives the scale is as before.
        XCTAssertEqual(LineChart(title: "", points: [.init(label: "a", value: 50)]).minimum, 0)
    }
}

final class TurnoverTests: XCTestCase {
    /// Random posts over ten places and six years: every place and year reconciles, each year
    /// opens where the one before closed, and the total counts people, not its children's sum.
    func testEveryYearReconciles() {
        var rng = SplitMix(seed: 135)
        var spells: [Turnover.Spell] = []
        for person in 0..<300 {
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let start = DayDate(year: Int.random(in: 2018...2024, using: &rng), month: Int.random(in: 1...12, using: &rng), day: Int.random(in: 1...28, using: &rng))!
                let end = Bool.random(using: &rng) ? nil : DayDate(year: start.year + Int.random(in: 0...2, using: &rng), month: 12, day: 31)
                spells.append(.init(person: person, place: Int.random(in: 0..<10, using: &rng), start: start, end: end))
            }
        }
        // 1 January starts are joiners of their year, never in its opening count.
        spells.append(.init(person: 999, place: 0, start: DayDate(year: 2022, month: 1, day: 1)!, end: nil))
        let years = Turnover.years(spells, from: 2019, to: 2025) { [$0, -1] }
        for (_, rows) in years {
            for row in rows { XCTAssertTrue(row.reconciles, "\(row)") }
            for (a, b) in zip(rows, rows.dropFirst()) { XCTAssertEqual(b.opening, a.closing) }
        }
        let moved = Turnover.years([.init(person: 1, place: 0, start: DayDate("2020-01-01")!, end: DayDate("2021-06-30")!),
                                    .init(person: 1, place: 1, start: DayDate("2021-07-01")!, end: nil)], from: 2021, to: 2021) { [$0, -1] }
        XCTAssertEqual(moved[0]?.first?.left, 1)
        XCTAssertEqual(moved[1]?.first?.joined, 1)
        XCTAssertEqual(moved[-1]?.first.map { [$0.joined, $0.left, $0.opening, $0.closing] }, [0, 0, 1, 1])
        let passing = Turnover.years([.init(person: 1, place: 0, start: DayDate("2021-03-01")!, end: DayDate("2021-05-01")!)], from: 2021, to: 2021) { [$0] }
        XCTAssertEqual(passing[0]?.first.map { [$0.opening, $0.joined, $0.left, $0.closing] }, [0, 1, 1, 0])
    }
}
