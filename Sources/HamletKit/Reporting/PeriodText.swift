/// A period as people type it, besides DHIS2's ids: "11/2026", "T11/2026", "Tháng 11/2026",
/// "tháng 11 năm 2026", "Quý 3/2026", "Quý III/2026", "Q3/2026", "6 tháng đầu năm 2026",
/// "6 tháng cuối năm 2026", "S1/2026", "Năm 2026", "2026". Accents and case don't matter.
extension Period {
    public init?(typed text: String) {
        if let exact = Period(text) { self = exact; return }
        // Folded: no accents, lower case, words split on spaces, "/", "-" and ".".
        let folded = VietnameseText.folded(text)
        let words = folded.split(whereSeparator: { " /-.,".contains($0) }).map(String.init)
        guard let yearWord = words.last, yearWord.count == 4, let year = Int(yearWord) else { return nil }
        var rest = Array(words.dropLast())
        if rest.last == "nam" { rest.removeLast() }
        func number(_ word: String) -> Int? {
            if let n = Int(word) { return n }
            return ["i": 1, "ii": 2, "iii": 3, "iv": 4][word]
        }
        switch rest.count {
        case 0:
            self.init(.yearly, year: year, index: 1)
        case 1:
            let w = rest[0]
            if let m = Int(w) { self.init(.monthly, year: year, index: m); return }
            if w.hasPrefix("t"), let m = Int(w.dropFirst()) { self.init(.monthly, year: year, index: m); return }
            if w.hasPrefix("q"), let q = number(String(w.dropFirst())) { self.init(.quarterly, year: year, index: q); return }
            if w.hasPrefix("s"), let s = Int(w.dropFirst()) { self.init(.sixMonthly, year: year, index: s); return }
            return nil
        case 2:
            switch rest[0] {
            case "thang", "t": guard let m = Int(rest[1]) else { return nil }; self.init(.monthly, year: year, index: m)
            case "quy", "q": guard let q = number(rest[1]) else { return nil }; self.init(.quarterly, year: year, index: q)
            default: return nil
            }
        case 3 where rest[0] == "6" && rest[1] == "thang":
            switch rest[2] {
            case "dau": self.init(.sixMonthly, year: year, index: 1)
            case "cuoi": self.init(.sixMonthly, year: year, index: 2)
            default: return nil
            }
        default:
            return nil
        }
    }
}
