import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts
import HamletUnits

extension Request {
    package func plans() -> PlanService { PlanService(db: db, scope: scope, actor: currentUser, ip: clientIP) }
}

/// /api/v1/plans, their parts, targets and dashboard.
package struct PlanAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", use: list)
        routes.post("plans", use: create)
        routes.get("plans", ":id", use: show)
        routes.patch("plans", ":id", use: update)
        routes.post("plans", ":id", "objectives", use: objective)
        routes.post("plans", ":id", "tasks", use: task)
        routes.post("plans", ":id", "tasks", ":task", "progress", use: progress)
        routes.post("plans", ":id", "budget-lines", use: budget)
        routes.post("plans", ":id", "targets", use: target)
        for part in PlanService.Part.allCases {
            routes.delete("plans", ":id", .constant(part.rawValue), ":part", use: { try await Self.remove(req: $0, part) })
        }
        routes.get("plans", ":id", "dashboard", use: dashboard)
        routes.get("plans", ":id", "report", use: PlanReport.respond)
    }

    package func list(req: Request) async throws -> ListBody<PlanDTO> {
        let items = try await req.plans().list().map { PlanDTO($0, asOf: req.today) }
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    package func create(req: Request) async throws -> Response {
        _ = try req.requireRole { $0.canEditCatalogues || $0.canEditWorkforce }
        let plan = try await req.plans().save(try req.content.decode(PlanInput.self))
        return try Response.created(try await PlanDTO.full(plan, asOf: req.today, on: req.db))
    }

    /// `?date=`: the plan as it stood that day (status, task states, budget to that year, agency names).
    package func show(req: Request) async throws -> PlanDTO {
        if let raw: String = req.query["date"], !raw.isEmpty, DayDate(raw) == nil { throw HamletError.invalid("date", "Ngày không hợp lệ (dd/MM/yyyy).") }
        return try await PlanDTO.full(try await req.plans().find(req.parameters.get("id", as: UUID.self)), asOf: PlanService.statusDay(req), on: req.db)
    }

    package func update(req: Request) async throws -> PlanDTO {
        let service = req.plans()
        let plan = try await service.editable(req.parameters.get("id", as: UUID.self))
        var input = try req.content.decode(PlanInput.self)
        input.number = input.number ?? plan.number; input.kind = input.kind ?? plan.kind; input.issuer = input.issuer ?? plan.issuer
        input.signer = input.signer ?? plan.signer; input.issuedOn = input.issuedOn ?? plan.issuedOn; input.title = input.title ?? plan.title
        input.fromYear = input.fromYear ?? plan.fromYear; input.toYear = input.toYear ?? plan.toYear; input.scopeCode = input.scopeCode ?? plan.scopeCode
        input.legalBases = input.legalBases ?? plan.legalBases; input.status = input.status ?? plan.status
        if input.status == plan.status { input.statusReason = input.statusReason ?? plan.statusReason; input.statusSince = input.statusSince ?? plan.statusSince }
        input.reportWhat = input.reportWhat ?? plan.reportWhat; input.reportBy = input.reportBy ?? plan.reportBy; input.reportTo = input.reportTo ?? plan.reportTo
        input.reportDue = input.reportDue ?? plan.reportDue; input.interimYear = input.interimYear ?? plan.interimYear; input.finalYear = input.finalYear ?? plan.finalYear
        return try await PlanDTO.full(try await service.save(input, into: plan), asOf: req.today, on: req.db)
    }

    package static func remove(req: Request, _ part: PlanService.Part) async throws -> HTTPStatus {
        let service = req.plans()
        let plan = try await service.editable(req.parameters.get("id", as: UUID.self))
        try await service.remove(plan, part, id: req.parameters.get("part", as: UUID.self))
        return .noContent
    }

    package func objective(req: Request) async throws -> Response {
        let service = req.plans()
        let plan = try await service.editable(req.parameters.get("id", as: UUID.self))
        let o = try await service.addObjective(plan, try req.content.decode(ObjectiveInput.self))
        return try Response.created(PlanDTO.Objective(id: o.id, general: o.general, text: o.text))
    }

    package func task(req: Request) async throws -> Response {
        let service = req.plans()
        let plan = try await service.editable(req.parameters.get("id", as: UUID.self))
        _ = try await service.addTask(plan, try req.content.decode(TaskInput.self))
        return try Response.created(try await PlanDTO.full(plan, asOf: req.today, on: req.db))
    }

    package func progress(req: Request) async throws -> PlanDTO {
        let service = req.plans()
        let plan = try await service.editable(req.parameters.get("id", as: UUID.self))
        let task = try await service.task(req.parameters.get("task", as: UUID.self), of: plan)
        _ = try await service.addProgress(plan, task: task, try req.content.decode(ProgressInput.self))
        return try await PlanDTO.full(plan, asOf: req.today, on: req.db)
    }

    package func budget(req: Request) async throws -> PlanDTO {
        let service = req.plans()
        let plan = try await service.editable(req.parameters.get("id", as: UUID.self))
        _ = try await service.addBudget(plan, try req.content.decode(PlanBudgetInput.self))
        return try await PlanDTO.full(plan, asOf: req.today, on: req.db)
    }

    package func target(req: Request) async throws -> Response {
        let service = req.plans()
        let plan = try await service.editable(req.parameters.get("id", as: UUID.self))
        let t = try await service.addTarget(plan, try req.content.decode(TargetInput.self))
        let board = try await PlanDashboard(db: req.db, scope: req.scope).build(plan, date: DayDate.today().iso, withTrend: false)
        return try Response.created(board.targets.first { $0.id == t.id }!)
    }

    /// `?date=` (default today), `?unit=` (a unit inside the plan's scope) and `?trend=false` to
    /// leave out the yearly values.
    package func dashboard(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let (date, map, asOf) = (try PlanService.day(req, for: plan), try UnitMap.from(req), PlanService.statusDay(req))
        return try await req.readingMayLag { db in
            try await PlanDashboard(db: db, scope: req.scope, map: map).keptJSON(req, plan, date: date, withTrend: req.query["trend"] != "false", at: req.query["unit"], planAsOf: asOf)
        }
    }
}
