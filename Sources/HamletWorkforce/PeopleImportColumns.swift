import Foundation
import HamletKit
import HamletWeb

/// The columns the register import understands, how real spreadsheets name them, and how their
/// cells read (dates as text or Excel serial numbers, labels or codes for closed lists).
package enum ImportField: String, CaseIterable, Codable, Sendable {
    case fullName, birthDate, sex, cccd, phone, ethnicity, homeUnitCode, unitCode, unitName, position, domains, kind,
         startDate, qualification, fullTime, concurrent, legacyUnit

    /// Folded header texts that name this column, most specific first.
    package var aliases: [String] {
        switch self {
        case .fullName: return ["ho va ten", "ho ten", "full name", "ten can bo"]
        case .birthDate: return ["ngay sinh", "ngay thang nam sinh", "date of birth", "nam sinh"]
        case .sex: return ["gioi tinh", "sex"]
        case .cccd: return ["so cccd", "cccd", "can cuoc", "so dinh danh", "citizen id"]
        case .phone: return ["dien thoai", "so dien thoai", "sdt", "phone"]
        case .ethnicity: return ["dan toc", "ethnicity"]
        case .homeUnitCode: return ["ma noi o"]
        case .unitCode: return ["ma don vi", "ma noi lam viec", "unit code"]
        case .unitName: return ["don vi", "noi lam viec", "unit"]
        case .position: return ["chuc danh", "chuc vu", "vi tri", "position"]
        case .domains: return ["linh vuc", "domain"]
        case .kind: return ["loai hinh", "employment"]
        case .startDate: return ["ngay bat dau", "tu ngay", "start date"]
        case .qualification: return ["trinh do chuyen mon", "trinh do"]
        case .fullTime: return ["chuyen trach", "full-time"]
        case .concurrent: return ["kiem nhiem", "concurrent"]
        case .legacyUnit: return ["xa truoc sap xep", "ma xa truoc sap xep", "xa cu", "legacy commune"]
        }
    }

    package var label: String {
        switch self {
        case .fullName: return "Họ và tên"
        case .birthDate: return "Ngày sinh"
        case .sex: return "Giới tính"
        case .cccd: return "Số CCCD"
        case .phone: return "Điện thoại"
        case .ethnicity: return "Dân tộc"
        case .homeUnitCode: return "Mã nơi ở"
        case .unitCode: return "Mã đơn vị"
        case .unitName: return "Đơn vị"
        case .position: return "Chức danh"
        case .domains: return "Lĩnh vực"
        case .kind: return "Loại hình"
        case .startDate: return "Ngày bắt đầu"
        case .qualification: return "Trình độ chuyên môn"
        case .fullTime: return "Chuyên trách"
        case .concurrent: return "Kiêm nhiệm"
        case .legacyUnit: return "Xã trước sắp xếp"
        }
    }
}

package struct ImportMapping: Sendable, Codable, Equatable {
    package var columns: [ImportField: Int]
    /// The kind of every post, when the file has no kind column and a row's position implies none.
    package var defaultKind: EmploymentKind? = nil

    package init(columns: [ImportField: Int], defaultKind: EmploymentKind? = nil) { self.columns = columns; self.defaultKind = defaultKind }

    package var isUsable: Bool { columns[.fullName] != nil && (columns[.unitCode] != nil || columns[.unitName] != nil) }

    /// Finds the header row (in the first 20 rows: titles and merged cells may sit above it) and
    /// maps each known column by its header. A header is taken by the most specific alias first,
    /// so "Mã đơn vị" is the unit code and "Đơn vị" the unit name.
    package static func detect(_ rows: [SheetRow]) -> (ImportMapping, headerIndex: Int)? {
        var best: (ImportMapping, Int)? = nil
        for (index, row) in rows.prefix(20).enumerated() {
            let headers = row.cells.map { VietnameseText.folded($0) }
            var taken = Set<Int>()
            var columns: [ImportField: Int] = [:]
            // Longer aliases first, so "ma don vi" wins over "don vi".
            let pairs = ImportField.allCases.flatMap { f in f.aliases.map { (f, $0) } }.sorted { $0.1.count > $1.1.count }
            for (field, alias) in pairs where columns[field] == nil {
                if let col = headers.indices.first(where: { !taken.contains($0) && headers[$0] == alias })
                    ?? headers.indices.first(where: { !taken.contains($0) && headers[$0].hasPrefix(alias) }) {
                    columns[field] = col
                    taken.insert(col)
                }
            }
            if columns.count > (best?.0.columns.count ?? 1) { best = (ImportMapping(columns: columns), index) }
        }
        return best
    }
}

package enum ImportCell {
    /// dd/MM/yyyy, yyyy-MM-dd, or an Excel serial number (1900 system).
    package static func date(_ raw: String) -> DayDate? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let d = DayDate(text) { return d }
        let number = text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        guard let serial = Int(number), serial > 60, serial < 80_000 else { return nil }
        return DayDate(year: 1899, month: 12, day: 30)?.adding(days: serial)
    }

    /// A kind a position names: "Cộng tác viên dân số" → collaborator.
    package static func impliedKind(position: String) -> EmploymentKind? {
        let folded = VietnameseText.folded(position)
        if folded.hasPrefix("cong tac vien") || folded.hasPrefix("ctv") { return .congTacVien }
        return nil
    }

    package static func yes(_ raw: String) -> Bool {
        ["co", "x", "yes", "true", "1", "chuyen trach", "kiem nhiem"].contains(VietnameseText.folded(raw))
    }

    package static func choice<T: Choice>(_ raw: String, _ type: T.Type, extra: [String: T] = [:]) -> T? {
        let folded = VietnameseText.folded(raw)
        if let exact = T(rawValue: raw.trimmingCharacters(in: .whitespaces)) { return exact }
        if let hit = extra[folded] { return hit }
        return T.allCases.first { VietnameseText.folded($0.label) == folded }
    }

    package static func domains(_ raw: String) -> [WorkDomain]? {
        let parts = raw.split(whereSeparator: { ",;/+".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let extra: [String: WorkDomain] = ["ctxh": .socialWork, "dan so": .population, "dan so - khhgd": .population, "dan so kế hoach hoa gia dinh": .population,
                                           "tre em": .children, "bao ve tre em": .children, "gia dinh": .family]
        let mapped = parts.map { choice($0, WorkDomain.self, extra: extra) }
        return mapped.contains(where: { $0 == nil }) || mapped.isEmpty ? nil : mapped.compactMap { $0 }
    }
}
