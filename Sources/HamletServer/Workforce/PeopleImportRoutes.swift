import Vapor
import Fluent

/// POST /api/v1/people/import (the file as the body or multipart `file`; `?dryRun=true`;
/// `?mapping={"fullName":0,"unitCode":3,…}` when the headers are not recognised) and the
/// import page: upload, preview every row, map columns if needed, confirm.
struct PeopleImportRoutes: RouteCollection {
    let api: Bool

    func boot(routes: any RoutesBuilder) throws {
        if api {
            routes.on(.POST, "people", "import", body: .collect(maxSize: "30mb"), use: importAPI)
        } else {
            routes.get("people", "import", use: form)
            routes.on(.POST, "people", "import", body: .collect(maxSize: "30mb"), use: importPage)
        }
    }

    func importer(_ req: Request) throws -> PeopleImporter {
        PeopleImporter(db: req.db, scope: req.scope, actor: try req.requireRole(\.canEditWorkforce), ip: req.clientIP)
    }

    func importAPI(req: Request) async throws -> PeopleImporter.Report {
        let importer = try importer(req)
        var mapping: ImportMapping? = nil
        if let raw = req.query[String.self, at: "mapping"], !raw.isEmpty {
            mapping = try Self.mapping(fromJSON: raw)
        }
        let report = try await importer.run(data: try UnitAPI.uploadedFile(req), mapping: mapping, commit: req.query["dryRun"] != "true")
        if report.needsMapping {
            throw HamletError.invalid("mapping", (report.problems.first?.message ?? "") + " Các cột trong tệp: " + report.headers.enumerated().map { "\($0.offset): \($0.element)" }.joined(separator: "; ") + ".")
        }
        if !report.problems.isEmpty { throw ValidationFailure(problems: report.problems) }
        return report
    }

    static func mapping(fromJSON raw: String) throws -> ImportMapping {
        guard let object = try? JSONDecoder().decode([String: Int].self, from: Data(raw.utf8)) else {
            throw HamletError.invalid("mapping", "mapping phải là JSON dạng {\"fullName\": 0, \"unitCode\": 3}.")
        }
        var columns: [ImportField: Int] = [:]
        for (key, index) in object {
            guard let field = ImportField(rawValue: key), index >= 0 else { throw HamletError.invalid("mapping", "Cột không hợp lệ trong mapping: \(key).") }
            columns[field] = index
        }
        return ImportMapping(columns: columns)
    }

    struct FieldChoice: Encodable { var field: String; var label: String; var options: [Option] }
    struct Option: Encodable { var value: String; var label: String; var selected: Bool }
    struct Page_: Encodable {
        var report: PeopleImporter.Report?; var payload: String?; var fields: [FieldChoice]; var error: String?
    }

    func form(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        return try await req.renderPage("people/import", title: Strings.text("people_import", req.language), nav: "people",
                                        body: Page_(report: nil, payload: nil, fields: []))
    }

    struct Upload: Content { var file: File?; var payload: String?; var commit: String? }

    func importPage(req: Request) async throws -> Response {
        let importer = try importer(req)
        let upload = try req.content.decode(Upload.self)
        let data: Data
        if let file = upload.file, file.data.readableBytes > 0 { data = Data(buffer: file.data) }
        else if let payload = upload.payload, let decoded = Data(base64Encoded: payload) { data = decoded }
        else {
            return try await req.renderPage("people/import", title: Strings.text("people_import", req.language), status: .unprocessableEntity, nav: "people",
                                            body: Page_(report: nil, payload: nil, fields: [], error: "Chưa chọn tệp (XLSX hoặc CSV)."))
        }
        // Column choices sent back from the mapping step: m_fullName=0 …
        var columns: [ImportField: Int] = [:]
        for field in ImportField.allCases {
            if let raw = try? req.content.get(String.self, at: "m_" + field.rawValue), let index = Int(raw) { columns[field] = index }
        }
        let report = try await importer.run(data: data, mapping: columns.isEmpty ? nil : ImportMapping(columns: columns), commit: upload.commit == "1")
        let fields = ImportField.allCases.map { field in
            FieldChoice(field: field.rawValue, label: field.label,
                        options: [Option(value: "", label: "—", selected: report.mapping[field.rawValue] == nil)]
                            + report.headers.enumerated().map { Option(value: String($0.offset), label: $0.element.isEmpty ? "(cột \($0.offset + 1))" : $0.element,
                                                                       selected: report.mapping[field.rawValue] == $0.offset) })
        }
        return try await req.renderPage("people/import", title: Strings.text("people_import", req.language),
                                        status: report.problems.isEmpty ? .ok : .unprocessableEntity, nav: "people",
                                        body: Page_(report: report, payload: report.committed ? nil : data.base64EncodedString(), fields: fields))
    }
}
