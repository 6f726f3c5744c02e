import Foundation

/// How often a plan's reporting duty falls due: the periodic reports, and the interim and final
/// reviews (sơ kết, tổng kết) that cover the plan from its first year.
public enum DutyFrequency: String, Sendable, Codable, CaseIterable {
    case yearly, sixMonthly = "six-monthly", quarterly, monthly, interim, final

    public var label: String {
        switch self {
        case .yearly: "Hằng năm"
        case .sixMonthly: "6 tháng"
        case .quarterly: "Hằng quý"
        case .monthly: "Hằng tháng"
        case .interim: "Sơ kết"
        case .final: "Tổng kết"
        }
    }

    /// How many due days the duty names: one per period of a year ("15/6; 15/12"), one day of the
    /// next month for monthly reports ("5"), one day for a review.
    var dueCount: Int {
        switch self {
        case .sixMonthly: 2
        case .quarterly: 4
        default: 1
        }
    }
}

/// One period a duty asks a report for, and its due day.
public struct DutyPeriod: Sendable, Hashable {
    /// `2025`, `2025S1`, `2025Q3`, `202511`, or `SK2020` / `TK2025` for the reviews.
    public let id: String
    public let label: String
    public let start: DayDate
    public let end: DayDate
    public let due: DayDate
}

public enum DutySchedule {
    public enum Problem: Error, Equatable { case empty, wrongCount(Int), badDay(String), noReviewYear }

    public static func message(_ problem: Problem) -> String {
        switch problem {
        case .empty: "Cần hạn báo cáo, ví dụ 30/11."
        case .wrongCount(let n): "Cần đúng \(n) hạn, cách nhau bởi dấu chấm phẩy, ví dụ 15/6; 15/12."
        case .badDay(let text): "Hạn «\(text)» không hợp lệ: ghi ngày/tháng, ví dụ 30/11 (báo cáo tháng: ngày của tháng sau, ví dụ 5)."
        case .noReviewYear: "Kế hoạch chưa ghi năm sơ kết hoặc tổng kết."
        }
    }

    /// The due days as written ("30/11", "15/6; 15/12", "5" for monthly), as (day, month); month 0
    /// means "of the month after the period".
    public static func parseDue(_ text: String, _ frequency: DutyFrequency) -> Result<[DayMonth], Problem> {
        let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return .failure(.empty) }
        guard parts.count == frequency.dueCount else { return .failure(.wrongCount(frequency.dueCount)) }
        var days: [DayMonth] = []
        for part in parts {
            let numbers = part.split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if frequency == .monthly, numbers.count == 1, let d = numbers[0], (1...28).contains(d) { days.append(DayMonth(day: d, month: 0)); continue }
            guard frequency != .monthly, numbers.count == 2, let d = numbers[0], let m = numbers[1], (1...12).contains(m),
                  (1...DayDate.days(2024, m)).contains(d) else { return .failure(.badDay(part)) }
            days.append(DayMonth(day: d, month: m))
        }
        return .success(days)
    }

    public struct DayMonth: Sendable, Hashable, Codable {
        public let day: Int, month: Int
        public init(day: Int, month: Int) { self.day = day; self.month = month }
        public var text: String { month == 0 ? String(day) : "\(day)/\(month)" }
    }

    /// Every period the duty asks for over the plan's years, in order.
    public static func periods(_ frequency: DutyFrequency, due: [DayMonth], fromYear: Int, toYear: Int,
                               interimYear: Int?, finalYear: Int?) -> [DutyPeriod] {
        func on(_ year: Int, _ dm: DayMonth) -> DayDate { DayDate(year: year, month: dm.month, day: min(dm.day, DayDate.days(year, dm.month)))! }
        let start = DayDate(year: fromYear, month: 1, day: 1)!
        switch frequency {
        case .interim, .final:
            let year = frequency == .interim ? interimYear : (finalYear ?? toYear)
            guard let year, let dm = due.first else { return [] }
            let word = frequency == .interim ? "Sơ kết" : "Tổng kết"
            return [DutyPeriod(id: (frequency == .interim ? "SK" : "TK") + String(year), label: "\(word) \(fromYear)–\(year)",
                               start: start, end: DayDate(year: year, month: 12, day: 31)!, due: on(year, dm))]
        case .yearly, .sixMonthly, .quarterly, .monthly:
            let periodicity: Periodicity = frequency == .yearly ? .yearly : frequency == .sixMonthly ? .sixMonthly : frequency == .quarterly ? .quarterly : .monthly
            let first = Period.containing(start, periodicity)
            let last = Period.containing(DayDate(year: toYear, month: 12, day: 31)!, periodicity)
            return first.through(last).map { p in
                let dueDay: DayDate
                if frequency == .monthly {
                    let next = p.end.adding(days: 1)
                    dueDay = DayDate(year: next.year, month: next.month, day: due.first?.day ?? 5)!
                } else {
                    dueDay = on(p.year, due[min(p.index - 1, due.count - 1)])
                }
                return DutyPeriod(id: p.id, label: p.label, start: p.start, end: p.end, due: dueDay)
            }
        }
    }
}
