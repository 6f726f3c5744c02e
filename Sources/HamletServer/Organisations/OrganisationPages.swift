import Vapor
import Fluent
import HamletWeb
import HamletAccounts

/// Pages for agencies, facilities and the type catalogues.
struct OrganisationPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for kind in OrgKind.allCases {
            let group = routes.grouped(PathComponent(stringLiteral: kind.path))
            group.get { try await list(req: $0, kind: kind) }
            group.get("new") { try await newForm(req: $0, kind: kind) }
            group.post { try await create(req: $0, kind: kind) }
            group.get(":id") { try await edit(req: $0, kind: kind) }
            group.post(":id") { try await update(req: $0, kind: kind) }
        }
        routes.get("catalogues", use: catalogues)
        routes.post("catalogues", ":kind", use: createType)
        routes.post("catalogues", ":kind", ":id", use: updateType)
        routes.post("catalogues", "titles", use: createTitle)
        routes.post("catalogues", "titles", ":code", "edit", use: updateTitle)
    }

    struct Option: Encodable { var value: String; var label: String; var selected: Bool }
    struct ListPage: Encodable {
        var kind: String; var isFacility: Bool; var rows: [OrganisationDTO]; var total: Int
        var q: String; var unit: String; var type: String; var types: [Option]
        var page: Int; var pages: Int; var prev: Int?; var next: Int?; var canEdit: Bool
    }
    struct FormPage: Encodable {
        var kind: String; var isFacility: Bool; var id: String?; var values: FormValues; var types: [Option]
        var error: String?; var errorField: String?
    }
    struct FormValues: Content {
        var name: String?; var typeCode: String?; var unitCode: String?; var address: String?; var phone: String?
        var providesSocialWork: String?; var validFrom: String?; var validTo: String?; var note: String?

        var input: OrganisationInput {
            OrganisationInput(name: name ?? "", typeCode: typeCode ?? "", unitCode: unitCode ?? "", address: address ?? "", phone: phone ?? "",
                              providesSocialWork: providesSocialWork == "on" || providesSocialWork == "true",
                              validFrom: validFrom ?? "", validTo: validTo ?? "", note: note ?? "")
        }
    }

    func typeOptions(_ req: Request, _ kind: OrgKind, selected: String?) async throws -> [Option] {
        try await OrganisationType.query(on: req.db).filter(\.$kind == kind).sort(\.$name).all()
            .map { Option(value: $0.code, label: $0.name + ($0.validTo != nil ? " (hết hiệu lực)" : ""), selected: $0.code == selected) }
    }

    func title(_ kind: OrgKind, _ req: Request) -> String { Strings.text(kind.path + "_title", req.language) }

    func list(req: Request, kind: OrgKind) async throws -> Response {
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

    func renderForm(_ req: Request, kind: OrgKind, id: String?, values: FormValues, error: HamletError?) async throws -> Response {
        try await req.renderPage("organisations/form", title: title(kind, req), status: error?.status ?? .ok, nav: kind.path,
            body: FormPage(kind: kind.path, isFacility: kind == .facility, id: id, values: values,
                           types: try await typeOptions(req, kind, selected: values.typeCode), error: error?.message, errorField: error?.field))
    }

    func newForm(req: Request, kind: OrgKind) async throws -> Response {
        _ = try req.requireRole(\.canEditOrganisations)
        let scopeCode = req.scope.isNation ? "" : req.scope.code
        return try await renderForm(req, kind: kind, id: nil, values: FormValues(unitCode: scopeCode), error: nil)
    }

    func create(req: Request, kind: OrgKind) async throws -> Response {
        _ = try req.requireRole(\.canEditOrganisations)
        let values = try req.content.decode(FormValues.self)
        do {
            let org = try await req.organisations().create(kind, values.input)
            return req.redirect(to: "/\(kind.path)/\(org.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await renderForm(req, kind: kind, id: nil, values: values, error: error)
        }
    }

    func edit(req: Request, kind: OrgKind) async throws -> Response {
        let org = try await req.organisations().find(kind, req.parameters.get("id", as: UUID.self))
        let values = FormValues(name: org.name, typeCode: org.type.code, unitCode: org.unitCode, address: org.address, phone: org.phone,
                                providesSocialWork: org.providesSocialWork ? "on" : nil, validFrom: org.validFrom.flatMap { DayDateText.vn($0) },
                                validTo: org.validTo.flatMap { DayDateText.vn($0) }, note: org.note)
        return try await renderForm(req, kind: kind, id: org.id?.uuidString, values: values, error: nil)
    }

    func update(req: Request, kind: OrgKind) async throws -> Response {
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

    // MARK: - Catalogues

    struct CataloguePage: Encodable {
        var agencyTypes: [OrganisationTypeDTO]; var facilityTypes: [OrganisationTypeDTO]; var titles: [PeopleAPI.TitleDTO]; var canEdit: Bool
        var error: String?; var errorField: String?; var errorKind: String?
    }

    func catalogues(req: Request) async throws -> Response { try await renderCatalogues(req, error: nil, kind: nil) }

    func renderCatalogues(_ req: Request, error: HamletError?, kind: OrgKind?) async throws -> Response {
        let all = try await OrganisationType.query(on: req.db).sort(\.$name).all()
        return try await req.renderPage("organisations/catalogues", title: Strings.text("catalogues_title", req.language),
                                        status: error?.status ?? .ok, nav: "catalogues",
            body: CataloguePage(agencyTypes: all.filter { $0.kind == .agency }.map(OrganisationTypeDTO.init),
                                facilityTypes: all.filter { $0.kind == .facility }.map(OrganisationTypeDTO.init),
                                titles: try await ProfessionalTitle.query(on: req.db).sort(\.$code).all().map { .init(code: $0.code, name: $0.name, validTo: $0.validTo) },
                                canEdit: req.currentUser?.role.canEditCatalogues ?? false,
                                error: error?.message, errorField: error?.field, errorKind: kind?.rawValue))
    }

    func createType(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        guard let kind = req.parameters.get("kind").flatMap(OrgKind.init(rawValue:)) else { throw HamletError.notFound }
        do {
            _ = try await OrganisationTypeService(db: req.db, actor: user, ip: req.clientIP).create(kind, try req.content.decode(OrganisationTypeInput.self))
            return req.redirect(to: "/catalogues", notice: "saved")
        } catch let error as HamletError {
            return try await renderCatalogues(req, error: error, kind: kind)
        }
    }

    func createTitle(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        do {
            _ = try await TitleCatalogue(db: req.db, actor: user, ip: req.clientIP).create(try req.content.decode(PeopleAPI.TitleInput.self))
            return req.redirect(to: "/catalogues", notice: "saved")
        } catch let error as HamletError { return try await renderCatalogues(req, error: error, kind: nil) }
    }

    func updateTitle(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        guard let title = try await ProfessionalTitle.query(on: req.db).filter(\.$code == (req.parameters.get("code") ?? "")).first() else { throw HamletError.notFound }
        do {
            try await TitleCatalogue(db: req.db, actor: user, ip: req.clientIP).update(title, try req.content.decode(PeopleAPI.TitleInput.self))
            return req.redirect(to: "/catalogues", notice: "saved")
        } catch let error as HamletError { return try await renderCatalogues(req, error: error, kind: nil) }
    }

    func updateType(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        guard let kind = req.parameters.get("kind").flatMap(OrgKind.init(rawValue:)), let id = req.parameters.get("id", as: UUID.self),
              let type = try await OrganisationType.query(on: req.db).filter(\.$kind == kind).filter(\.$id == id).first()
        else { throw HamletError.notFound }
        do {
            try await OrganisationTypeService(db: req.db, actor: user, ip: req.clientIP).update(type, try req.content.decode(OrganisationTypeInput.self))
            return req.redirect(to: "/catalogues", notice: "saved")
        } catch let error as HamletError {
            return try await renderCatalogues(req, error: error, kind: kind)
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
