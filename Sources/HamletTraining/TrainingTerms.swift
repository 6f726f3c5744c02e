import Foundation
import HamletWeb

/// Loại hình đào tạo, as the plans count them.
package enum CourseKind: String, Codable, CaseIterable, Sendable, Choice {
    case tapHuan = "tap-huan", boiDuong = "boi-duong", daoTao = "dao-tao", daoTaoLai = "dao-tao-lai"

    package var label: String {
        switch self {
        case .tapHuan: return "Tập huấn"
        case .boiDuong: return "Bồi dưỡng"
        case .daoTao: return "Đào tạo"
        case .daoTaoLai: return "Đào tạo lại"
        }
    }

    /// Formal training leads to a level (sơ cấp … tiến sĩ); the others do not.
    package var isFormal: Bool { self == .daoTao || self == .daoTaoLai }
}

package enum ClassStatus: String, Codable, CaseIterable, Sendable, Choice {
    case planned, open, finished, cancelled

    package var label: String {
        switch self {
        case .planned: return "Dự kiến"
        case .open: return "Đang học"
        case .finished: return "Đã kết thúc"
        case .cancelled: return "Đã huỷ"
        }
    }
}

/// A participant's result; none yet while the class runs.
package enum TrainingResult: String, Codable, CaseIterable, Sendable, Choice {
    case completed, notCompleted = "not-completed", absent

    package var label: String {
        switch self {
        case .completed: return "Hoàn thành"
        case .notCompleted: return "Không hoàn thành"
        case .absent: return "Vắng"
        }
    }
}

/// Nguồn kinh phí.
package enum FundingSource: String, Codable, CaseIterable, Sendable, Choice {
    case central, local, other

    package var label: String {
        switch self {
        case .central: return "Ngân sách trung ương"
        case .local: return "Ngân sách địa phương"
        case .other: return "Nguồn khác, xã hội hoá"
        }
    }
}

package enum NeedPriority: String, Codable, CaseIterable, Sendable, Choice {
    case high, medium, low

    package var label: String {
        switch self {
        case .high: return "Cao"
        case .medium: return "Trung bình"
        case .low: return "Thấp"
        }
    }
}
