import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletReporting

/// /population: the figures under the account's unit, the base they make for a group and year,
/// a form to enter one and a file import (preview, then confirm).
package struct PopulationPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("population", use: page)
        routes.get("population", "export", use: export)
        routes.post("population", use: add)
        routes.post("population", ":figure", "delete", use: remove)
        routes.upload("population", "import", use: importFile)
    }

    package struct Values: Codable {
        package var unitCode: String?
        package var year: String?
        package var group: String?
        package var value: String?
        package var source: String?
        package init(unitCode: String? = nil, year: String? = nil, group: String? = nil, value: String? = nil, source: String? = nil) {
            (self.unitCode, self.year, self.group, self.value) = (unitCode, year, group, value)
            self.source = source
        }
    }
    package struct Row: Encodable {
        package var id: String
        package var unit: String
        package var unitCode: String
        package var group: String
        package var year: Int
        package var value: String
        package var source: String
        package var updated: String
        package init(id: String, unit: String, unitCode: String, group: String, year: Int, value: String, source: String, updated: String) {
            (self.id, self.unit, self.unitCode, self.group) = (id, unit, unitCode, group)
            (self.year, self.value, self.source, self.updated) = (year, value, source, updated)
        }
    }
    package struct Base: Encodable {
        package var unitName: String
        package var label: String
        package var value: String
        package var own: Bool
        package var children: [Child]
        package init(unitName: String, label: String, value: String, own: Bool, children: [Child]) {
            (self.unitName, self.label, self.value, self.own) = (unitName, label, value, own)
            self.children = children
        }
    }
    package struct Child: Encodable {
        package var name: String
        package var value: String
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
    package struct ListPage: Encodable {
        package var rows: [Row]
        package var groups: [FormOption]
        package var formGroups: [FormOption]
        package var units: [FormOption]
        package var unit: String
        package var year: String
        package var canEdit: Bool
        package var base: Base?
        package var values: Values
        package var error: String?
        package var errorField: String?
        package var report: PopulationImporter.Report?
        package var payload: String?
        package var committed: Bool

        package init(rows: [Row], groups: [FormOption], formGroups: [FormOption], units: [FormOption], unit: String, year: String,
                     canEdit: Bool, base: Base? = nil, values: Values, error: String? = nil, errorField: String? = nil,
                     report: PopulationImporter.Report? = nil, payload: String? = nil, committed: Bool) {
            (self.rows, self.groups, self.formGroups, self.units) = (rows, groups, formGroups, units)
            (self.unit, self.year, self.canEdit, self.base) = (unit, year, canEdit, base)
            (self.values, self.error, self.errorField, self.report) = (values, error, errorField, report)
            (self.payload, self.committed) = (payload, committed)
        }
        package var blocked: Bool { report?.problems.contains(where: \.isError) ?? false }
        package enum CodingKeys: String, CodingKey { case rows, groups, formGroups, units, unit, year, canEdit, base, values, error, errorField, report, payload, committed, blocked }
        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rows, forKey: .rows); try c.encode(groups, forKey: .groups); try c.encode(formGroups, forKey: .formGroups)
            try c.encode(units, forKey: .units); try c.encode(unit, forKey: .unit); try c.encode(year, forKey: .year); try c.encode(canEdit, forKey: .canEdit)
            try c.encode(base, forKey: .base); try c.encode(values, forKey: .values); try c.encode(error, forKey: .error); try c.encode(errorField, forKey: .errorField)
            try c.encode(report, forKey: .report); try c.encode(payload, forKey: .payload); try c.encode(committed, forKey: .committed); try c.encode(blocked, forKey: .blocked)
        }
    }

    package func page(req: Request) async throws -> Response {
        try await render(req, values: Values(year: String(req.today.year)), error: nil)
    }

    package func render(_ req: Request, values: Values, error: HamletError?, report: PopulationImporter.Report? = nil,
                payload: String? = nil, committed: Bool = false, status: HTTPResponseStatus? = nil) async throws -> Response {
        let service = req.population()
        let filter = try await req.populationFilter()
        let rows = try await service.list(filter)
        let groups = try await service.groups()
        let canEdit = req.currentUser?.role.canEditUnits ?? false
        var units: [FormOption] = []
        if canEdit {
            // Codes to pick from by name: the account's unit and the communes under it (a province's hundred).
            let list = try await OpenUnits.under(req.scope.path, levels: [.province, .commune], limit: 1200, on: req.db)
            units = list.map { FormOption(value: $0.code, label: $0.name, selected: false) }
        }
        return try await req.renderPage("population/index", title: English.say("Số liệu dân số"), status: status ?? error?.status ?? .ok, nav: "plans", body: ListPage(
            rows: rows.prefix(2000).map { f in
                Row(id: f.id?.uuidString ?? "", unit: f.unitName, unitCode: f.unitCode, group: English.say(f.groupName), year: f.year,
                    value: VietnameseFormat.integer(f.value), source: f.source, updated: f.updatedBy + ", " + (DayDate(f.updatedOn)?.vietnamese ?? f.updatedOn))
            },
            groups: groups.map { FormOption(value: $0.code, label: English.say($0.name), selected: $0.code == filter.group) },
            formGroups: groups.map { FormOption(value: $0.code, label: English.say($0.name), selected: $0.code == values.group) },
            units: units, unit: req.query["unit"] ?? "", year: filter.year.map(String.init) ?? "", canEdit: canEdit,
            base: try await base(req, filter, groups: groups),
            values: values, error: error?.message, errorField: error?.field, report: report, payload: payload, committed: committed))
    }

    /// For one group and year: the base a share target divides by, and each child's part.
    package func base(_ req: Request, _ filter: PopulationService.Filter, groups: [(code: String, name: String)]) async throws -> Base? {
        guard let group = filter.group, let year = filter.year else { return nil }
        let root = filter.unit.map { req.scope.contains(path: $0.path) ? $0 : nil } ?? nil
        let path = root?.path ?? req.scope.path
        let figures = try await PopulationFigures(db: req.db).figures(groups: [group], year: year, under: path)
        let split = PopulationBase.split(path, figures[group] ?? [:])
        guard let total = split.total else { return nil }
        let names = try await UnitTree.units(atPaths: Array(split.children.keys), on: req.db)
        let unitName: String
        if let root { unitName = root.name } else { unitName = try await UnitTree.units(atPaths: [path], on: req.db)[path]?.name ?? English.say("Toàn quốc") }
        return Base(unitName: unitName, label: English.say(groups.first { $0.code == group }?.name ?? group) + " \(year)",
                    value: VietnameseFormat.integer(total), own: (figures[group] ?? [:])[path] != nil,
                    children: split.children.sorted { $0.key < $1.key }.map { Child(name: names[$0.key]?.name ?? $0.key, value: VietnameseFormat.integer($0.value)) })
    }

    package func add(req: Request) async throws -> Response {
        let form = try req.content.decode(Values.self)
        var input = PopulationInput(unitCode: try await UnitDirectory(db: req.db, scope: req.scope).code(typed: form.unitCode), group: form.group, source: form.source)
        input.year = form.year.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        input.value = (form.value).flatMap(FormValue.integer)
        do {
            _ = try await req.population().save(input)
            return req.redirect(to: "/population?year=\(input.year ?? 0)&group=\(input.group ?? "")#figures", notice: "saved")
        } catch let error as HamletError where error.status == .unprocessableEntity {
            return try await render(req, values: form, error: error)
        }
    }

    package func remove(req: Request) async throws -> Response {
        try await req.population().remove(req.parameters.get("figure", as: UUID.self))
        return req.redirect(to: "/population#figures", notice: "saved")
    }

    /// Step 1 previews every row (problems by line, replacements as warnings); step 2 sends the same
    /// file back (kept for the account) to store all of it.
    package func importFile(req: Request) async throws -> Response {
        let service = req.population()
        let user = try service.requireEditor()
        let outcome = try await Upload.handle(req) { upload -> (PopulationImporter.Report, Bool, String?)? in
            guard let (data, filename, pending) = try await upload.pageFile(for: user, on: req.db) else { return nil }
            let commit = upload.fields["commit"] == "1"
            let report = try await PopulationImporter(service: service).run(data: data, commit: commit)
            let blocked = report.problems.contains(where: \.isError)
            if commit && !blocked { try await PendingUpload.discard(pending, on: req.db); return (report, true, nil) }
            var kept = pending?.id
            if kept == nil && !blocked { kept = try await PendingUpload.keep(data, filename: filename, for: user, on: req.db) }
            return (report, false, kept?.uuidString)
        }
        guard let (report, committed, kept) = outcome else {
            return try await render(req, values: Values(), error: .invalid("file", "Chưa chọn tệp (CSV hoặc XLSX)."))
        }
        let blocked = report.problems.contains(where: \.isError)
        return try await render(req, values: Values(), error: nil, report: report, payload: kept, committed: committed,
                                status: blocked ? .unprocessableEntity : .ok)
    }

    /// The list as XLSX or CSV, in the import's own columns, so it can be corrected and sent back.
    package func export(req: Request) async throws -> Response {
        let format = try TableDownload.format(req)
        let rows = try await req.population().list(try await req.populationFilter())
        var table: [[XLSXCell]] = [["Mã đơn vị", "Tên đơn vị", "Năm", "Nhóm", "Số lượng", "Nguồn"].map { .text($0) }]
        for f in rows {
            table.append([.text(f.unitCode), .text(f.unitName), .number(Double(f.year)), .text(f.group), .number(Double(f.value)), .text(f.source)])
        }
        return try TableDownload.response(table, format: format, name: "so-lieu-dan-so", asTemplate: true)
    }
}
