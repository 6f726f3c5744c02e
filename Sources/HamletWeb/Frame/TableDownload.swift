import Vapor
import HamletKit

/// A small table as a download, XLSX (real number and date cells) or CSV (UTF-8 with a BOM).
/// Large lists stream instead (`PeopleExport`).
package enum TableDownload {
    /// The `format` query value, checked before any work is done.
    package static func format(_ req: Request) throws -> String {
        let format = req.query["format"] ?? "xlsx"
        guard ["xlsx", "csv"].contains(format) else { throw HamletError.invalid("format", "Định dạng là xlsx hoặc csv.") }
        return format
    }

    /// Words in the reader's language; a file that goes back in as an import (the roster) keeps
    /// the Vietnamese column names the import reads (`asTemplate`).
    package static func response(_ rows: [[XLSXCell]], format: String, name: String, asTemplate: Bool = false) throws -> Response {
        let rows = asTemplate ? rows : rows.map { $0.map { cell in if case .text(let s) = cell { .text(English.say(s)) } else { cell } } }
        let data = format == "csv" ? CSVTable.write(rows.map { $0.map(\.csvText) }) : try XLSXWriter.write(rows: rows)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: format == "csv" ? "text/csv; charset=utf-8"
                                      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).\(format)\"")
        // Figures and rosters can name people: never kept by a shared cache.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

extension Response {
    /// 201 with the body as JSON.
    package static func created<T: Content>(_ body: T) throws -> Response {
        let response = Response(status: .created)
        try response.content.encode(body)
        return response
    }
}
