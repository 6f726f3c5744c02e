/// Counts of people small enough to point at someone are not shown (statistical disclosure
/// control). A count from 1 to 4 is "< 5" (primary suppression; 0 is shown: it names no one).
/// Where cells add up to a total that is shown, hiding one cell is not enough — the total minus
/// the others gives it back — so more cells are hidden until the hidden ones together hold at
/// least 5, smallest first; when no cell is left to hide, the total is hidden instead
/// (secondary suppression).
public enum SmallCounts {
    public static let threshold = 5
    public static let shown = "< 5"

    /// Whether a single count, shown on its own, must be hidden.
    public static func hides(_ count: Int) -> Bool { count > 0 && count < threshold }

    /// One additive group: cells whose sum is `total`. Returns which cells to hide, and whether
    /// the total itself must be hidden.
    public static func group(_ cells: [Int], total: Int) -> (hidden: Set<Int>, hideTotal: Bool) {
        if hides(total) { return (Set(cells.indices.filter { cells[$0] > 0 }), true) }
        var hidden = Set(cells.indices.filter { hides(cells[$0]) })
        func hiddenSum() -> Int { hidden.reduce(0) { $0 + cells[$1] } }
        while !hidden.isEmpty, hiddenSum() < threshold {
            let candidates = cells.indices.filter { !hidden.contains($0) && cells[$0] > 0 }.sorted { (cells[$0], $0) < (cells[$1], $1) }
            guard let next = candidates.first else { return (hidden, true) }
            hidden.insert(next)
        }
        return (hidden, false)
    }

    /// A count as shown: the number, or "< 5".
    public static func text(_ count: Int?, format: (Int) -> String = { String($0) }) -> String {
        count.map(format) ?? shown
    }

    /// What the rule says, for the page beside the table.
    public static let explanation = "Để không lộ danh tính, số từ 1 đến 4 được ghi “< 5”; khi cần, một số ô khác (hoặc ô tổng) cũng được ẩn để không suy ra được số đã ẩn từ tổng."
}
