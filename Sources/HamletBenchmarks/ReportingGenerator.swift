import Vapor
import Fluent
import SQLKit
import FluentPostgresDriver
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletReporting

extension NationalGenerator {
    /// The national reporting load: one monthly form of 18 elements (two split by sex: 20 cells)
    /// reported by every open hamlet and commune for twelve months, with reports that came on
    /// time, late, were returned or never came; about 25 million values over 100,000 hamlets.
    package mutating func reporting(months: Int, on db: any Database) async throws -> (reports: Int, values: Int) {
        let (form, cells) = try await Self.benchmarkForm(on: db)
        let units = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level ~~ [.hamlet, .commune])
            .filter(\.$closedOn == nil).sort(\.$code).all()
        let last = Period.containing(DayDate.today(), .monthly).previous
        var first = last
        for _ in 1..<max(1, months) { first = first.previous }
        let periods = first.through(last)
        let now = Date()
        var reports: [[BulkLoad.Cell]] = [], values: [[BulkLoad.Cell]] = []
        var madeReports = 0, madeValues = 0
        func flush() async throws {
            try await BulkLoad.load(Report.schema, columns: ["id", "data_set_id", "org_code", "org_kind", "org_path", "period", "status", "version",
                                                              "first_submitted_on", "created_at", "updated_at"], rows: reports, on: db)
            let columns = ["element_id", "combo", "period", "period_start", "period_end", "org_structure", "org_code", "unit_path", "value", "number",
                           "created_at", "updated_at"], batch = values
            if db is any PostgresDatabase {
                try await BulkLoad.load(DataValue.schema, columns: columns, rows: batch, on: db)
            } else {
                // SQLite: the running sums added per batch, not per row, as a large import does.
                try await db.transaction { tx in
                    guard let sql = tx as? any SQLDatabase else { return }
                    try await DataValueWriter.withSumsPaused(on: sql) { try await BulkLoad.insert(DataValue.schema, columns: columns, rows: batch, on: sql) }
                }
            }
            madeReports += reports.count; madeValues += values.count
            reports = []; values = []
        }
        for unit in units {
            for period in periods {
                let roll = Int.random(in: 0..<100, using: &rng)
                if roll < 6 { continue }   // never came
                let due = form.due(for: period)
                let sent = roll < 20 ? due.adding(days: 1 + roll % 15) : due.adding(days: -(roll % 5))
                let status: ReportStatus = roll < 24 ? .returned : period == last ? .submitted : .approved
                reports.append([.uuid(UUID()), .uuid(form.id!), .text(unit.code), .text("unit"), .text(unit.path), .text(period.id), .text(status.rawValue),
                                .int(1), .text(sent.iso), .date(now), .date(now)])
                for (e, cell) in cells.enumerated() {
                    let n = Double((unit.level == .commune ? 40 : 2) + Int.random(in: 0..<(e % 3 == 0 ? 30 : 8), using: &rng))
                    values.append([.uuid(cell.0), .text(cell.1), .text(period.id), .text(period.start.iso), .text(period.end.iso), .text("2025"), .text(unit.code),
                                   .text(unit.path), .text(String(Int(n))), .double(n), .date(now), .date(now)])
                }
            }
            if values.count >= 200_000 { try await flush() }
        }
        try await flush()
        return (madeReports, madeValues)
    }

    /// The benchmark's form, made through the catalogue service like any other (once).
    package static func benchmarkForm(on db: any Database) async throws -> (DataSet, [(UUID, String)]) {
        let catalogue = CatalogueService(db: db, actor: nil, ip: nil)
        if try await DataCategory.query(on: db).filter(\.$code == "GIOI_TINH").first() == nil {
            _ = try await catalogue.saveCategory(CategoryInput(code: "GIOI_TINH", name: "Giới tính", options: [.init(code: "NAM", name: "Nam"), .init(code: "NU", name: "Nữ")]))
        }
        let names = ["Số hộ gia đình được thăm", "Số người được tư vấn kế hoạch hóa gia đình", "Số phụ nữ có thai được quản lý", "Số trẻ sinh ra",
                     "Số người chết", "Số cặp vợ chồng sử dụng biện pháp tránh thai", "Số trẻ em có nguy cơ cần bảo vệ", "Số trẻ em được can thiệp",
                     "Số vụ bạo lực gia đình được phát hiện", "Số người cao tuổi được thăm hỏi", "Số người khuyết tật được hỗ trợ",
                     "Số hộ nghèo được tư vấn", "Số buổi truyền thông", "Số người dự truyền thông", "Số người được chuyển tuyến",
                     "Số lượt tư vấn tiền hôn nhân", "Số người được tập huấn", "Số buổi sinh hoạt câu lạc bộ"]
        var items: [DataSetInput.Item] = []
        for (i, name) in names.enumerated() {
            let code = String(format: "BC_%02d", i + 1)
            if try await DataElement.query(on: db).filter(\.$code == code).first() == nil {
                _ = try await catalogue.saveElement(ElementInput(code: code, name: name, valueType: "INTEGER_ZERO_OR_POSITIVE", aggregation: "SUM",
                                                                  categories: i == 1 || i == 16 ? ["GIOI_TINH"] : []))
            }
            items.append(.init(element: code, section: i < 6 ? "Dân số" : i < 12 ? "Trẻ em, gia đình, xã hội" : "Truyền thông"))
        }
        var form = try await DataSet.query(on: db).filter(\.$code == "BC_THANG").first()
        if form == nil {
            form = try await catalogue.saveDataSet(DataSetInput(code: "BC_THANG", name: "Báo cáo tháng của thôn và xã", periodicity: "monthly",
                                                                levels: ["hamlet", "commune"], dueDays: 5, elements: items))
        }
        var cells: [(UUID, String)] = []
        for row in try await catalogue.elementsOf(form!) {
            for combo in row.element.categoryCodes.isEmpty ? [ReportForm.Cell.defaultCombo] : ["NAM", "NU"] { cells.append((row.element.id!, combo)) }
        }
        return (form!, cells)
    }
}
