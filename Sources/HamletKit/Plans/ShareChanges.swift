/// The changes one person brings to a trained-share count, so that counts can be kept as data
/// changes instead of read from every post: on each day the person starts or stops being active
/// (or trained) under a key, +1 or −1. The value on day D is the sum of the changes on or before D.
///
/// A person is active under a key on D when one of their posts under it holds on D (start ≤ D ≤
/// end), counted once however many posts overlap; trained when also their first qualifying
/// completion is on or before D. The same rule as the live statement, as date arithmetic.
public enum ShareChanges {
    public struct Post: Sendable {
        public var key: String; public var start: String; public var end: String?
        public init(key: String, start: String, end: String?) { self.key = key; self.start = start; self.end = end }
    }

    public struct Change: Sendable, Hashable {
        public var key: String; public var day: String; public var active: Int; public var trained: Int
        public init(key: String, day: String, active: Int, trained: Int) { self.key = key; self.day = day; self.active = active; self.trained = trained }
    }

    /// Changes under each post's key and under `total` (the whole scope), in key and day order.
    /// `first`: the day of the first qualifying completion, or nil.
    public static func of(_ posts: [Post], first: String?, total: String) -> [Change] {
        var byKey: [String: [Post]] = [total: posts]
        for post in posts where post.key != total { byKey[post.key, default: []].append(post) }
        var sums: [String: [String: (Int, Int)]] = [:]
        for (key, list) in byKey {
            for (start, end) in merged(list) {
                let after = end.map(nextDay)
                add(&sums, key, start, 1, 0)
                if let after { add(&sums, key, after, -1, 0) }
                if let first {
                    let from = max(start, first)
                    if end.map({ from <= $0 }) ?? true {
                        add(&sums, key, from, 0, 1)
                        if let after { add(&sums, key, after, 0, -1) }
                    }
                }
            }
        }
        return sums.sorted { $0.key < $1.key }.flatMap { key, days in
            days.filter { $0.value != (0, 0) }.sorted { $0.key < $1.key }.map { Change(key: key, day: $0.key, active: $0.value.0, trained: $0.value.1) }
        }
    }

    /// Overlapping or touching spans joined; nil end is open.
    public static func merged(_ posts: [Post]) -> [(String, String?)] {
        var out: [(String, String?)] = []
        for p in posts.sorted(by: { $0.start < $1.start }) where p.end.map({ p.start <= $0 }) ?? true {
            if let last = out.last, last.1.map({ p.start <= nextDay($0) }) ?? true {
                let end: String? = last.1 == nil || p.end == nil ? nil : max(last.1!, p.end!)
                out[out.count - 1] = (last.0, end)
            } else {
                out.append((p.start, p.end))
            }
        }
        return out
    }

    static func add(_ sums: inout [String: [String: (Int, Int)]], _ key: String, _ day: String, _ a: Int, _ t: Int) {
        let old = sums[key]?[day] ?? (0, 0)
        sums[key, default: [:]][day] = (old.0 + a, old.1 + t)
    }

    /// The day after a `yyyy-MM-dd` day.
    public static func nextDay(_ iso: String) -> String {
        guard let d = DayDate(iso) else { return iso }
        if d.day < DayDate.days(d.year, d.month) { return DayDate(year: d.year, month: d.month, day: d.day + 1)!.iso }
        if d.month < 12 { return DayDate(year: d.year, month: d.month + 1, day: 1)!.iso }
        return DayDate(year: d.year + 1, month: 1, day: 1)!.iso
    }
}
