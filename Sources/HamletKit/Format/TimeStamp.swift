import Foundation

/// A moment as DHIS2 and ADX write it, in UTC: `2026-12-07T08:35:35Z`, what
/// `ISO8601DateFormatter` gives by default. Computed, not formatted: a formatter made per value
/// was a third of the server's time on a `dataValueSets` pull (measured with perf).
public enum TimeStamp {
    public static func iso(_ date: Date) -> String {
        // To the millisecond first, as Foundation's formatter does (…59.9996 is the next second),
        // a half rounded up, before 1970 too (-0.0005 s is 00:00:00, not 23:59:59 the day before).
        let ms = (date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down)
        return text(Int64((ms / 1000).rounded(.down)))
    }

    private static func text(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = Int(seconds - days * 86_400)
        // Days since 1970-01-01 to a civil date (the proleptic Gregorian calendar).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400 + (month <= 2 ? 1 : 0))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        func four(_ n: Int) -> String { n < 10 ? "000\(n)" : n < 100 ? "00\(n)" : n < 1000 ? "0\(n)" : "\(n)" }
        return "\(four(year))-\(two(month))-\(two(day))T\(two(inDay / 3600)):\(two(inDay / 60 % 60)):\(two(inDay % 60))Z"
    }
}
