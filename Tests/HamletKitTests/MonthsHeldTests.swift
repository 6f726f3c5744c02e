import XCTest
@testable import HamletKit

final class MonthsHeldTests: XCTestCase {
    func testOnlyMonthsAlreadyOverCount() {
        let m = MonthsHeld(from: DayDate("2026-01-01")!, through: DayDate("2026-03-30")!)
        XCTAssertEqual(m.months, ["2026-01", "2026-02"], "March is not over on the 30th")
        XCTAssertEqual(m.lastDay?.iso, "2026-02-28")
        XCTAssertEqual(MonthsHeld(from: DayDate("2026-01-01")!, through: DayDate("2026-03-31")!).months.count, 3)
        XCTAssertEqual(MonthsHeld(from: DayDate("2025-11-01")!, through: DayDate("2026-01-31")!).months, ["2025-11", "2025-12", "2026-01"])
        let none = MonthsHeld(from: DayDate("2026-01-01")!, through: DayDate("2026-01-15")!)
        XCTAssertEqual(none.months, [])
        XCTAssertNil(none.lastDay)
        XCTAssertEqual(m.share(held: ["a 2026-01", "b 2026-01"], communes: 3).whole, 6)
    }
}
