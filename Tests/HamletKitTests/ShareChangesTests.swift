import XCTest
@testable import HamletKit

final class ShareChangesTests: XCTestCase {
    typealias P = ShareChanges.Post

    /// Counts on a day from the changes, as a reader of the kept table adds them.
    func count(_ changes: [ShareChanges.Change], _ key: String, on day: String) -> (Int, Int) {
        changes.filter { $0.key == key && $0.day <= day }.reduce((0, 0)) { ($0.0 + $1.active, $0.1 + $1.trained) }
    }

    func testOnePostTrainedMidway() {
        let c = ShareChanges.of([P(key: "89.", start: "2020-01-01", end: "2022-12-31")], first: "2021-06-30", total: "")
        XCTAssertTrue(count(c, "89.", on: "2019-12-31") == (0, 0))
        XCTAssertTrue(count(c, "89.", on: "2020-01-01") == (1, 0))
        XCTAssertTrue(count(c, "89.", on: "2021-06-30") == (1, 1))
        XCTAssertTrue(count(c, "89.", on: "2022-12-31") == (1, 1), "the last day still counts")
        XCTAssertTrue(count(c, "89.", on: "2023-01-01") == (0, 0), "left: neither active nor trained")
        XCTAssertTrue(count(c, "", on: "2021-07-01") == (1, 1))
        XCTAssertEqual(c.filter { $0.key == "89." }.map(\.day), ["2020-01-01", "2021-06-30", "2023-01-01"])
    }

    func testConcurrentPostsCountOnce() {
        let posts = [P(key: "89.", start: "2020-01-01", end: nil), P(key: "89.", start: "2021-01-01", end: "2021-12-31"),
                     P(key: "91.", start: "2021-03-01", end: "2021-03-31")]
        let c = ShareChanges.of(posts, first: "2019-05-05", total: "")
        XCTAssertTrue(count(c, "89.", on: "2021-06-01") == (1, 1))
        XCTAssertTrue(count(c, "91.", on: "2021-03-15") == (1, 1))
        XCTAssertTrue(count(c, "", on: "2021-03-15") == (1, 1), "once in the total, though in two provinces")
        XCTAssertTrue(count(c, "91.", on: "2021-04-01") == (0, 0))
        XCTAssertTrue(count(c, "", on: "2030-01-01") == (1, 1))
    }

    func testGapsTouchingSpansAndTrainedAfterLeaving() {
        let posts = [P(key: "k", start: "2020-01-01", end: "2020-01-31"), P(key: "k", start: "2020-02-01", end: "2020-02-29"),
                     P(key: "k", start: "2020-06-01", end: "2020-06-30")]
        let c = ShareChanges.of(posts, first: "2020-03-15", total: "")
        XCTAssertTrue(count(c, "k", on: "2020-02-29") == (1, 0))
        XCTAssertTrue(count(c, "k", on: "2020-03-15") == (0, 0), "trained while between posts: not counted")
        XCTAssertTrue(count(c, "k", on: "2020-06-01") == (1, 1))
        XCTAssertTrue(count(c, "k", on: "2020-07-01") == (0, 0))
        XCTAssertFalse(c.contains { $0.key == "k" && $0.day == "2020-02-01" }, "touching spans are one span")
        let late = ShareChanges.of([P(key: "k", start: "2020-01-01", end: "2020-12-31")], first: "2021-01-05", total: "")
        XCTAssertEqual(late.filter { $0.trained != 0 }.count, 0, "trained only after leaving: never counted as trained")
    }

    func testNoPostsAndNextDay() {
        XCTAssertTrue(ShareChanges.of([], first: "2020-01-01", total: "").isEmpty)
        XCTAssertEqual(ShareChanges.nextDay("2024-02-28"), "2024-02-29")
        XCTAssertEqual(ShareChanges.nextDay("2023-02-28"), "2023-03-01")
        XCTAssertEqual(ShareChanges.nextDay("2025-12-31"), "2026-01-01")
    }
}

final class PlaceChangesTests: XCTestCase {
    typealias P = PlaceChanges.Post

    func count(_ c: [(day: String, places: Int, meeting: Int)], on day: String) -> (Int, Int) {
        c.filter { $0.day <= day }.reduce((0, 0)) { ($0.0 + $1.places, $0.1 + $1.meeting) }
    }

    func testAPlaceMeetsWhileItHasEnoughPeopleAndIsOpen() {
        let posts = [P(person: "a", start: "2020-01-01", end: nil), P(person: "a", start: "2021-01-01", end: "2021-12-31"),
                     P(person: "b", start: "2022-01-01", end: "2022-06-30"), P(person: "c", start: "2022-03-01", end: nil)]
        let c = PlaceChanges.of(posts, openFrom: nil, closedOn: "2024-01-01", min: 1, max: 2)
        XCTAssertTrue(count(c, on: "2019-12-31") == (1, 0), "open, nobody yet")
        XCTAssertTrue(count(c, on: "2021-06-01") == (1, 1), "one person with two posts counts once")
        XCTAssertTrue(count(c, on: "2022-03-15") == (1, 0), "three people: over the maximum")
        XCTAssertTrue(count(c, on: "2022-07-01") == (1, 1))
        XCTAssertTrue(count(c, on: "2024-01-01") == (0, 0), "closed: neither a place nor meeting")
    }

    func testAPlaceOpenedLaterAndARuleOfNobody() {
        let c = PlaceChanges.of([], openFrom: "2026-03-01", closedOn: nil, min: 0, max: 0)
        XCTAssertTrue(count(c, on: "2026-02-28") == (0, 0))
        XCTAssertTrue(count(c, on: "2026-03-01") == (1, 1))
    }
}
