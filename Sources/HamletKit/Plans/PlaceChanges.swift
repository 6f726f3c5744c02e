/// The changes one place brings to a coverage count ("share of hamlets with 1–2 collaborators"),
/// so the country's count is kept rather than read from 100,000 places: on the days the place
/// opens or closes, and starts or stops meeting the rule, +1 or −1 to "places" and "meeting".
///
/// The place counts from `openFrom` (nil: always) until the day before `closedOn`; it meets the
/// rule on D when open and the number of distinct people holding a post there on D lies in
/// `min…max`. The same rule as the live statement, as date arithmetic.
public enum PlaceChanges {
    public struct Post: Sendable {
        public var person: String; public var start: String; public var end: String?
        public init(person: String, start: String, end: String?) { self.person = person; self.start = start; self.end = end }
    }

    public static let dawn = "0000-01-01"

    /// (day, places, meeting) changes in day order.
    public static func of(_ posts: [Post], openFrom: String?, closedOn: String?, min: Int, max: Int?) -> [(day: String, places: Int, meeting: Int)] {
        // People on each day: +1 when a person's (merged) span starts, −1 the day after it ends.
        var steps: [String: Int] = [:]
        for (_, list) in Dictionary(grouping: posts, by: \.person) {
            for (start, end) in ShareChanges.merged(list.map { ShareChanges.Post(key: "", start: $0.start, end: $0.end) }) {
                steps[start, default: 0] += 1
                if let end { steps[ShareChanges.nextDay(end), default: 0] -= 1 }
            }
        }
        let opens = openFrom ?? dawn
        var days = Set(steps.keys)
        days.insert(opens)
        if let closedOn { days.insert(closedOn) }
        var people = 0, was = (0, 0)
        var out: [(day: String, places: Int, meeting: Int)] = []
        for day in days.sorted() {
            people += steps[day] ?? 0
            let open = day >= opens && closedOn.map { day < $0 } ?? true
            let meets = open && people >= min && max.map { people <= $0 } ?? true
            let now = (open ? 1 : 0, meets ? 1 : 0)
            if now != was { out.append((day, now.0 - was.0, now.1 - was.1)) }
            was = now
        }
        return out
    }
}
