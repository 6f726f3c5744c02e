import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts

extension Request {
    package func activities() -> ActivityService { ActivityService(db: db, scope: scope, actor: currentUser, ip: clientIP, today: today) }
}

/// /api/v1/plans/:id/activities: what the plan's people did, and the follow-ups of visits.
package struct ActivityAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", ":id", "activities", use: list)
        routes.post("plans", ":id", "activities", use: create)
        routes.get("plans", ":id", "activities", ":activity", use: show)
        routes.put("plans", ":id", "activities", ":activity", use: update)
        routes.delete("plans", ":id", "activities", ":activity", use: remove)
        routes.post("plans", ":id", "activities", ":activity", "follow-ups", ":followUp", "close", use: close)
    }

    package static func filter(_ req: Request) throws -> (ActivityKind?, Int?) {
        var kind: ActivityKind?, year: Int?
        if let raw = req.query[String.self, at: "kind"], !raw.isEmpty {
            guard let k = ActivityKind(rawValue: raw) else { throw HamletError.invalid("kind", "Không có loại hoạt động «\(raw)».") }
            kind = k
        }
        if let raw = req.query[String.self, at: "year"], !raw.isEmpty {
            guard let y = Int(raw), (1990...2100).contains(y) else { throw HamletError.invalid("year", "Năm không hợp lệ (1990–2100).") }
            year = y
        }
        return (kind, year)
    }

    package func list(req: Request) async throws -> [ActivityDTO] {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let (kind, year) = try Self.filter(req)
        let service = req.activities()
        return try await service.dtos(try await service.list(plan, kind: kind, year: year))
    }

    package func create(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let service = req.activities()
        _ = try service.requireRecorder()
        let a = try await service.save(plan, try req.content.decode(ActivityInput.self))
        return try Response.created(try await service.dto(a))
    }

    package func show(req: Request) async throws -> ActivityDTO {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        return try await req.activities().dto(try await req.activities().find(plan, req.parameters.get("activity", as: UUID.self)))
    }

    package func update(req: Request) async throws -> ActivityDTO {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let service = req.activities()
        let a = try await service.find(plan, req.parameters.get("activity", as: UUID.self))
        _ = try service.requireRecorder()
        return try await service.dto(try await service.save(plan, try req.content.decode(ActivityInput.self), into: a))
    }

    package func remove(req: Request) async throws -> HTTPStatus {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let service = req.activities()
        try await service.remove(plan, try await service.find(plan, req.parameters.get("activity", as: UUID.self)))
        return .noContent
    }

    package func close(req: Request) async throws -> ActivityDTO {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let service = req.activities()
        let a = try await service.find(plan, req.parameters.get("activity", as: UUID.self))
        _ = try service.requireRecorder()
        _ = try await service.close(a, followUp: req.parameters.get("followUp", as: UUID.self), try req.content.decode(ActivityService.CloseInput.self))
        return try await service.dto(a)
    }
}
