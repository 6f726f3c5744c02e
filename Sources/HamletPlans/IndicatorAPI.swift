import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletAccounts
import HamletOrganisations
import HamletUnits
import HamletTraining
import HamletReporting
import HamletCases

package struct IndicatorDTO: Content {
    package var id: UUID?
    package var code: String
    package var name: String
    package var kind: String
    package var kindLabel: String
    package var measure: String
    package var definition: IndicatorDefinition?
    package var note: String?
    /// "VN" or the owning province's code: only its officers change it.
    package var owner: String
    /// For an indicator whose counts are kept: whether its tally is ready, being built (how far)
    /// or queued. Until ready its values are counted live and marked `building`.
    package var tally: TallyBuilds.Progress?

    package init(_ i: Indicator, tally: TallyBuilds.Progress? = nil) {
        self.tally = tally
        id = i.id; code = i.code; name = i.name; kind = i.kind; owner = CatalogueOwner.code(i.ownerPath)
        let k = IndicatorKind(rawValue: i.kind)
        definition = try? i.parsed(); note = i.note
        kindLabel = (k?.label ?? i.kind) + (definition?.baselineYear.map { ", thay đổi so với năm \($0)" } ?? ""); measure = definition?.measure ?? k?.measure ?? ""
    }
}

/// /api/v1/indicators and their values at any unit and date.
package struct IndicatorAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("indicators", use: list)
        routes.post("indicators", use: create)
        routes.get("indicators", ":id", use: show)
        routes.patch("indicators", ":id", use: update)
        routes.get("indicators", ":id", "values", use: values)
    }

    package func list(req: Request) async throws -> ListBody<IndicatorDTO> {
        let items = try await IndicatorService(db: req.db).dtos()
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    /// The indicator the path names (`:id`); 404 when there is none.
    package static func find(_ req: Request) async throws -> Indicator {
        try await IndicatorService(db: req.db).find(req.parameters.get("id", as: UUID.self))
    }

    package func show(req: Request) async throws -> IndicatorDTO { try await IndicatorService(db: req.db).dto(try await Self.find(req)) }

    package func create(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        let service = IndicatorService(db: req.db, actor: user, ip: req.clientIP)
        return try Response.created(try await service.dto(try await service.save(try req.content.decode(IndicatorInput.self))))
    }

    /// Only the fields sent change.
    package func update(req: Request) async throws -> IndicatorDTO {
        let user = try req.requireRole(\.canEditCatalogues)
        let i = try await Self.find(req)
        var input = try req.content.decode(IndicatorInput.self)
        input.code = input.code ?? i.code; input.name = input.name ?? i.name; input.note = input.note ?? i.note
        input.definition = try input.definition ?? i.parsed()
        let service = IndicatorService(db: req.db, actor: user, ip: req.clientIP)
        return try await service.dto(try await service.save(input, into: i))
    }

    /// `?unit=CODE&date=dd/MM/yyyy|yyyy-MM-dd&breakdown=children` (children are always given;
    /// `breakdown=none` leaves them out); `map=2025` counts a day before the reform over the 2025 units.
    package func values(req: Request) async throws -> IndicatorValue {
        let i = try await Self.find(req)
        let (map, unit, date) = (try UnitMap.from(req), try await TrainingParams.unit(req), try TrainingParams.date(req))
        var v = try await Self.keptValue(req, i, unit: unit, date: date, map: map)
        if req.query["breakdown"] == "none" { v.children = [] }
        return v.hidingSmallCaseCounts()
    }

    /// The value as the API and the indicator's page ask it: read where a moment's lag is allowed
    /// and kept while nothing it reads has changed.
    package static func keptValue(_ req: Request, _ i: Indicator, unit: AdminUnit?, date: String, map: UnitMap) async throws -> IndicatorValue {
        let question = Question("indicator", i.id?.uuidString, i.definition, unit?.path ?? "VN", date, "\(map)")
        return try await req.readingMayLag { db in
            try await req.kept(question, on: db, reads: { try await i.reads(on: db) }) {
                try await IndicatorEngine(db: db, map: map).value(i, unit: unit, date: date)
            }
        }
    }

    /// The value alone on each of several days (the page's trend), kept the same way.
    package static func keptSeries(_ req: Request, _ i: Indicator, unit: AdminUnit?, dates: [String], map: UnitMap) async throws -> [String: Double] {
        let question = Question("indicator-series", i.id?.uuidString, i.definition, unit?.path ?? "VN", Set(dates).sorted().joined(separator: ","), "\(map)")
        return try await req.readingMayLag { db in
            try await req.kept(question, on: db, reads: { try await i.reads(on: db) }) {
                try await IndicatorEngine(db: db, map: map).series(i, unit: unit, dates: dates)
            }
        }
    }
}
