/// "A briefing every month in every commune" measured as a share: of the commune-months from the
/// first day asked to the date asked, those in which at least one was held. Only months already
/// over count, so a briefing due later this month is not yet missing.
public struct MonthsHeld: Sendable, Equatable {
    /// The months counted ("2026-01" …) and the last day they cover; none when no month is over.
    public var months: [String]
    public var lastDay: DayDate?

    public init(from start: DayDate, through end: DayDate) {
        var months: [String] = [], lastDay: DayDate?
        var (year, month) = (start.year, start.month)
        while let last = DayDate(year: year, month: month, day: DayDate.days(year, month)), !(end < last) {
            months.append(DayDate.digits(year, 4) + "-" + DayDate.digits(month, 2))
            lastDay = last
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        self.months = months
        self.lastDay = lastDay
    }

    /// Held of all: distinct (commune, month) pairs with an activity, over communes × months.
    public func share(held pairs: Set<String>, communes: Int) -> (part: Int, whole: Int) {
        (pairs.count, communes * months.count)
    }
}
