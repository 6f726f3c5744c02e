import Vapor
import Fluent
import HamletKit

/// Any filtered list of the register as XLSX (real date cells) or CSV (UTF-8 with a BOM): one
/// row per person and current post, the same columns the import reads. Written page by page to
/// a temporary file and streamed, so 300,000 rows never sit in memory.
struct PeopleExport {
    let db: any Database
    let scope: AccessScope
    var pageSize = 2000

    static let header = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Điện thoại", "Dân tộc", "Nơi ở", "Mã nơi ở",
                         "Trình độ chuyên môn", "Chuyên ngành", "Chuyên ngành CTXH", "Chức danh nghề nghiệp",
                         "Đơn vị", "Mã đơn vị", "Chức danh", "Lĩnh vực", "Loại hình", "Chuyên trách", "Kiêm nhiệm", "Ngày bắt đầu"]

    /// Calls `emit` with the header, then every row; returns the number of people.
    func rows(_ filter: PeopleQuery.Filter, on day: String, emit: ([XLSXCell]) throws -> Void) async throws -> Int {
        try emit(Self.header.map { .text($0) })
        let query = PeopleQuery(db: db, scope: scope)
        var names: [String: String] = [:]
        var after: (String, UUID)? = nil, people = 0
        while true {
            let batch = try await query.page(filter, after: after, limit: pageSize)
            guard let last = batch.last else { break }
            after = (last.sortKey, try last.requireID())
            people += batch.count
            let posts = try await Assignment.query(on: db).filter(\.$person.$id ~~ batch.compactMap(\.id))
                .filter(\.$startDate <= day).group(.or) { $0.filter(\.$endDate == nil).filter(\.$endDate >= day) }.all()
            let missing = Set(batch.map(\.homeUnitCode) + posts.map(\.unitCode)).subtracting(names.keys)
            for (code, name) in try await AssignmentViews(db: db).names(ofUnits: Array(missing)) { names[code] = name }
            let byPerson = Dictionary(grouping: posts, by: { $0.$person.id })
            for person in batch {
                let base = personCells(person, names: names)
                let mine = (byPerson[person.id!] ?? []).sorted { $0.startDate < $1.startDate }
                if mine.isEmpty { try emit(base) }
                for post in mine { try emit(base + postCells(post, names: names)) }
            }
        }
        return people
    }

    func personCells(_ p: Person, names: [String: String]) -> [XLSXCell] {
        [.text(p.fullName), .text(p.sex?.label ?? ""), Self.date(p.birthDate), .text(p.cccd ?? ""), .text(p.phone ?? ""),
         .text(p.ethnicity ?? ""), .text(names[p.homeUnitCode] ?? ""), .text(p.homeUnitCode), .text(p.qualificationLevel.label),
         .text(p.qualificationField ?? ""), .text(p.qualifiedInSocialWork ? "Có" : "Không"), .text(p.titleCode ?? "")]
    }

    func postCells(_ a: Assignment, names: [String: String]) -> [XLSXCell] {
        [.text(names[a.unitCode] ?? ""), .text(a.unitCode), .text(a.positionTitle), .text(a.domains.map(\.label).joined(separator: ", ")),
         .text(a.employmentKind.label), .text(a.fullTime ? "Có" : "Không"), .text(a.concurrent ? "Có" : "Không"), Self.date(a.startDate)]
    }

    static func date(_ iso: String?) -> XLSXCell {
        guard let iso, let d = DayDate(iso) else { return .empty }
        return .date(year: d.year, month: d.month, day: d.day)
    }

    static func csvText(_ cell: XLSXCell) -> String {
        switch cell {
        case .text(let s): return s
        case .number(let n): return n == n.rounded() ? String(Int64(n)) : String(n)
        case .date(let y, let m, let d): return String(format: "%02d/%02d/%04d", d, m, y)
        case .empty: return ""
        }
    }

    /// Builds the file and answers with it as a download, removing it once sent.
    static func respond(_ req: Request, format: String, filter: PeopleQuery.Filter, day: String) async throws -> Response {
        let export = PeopleExport(db: req.db, scope: req.scope)
        let url: URL
        let count: Int
        switch format {
        case "csv":
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hamlet-csv-" + UUID().uuidString)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            url = folder.appendingPathComponent("export.csv")
            FileManager.default.createFile(atPath: url.path, contents: Data("\u{FEFF}".utf8))
            let handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
            var buffer = ""
            count = try await export.rows(filter, on: day) { cells in
                buffer += String(decoding: CSVTable.write([cells.map(csvText)]).dropFirst(3), as: UTF8.self)
                if buffer.utf8.count > 1 << 20 { try handle.write(contentsOf: Data(buffer.utf8)); buffer = "" }
            }
            try handle.write(contentsOf: Data(buffer.utf8))
            try handle.close()
        case "xlsx":
            let writer = try XLSXStreamWriter(sheetName: "Nhân lực")
            count = try await export.rows(filter, on: day) { try writer.append($0) }
            url = try writer.finish()
        default:
            throw HamletError.invalid("format", "Định dạng là xlsx hoặc csv.")
        }
        var changes = AuditChanges()
        changes.add("rows", nil, String(count))
        try await Audit.record(on: req, action: "export", entity: "people", entityID: format, scopePath: req.scope.path, changes: changes)
        let response = try await req.fileio.asyncStreamFile(at: url.path) { _ in XLSXStreamWriter.cleanUp(url) }
        let stamp = DayDate.today().iso.replacingOccurrences(of: "-", with: "")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"nhan-luc-\(stamp).\(format)\"")
        response.headers.replaceOrAdd(name: .contentType, value: format == "csv" ? "text/csv; charset=utf-8"
                                      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
