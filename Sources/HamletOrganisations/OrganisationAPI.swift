import Vapor
import Fluent
import HamletWeb
import HamletAccounts

/// /api/v1/agencies, /api/v1/facilities and their type catalogues.
package struct OrganisationAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        for kind in OrgKind.allCases {
            let group = routes.grouped(PathComponent(stringLiteral: kind.path))
            group.get { try await list(req: $0, kind: kind) }
            group.post { try await create(req: $0, kind: kind) }
            group.get(":id") { try await show(req: $0, kind: kind) }
            group.patch(":id") { try await update(req: $0, kind: kind) }
            let types = routes.grouped(PathComponent(stringLiteral: "\(kind.rawValue)-types"))
            types.get { try await listTypes(req: $0, kind: kind) }
            types.post { try await createType(req: $0, kind: kind) }
            types.patch(":id") { try await updateType(req: $0, kind: kind) }
        }
    }

    package func list(req: Request, kind: OrgKind) async throws -> ListBody<OrganisationDTO> {
        let paging = try Paging(req)
        let service = req.organisations()
        let filter = OrganisationService.Filter(q: req.query["q"], unit: req.query["unit"], type: req.query["type"],
                                                activeOn: req.query["activeOn"], socialWork: try Self.bool(req, "providesSocialWork"))
        let (items, total) = try await service.list(kind, filter, paging: paging)
        let names = try await service.unitNames(items)
        return ListBody(items: items.map { service.dto($0, unitNames: names) }, total: total, page: paging.page, per: paging.per)
    }

    /// A missing query flag is "no filter", not false (Vapor's decoder would say false).
    package static func bool(_ req: Request, _ name: String) throws -> Bool? {
        guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
        switch raw.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw HamletError.invalid(name, "Giá trị phải là true hoặc false.")
        }
    }

    package func create(req: Request, kind: OrgKind) async throws -> Response {
        _ = try req.requireRole(\.canEditOrganisations)
        let service = req.organisations()
        let org = try await service.create(kind, try req.content.decode(OrganisationInput.self))
        let response = Response(status: .created)
        try response.content.encode(service.dto(org, unitNames: try await service.unitNames([org])))
        return response
    }

    package func show(req: Request, kind: OrgKind) async throws -> OrganisationDTO {
        let service = req.organisations()
        let org = try await service.find(kind, req.parameters.get("id", as: UUID.self))
        return service.dto(org, unitNames: try await service.unitNames([org]))
    }

    package func update(req: Request, kind: OrgKind) async throws -> OrganisationDTO {
        _ = try req.requireRole(\.canEditOrganisations)
        let service = req.organisations()
        let org = try await service.find(kind, req.parameters.get("id", as: UUID.self))
        try await service.update(org, try req.content.decode(OrganisationInput.self))
        return service.dto(org, unitNames: try await service.unitNames([org]))
    }

    package func listTypes(req: Request, kind: OrgKind) async throws -> ListBody<OrganisationTypeDTO> {
        let types = try await OrganisationTypeService(db: req.db).all(kind)
        return ListBody(items: types.map(OrganisationTypeDTO.init), total: types.count, page: 1, per: max(types.count, 1))
    }

    package func createType(req: Request, kind: OrgKind) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        let type = try await OrganisationTypeService(db: req.db, actor: user, ip: req.clientIP)
            .create(kind, try req.content.decode(OrganisationTypeInput.self))
        let response = Response(status: .created)
        try response.content.encode(OrganisationTypeDTO(type))
        return response
    }

    package func updateType(req: Request, kind: OrgKind) async throws -> OrganisationTypeDTO {
        let user = try req.requireRole(\.canEditCatalogues)
        let service = OrganisationTypeService(db: req.db, actor: user, ip: req.clientIP)
        let type = try await service.find(kind, req.parameters.get("id", as: UUID.self))
        try await service.update(type, try req.content.decode(OrganisationTypeInput.self))
        return OrganisationTypeDTO(type)
    }
}
