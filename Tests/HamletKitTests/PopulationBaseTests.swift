import XCTest
@testable import HamletKit

final class PopulationBaseTests: XCTestCase {
    func testOwnFigureWinsElseTheSumBelow() {
        let figures = ["91.": 5000, "91.30292.": 120, "91.30301.": 80, "91.30301.001.": 9, "91.30310.001.": 4, "91.30310.002.": 6, "92.": 700]
        let province = PopulationBase.split("91.", figures)
        XCTAssertEqual(province.total, 5000, "the province's own figure, not the sum of its communes")
        XCTAssertEqual(province.children, ["91.30292.": 120, "91.30301.": 80, "91.30310.": 10], "a commune without its own figure: its hamlets' sum")
        let nation = PopulationBase.split("", figures)
        XCTAssertEqual(nation.total, 5700)
        XCTAssertEqual(nation.children, ["91.": 5000, "92.": 700])
        XCTAssertEqual(PopulationBase.split("91.30310.", figures).total, 10)
        XCTAssertNil(PopulationBase.split("93.", figures).total, "nothing entered: no base, not zero")
        XCTAssertEqual(PopulationBase.split("93.", figures).children, [:])
    }
}

final class FollowUpStateTests: XCTestCase {
    func testAFollowUpIsJudgedOnTheDayAsked() {
        XCTAssertEqual(FollowUpState.of(due: "2025-06-30", closed: nil, asOf: "2025-06-30"), .open)
        XCTAssertEqual(FollowUpState.of(due: "2025-06-30", closed: nil, asOf: "2025-07-01"), .overdue)
        XCTAssertEqual(FollowUpState.of(due: "2025-06-30", closed: "2025-06-30", asOf: "2025-12-31"), .closedOnTime)
        XCTAssertEqual(FollowUpState.of(due: "2025-06-30", closed: "2025-07-02", asOf: "2025-12-31"), .closedLate)
        XCTAssertEqual(FollowUpState.of(due: "2025-06-30", closed: "2025-07-02", asOf: "2025-07-01"), .overdue, "closed later than the day asked: not yet closed then")
    }
}
