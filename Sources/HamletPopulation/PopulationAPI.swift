import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletReporting

extension Request {
    package func population() -> PopulationService { PopulationService(db: db, scope: scope, actor: currentUser, ip: clientIP, today: today) }

    /// The list's filter from the query: unit (code, inside the account's view), year, group.
    package func populationFilter() async throws -> PopulationService.Filter {
        var filter = PopulationService.Filter()
        if let code = query[String.self, at: "unit"]?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            guard let unit = try await UnitDirectory(db: db, scope: scope).find(.current, code) else { throw HamletError.notFound }
            filter.unit = unit
        }
        if let raw = query[String.self, at: "year"], !raw.isEmpty {
            guard let year = Int(raw), (1990...2100).contains(year) else { throw HamletError.invalid("year", "Năm không hợp lệ (1990–2100).") }
            filter.year = year
        }
        if let group = query[String.self, at: "group"], !group.isEmpty { filter.group = group }
        return filter
    }
}

package struct PopulationGroupDTO: Content {
    package var code: String
    package var name: String
    package init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// /api/v1/population: the figures under the account's unit, entered one by one or imported.
package struct PopulationAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("population", use: list)
        routes.get("population", "groups", use: groups)
        routes.post("population", use: save)
        routes.delete("population", ":figure", use: remove)
        routes.upload("population", "import", use: importFile)
    }

    package func list(req: Request) async throws -> [PopulationFigureDTO] {
        try await req.population().list(try await req.populationFilter())
    }

    package func groups(req: Request) async throws -> [PopulationGroupDTO] {
        try await req.population().groups().map { PopulationGroupDTO(code: $0.code, name: English.say($0.name)) }
    }

    package func save(req: Request) async throws -> Response {
        let service = req.population()
        _ = try service.requireEditor()
        let input = try req.content.decode(PopulationInput.self)
        let (figure, created) = try await service.save(input)
        let names = Dictionary(try await service.groups().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let unit = try await UnitTree.units(atPaths: [figure.unitPath], on: req.db)[figure.unitPath]
        let dto = service.dto(figure, unitName: unit?.name ?? figure.unitCode, groupName: names[figure.group] ?? figure.group)
        if created { return try Response.created(dto) }
        let response = Response(status: .ok)
        try response.content.encode(dto)
        return response
    }

    package func remove(req: Request) async throws -> HTTPStatus {
        try await req.population().remove(req.parameters.get("figure", as: UUID.self))
        return .noContent
    }

    /// The file as the body or multipart `file`; `?dryRun=true` checks without storing.
    package func importFile(req: Request) async throws -> PopulationImporter.Report {
        let service = req.population()
        _ = try service.requireEditor()
        let commit = req.query["dryRun"] != "true"
        let report = try await Upload.handle(req) { upload in
            try await PopulationImporter(service: service).run(data: try upload.requireFile(), commit: commit)
        }
        if report.problems.contains(where: \.isError) { throw ValidationFailure(problems: report.problems) }
        return report
    }
}
