import Foundation

/// How a target's figures are written, the same on the page, in the export and in the DOCX:
/// a goal with its direction ("≥ 85%"), a change against a baseline year as the change
/// ("+60% so với 2020", "−100% so với 2020") with its two counts as a note, never as "16/10".
public enum FigureText {
    public static func value(_ v: Double, percent: Bool) -> String {
        percent ? VietnameseFormat.decimal(v) + "%" : VietnameseFormat.integer(Int(v.rounded()))
    }

    public static func goal(_ v: Double, percent: Bool, direction: TargetDirection) -> String {
        direction.symbol + " " + value(v, percent: percent)
    }

    /// A change in %, signed.
    public static func change(_ v: Double, against year: Int) -> String {
        (v > 0 ? "+" : v < 0 ? "−" : "") + VietnameseFormat.decimal(abs(v)) + "% so với " + String(year)
    }

    /// The counts behind a figure: "16/40" for a share, "16 (2026) so với 10 (2020)" for a change.
    public static func counts(numerator: Int?, denominator: Int?, changeAgainst baseline: Int?, year: Int) -> String {
        guard let n = numerator, let d = denominator else { return [numerator, denominator].compactMap { $0 }.map(VietnameseFormat.integer).joined(separator: "/") }
        guard let baseline else { return VietnameseFormat.integer(n) + "/" + VietnameseFormat.integer(d) }
        return "\(VietnameseFormat.integer(n)) (\(year)) so với \(VietnameseFormat.integer(d)) (\(baseline))"
    }

    /// A target's value: a change, a share or a count. A change from a baseline count of 0 has
    /// no percentage: it is said so, never written as 0%.
    public static func current(_ v: Double, percent: Bool, changeAgainst baseline: Int?, baselineCount: Int? = nil) -> String {
        if let baseline, baselineCount == 0 { return notComputable(against: baseline) }
        return baseline.map { change(v, against: $0) } ?? value(v, percent: percent)
    }

    public static func notComputable(against year: Int) -> String {
        "không tính được (năm \(year) bằng 0)"
    }
}
