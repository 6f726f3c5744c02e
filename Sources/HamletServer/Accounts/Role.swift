import Foundation

/// What an account may do; where it may do it is its scope.
enum Role: String, Codable, CaseIterable, Sendable {
    case admin
    case provinceOfficer = "province-officer"
    case communeOfficer = "commune-officer"
    case collaborator
    case caseworker
    case viewer

    var canEditUnits: Bool { [.admin, .provinceOfficer, .communeOfficer].contains(self) }
    var canEditOrganisations: Bool { [.admin, .provinceOfficer, .communeOfficer].contains(self) }
    var canEditCatalogues: Bool { [.admin, .provinceOfficer].contains(self) }
    var canManageUsers: Bool { self == .admin }

    func label(_ language: Language) -> String {
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
        }
    }
}
