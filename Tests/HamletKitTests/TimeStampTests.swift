import XCTest
@testable import HamletKit

final class TimeStampTests: XCTestCase {
    /// The same text as Foundation's formatter, over four centuries of moments, leap days,
    /// year ends and times before 1970 included, and moments on a half millisecond (the same
    /// moments every run: a random one once found a rounding difference before 1970).
    func testWritesWhatISO8601DateFormatterWrites() {
        let formatter = ISO8601DateFormatter()
        var generator = SplitMix(seed: 2026)
        var moments: [Double] = [0, -1, -0.0005, 86_399, 86_400, 951_782_400, 951_868_799, 1_798_761_599, 1_798_761_600, -2_208_988_800, 4_102_444_800,
                                 -5_200_004_152.0005, 1_796_601_599.9995]
        for n in 0..<40_000 {
            let whole = Double(Int64.random(in: -6_000_000_000...8_000_000_000, using: &generator))
            moments.append(whole + (n % 2 == 0 ? Double.random(in: 0..<1, using: &generator) : Double(Int.random(in: 0...999, using: &generator)) / 1000 + 0.0005))
        }
        for t in moments {
            let date = Date(timeIntervalSince1970: t)
            XCTAssertEqual(TimeStamp.iso(date), formatter.string(from: date), "\(t)")
        }
        XCTAssertEqual(TimeStamp.iso(Date(timeIntervalSince1970: 1_796_459_735)), "2026-12-05T08:35:35Z")
    }
}

/// A random number generator that gives the same numbers for the same seed (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
