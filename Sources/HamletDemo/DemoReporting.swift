import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletReporting

/// Two report forms for An Giang with a year of data, dated from the day the demo is made so it is
/// never stale: the collaborators' monthly report from every hamlet for the last twelve months
/// that have ended, and the communes' yearly report (due 30/11) for last year and, once its due
/// day has passed, for this year.
/// Most reports came in on time and were approved; some came late, were returned, or never
/// came, so the completeness page and the totals show real patterns.
package enum DemoReporting {
    package static func load(on db: any Database) async throws {
        let catalogue = CatalogueService(db: db, actor: nil, ip: nil, owner: DemoData.province + ".")
        _ = try await catalogue.saveCategory(CategoryInput(code: "GIOI_TINH", name: "Giới tính", options: [.init(code: "NAM", name: "Nam"), .init(code: "NU", name: "Nữ")]))
        for e in [
            ElementInput(code: "HO_THAM", name: "Số hộ gia đình được thăm, tư vấn", valueType: "INTEGER_ZERO_OR_POSITIVE"),
            ElementInput(code: "TU_VAN_KHHGD", name: "Số người được tư vấn kế hoạch hóa gia đình", valueType: "INTEGER_ZERO_OR_POSITIVE", categories: ["GIOI_TINH"]),
            ElementInput(code: "TRE_CAN_BV", name: "Số trẻ em có nguy cơ cần bảo vệ được phát hiện", valueType: "INTEGER_ZERO_OR_POSITIVE"),
            ElementInput(code: "GIAO_BAN", name: "Dự giao ban tháng ở xã", valueType: "BOOLEAN"),
            ElementInput(code: "CTV_TONG", name: "Tổng số cộng tác viên", valueType: "INTEGER_ZERO_OR_POSITIVE", aggregation: "LAST"),
            ElementInput(code: "CTV_TAP_HUAN", name: "Số cộng tác viên được tập huấn trong năm", valueType: "INTEGER_ZERO_OR_POSITIVE", categories: ["GIOI_TINH"]),
            ElementInput(code: "NGUOI_HO_TRO", name: "Số người được trợ giúp, tư vấn công tác xã hội", valueType: "INTEGER_ZERO_OR_POSITIVE"),
            ElementInput(code: "KINH_PHI", name: "Kinh phí đã chi (đồng)", valueType: "NUMBER"),
        ] { _ = try await catalogue.saveElement(e) }
        let monthly = try await catalogue.saveDataSet(DataSetInput(
            code: "BC_CTV_THANG", name: "Báo cáo tháng của cộng tác viên thôn, ấp", periodicity: "monthly", levels: ["hamlet"], dueDays: 5,
            elements: [.init(element: "HO_THAM", section: "Dân số - gia đình"), .init(element: "TU_VAN_KHHGD", section: "Dân số - gia đình"),
                       .init(element: "TRE_CAN_BV", section: "Bảo vệ trẻ em"), .init(element: "GIAO_BAN", section: "Sinh hoạt")],
            rules: [ValidationRule(kind: .required, left: "HO_THAM"), ValidationRule(kind: .range, left: "HO_THAM", min: 0, max: 300)]))
        let yearly = try await catalogue.saveDataSet(DataSetInput(
            code: "BC_XA_NAM", name: "Báo cáo năm của xã về mạng lưới cộng tác viên và công tác xã hội", periodicity: "yearly", levels: ["commune"],
            dueDay: 30, dueMonth: 11,
            elements: [.init(element: "CTV_TONG", section: "Cộng tác viên"), .init(element: "CTV_TAP_HUAN", section: "Cộng tác viên"),
                       .init(element: "NGUOI_HO_TRO", section: "Trợ giúp xã hội"), .init(element: "KINH_PHI", section: "Kinh phí")],
            rules: [ValidationRule(kind: .compare, left: "CTV_TAP_HUAN", op: .lessOrEqual, right: "CTV_TONG")]))
        let elements = Dictionary(uniqueKeysWithValues: try await DataElement.query(on: db).all().map { ($0.code, $0.id!) })
        let communes = try await DemoData.communes(on: db)
        let hamlets = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level == .hamlet)
            .filter(\.$path >= DemoData.province + ".").filter(\.$path < DemoData.province + ".~").sort(\.$path).all()

        let today = DayDate.today()
        var reports: [Report] = []
        var values: [DataValueWriter.Row] = []
        var spans: [String: DataValueWriter.Span] = [:]
        func report(_ set: DataSet, _ unit: AdminUnit, _ period: Period, seed: Int) -> Bool {
            // About 1 in 16 never came; 1 in 7 came late; 1 in 25 was returned; the latest month is still waiting for approval.
            if seed % 16 == 5 { return false }
            let due = set.due(for: period)
            let sent = seed % 7 == 3 ? due.adding(days: 3 + seed % 20) : due.adding(days: -(seed % 4))
            // Not sent yet: a report the demo would date after today is still missing.
            guard sent <= today else { return false }
            let r = Report()
            r.id = UUID(); r.$dataSet.id = set.id!; r.orgKind = "unit"; r.orgCode = unit.code; r.orgPath = unit.path; r.period = period.id
            r.firstSubmittedOn = sent.iso; r.version = 1
            let latest = period.end.adding(days: 40) > today
            r.status = seed % 25 == 7 ? ReportStatus.returned.rawValue : latest ? ReportStatus.submitted.rawValue : ReportStatus.approved.rawValue
            if r.state == .returned { r.comment = "Số hộ được thăm chưa khớp sổ theo dõi, đề nghị kiểm tra lại." }
            reports.append(r)
            return true
        }
        func value(_ code: String, _ unit: AdminUnit, _ period: Period, _ n: Double, combo: String = ReportForm.Cell.defaultCombo, text: String? = nil) {
            let span = spans[period.id] ?? DataValueWriter.Span(period)
            spans[period.id] = span
            values.append(.init(elementID: elements[code]!, combo: combo, span: span, structure: UnitStructure.current.rawValue, orgCode: unit.code,
                                unitPath: unit.path, value: text ?? String(Int64(n)), number: n))
        }
        let last = Period.containing(today, .monthly).previous
        var first = last
        for _ in 1..<12 { first = first.previous }
        let months = first.through(last)
        for (h, hamlet) in hamlets.enumerated() {
            for (m, month) in months.enumerated() {
                let seed = (h * 31 + m * 7 + h / 3) % 97
                guard report(monthly, hamlet, month, seed: seed) else { continue }
                value("HO_THAM", hamlet, month, Double(18 + (h * 5 + m * 3) % 25))
                value("TU_VAN_KHHGD", hamlet, month, Double(2 + (h + m) % 5), combo: "NAM")
                value("TU_VAN_KHHGD", hamlet, month, Double(5 + (h * 3 + m) % 8), combo: "NU")
                value("TRE_CAN_BV", hamlet, month, Double((h + m * 2) % 9 == 0 ? 1 : 0))
                value("GIAO_BAN", hamlet, month, seed % 9 == 0 ? 0 : 1, text: seed % 9 == 0 ? "false" : "true")
            }
        }
        let thisYear = Period.containing(today, .yearly)
        let years = [thisYear.previous] + (yearly.due(for: thisYear) <= today ? [thisYear] : [])
        for (k, year) in years.enumerated() {
            for (c, commune) in communes.enumerated() {
                guard report(yearly, commune, year, seed: (c * 13 + 4 + k * 29) % 97) else { continue }
                value("CTV_TONG", commune, year, Double(4 + c % 6 + 4))
                value("CTV_TAP_HUAN", commune, year, Double(1 + c % 3), combo: "NAM")
                value("CTV_TAP_HUAN", commune, year, Double(2 + c % 4), combo: "NU")
                value("NGUOI_HO_TRO", commune, year, Double(40 + (c * 17 + k * 11) % 120))
                value("KINH_PHI", commune, year, Double(25_000_000 + (c * 3_500_000) % 60_000_000))
            }
        }
        for chunk in reports.chunks(of: 500) { try await Array(chunk).create(on: db) }
        // The bulk writer: one grouped update of the running sums instead of one per value.
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "Cơ sở dữ liệu không hỗ trợ SQL") }
        try await DataValueWriter.upsert(values, by: nil, on: sql)
    }
}
