import Foundation

/// Turnover counted in people, so that each year adds up and starts where the year before ended:
///     people on 31/12 of Y = people on 31/12 of Y−1 + joined in Y − left in Y.
/// For a place (a unit's subtree) and a year:
/// - opening: people with a post there on 31/12 of Y−1; closing: on 31/12 of Y;
/// - joined: people in the closing count and not the opening one, and people who came and went
///   within the year (neither count); left: people in the opening count and not the closing one,
///   and the same comers-and-goers. A person counts once however many posts they hold;
/// - a move between two places is a leaver of one and a joiner of the other, and neither in a
///   place holding both; a post starting on 1 January is a joiner of that year, never in the
///   opening count (which is the day before);
/// - rate: left ÷ the average of opening and closing, in %, one decimal.
public enum Turnover {
    /// One post: who (any number naming a person), where (any number naming a place), from and to.
    public struct Spell: Sendable {
        public var person: Int
        public var place: Int
        public var start: DayDate
        public var end: DayDate?
        public init(person: Int, place: Int, start: DayDate, end: DayDate?) { self.person = person; self.place = place; self.start = start; self.end = end }
        func covers(_ day: DayDate) -> Bool { start <= day && (end.map { day <= $0 } ?? true) }
        func overlaps(_ from: DayDate, _ to: DayDate) -> Bool { start <= to && (end.map { $0 >= from } ?? true) }
    }

    public struct Year: Sendable, Equatable, Codable {
        public var year: Int, opening: Int, joined: Int, left: Int, closing: Int
        public var rate: Double
        public init(year: Int, opening: Int, joined: Int, left: Int, closing: Int, rate: Double) {
            self.year = year; self.opening = opening; self.joined = joined; self.left = left; self.closing = closing; self.rate = rate
        }
        public var reconciles: Bool { opening + joined - left == closing }
    }

    /// Each place's years; `places` maps a spell's place to the places it counts in (itself, its
    /// parent's total…), so a total is counted over people, not summed from its children.
    public static func years(_ spells: [Spell], from: Int, to: Int, places: (Int) -> [Int]) -> [Int: [Year]] {
        // Each (place it counts in, person) with the spells that put them there.
        var byKey: [Int: [Int: [Spell]]] = [:]
        for s in spells {
            for place in places(s.place) { byKey[place, default: [:]][s.person, default: []].append(s) }
        }
        var result: [Int: [Year]] = [:]
        for (place, people) in byKey {
            var rows: [Year] = []
            for y in from...to {
                let before = DayDate(year: y - 1, month: 12, day: 31)!, last = DayDate(year: y, month: 12, day: 31)!, first = DayDate(year: y, month: 1, day: 1)!
                var opening = 0, closing = 0, came = 0, went = 0, passing = 0
                for (_, spells) in people {
                    let open = spells.contains { $0.covers(before) }, close = spells.contains { $0.covers(last) }
                    if open { opening += 1 }
                    if close { closing += 1 }
                    if close && !open { came += 1 }
                    if open && !close { went += 1 }
                    if !open && !close && spells.contains(where: { $0.overlaps(first, last) }) { passing += 1 }
                }
                let left = went + passing
                let average = Double(opening + closing) / 2
                rows.append(Year(year: y, opening: opening, joined: came + passing, left: left, closing: closing,
                                 rate: average == 0 ? 0 : (Double(left) * 1000 / average).rounded() / 10))
            }
            result[place] = rows
        }
        return result
    }
}
