import Vapor
import Fluent
import HamletWeb
import HamletAccounts
import HamletOrganisations

/// The province's staff catalogues on one page: agency and facility types (Organisations) and
/// professional titles (the register's). Here, above both, so neither needs the other.
package struct StaffCataloguePages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("catalogues", use: catalogues)
        routes.post("catalogues", ":kind", use: createType)
        routes.post("catalogues", ":kind", ":id", use: updateType)
        routes.post("catalogues", "titles", use: createTitle)
        routes.post("catalogues", "titles", ":code", "edit", use: updateTitle)
    }

    package struct CataloguePage: Encodable {
        package var agencyTypes: [OrganisationTypeDTO]; package var facilityTypes: [OrganisationTypeDTO]; package var titles: [PeopleAPI.TitleDTO]; package var canEdit: Bool
        package var error: String?; package var errorField: String?; package var errorKind: String?
    }

    package func catalogues(req: Request) async throws -> Response { try await renderCatalogues(req, error: nil, kind: nil) }

    package func renderCatalogues(_ req: Request, error: HamletError?, kind: OrgKind?) async throws -> Response {
        let all = try await OrganisationTypeService(db: req.db).all()
        return try await req.renderPage("organisations/catalogues", title: Strings.text("catalogues_title", req.language),
                                        status: error?.status ?? .ok, nav: "catalogues",
            body: CataloguePage(agencyTypes: all.filter { $0.kind == .agency }.map(OrganisationTypeDTO.init),
                                facilityTypes: all.filter { $0.kind == .facility }.map(OrganisationTypeDTO.init),
                                titles: try await TitleCatalogue(db: req.db).all().map { .init(code: $0.code, name: $0.name, validTo: $0.validTo) },
                                canEdit: req.currentUser?.role.canEditCatalogues ?? false,
                                error: error?.message, errorField: error?.field, errorKind: kind?.rawValue))
    }

    package func createType(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        guard let kind = req.parameters.get("kind").flatMap(OrgKind.init(rawValue:)) else { throw HamletError.notFound }
        do {
            _ = try await OrganisationTypeService(db: req.db, actor: user, ip: req.clientIP).create(kind, try req.content.decode(OrganisationTypeInput.self))
            return req.redirect(to: "/catalogues", notice: "saved")
        } catch let error as HamletError {
            return try await renderCatalogues(req, error: error, kind: kind)
        }
    }

    package func createTitle(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        do {
            _ = try await TitleCatalogue(db: req.db, actor: user, ip: req.clientIP).create(try req.content.decode(PeopleAPI.TitleInput.self))
            return req.redirect(to: "/catalogues", notice: "saved")
        } catch let error as HamletError { return try await renderCatalogues(req, error: error, kind: nil) }
    }

    package func updateTitle(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        let catalogue = TitleCatalogue(db: req.db, actor: user, ip: req.clientIP)
        let title = try await catalogue.find(req.parameters.get("code"))
        do {
            try await catalogue.update(title, try req.content.decode(PeopleAPI.TitleInput.self))
            return req.redirect(to: "/catalogues", notice: "saved")
        } catch let error as HamletError { return try await renderCatalogues(req, error: error, kind: nil) }
    }

    package func updateType(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        guard let kind = req.parameters.get("kind").flatMap(OrgKind.init(rawValue:)) else { throw HamletError.notFound }
        let service = OrganisationTypeService(db: req.db, actor: user, ip: req.clientIP)
        let type = try await service.find(kind, req.parameters.get("id", as: UUID.self))
        do {
            try await service.update(type, try req.content.decode(OrganisationTypeInput.self))
            return req.redirect(to: "/catalogues", notice: "saved")
        } catch let error as HamletError {
            return try await renderCatalogues(req, error: error, kind: kind)
        }
    }
}
