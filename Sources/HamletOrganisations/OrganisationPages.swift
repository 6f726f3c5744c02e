import Vapor
import Fluent
import HamletWeb
import HamletAccounts

/// Pages for agencies and facilities (their type catalogues: `StaffCataloguePages`).
package struct OrganisationPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        for kind in OrgKind.allCases {
            let group = routes.grouped(PathComponent(stringLiteral: kind.path))
            group.get { try await list(req: $0, kind: kind) }
            group.get("new") { try await newForm(req: $0, kind: kind) }
            group.post { try await create(req: $0, kind: kind) }
            group.get(":id") { try await edit(req: $0, kind: kind) }
            group.post(":id") { try await update(req: $0, kind: kind) }
        }
    }

    package struct Option: Encodable {
        package var value: String
        package var label: String
        package var selected: Bool
        package init(value: String, label: String, selected: Bool) {
            (self.value, self.label, self.selected) = (value, label, selected)
        }
    }
    package struct ListPage: Encodable {
        package var kind: String; package var isFacility: Bool; package var rows: [OrganisationDTO]; package var total: Int
        package var q: String; package var unit: String; package var type: String; package var types: [Option]
        package var page: Int; package var pages: Int; package var prev: Int?; package var next: Int?; package var canEdit: Bool
    }
    package struct FormPage: Encodable {
        package var kind: String; package var isFacility: Bool; package var id: String?; package var values: FormValues; package var types: [Option]
        package var error: String?; package var errorField: String?
    }
    package struct FormValues: Content {
        package var name: String?; package var typeCode: String?; package var unitCode: String?; package var address: String?; package var phone: String?
        package var providesSocialWork: String?; package var validFrom: String?; package var validTo: String?; package var note: String?

        package var input: OrganisationInput {
            OrganisationInput(name: name ?? "", typeCode: typeCode ?? "", unitCode: unitCode ?? "", address: address ?? "", phone: phone ?? "",
                              providesSocialWork: providesSocialWork == "on" || providesSocialWork == "true",
                              validFrom: validFrom ?? "", validTo: validTo ?? "", note: note ?? "")
        }
    }

    package func typeOptions(_ req: Request, _ kind: OrgKind, selected: String?) async throws -> [Option] {
        try await OrganisationTypeService(db: req.db).all(kind)
            .map { Option(value: $0.code, label: $0.name + ($0.validTo != nil ? " (hết hiệu lực)" : ""), selected: $0.code == selected) }
    }

    package func title(_ kind: OrgKind, _ req: Request) -> String { Strings.text(kind.path + "_title", req.language) }

    package func list(req: Request, kind: OrgKind) async throws -> Response {
        let paging = try Paging(req, defaultPer: 50)
        let service = req.organisations()
        let q: String? = req.query["q"], unit: String? = req.query["unit"], type: String? = req.query["type"]
        let (items, total) = try await service.list(kind, .init(q: q, unit: unit, type: type), paging: paging)
        let names = try await service.unitNames(items)
        let pages = max(1, (total + paging.per - 1) / paging.per)
        return try await req.renderPage("organisations/index", title: title(kind, req), nav: kind.path,
            body: ListPage(kind: kind.path, isFacility: kind == .facility, rows: items.map { service.dto($0, unitNames: names) }, total: total,
                           q: q ?? "", unit: unit ?? "", type: type ?? "", types: try await typeOptions(req, kind, selected: type),
                           page: paging.page, pages: pages, prev: paging.page > 1 ? paging.page - 1 : nil,
                           next: paging.page < pages ? paging.page + 1 : nil, canEdit: req.currentUser?.role.canEditOrganisations ?? false))
    }

    package func renderForm(_ req: Request, kind: OrgKind, id: String?, values: FormValues, error: HamletError?) async throws -> Response {
        try await req.renderPage("organisations/form", title: title(kind, req), status: error?.status ?? .ok, nav: kind.path,
            body: FormPage(kind: kind.path, isFacility: kind == .facility, id: id, values: values,
                           types: try await typeOptions(req, kind, selected: values.typeCode), error: error?.message, errorField: error?.field))
    }

    package func newForm(req: Request, kind: OrgKind) async throws -> Response {
        _ = try req.requireRole(\.canEditOrganisations)
        let scopeCode = req.scope.isNation ? "" : req.scope.code
        return try await renderForm(req, kind: kind, id: nil, values: FormValues(unitCode: scopeCode), error: nil)
    }

    package func create(req: Request, kind: OrgKind) async throws -> Response {
        _ = try req.requireRole(\.canEditOrganisations)
        let values = try req.content.decode(FormValues.self)
        do {
            let org = try await req.organisations().create(kind, values.input)
            return req.redirect(to: "/\(kind.path)/\(org.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await renderForm(req, kind: kind, id: nil, values: values, error: error)
        }
    }

    package func edit(req: Request, kind: OrgKind) async throws -> Response {
        let org = try await req.organisations().find(kind, req.parameters.get("id", as: UUID.self))
        let values = FormValues(name: org.name, typeCode: org.type.code, unitCode: org.unitCode, address: org.address, phone: org.phone,
                                providesSocialWork: org.providesSocialWork ? "on" : nil, validFrom: org.validFrom.flatMap { DayDateText.vn($0) },
                                validTo: org.validTo.flatMap { DayDateText.vn($0) }, note: org.note)
        return try await renderForm(req, kind: kind, id: org.id?.uuidString, values: values, error: nil)
    }

    package func update(req: Request, kind: OrgKind) async throws -> Response {
        _ = try req.requireRole(\.canEditOrganisations)
        let service = req.organisations()
        let org = try await service.find(kind, req.parameters.get("id", as: UUID.self))
        let values = try req.content.decode(FormValues.self)
        do {
            try await service.update(org, values.input)
            return req.redirect(to: "/\(kind.path)/\(org.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await renderForm(req, kind: kind, id: org.id?.uuidString, values: values, error: error)
        }
    }
}

enum DayDateText {
    /// "2025-07-01" → "01/07/2025".
    static func vn(_ iso: String) -> String? {
        let p = iso.split(separator: "-")
        guard p.count == 3 else { return nil }
        return "\(p[2])/\(p[1])/\(p[0])"
    }
}
