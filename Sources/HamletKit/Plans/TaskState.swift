import Foundation

/// A plan task's state on a given day, from its dated progress updates only, so a report for a
/// past year shows that year's state and not today's.
/// - the newest update on or before the day gives the state;
/// - before its time frame starts and with no update: not started;
/// - past its time frame and not done: overdue ("quá hạn");
/// - inside its time frame with no update yet: no update ("chưa có cập nhật").
public enum TaskState: String, Sendable, Codable, CaseIterable {
    case notStarted = "not-started", inProgress = "in-progress", done, delayed, overdue, noUpdate = "no-update"

    public var label: String {
        switch self {
        case .notStarted: return "Chưa triển khai"
        case .inProgress: return "Đang triển khai"
        case .done: return "Hoàn thành"
        case .delayed: return "Chậm tiến độ"
        case .overdue: return "Quá hạn"
        case .noUpdate: return "Chưa có cập nhật"
        }
    }

    public struct Update: Sendable, Equatable {
        public var on: DayDate
        public var state: TaskState
        public init(on: DayDate, state: TaskState) { self.on = on; self.state = state }
    }

    public static func on(_ day: DayDate, starts: DayDate, ends: DayDate, updates: [Update]) -> TaskState {
        let latest = updates.filter { $0.on <= day }.max { $0.on < $1.on }?.state
        if latest == .done { return .done }
        if day > ends { return .overdue }
        if let latest { return latest }
        return day < starts ? .notStarted : .noUpdate
    }
}
