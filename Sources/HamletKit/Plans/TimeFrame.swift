import Foundation

/// A task's time frame as plans write it: "Quý I/2015", "Tháng 3/2015", "Năm 2015", "2015",
/// "2015 - 2020", "Giai đoạn 2016–2020". Read as the first and last day it covers.
public struct TimeFrame: Sendable, Equatable {
    public var start: DayDate
    public var end: DayDate

    public init?(_ raw: String) {
        let text = VietnameseText.folded(raw).replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: "—", with: "-")
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        let years = numbers.filter { (1990...2100).contains($0) }
        if text.contains("quy"), let year = years.first {
            let roman = ["iv": 4, "iii": 3, "ii": 2, "i": 1]
            let words = text.split(whereSeparator: { !$0.isLetter }).map(String.init)
            let quarter = words.compactMap { roman[$0] }.first ?? numbers.first { (1...4).contains($0) }
            guard let q = quarter, let s = DayDate(year: year, month: q * 3 - 2, day: 1), let e = DayDate(year: year, month: q * 3, day: DayDate.days(year, q * 3)) else { return nil }
            (start, end) = (s, e); return
        }
        if text.contains("thang"), let year = years.first, let month = numbers.first(where: { (1...12).contains($0) }) {
            guard let s = DayDate(year: year, month: month, day: 1), let e = DayDate(year: year, month: month, day: DayDate.days(year, month)) else { return nil }
            (start, end) = (s, e); return
        }
        guard let first = years.first, let s = DayDate(year: first, month: 1, day: 1), let e = DayDate(year: years.last ?? first, month: 12, day: 31), e >= s else { return nil }
        (start, end) = (s, e)
    }
}
