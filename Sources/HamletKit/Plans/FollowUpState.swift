import Foundation

/// Where a follow-up action of a supervision visit stands on a day: closed by its due day or after
/// it, still open, or overdue. Days are ISO (`2025-06-30`), so they compare as text.
public enum FollowUpState: String, Sendable, Codable, CaseIterable {
    case open, overdue, closedOnTime = "closed-on-time", closedLate = "closed-late"

    public static func of(due: String, closed: String?, asOf day: String) -> FollowUpState {
        if let closed, closed <= day { return closed <= due ? .closedOnTime : .closedLate }
        return day > due ? .overdue : .open
    }

    public var label: String {
        switch self {
        case .open: "Đang thực hiện"
        case .overdue: "Quá hạn"
        case .closedOnTime: "Đã xong đúng hạn"
        case .closedLate: "Đã xong, trễ hạn"
        }
    }
}
