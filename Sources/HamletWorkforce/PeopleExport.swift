import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit

/// Any filtered list of the register as XLSX (real date cells) or CSV (UTF-8 with a BOM): one
/// row per person and current post, the same columns the import reads. Read in keyset pages, so
/// 300,000 rows never sit in memory: CSV goes straight into the response as it is read (the first
/// byte leaves at once, so no proxy times out); XLSX, a zip, is built in a temporary file first.
package struct PeopleExport {
    package let db: any Database
    package let scope: AccessScope

    package init(db: any Database, scope: AccessScope) { self.db = db; self.scope = scope }
    package var pageSize = 2000

    package static let header = ["Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Điện thoại", "Dân tộc", "Nơi ở", "Mã nơi ở",
                         "Trình độ chuyên môn", "Chuyên ngành", "Chuyên ngành CTXH", "Chức danh nghề nghiệp",
                         "Đơn vị", "Mã đơn vị", "Chức danh", "Lĩnh vực", "Loại hình", "Chuyên trách", "Kiêm nhiệm", "Ngày bắt đầu",
                         "Xã trước sắp xếp"]

    /// Calls `emit` with the header, then every row; returns the number of people.
    package func rows(_ filter: PeopleQuery.Filter, on day: String, emit: ([XLSXCell]) async throws -> Void) async throws -> Int {
        try await emit(Self.header.map { .text($0) })
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
                if mine.isEmpty { try await emit(base) }
                for post in mine { try await emit(base + postCells(post, names: names)) }
            }
        }
        return people
    }

    package func personCells(_ p: Person, names: [String: String]) -> [XLSXCell] {
        [.text(p.fullName), .text(p.sex?.label ?? ""), Self.date(p.birthDate), .text(p.cccd ?? ""), .text(p.phone ?? ""),
         .text(p.ethnicity ?? ""), .text(names[p.homeUnitCode] ?? ""), .text(p.homeUnitCode), .text(p.qualificationLevel.label),
         .text(p.qualificationField ?? ""), .text(p.qualifiedInSocialWork ? "Có" : "Không"), .text(p.titleCode ?? "")]
    }

    package func postCells(_ a: Assignment, names: [String: String]) -> [XLSXCell] {
        [.text(names[a.unitCode] ?? ""), .text(a.unitCode), .text(a.positionTitle), .text(a.domains.map(\.label).joined(separator: ", ")),
         .text(a.employmentKind.label), .text(a.fullTime ? "Có" : "Không"), .text(a.concurrent ? "Có" : "Không"), Self.date(a.startDate),
         .text(a.legacyUnitCode ?? "")]
    }

    package static func date(_ iso: String?) -> XLSXCell {
        guard let iso, let d = DayDate(iso) else { return .empty }
        return .date(year: d.year, month: d.month, day: d.day)
    }

    /// Answers with the export as a download. Both formats are audited before the first byte.
    package static func respond(_ req: Request, format: String, filter: PeopleQuery.Filter, day: String) async throws -> Response {
        guard ["csv", "xlsx"].contains(format) else { throw HamletError.invalid("format", "Định dạng là xlsx hoặc csv.") }
        let export = PeopleExport(db: req.db, scope: req.scope)
        let response: Response
        var changes = AuditChanges()
        if format == "csv" {
            changes.add("rows", nil, "streamed")
            response = Response(status: .ok, body: .init(managedAsyncStream: { writer in
                var buffer = ByteBuffer(bytes: Array("\u{FEFF}".utf8))
                _ = try await export.rows(filter, on: day) { cells in
                    buffer.writeBytes(CSVTable.write([cells.map(\.csvText)]).dropFirst(3))
                    if buffer.readableBytes > 1 << 16 {
                        try await writer.write(.buffer(buffer))
                        buffer = ByteBuffer()
                    }
                }
                try await writer.write(.buffer(buffer))
            }))
        } else {
            let writer = try XLSXStreamWriter(sheetName: "Nhân lực")
            let count = try await export.rows(filter, on: day) { try writer.append($0) }
            let url = try writer.finish()
            changes.add("rows", nil, String(count))
            response = try await req.fileio.asyncStreamFile(at: url.path) { _ in XLSXStreamWriter.cleanUp(url) }
        }
        try await Audit.record(on: req, action: "export", entity: "people", entityID: format, scopePath: req.scope.path, changes: changes)
        let stamp = DayDate.today().iso.replacingOccurrences(of: "-", with: "")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"nhan-luc-\(stamp).\(format)\"")
        response.headers.replaceOrAdd(name: .contentType, value: format == "csv" ? "text/csv; charset=utf-8"
                                      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
