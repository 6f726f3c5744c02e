import Foundation

/// A calendar day with no time and no zone, stored as "yyyy-MM-dd" (sorts as text on both databases).
public struct DayDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= DayDate.days(year, month) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Accepts "yyyy-MM-dd" and the Vietnamese "dd/MM/yyyy" (also d/M/yyyy).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let iso = t.split(separator: "-").compactMap { Int($0) }
        if iso.count == 3, t.split(separator: "-").first?.count == 4 {
            self.init(year: iso[0], month: iso[1], day: iso[2]); return
        }
        let vn = t.split(separator: "/").compactMap { Int($0) }
        if vn.count == 3, t.split(separator: "/").last?.count == 4 {
            self.init(year: vn[2], month: vn[1], day: vn[0]); return
        }
        return nil
    }

    public init(_ date: Date, timeZone: TimeZone = VietnameseFormat.vietnam) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        self.year = c.year ?? 1970; self.month = c.month ?? 1; self.day = c.day ?? 1
    }

    /// Today in Việt Nam by the one clock (`HamletClock`).
    public static func today() -> DayDate { DayDate(HamletClock.shared.now) }

    // Written by hand: String(format:) goes through Foundation's formatter, and dates are
    // formatted millions of times in imports and matrices.
    public var iso: String { Self.digits(year, 4) + "-" + Self.digits(month, 2) + "-" + Self.digits(day, 2) }
    public var vietnamese: String { Self.digits(day, 2) + "/" + Self.digits(month, 2) + "/" + Self.digits(year, 4) }

    /// A non-negative number with leading zeros to `width` digits.
    public static func digits(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
    public var description: String { iso }

    public static func < (a: DayDate, b: DayDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public static func days(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = DayDate(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Ngày không hợp lệ: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

extension DayDate {
    public func adding(days: Int) -> DayDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return DayDate(calendar.date(byAdding: .day, value: days, to: start)!, timeZone: calendar.timeZone)
    }
}
