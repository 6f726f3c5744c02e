import Vapor
import Fluent
import HamletWeb
import HamletAccounts

/// POST /api/v1/people/import (the file as the body or multipart `file`; `?dryRun=true`;
/// `?mapping={"fullName":0,"unitCode":3,…}` when the headers are not recognised) and the
/// import page: upload, preview every row, map columns if needed, confirm.
package struct PeopleImportRoutes: RouteCollection {
    package let api: Bool

    package init(api: Bool) { self.api = api }

    package func boot(routes: any RoutesBuilder) throws {
        if api {
            routes.upload("people", "import", use: importAPI)
        } else {
            routes.get("people", "import", use: form)
            routes.upload("people", "import", use: importPage)
        }
    }

    package func importer(_ req: Request) throws -> PeopleImporter {
        PeopleImporter(db: req.db, scope: req.scope, actor: try req.requireRole(\.canEditWorkforce), ip: req.clientIP)
    }

    package func importAPI(req: Request) async throws -> PeopleImporter.Report {
        let importer = try importer(req)
        var mapping: ImportMapping? = nil
        if let raw = req.query[String.self, at: "mapping"], !raw.isEmpty {
            mapping = try Self.mapping(fromJSON: raw)
        }
        let commit = req.query["dryRun"] != "true", chosen = mapping
        let kind = try Self.defaultKind(req.query["kind"])
        let report = try await Upload.handle(req) { upload in
            try await importer.run(data: try upload.requireFile(), mapping: chosen, defaultKind: kind, commit: commit)
        }
        if report.needsMapping {
            throw HamletError.invalid("mapping", (report.problems.first?.message ?? "") + " Các cột trong tệp: " + report.headers.enumerated().map { "\($0.offset): \($0.element)" }.joined(separator: "; ") + ".")
        }
        if report.problems.contains(where: \.isError) { throw ValidationFailure(problems: report.problems) }
        return report
    }

    package static func defaultKind(_ raw: String?) throws -> EmploymentKind? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let kind = EmploymentKind(rawValue: raw) else { throw HamletError.invalid("kind", "Loại hình mặc định không hợp lệ: \(raw).") }
        return kind
    }

    package static func mapping(fromJSON raw: String) throws -> ImportMapping {
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

    package struct FieldChoice: Encodable {
        package var field: String
        package var label: String
        package var options: [FormOption]
        package init(field: String, label: String, options: [FormOption]) {
            (self.field, self.label, self.options) = (field, label, options)
        }
    }
    package struct Page_: Encodable {
        package var report: PeopleImporter.Report?; package var payload: String?; package var fields: [FieldChoice]; package var error: String?
        package var kinds: [FormOption] = []
        /// Whether a problem is an error (the file cannot be imported yet).
        package var blocking: Bool { report?.problems.contains(where: \.isError) ?? false }
        package enum CodingKeys: String, CodingKey { case report, payload, fields, error, kinds, blocking }
        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(report, forKey: .report); try c.encode(payload, forKey: .payload); try c.encode(fields, forKey: .fields)
            try c.encode(error, forKey: .error); try c.encode(kinds, forKey: .kinds); try c.encode(blocking, forKey: .blocking)
        }
    }

    package func form(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        return try await req.renderPage("people/import", title: Strings.text("people_import", req.language), nav: "people",
                                        body: Page_(report: nil, payload: nil, fields: []))
    }

    package func importPage(req: Request) async throws -> Response {
        let importer = try importer(req)
        let user = try req.requireUser()
        let (report, data, kept) = try await Upload.handle(req) { upload -> (PeopleImporter.Report?, Data?, String?) in
            guard let (data, filename, pending) = try await upload.pageFile(for: user, on: req.db) else { return (nil, nil, nil) }
            // Column choices sent back from the mapping step: m_fullName=0 …
            var columns: [ImportField: Int] = [:]
            for field in ImportField.allCases {
                if let raw = upload.fields["m_" + field.rawValue], let index = Int(raw) { columns[field] = index }
            }
            let kind = try Self.defaultKind(upload.fields["defaultKind"])
            let report = try await importer.run(data: data, mapping: columns.isEmpty ? nil : ImportMapping(columns: columns), defaultKind: kind,
                                                commit: upload.fields["commit"] == "1")
            if report.committed { try await PendingUpload.discard(pending, on: req.db); return (report, data, nil) }
            let kept: UUID
            if let id = pending?.id { kept = id } else { kept = try await PendingUpload.keep(data, filename: filename, for: user, on: req.db) }
            return (report, data, kept.uuidString)
        }
        guard let report, data != nil else {
            return try await req.renderPage("people/import", title: Strings.text("people_import", req.language), status: .unprocessableEntity, nav: "people",
                                            body: Page_(report: nil, payload: nil, fields: [], error: "Chưa chọn tệp (XLSX hoặc CSV)."))
        }
        let fields = ImportField.allCases.map { field in
            FieldChoice(field: field.rawValue, label: field.label,
                        options: [FormOption(value: "", label: "—", selected: report.mapping[field.rawValue] == nil)]
                            + report.headers.enumerated().map { FormOption(value: String($0.offset), label: $0.element.isEmpty ? "(cột \($0.offset + 1))" : $0.element,
                                                                       selected: report.mapping[field.rawValue] == $0.offset) })
        }
        return try await req.renderPage("people/import", title: Strings.text("people_import", req.language),
                                        status: report.problems.contains(where: \.isError) ? .unprocessableEntity : .ok, nav: "people",
                                        body: Page_(report: report, payload: kept, fields: fields,
                                                    kinds: [FormOption(value: "", label: "—", selected: true)] + EmploymentKind.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: false) }))
    }
}
