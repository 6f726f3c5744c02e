import XCTest
import HamletKit

final class PeriodTests: XCTestCase {
    func testDHIS2IdentifiersReadAndWrite() {
        for id in ["2026", "2026S1", "2026S2", "2026Q3", "202611", "202601"] { XCTAssertEqual(Period(id)?.id, id) }
        for bad in ["", "26", "2026Q5", "2026S3", "202613", "202600", "2026W12", "2026Q", "2026-11", "abcd"] { XCTAssertNil(Period(bad), bad) }
        XCTAssertEqual(Period("2026q3")?.id, "2026Q3")
        XCTAssertEqual(Period("2026Q3")?.label, "Quý III/2026")
        XCTAssertEqual(Period("2026S1")?.label, "6 tháng đầu năm 2026")
        XCTAssertEqual(Period("202602")?.label, "Tháng 2/2026")
    }

    /// Issue 22: periods as people type them.
    func testPeriodsTypedNaturally() {
        let cases = ["11/2026": "202611", "T11/2026": "202611", "t11/2026": "202611", "Tháng 11/2026": "202611", "tháng 11 năm 2026": "202611",
                     "thang 11-2026": "202611", "1/2026": "202601", "Quý 3/2026": "2026Q3", "Quý III/2026": "2026Q3", "Q3/2026": "2026Q3",
                     "quy iv nam 2026": "2026Q4", "6 tháng đầu năm 2026": "2026S1", "6 tháng cuối năm 2026": "2026S2", "S1/2026": "2026S1",
                     "Năm 2026": "2026", "2026": "2026", "202611": "202611", " 2026Q3 ": "2026Q3"]
        for (typed, id) in cases { XCTAssertEqual(Period(typed: typed)?.id, id, typed) }
        for bad in ["", "13/2026", "0/2026", "Quý 5/2026", "6 tháng giữa năm 2026", "11/26", "tháng mười một 2026", "T11", "2026/11/01"] {
            XCTAssertNil(Period(typed: bad), bad)
        }
    }

    func testBoundsAndRollUp() {
        let q = Period("2026Q3")!
        XCTAssertEqual(q.start, DayDate("2026-07-01"))
        XCTAssertEqual(q.end, DayDate("2026-09-30"))
        XCTAssertEqual(q.months.map(\.id), ["202607", "202608", "202609"])
        XCTAssertEqual(Period("202402")!.end, DayDate("2024-02-29"), "leap year")
        XCTAssertTrue(Period("2026S2")!.contains(Period("202611")!))
        XCTAssertTrue(Period("2026")!.contains(Period("2026Q3")!))
        XCTAssertFalse(Period("2026Q3")!.contains(Period("202610")!))
        XCTAssertEqual(Period.containing(DayDate("2026-11-24")!, .sixMonthly).id, "2026S2")
        XCTAssertEqual(Period("202612")!.next.id, "202701")
        XCTAssertEqual(Period("2026Q1")!.previous.id, "2025Q4")
        XCTAssertEqual(Period("202611")!.through(Period("202702")!).map(\.id), ["202611", "202612", "202701", "202702"])
    }

    func testCutOffDayMovesTheWindowAndTheDueDate() {
        let november = Period("202611")!
        XCTAssertEqual(november.window(cutoff: 14), DayDate("2026-10-15")!...DayDate("2026-11-14")!)
        XCTAssertEqual(Period("202601")!.window(cutoff: 14), DayDate("2025-12-15")!...DayDate("2026-01-14")!, "across the year")
        XCTAssertEqual(Period("2026")!.window(cutoff: 14), DayDate("2025-12-15")!...DayDate("2026-12-14")!)
        XCTAssertEqual(Period("2026Q2")!.window(cutoff: 20), DayDate("2026-03-21")!...DayDate("2026-06-20")!)
        XCTAssertEqual(november.window(cutoff: nil), november.start...november.end)
        XCTAssertEqual(DueRule.daysAfterEnd(5).due(for: november, cutoff: 14), DayDate("2026-11-19"))
        XCTAssertEqual(DueRule.fixed(day: 30, month: 11).due(for: Period("2026")!, cutoff: 14), DayDate("2026-11-30"), "a fixed day stays")
    }

    func testDueDates() {
        XCTAssertEqual(DueRule.daysAfterEnd(15).due(for: Period("202611")!), DayDate("2026-12-15"))
        XCTAssertEqual(DueRule.fixed(day: 30, month: 11).due(for: Period("2026")!), DayDate("2026-11-30"), "seed 000: by 30 Nov of the year")
        XCTAssertEqual(DueRule.fixed(day: 5, month: 12).due(for: Period("2026")!), DayDate("2026-12-05"), "seed 002")
    }
}
