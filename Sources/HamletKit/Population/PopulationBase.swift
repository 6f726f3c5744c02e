import Foundation

/// Population figures as the base of a share ("85 % of children in special circumstances
/// supported"). For one group and one year, a unit's base is its own figure if one was entered,
/// else the sum of the bases of the units below it: a province's figure from the statistics office
/// wins over the sum of its communes' counts, and a commune with no figure adds nothing.
public enum PopulationBase {
    /// Unit paths end with a dot ("91.", "91.30292.", "91.30292.008.").
    public struct Split: Sendable, Equatable {
        /// The base of the root, nil when nothing under it has a figure.
        public var total: Int?
        /// The base of each child of the root that has one, by the child's path.
        public var children: [String: Int]
    }

    /// The base of `root` and of each of its children, from figures by path (one group, one year).
    public static func split(_ root: String, _ figures: [String: Int]) -> Split {
        let under = figures.filter { $0.key.hasPrefix(root) }.sorted { $0.key < $1.key }
        let groups = childGroups(root, under[...].filter { $0.key != root }[...])
        var children: [String: Int] = [:]
        for (child, slice) in groups { if let b = base(child, slice) { children[child] = b } }
        let total = figures[root] ?? (children.isEmpty ? nil : children.values.reduce(0, +))
        return Split(total: total, children: children)
    }

    /// `entries` are sorted and all under `path`.
    private static func base(_ path: String, _ entries: ArraySlice<(key: String, value: Int)>) -> Int? {
        if let first = entries.first, first.key == path { return first.value }
        var sum: Int?
        for (child, slice) in childGroups(path, entries) {
            if let b = base(child, slice) { sum = (sum ?? 0) + b }
        }
        return sum
    }

    /// Sorted entries strictly under `path`, cut into runs by the child of `path` they lie under.
    private static func childGroups(_ path: String, _ entries: ArraySlice<(key: String, value: Int)>) -> [(String, ArraySlice<(key: String, value: Int)>)] {
        var out: [(String, ArraySlice<(key: String, value: Int)>)] = []
        var index = entries.startIndex
        while index < entries.endIndex {
            let rest = entries[index].key.dropFirst(path.count)
            guard let dot = rest.firstIndex(of: ".") else { index += 1; continue }
            let child = path + rest[...dot]
            var end = index
            while end < entries.endIndex, entries[end].key.hasPrefix(child) { end += 1 }
            out.append((child, entries[index..<end]))
            index = end
        }
        return out
    }
}
