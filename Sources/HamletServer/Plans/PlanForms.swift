import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts

/// The plan forms: a new plan, and on its page the objectives, tasks, progress, budget lines and
/// targets. Each posts to the same service as the API and comes back to the plan's page.
struct PlanForms: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", "new", use: newPlan)
        routes.post("plans", use: createPlan)
        routes.post("plans", ":id", "objectives", use: objective)
        routes.post("plans", ":id", "tasks", use: task)
        routes.post("plans", ":id", "progress", use: progress)
        routes.post("plans", ":id", "budget-lines", use: budget)
        routes.post("plans", ":id", "targets", use: target)
        routes.get("plans", ":id", "edit", use: editPlan)
        routes.post("plans", ":id", use: updatePlan)
        for part in PlanService.Part.allCases {
            routes.post("plans", ":id", .constant(part.rawValue), ":part", "delete", use: { req in
                try await self.change(req) { s, p in try await s.remove(p, part, id: req.parameters.get("part", as: UUID.self)) }
            })
        }
    }

    struct PlanForm: Content {
        var number: String?; var kind: String?; var issuer: String?; var signer: String?; var issuedOn: String?; var title: String?
        var fromYear: String?; var toYear: String?; var scopeCode: String?; var legalBases: String?
        var reportWhat: String?; var reportBy: String?; var reportTo: String?; var reportDue: String?; var interimYear: String?; var finalYear: String?
        var status: String?; var statusReason: String?; var statusSince: String?

        init(number: String? = nil, kind: String? = nil, scopeCode: String? = nil) { self.number = number; self.kind = kind; self.scopeCode = scopeCode }

        init(_ p: Plan) {
            number = p.number; kind = p.kind; issuer = p.issuer; signer = p.signer; issuedOn = DayDate(p.issuedOn)?.vietnamese ?? p.issuedOn
            title = p.title; fromYear = String(p.fromYear); toYear = String(p.toYear); scopeCode = p.scopeCode; legalBases = p.legalBases
            reportWhat = p.reportWhat; reportBy = p.reportBy; reportTo = p.reportTo; reportDue = p.reportDue
            interimYear = p.interimYear.map(String.init); finalYear = p.finalYear.map(String.init); status = p.status
            statusReason = p.statusReason; statusSince = p.statusSince.flatMap(DayDate.init)?.vietnamese
        }

        func input() throws -> PlanInput {
            PlanInput(number: number, kind: kind, issuer: issuer, signer: signer, issuedOn: issuedOn, title: title,
                      fromYear: try FormValue.year(fromYear, field: "fromYear"), toYear: try FormValue.year(toYear, field: "toYear"), scopeCode: scopeCode,
                      legalBases: legalBases, status: status?.nilIfEmpty ?? "period", statusReason: statusReason, statusSince: statusSince?.nilIfEmpty, reportWhat: reportWhat, reportBy: reportBy, reportTo: reportTo,
                      reportDue: reportDue, interimYear: try FormValue.year(interimYear, field: "interimYear"), finalYear: try FormValue.year(finalYear, field: "finalYear"))
        }
    }
    struct FormPage: Encodable {
        var values: PlanForm; var kinds: [FormOption]; var statuses: [FormOption]; var action: String; var heading: String
        var planId: String?; var error: String?; var errorField: String?
    }

    func newPlan(req: Request) async throws -> Response {
        _ = try req.requireRole { $0.canEditCatalogues || $0.canEditWorkforce }
        return try await render(req, PlanForm(kind: "ke-hoach", scopeCode: req.scope.isNation ? "" : req.scope.code), nil)
    }

    func render(_ req: Request, _ values: PlanForm, _ error: HamletError?, editing plan: Plan? = nil) async throws -> Response {
        let heading = plan.map { Strings.text("plan_edit", req.language) + " " + $0.number } ?? Strings.text("plan_new", req.language)
        return try await req.renderPage("plans/form", title: heading, status: error?.status ?? .ok, nav: "plans", body: FormPage(
            values: values, kinds: FormOption.list(PlanKind.self, selected: values.kind),
            statuses: FormOption.list(PlanStatus.self, selected: values.status ?? "period"),
            action: plan.map { "/plans/\($0.id!.uuidString)" } ?? "/plans", heading: heading, planId: plan?.id?.uuidString,
            error: error?.message, errorField: error?.field))
    }

    func createPlan(req: Request) async throws -> Response {
        _ = try req.requireRole { $0.canEditCatalogues || $0.canEditWorkforce }
        let f = try req.content.decode(PlanForm.self)
        do {
            let plan = try await req.plans().save(try f.input())
            return req.redirect(to: "/plans/\(plan.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await render(req, f, error)
        }
    }

    func editPlan(req: Request) async throws -> Response {
        let plan = try await req.plans().editable(req.parameters.get("id", as: UUID.self))
        return try await render(req, PlanForm(plan), nil, editing: plan)
    }

    func updatePlan(req: Request) async throws -> Response {
        let service = req.plans()
        let plan = try await service.editable(req.parameters.get("id", as: UUID.self))
        let f = try req.content.decode(PlanForm.self)
        do {
            _ = try await service.save(try f.input(), into: plan)
            return req.redirect(to: "/plans/\(plan.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await render(req, f, error, editing: plan)
        }
    }

    /// Runs a change on an editable plan and goes back to its page; a refusal is shown there.
    func change(_ req: Request, _ body: @escaping @Sendable (PlanService, Plan) async throws -> Void) async throws -> Response {
        let service = req.plans()
        let plan = try await service.editable(req.parameters.get("id", as: UUID.self))
        do {
            try await body(service, plan)
        } catch let error as HamletError {
            return try await PlanPages().render(req, plan, error: error)
        }
        return req.redirect(to: "/plans/\(plan.id!.uuidString)#edit", notice: "saved")
    }

    struct ObjectiveForm: Content { var text: String?; var general: String? }
    func objective(req: Request) async throws -> Response {
        let f = try req.content.decode(ObjectiveForm.self)
        return try await change(req) { s, p in _ = try await s.addObjective(p, ObjectiveInput(general: f.general == "on", text: f.text)) }
    }

    struct TaskForm: Content { var title: String?; var leadAgencyId: String?; var coordinating: [String]?; var timeFrame: String?; var status: String? }
    func task(req: Request) async throws -> Response {
        let f = try req.content.decode(TaskForm.self)
        return try await change(req) { s, p in
            _ = try await s.addTask(p, TaskInput(title: f.title, leadAgencyId: f.leadAgencyId.flatMap(UUID.init(uuidString:)),
                                                 coordinatingAgencyIds: (f.coordinating ?? []).compactMap(UUID.init(uuidString:)), timeFrame: f.timeFrame, status: f.status))
        }
    }

    struct ProgressForm: Content { var taskId: String?; var on: String?; var status: String?; var text: String? }
    func progress(req: Request) async throws -> Response {
        let f = try req.content.decode(ProgressForm.self)
        return try await change(req) { s, p in
            guard let id = f.taskId.flatMap(UUID.init(uuidString:)),
                  let task = try await PlanTask.query(on: s.db).filter(\.$id == id).filter(\.$planID == p.requireID()).first() else {
                throw HamletError.invalid("taskId", "Chọn một nhiệm vụ của kế hoạch.")
            }
            _ = try await s.addProgress(p, task: task, ProgressInput(on: f.on.flatMap { DayDate($0)?.iso } ?? f.on, status: f.status, text: f.text))
        }
    }

    struct BudgetForm: Content { var source: String?; var year: String?; var planned: String?; var spent: String? }
    func budget(req: Request) async throws -> Response {
        let f = try req.content.decode(BudgetForm.self)
        return try await change(req) { s, p in
            _ = try await s.addBudget(p, PlanBudgetInput(source: f.source, year: try FormValue.year(f.year, field: "year"),
                                                         planned: try FormValue.money(f.planned, field: "planned"), spent: try FormValue.money(f.spent, field: "spent")))
        }
    }

    struct TargetForm: Content { var indicatorId: String?; var unitCode: String?; var objectiveId: String?; var stages: String?; var baselineYear: String?; var baselineValue: String?; var direction: String? }
    func target(req: Request) async throws -> Response {
        let f = try req.content.decode(TargetForm.self)
        return try await change(req) { s, p in
            var baseline: Double?
            if let raw = f.baselineValue, !raw.isEmpty {
                guard let v = Double(raw.replacingOccurrences(of: ",", with: ".")) else { throw HamletError.invalid("baselineValue", "Giá trị năm cơ sở là số.") }
                baseline = v
            }
            _ = try await s.addTarget(p, TargetInput(indicatorId: f.indicatorId.flatMap(UUID.init(uuidString:)), unitCode: f.unitCode?.nilIfEmpty,
                                                     objectiveId: f.objectiveId.flatMap(UUID.init(uuidString:)), stages: try Self.stages(f.stages ?? ""),
                                                     baselineYear: try FormValue.year(f.baselineYear, field: "baselineYear"), baselineValue: baseline, direction: f.direction))
        }
    }

    /// "60 đến 31/12/2016; 100 đến 31/12/2020" → two stages.
    static func stages(_ text: String) throws -> [StageInput] {
        try text.split(separator: ";").map { part in
            let pieces = part.components(separatedBy: "đến").map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, let value = Double(pieces[0].replacingOccurrences(of: "%", with: "").replacingOccurrences(of: ",", with: ".")
                .trimmingCharacters(in: .whitespaces)), let day = DayDate(pieces[1]) else {
                throw HamletError.invalid("stages", "Mốc ghi «giá trị đến ngày», cách nhau bởi dấu chấm phẩy: 60 đến 31/12/2016; 100 đến 31/12/2020.")
            }
            return StageInput(deadline: day.iso, value: value)
        }
    }
}
