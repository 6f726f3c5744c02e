import Foundation

/// Where a target stands, by a rule the page states: the expected value runs on a straight line
/// from the baseline to each stage in turn (60% by 2016, then 100% by 2020).
/// - achieved: the current value reaches the final target;
/// - overdue: the final deadline has passed without it;
/// - on track: at or above the line today;
/// - at risk: below the line.
public enum TargetStatus: String, Sendable, Codable, CaseIterable {
    case achieved, onTrack = "on-track", atRisk = "at-risk", overdue

    public var label: String {
        switch self {
        case .achieved: return "Đã đạt"
        case .onTrack: return "Đúng tiến độ"
        case .atRisk: return "Có nguy cơ không đạt"
        case .overdue: return "Quá hạn, chưa đạt"
        }
    }

    public struct Stage: Sendable, Equatable {
        public var deadline: DayDate
        public var value: Double
        public init(deadline: DayDate, value: Double) { self.deadline = deadline; self.value = value }
    }

    /// The value the straight line expects on `day`. Before the baseline: the baseline value;
    /// after the last stage: its value.
    public static func expected(baseline: Stage, stages: [Stage], on day: DayDate) -> Double {
        var from = baseline
        for stage in stages.sorted(by: { $0.deadline < $1.deadline }) {
            if day <= stage.deadline {
                let span = Double(stage.deadline.dayNumber - from.deadline.dayNumber)
                guard span > 0 else { return stage.value }
                let done = Double(max(0, day.dayNumber - from.deadline.dayNumber)) / span
                return from.value + (stage.value - from.value) * min(1, done)
            }
            from = stage
        }
        return from.value
    }

    public static func evaluate(baseline: Stage, stages: [Stage], on day: DayDate, current: Double) -> (TargetStatus, Double) {
        guard let last = stages.max(by: { $0.deadline < $1.deadline }) else { return (.onTrack, current) }
        let expected = expected(baseline: baseline, stages: stages, on: day)
        // A target can fall (fewer of something); compare in the target's direction.
        let rising = last.value >= baseline.value
        func atLeast(_ a: Double, _ b: Double) -> Bool { rising ? a >= b - 1e-9 : a <= b + 1e-9 }
        if atLeast(current, last.value) { return (.achieved, expected) }
        if day > last.deadline { return (.overdue, expected) }
        return (atLeast(current, expected) ? .onTrack : .atRisk, expected)
    }
}

extension DayDate {
    /// Days since 1 January of year 1 (proleptic Gregorian), for date arithmetic without Foundation.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let m = month <= 2 ? month + 12 : month
        return 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + day
    }
}
