import XCTest
@testable import HamletKit

final class TimeStampTests: XCTestCase {
    /// The same text as Foundation's formatter, over four centuries of moments, leap days,
    /// year ends and times before 1970 included.
    func testWritesWhatISO8601DateFormatterWrites() {
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        var moments: [Double] = [0, -1, 86_399, 86_400, 951_782_400, 951_868_799, 1_798_761_599, 1_798_761_600, -2_208_988_800, 4_102_444_800]
        for _ in 0..<20_000 { moments.append(Double(Int64.random(in: -6_000_000_000...8_000_000_000, using: &generator)) + Double.random(in: 0..<1, using: &generator)) }
        for t in moments {
            let date = Date(timeIntervalSince1970: t)
            XCTAssertEqual(TimeStamp.iso(date), formatter.string(from: date), "\(t)")
        }
        XCTAssertEqual(TimeStamp.iso(Date(timeIntervalSince1970: 1_796_459_735)), "2026-12-05T08:35:35Z")
    }
}
