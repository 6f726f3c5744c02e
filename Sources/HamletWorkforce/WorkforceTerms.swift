import Foundation
import HamletWeb

/// Lĩnh vực: the fields of work the plans count. One assignment may carry several at once
/// (a hamlet collaborator doing population, family and children work is one person).
package enum WorkDomain: String, Codable, CaseIterable, Sendable, Choice {
    case socialWork = "social-work", family, population, children

    package var column: String {
        switch self {
        case .socialWork: return "domain_social_work"
        case .family: return "domain_family"
        case .population: return "domain_population"
        case .children: return "domain_children"
        }
    }

    package var label: String {
        switch self {
        case .socialWork: return "Công tác xã hội"
        case .family: return "Gia đình"
        case .population: return "Dân số"
        case .children: return "Trẻ em"
        }
    }
}

/// Loại hình: how a person is employed.
package enum EmploymentKind: String, Codable, CaseIterable, Sendable, Choice {
    case canBo = "can-bo", congChuc = "cong-chuc", vienChuc = "vien-chuc", nhanVien = "nhan-vien", congTacVien = "cong-tac-vien"

    package var label: String {
        switch self {
        case .canBo: return "Cán bộ"
        case .congChuc: return "Công chức"
        case .vienChuc: return "Viên chức"
        case .nhanVien: return "Nhân viên (hợp đồng)"
        case .congTacVien: return "Cộng tác viên"
        }
    }
}

package enum EndReason: String, Codable, CaseIterable, Sendable, Choice {
    case resigned, transferred, retired, dismissed, died, other

    package var label: String {
        switch self {
        case .resigned: return "Nghỉ việc"
        case .transferred: return "Điều chuyển"
        case .retired: return "Nghỉ hưu"
        case .dismissed: return "Cho thôi việc"
        case .died: return "Từ trần"
        case .other: return "Lý do khác"
        }
    }
}

package enum Sex: String, Codable, CaseIterable, Sendable, Choice {
    case male, female
    package var label: String { self == .male ? "Nam" : "Nữ" }
}

/// Trình độ chuyên môn, in order.
package enum QualificationLevel: String, Codable, CaseIterable, Sendable, Choice {
    case none, soCap = "so-cap", trungCap = "trung-cap", caoDang = "cao-dang", daiHoc = "dai-hoc", thacSi = "thac-si", tienSi = "tien-si"

    package var label: String {
        switch self {
        case .none: return "Chưa qua đào tạo"
        case .soCap: return "Sơ cấp"
        case .trungCap: return "Trung cấp"
        case .caoDang: return "Cao đẳng"
        case .daiHoc: return "Đại học"
        case .thacSi: return "Thạc sĩ"
        case .tienSi: return "Tiến sĩ"
        }
    }
}
