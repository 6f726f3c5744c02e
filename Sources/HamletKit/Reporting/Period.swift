import Foundation

/// How often a form is reported.
public enum Periodicity: String, Sendable, Codable, CaseIterable, Comparable {
    case monthly, quarterly, sixMonthly = "six-monthly", yearly

    /// Months in one period.
    public var months: Int {
        switch self {
        case .monthly: return 1
        case .quarterly: return 3
        case .sixMonthly: return 6
        case .yearly: return 12
        }
    }

    public static func < (a: Periodicity, b: Periodicity) -> Bool { a.months < b.months }

    public var label: String {
        switch self {
        case .monthly: return "Tháng"
        case .quarterly: return "Quý"
        case .sixMonthly: return "6 tháng"
        case .yearly: return "Năm"
        }
    }
}

/// A reporting period named as DHIS2 names it: `2026`, `2026S1`, `2026Q3`, `202611`.
public struct Period: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let periodicity: Periodicity
    public let year: Int
    /// 1-based: the month, quarter or half; 1 for a year.
    public let index: Int

    public init?(_ periodicity: Periodicity, year: Int, index: Int) {
        guard (1900...2999).contains(year), (1...(12 / periodicity.months)).contains(index) else { return nil }
        self.periodicity = periodicity; self.year = year; self.index = index
    }

    /// Reads `2026`, `2026S1`, `2026Q3` or `202611`; anything else is nil.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard t.count >= 4, let year = Int(t.prefix(4)), t.prefix(4).allSatisfy(\.isNumber) else { return nil }
        let rest = t.dropFirst(4)
        let digits = { (s: Substring) in !s.isEmpty && s.allSatisfy(\.isNumber) ? Int(s) : nil }
        switch rest.first {
        case nil: self.init(.yearly, year: year, index: 1)
        case "S": guard rest.count == 2, let i = digits(rest.dropFirst()) else { return nil }; self.init(.sixMonthly, year: year, index: i)
        case "Q": guard rest.count == 2, let i = digits(rest.dropFirst()) else { return nil }; self.init(.quarterly, year: year, index: i)
        default: guard rest.count == 2, let m = digits(rest) else { return nil }; self.init(.monthly, year: year, index: m)
        }
    }

    /// The DHIS2 identifier.
    public var id: String {
        switch periodicity {
        case .yearly: return String(year)
        case .sixMonthly: return "\(year)S\(index)"
        case .quarterly: return "\(year)Q\(index)"
        case .monthly: return DayDate.digits(year, 4) + DayDate.digits(index, 2)
        }
    }

    public var description: String { id }

    /// As Vietnamese reports write it.
    public var label: String {
        switch periodicity {
        case .yearly: return "Năm \(year)"
        case .sixMonthly: return index == 1 ? "6 tháng đầu năm \(year)" : "6 tháng cuối năm \(year)"
        case .quarterly: return "Quý \(["I", "II", "III", "IV"][index - 1])/\(year)"
        case .monthly: return "Tháng \(index)/\(year)"
        }
    }

    /// As an English page writes it.
    public var englishLabel: String {
        switch periodicity {
        case .yearly: return "Year \(year)"
        case .sixMonthly: return "H\(index) \(year)"
        case .quarterly: return "Q\(index) \(year)"
        case .monthly:
            let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
            return "\(months[index - 1]) \(year)"
        }
    }

    public var firstMonth: Int { (index - 1) * periodicity.months + 1 }
    public var start: DayDate { DayDate(year: year, month: firstMonth, day: 1)! }
    public var end: DayDate {
        let month = firstMonth + periodicity.months - 1
        return DayDate(year: year, month: month, day: DayDate.days(year, month))!
    }

    /// The months it spans, for rolling monthly data up.
    public var months: [Period] { (firstMonth..<(firstMonth + periodicity.months)).map { Period(.monthly, year: year, index: $0)! } }

    /// Whether `other` lies inside this period (a month inside its quarter, half and year).
    public func contains(_ other: Period) -> Bool { other.start >= start && other.end <= end }

    /// The period of this periodicity that holds a day.
    public static func containing(_ day: DayDate, _ periodicity: Periodicity) -> Period {
        Period(periodicity, year: day.year, index: (day.month - 1) / periodicity.months + 1)!
    }

    public var next: Period {
        index < 12 / periodicity.months ? Period(periodicity, year: year, index: index + 1)! : Period(periodicity, year: year + 1, index: 1)!
    }

    public var previous: Period {
        index > 1 ? Period(periodicity, year: year, index: index - 1)! : Period(periodicity, year: year - 1, index: 12 / periodicity.months)!
    }

    /// Every period of this kind from `self` to `last`, both included (at most 600).
    public func through(_ last: Period) -> [Period] {
        var out: [Period] = [], p = self
        while p <= last, out.count < 600 { out.append(p); p = p.next }
        return out
    }

    public static func < (a: Period, b: Period) -> Bool { (a.start, a.end) < (b.start, b.end) }
}

extension Period {
    /// The days a period's report covers. With a statistics cut-off day (e.g. 14) it runs from the
    /// day after the cut-off in the month before the period to the cut-off day of its last month:
    /// November's report covers 15/10 to 14/11, the year 2026's 15/12/2025 to 14/12/2026.
    public func window(cutoff: Int?) -> ClosedRange<DayDate> {
        guard let cutoff, (1...28).contains(cutoff) else { return start...end }
        let before = start.adding(days: -1)
        let from = DayDate(year: before.year, month: before.month, day: cutoff)!.adding(days: 1)
        return from...DayDate(year: end.year, month: end.month, day: cutoff)!
    }
}

/// When a period's report is due: some days after the period ends, or on a fixed day and month
/// of the period's last year (the seeds' "trước ngày 30/11 hằng năm").
public enum DueRule: Sendable, Hashable, Codable {
    case daysAfterEnd(Int)
    case fixed(day: Int, month: Int)

    /// With a cut-off day, "after the period ends" counts from the cut-off.
    public func due(for period: Period, cutoff: Int? = nil) -> DayDate {
        switch self {
        case .daysAfterEnd(let days): return period.window(cutoff: cutoff).upperBound.adding(days: days)
        case .fixed(let day, let month):
            return DayDate(year: period.end.year, month: month, day: min(day, DayDate.days(period.end.year, month)))!
        }
    }

    /// "15 ngày sau kỳ báo cáo" or "ngày 30/11".
    public var label: String {
        switch self {
        case .daysAfterEnd(let days): return "\(days) ngày sau khi hết kỳ"
        case .fixed(let day, let month): return String(format: "ngày %02d/%02d", day, month)
        }
    }
}
