import Foundation

/// Which way a target is met: "at least" (≥; the plans' "ít nhất", "tối thiểu", "trở lên",
/// "phấn đấu đạt", the default) or "at most" (≤, for a rate meant to fall). Stated on each
/// target, never guessed from its baseline.
public enum TargetDirection: String, Sendable, Codable, CaseIterable {
    case atLeast = "at-least", atMost = "at-most"

    public var symbol: String { self == .atLeast ? "≥" : "≤" }
    public var label: String { self == .atLeast ? "Tối thiểu (≥)" : "Tối đa (≤)" }

    /// Whether `value` meets `goal` in this direction (with a hair of slack for rounding).
    public func meets(_ value: Double, _ goal: Double) -> Bool {
        self == .atLeast ? value >= goal - 1e-9 : value <= goal + 1e-9
    }
}

/// Where a target stands, by a rule the page states: the expected value runs on a straight line
/// from the baseline to each stage in turn (60% by 2016, then 100% by 2020).
/// - achieved / missed: from the last deadline (or the plan's end, if sooner) on, judged on the
///   value of that day; before it, achieved as soon as the value meets the final stage;
/// - on track: meets the line today, in the target's direction;
/// - at risk: does not.
public enum TargetStatus: String, Sendable, Codable, CaseIterable {
    case achieved, onTrack = "on-track", atRisk = "at-risk", missed
    /// A change against a baseline of 0 has no value: nothing can be said of it.
    case notComputable = "not-computable"

    public var label: String {
        switch self {
        case .achieved: return "Đạt"
        case .onTrack: return "Đúng tiến độ"
        case .atRisk: return "Có nguy cơ không đạt"
        case .missed: return "Không đạt"
        case .notComputable: return "Không tính được"
        }
    }

    public struct Stage: Sendable, Equatable {
        public var deadline: DayDate
        public var value: Double
        public init(deadline: DayDate, value: Double) { self.deadline = deadline; self.value = value }
    }

    /// One stage once its deadline has passed: its value on that day and whether it met the goal.
    public struct Verdict: Sendable, Equatable {
        public var stage: Stage
        /// nil: no value that day.
        public var value: Double?
        public var met: Bool
    }

    public struct Evaluation: Sendable, Equatable {
        public var status: TargetStatus
        /// What the straight line expects on the day asked (the closing goal once judged).
        public var expected: Double
        /// The day the target was judged on, once it is over.
        public var judgedOn: DayDate?
        /// The value it was judged on (the value of `judgedOn`; nil: none that day), else the value of the day asked.
        public var value: Double?
        /// Each stage whose deadline has passed.
        public var verdicts: [Verdict]
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

    /// The days whose values `evaluate` needs besides the day asked: each passed deadline and the
    /// closing day, so a caller can measure them in one go.
    public static func daysNeeded(stages: [Stage], on day: DayDate, planEnds: DayDate? = nil) -> [DayDate] {
        var days = stages.map(\.deadline).filter { $0 <= day }
        if let close = closing(stages: stages, planEnds: planEnds), close <= day { days.append(close) }
        return Array(Set(days)).sorted()
    }

    /// The last day the target can be met: its last deadline, or the plan's end if that comes first.
    public static func closing(stages: [Stage], planEnds: DayDate?) -> DayDate? {
        guard let last = stages.map(\.deadline).max() else { return nil }
        return planEnds.map { min($0, last) } ?? last
    }

    /// `valueOn` gives the value of a past day; nil from it means there was no value that day
    /// (nothing to count), which meets no goal. Without `valueOn` the current value stands in.
    /// `current` nil: the value cannot be computed (a change against a baseline of 0); so is a
    /// nil from `valueOn` when `unknownIsNotComputable`: the status is then "not computable".
    public static func evaluate(direction: TargetDirection = .atLeast, baseline: Stage, stages: [Stage], on day: DayDate,
                                current: Double?, planEnds: DayDate? = nil, valueOn: ((DayDate) -> Double?)? = nil,
                                unknownIsNotComputable: Bool = false) -> Evaluation {
        let sorted = stages.sorted { $0.deadline < $1.deadline }
        guard let last = sorted.last, let close = closing(stages: sorted, planEnds: planEnds) else {
            return Evaluation(status: current == nil ? .notComputable : .onTrack, expected: current ?? 0, judgedOn: nil, value: current, verdicts: [])
        }
        func value(_ d: DayDate) -> Double? { valueOn.map { $0(d) } ?? current }
        let verdicts = sorted.filter { $0.deadline <= day }.map { stage in
            let v = value(stage.deadline)
            return Verdict(stage: stage, value: v, met: v.map { direction.meets($0, stage.value) } ?? false)
        }
        if day >= close {
            // Over (its values of the closing day are final): judged on that day against the goal due by then.
            let v = value(close)
            let goal = sorted.last { $0.deadline <= close }?.value ?? expected(baseline: baseline, stages: sorted, on: close)
            let met = v.map { direction.meets($0, goal) } ?? false
            let status: TargetStatus = v == nil && unknownIsNotComputable ? .notComputable : met ? .achieved : .missed
            return Evaluation(status: status, expected: goal, judgedOn: close, value: v, verdicts: verdicts)
        }
        let line = expected(baseline: baseline, stages: sorted, on: day)
        guard let current else { return Evaluation(status: .notComputable, expected: line, judgedOn: nil, value: nil, verdicts: verdicts) }
        let status: TargetStatus = direction.meets(current, last.value) ? .achieved : direction.meets(current, line) ? .onTrack : .atRisk
        return Evaluation(status: status, expected: line, judgedOn: nil, value: current, verdicts: verdicts)
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
