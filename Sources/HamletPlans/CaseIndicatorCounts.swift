import Foundation
import HamletKit
import HamletWeb

/// Case indicators are case figures: shown outside the cases' circle, a count from 1 to 4 could
/// point at a person. Child units with a small count are merged into one row that holds at least
/// five (`SmallCounts.group`), and a total from 1 to 4 is withheld (`hidden`, shown "< 5").
/// Statuses are still judged on the true value.
extension IndicatorValue {
    package static let caseKinds: Set<String> = [IndicatorKind.casesServed.rawValue, IndicatorKind.casesGroupServed.rawValue, IndicatorKind.referralsCompleted.rawValue]
    package static let mergedName = "Các đơn vị khác (gộp, để không lộ danh tính)"

    package var isCaseFigure: Bool { Self.caseKinds.contains(kind) }

    /// The count a figure rests on: the people (or referrals) counted.
    package static func count(_ value: Double, _ numerator: Int?) -> Int { numerator ?? Int(value.rounded()) }

    /// Whether a figure's count would point at someone.
    package static func isSmall(_ value: Double, _ numerator: Int?, _ denominator: Int?) -> Bool {
        SmallCounts.hides(count(value, numerator)) || denominator.map(SmallCounts.hides) ?? false
    }

    package func hidingSmallCaseCounts() -> IndicatorValue {
        guard isCaseFigure else { return self }
        var v = self
        if Self.isSmall(value, numerator, denominator) {
            v.hidden = true; v.value = 0; v.numerator = nil; v.denominator = nil; v.children = []
            return v
        }
        let counts = children.map { Self.count($0.value, $0.numerator) }
        var (hidden, _) = SmallCounts.group(counts, total: counts.reduce(0, +))
        for (i, c) in children.enumerated() where c.denominator.map(SmallCounts.hides) ?? false { hidden.insert(i) }
        guard !hidden.isEmpty else { return v }
        let merged = hidden.sorted().map { children[$0] }
        v.children = children.enumerated().filter { !hidden.contains($0.offset) }.map(\.element)
        let numerator = merged.reduce(0) { $0 + Self.count($1.value, $1.numerator) }
        let denominators = merged.compactMap(\.denominator)
        let denominator = denominators.count == merged.count ? denominators.reduce(0, +) : nil
        if numerator >= SmallCounts.threshold && (denominator.map { $0 >= SmallCounts.threshold } ?? true) {
            let value = denominator.map { Percent.of(numerator, $0) } ?? Double(numerator)
            v.children.append(.init(code: "", name: Self.mergedName, value: value, numerator: merged.first?.numerator == nil ? nil : numerator, denominator: denominator))
        }
        return v
    }
}
