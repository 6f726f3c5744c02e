import Vapor
import Fluent
import HamletKit
import HamletWeb

/// The unit browser and unit pages, hamlet forms and the hamlet import.
package struct UnitPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        let units = routes.grouped("units")
        units.get(use: browse)
        units.get("import", use: importForm)
        units.upload("import", use: importFile)
        units.get(":structure", ":code", use: show)
        units.get(":structure", ":code", "children", use: children)
        units.post("2025", ":code", "hamlets", use: createHamlet)
        units.post("2025", ":code", "rename", use: renameHamlet)
        units.post("2025", ":code", "close", use: closeHamlet)
        units.post("2025", ":code", "merge", use: mergeHamlet)
    }

    package struct Row: Encodable {
        package var structure: String; package var code: String; package var name: String; package var type: String; package var level: String; package var levelLabel: String
        package var children: Int; package var hamlets: Int; package var closed: Bool; package var expandable: Bool
        package var childrenText: String; package var hamletsText: String

    }

    package func rows(_ units: [AdminUnit], _ dir: UnitDirectory, _ lang: Language) async throws -> [Row] {
        let counts = try await dir.counts(for: units)
        return units.map { u in
            let c = counts[u.code] ?? (0, 0)
            return Row(structure: u.structure, code: u.code, name: u.name, type: u.type, level: u.level.rawValue, levelLabel: u.level.label(lang),
                       children: c.children, hamlets: c.hamlets, closed: u.isClosed, expandable: c.children > 0,
                       childrenText: VietnameseFormat.integer(c.children), hamletsText: VietnameseFormat.integer(c.hamlets))
        }
    }

    package struct BrowsePage: Encodable {
        package var structure: String; package var isLegacy: Bool; package var q: String; package var rows: [Row]; package var total: Int; package var searching: Bool

    }

    package func browse(req: Request) async throws -> Response {
        let structure = UnitStructure(rawValue: req.query["structure"] ?? "") ?? .current
        let q: String = req.query["q"] ?? ""
        let dir = UnitDirectory(db: req.db, scope: req.scope)
        var filter = UnitDirectory.ListFilter(structure: structure, per: 100)
        if q.trimmingCharacters(in: .whitespaces).isEmpty { filter.level = .province } else { filter.q = q }
        let (items, total) = try await dir.list(filter)
        return try await req.renderPage("units/index", title: Strings.text("units_title", req.language), nav: "units",
            body: BrowsePage(structure: structure.rawValue, isLegacy: structure == .legacy, q: q,
                             rows: try await rows(items, dir, req.language), total: total, searching: !q.isEmpty))
    }

    /// A fragment for the tree: no frame, but the same strings as the page it lands in.
    package struct ChildrenPage: Encodable {
        package var rows: [Row]
        package var t: [String: String]
        package init(rows: [Row], t: [String: String]) {
            self.rows = rows
            self.t = t
        }
    }

    package func children(req: Request) async throws -> Response {
        let dir = UnitDirectory(db: req.db, scope: req.scope)
        let unit = try await dir.require(try structure(req), req.parameters.get("code") ?? "")
        let kids = try await dir.children(of: unit)
        let view = try await req.view.render("units/children", ChildrenPage(rows: try await rows(kids, dir, req.language), t: Strings.table(req.language)))
        return try await view.encodeResponse(for: req)
    }

    package func structure(_ req: Request) throws -> UnitStructure {
        guard let s = req.parameters.get("structure").flatMap(UnitStructure.init(rawValue:)) else { throw HamletError.notFound }
        return s
    }

    package struct ShowPage: Encodable {
        package var detail: UnitDetailDTO; package var levelLabel: String; package var isLegacy: Bool; package var isCommune: Bool; package var isHamlet: Bool
        package var children: [Row]; package var closedChildren: [Row]; package var canEdit: Bool; package var types: [String]; package var siblings: [Row]
        package var error: String?; package var errorField: String?; package var form: HamletService.Input
        package var successors: [SuccessionDTO]; package var predecessors: [SuccessionDTO]; package var history: [HistoryRow]

    }

    package struct HistoryRow: Encodable {
        package var effectiveDate: String; package var kind: String; package var oldValue: String?; package var newValue: String?
        package var relatedCode: String?; package var note: String?; package var username: String

    }

    package func show(req: Request) async throws -> Response {
        try await renderShow(req, structure: try structure(req), code: req.parameters.get("code") ?? "", error: nil, form: .init())
    }

    package func renderShow(_ req: Request, structure: UnitStructure, code: String, error: HamletError?, form: HamletService.Input) async throws -> Response {
        let dir = UnitDirectory(db: req.db, scope: req.scope)
        let unit = try await dir.require(structure, code)
        let detail = try await UnitDetail(directory: dir).load(unit)
        let all = try await dir.children(of: unit, includeClosed: true)
        var siblings: [Row] = []
        if unit.level == .hamlet, let parent = unit.parentCode, let commune = try await dir.find(.current, parent) {
            siblings = try await rows(try await dir.children(of: commune).filter { $0.code != unit.code }, dir, req.language)
        }
        let canEdit = structure == .current && req.scope.contains(path: unit.path) && (req.acting?.role.canEditUnits ?? false)
        return try await req.renderPage("units/show", title: unit.name, status: error?.status ?? .ok, nav: "units",
            body: ShowPage(detail: detail, levelLabel: unit.level.label(req.language), isLegacy: structure == .legacy,
                           isCommune: unit.level == .commune && structure == .current, isHamlet: unit.level == .hamlet,
                           children: try await rows(all.filter { !$0.isClosed }, dir, req.language),
                           closedChildren: try await rows(all.filter(\.isClosed), dir, req.language),
                           canEdit: canEdit, types: HamletRules.types, siblings: siblings,
                           error: error?.message, errorField: error?.field, form: form,
                           successors: detail.successors ?? [], predecessors: detail.predecessors ?? [], history: (detail.history ?? []).map {
                               HistoryRow(effectiveDate: $0.effectiveDate, kind: Strings.text("event_" + $0.kind, req.language), oldValue: $0.oldValue,
                                          newValue: $0.newValue, relatedCode: $0.relatedCode, note: $0.note, username: $0.username)
                           }))
    }

    package func service(_ req: Request) throws -> HamletService {
        HamletService(db: req.db, actor: try req.requireActing(\.canEditUnits), ip: req.clientIP)
    }

    /// Runs a hamlet change; on a refusal the same page comes back with the message by the field.
    package func act(_ req: Request, code: String, back: String, form: HamletService.Input, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return req.redirect(to: back, notice: "saved")
        } catch let error as HamletError where error.status != .notFound && error.status != .forbidden {
            return try await renderShow(req, structure: .current, code: code, error: error, form: form)
        }
    }

    package func createHamlet(req: Request) async throws -> Response {
        let service = try service(req)
        let code = req.parameters.get("code") ?? ""
        let commune = try await UnitDirectory(db: req.db, scope: req.scope).requireEditable(code)
        let input = try req.content.decode(HamletService.Input.self)
        return try await act(req, code: code, back: "/units/2025/\(code)", form: input) {
            _ = try await service.create(in: commune, input)
        }
    }

    package func editable(_ req: Request) async throws -> AdminUnit {
        let unit = try await UnitDirectory(db: req.db, scope: req.scope).requireEditable(req.parameters.get("code") ?? "")
        guard unit.level == .hamlet else { throw HamletError.notFound }
        return unit
    }

    package func renameHamlet(req: Request) async throws -> Response {
        let service = try service(req)
        let hamlet = try await editable(req)
        let input = try req.content.decode(HamletService.Input.self)
        return try await act(req, code: hamlet.code, back: "/units/2025/\(hamlet.code)", form: input) {
            try await service.update(hamlet, input)
        }
    }

    package struct CloseForm: Content {
        package var effectiveDate: String?
        package var note: String?
        package var into: String?
        package init(effectiveDate: String? = nil, note: String? = nil, into: String? = nil) {
            (self.effectiveDate, self.note, self.into) = (effectiveDate, note, into)
        }
    }

    package func closeHamlet(req: Request) async throws -> Response {
        let service = try service(req)
        let hamlet = try await editable(req)
        let form = try req.content.decode(CloseForm.self)
        return try await act(req, code: hamlet.code, back: "/units/2025/\(hamlet.code)", form: .init(effectiveDate: form.effectiveDate)) {
            try await service.close(hamlet, date: form.effectiveDate, note: form.note)
        }
    }

    package func mergeHamlet(req: Request) async throws -> Response {
        let service = try service(req)
        let hamlet = try await editable(req)
        let form = try req.content.decode(CloseForm.self)
        return try await act(req, code: hamlet.code, back: "/units/2025/\(hamlet.code)", form: .init(effectiveDate: form.effectiveDate)) {
            guard let into = form.into, let target = try await UnitDirectory(db: req.db, scope: req.scope).find(.current, into) else {
                throw HamletError.invalid("into", "Chọn thôn/tổ dân phố nhận sáp nhập.")
            }
            try await service.merge(hamlet, into: target, date: form.effectiveDate)
        }
    }

    // MARK: - Import

    package struct ImportPage: Encodable {
        package var report: HamletImporter.Report?; package var committed: Bool; package var payload: String?; package var filename: String?; package var error: String?
        package var communeCode: String

    }

    package func importForm(req: Request) async throws -> Response {
        _ = try req.requireActing(\.canEditUnits)
        return try await req.renderPage("units/import", title: Strings.text("import_title", req.language), nav: "units",
                                        body: ImportPage(report: nil, committed: false, communeCode: req.query["commune"] ?? ""))
    }

    package struct ImportForm: Content {
        package var file: File?
        package var payload: String?
        package var filename: String?
        package var commit: String?
        package init(file: File? = nil, payload: String? = nil, filename: String? = nil, commit: String? = nil) {
            (self.file, self.payload, self.filename, self.commit) = (file, payload, filename, commit)
        }
    }

    /// Step 1 uploads and previews; step 2 sends the same bytes back (in a hidden field) to commit.
    package func importFile(req: Request) async throws -> Response {
        let user = try req.requireActing(\.canEditUnits)
        let outcome = try await Upload.handle(req) { upload -> (HamletImporter.Report, Bool, String?, String?)? in
            guard let (data, filename, pending) = try await upload.pageFile(for: user, on: req.db) else { return nil }
            let commit = upload.fields["commit"] == "1"
            let report = try await HamletImporter(db: req.db, scope: req.scope, actor: user, ip: req.clientIP)
                .run(data: data, filename: filename ?? upload.fields["filename"] ?? "", commit: commit)
            let done = commit && report.problems.isEmpty
            if done { try await PendingUpload.discard(pending, on: req.db); return (report, true, nil, filename) }
            var kept = pending?.id
            if kept == nil { kept = try await PendingUpload.keep(data, filename: filename, for: user, on: req.db) }
            return (report, false, kept?.uuidString, filename)
        }
        guard let (report, committed, kept, filename) = outcome else {
            return try await req.renderPage("units/import", title: Strings.text("import_title", req.language), status: .unprocessableEntity, nav: "units",
                                            body: ImportPage(report: nil, committed: false, error: "Chưa chọn tệp (CSV hoặc XLSX).", communeCode: ""))
        }
        let status: HTTPResponseStatus = report.problems.isEmpty ? .ok : .unprocessableEntity
        return try await req.renderPage("units/import", title: Strings.text("import_title", req.language), status: status, nav: "units",
                                        body: ImportPage(report: report, committed: committed, payload: kept, filename: filename, communeCode: ""))
    }
}
