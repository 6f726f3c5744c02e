import Foundation

/// What an account may do; where it may do it is its scope.
package enum Role: String, Codable, CaseIterable, Sendable {
    case admin
    case provinceOfficer = "province-officer"
    case communeOfficer = "commune-officer"
    case collaborator
    case caseworker
    case viewer
    /// A leader of a People's Committee: sees what a viewer sees, and approves on the Committee's
    /// behalf the plan reports its lead department has accepted.
    case leader

    package var canEditUnits: Bool { [.admin, .provinceOfficer, .communeOfficer].contains(self) }
    package var canEditOrganisations: Bool { [.admin, .provinceOfficer, .communeOfficer].contains(self) }
    package var canEditCatalogues: Bool { [.admin, .provinceOfficer].contains(self) }
    package var canManageUsers: Bool { self == .admin }

    /// The menu a role sees: what it works with, nothing else (a collaborator enters reports and
    /// sees its hamlet's people; a caseworker works on cases). The pages still check every request.
    package var menu: Set<String> {
        switch self {
        case .admin, .provinceOfficer:
            return ["units", "people", "coverage", "turnover", "training", "reports", "plans", "cases", "agencies", "facilities", "catalogues"]
        case .communeOfficer:
            return ["units", "people", "coverage", "turnover", "training", "reports", "plans", "agencies", "facilities"]
        case .collaborator:
            return ["people", "training", "reports"]
        case .caseworker:
            return ["cases", "facilities"]
        case .viewer, .leader:
            return ["units", "people", "coverage", "turnover", "training", "reports", "plans"]
        }
    }

    package func label(_ language: Language) -> String {
        switch (self, language) {
        case (.admin, .vi): return "Quản trị hệ thống"
        case (.admin, .en): return "Administrator"
        case (.provinceOfficer, .vi): return "Chuyên viên tỉnh"
        case (.provinceOfficer, .en): return "Provincial officer"
        case (.communeOfficer, .vi): return "Cán bộ xã"
        case (.communeOfficer, .en): return "Commune officer"
        case (.collaborator, .vi): return "Cộng tác viên"
        case (.collaborator, .en): return "Collaborator"
        case (.caseworker, .vi): return "Nhân viên công tác xã hội"
        case (.caseworker, .en): return "Caseworker"
        case (.viewer, .vi): return "Người xem"
        case (.viewer, .en): return "Viewer"
        case (.leader, .vi): return "Lãnh đạo UBND (phê duyệt báo cáo)"
        case (.leader, .en): return "People's Committee leader (approves reports)"
        }
    }
}
