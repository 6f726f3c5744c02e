import Vapor
import Fluent
import HamletKit

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
    }

    struct PlanForm: Content {
        var number: String?; var kind: String?; var issuer: String?; var signer: String?; var issuedOn: String?; var title: String?
        var fromYear: String?; var toYear: String?; var scopeCode: String?; var legalBases: String?
        var reportWhat: String?; var reportBy: String?; var reportTo: String?; var reportDue: String?; var interimYear: String?; var finalYear: String?
    }
    struct FormPage: Encodable { var values: PlanForm; var kinds: [PeoplePages.Option]; var error: String?; var errorField: String? }

    func newPlan(req: Request) async throws -> Response {
        _ = try req.requireRole { $0.canEditCatalogues || $0.canEditWorkforce }
        return try await render(req, PlanForm(kind: "ke-hoach", scopeCode: req.scope.isNation ? "" : req.scope.code), nil)
    }

    func render(_ req: Request, _ values: PlanForm, _ error: HamletError?) async throws -> Response {
        try await req.renderPage("plans/form", title: Strings.text("plan_new", req.language), status: error?.status ?? .ok, nav: "plans",
                                 body: FormPage(values: values, kinds: PeoplePages.options(PlanKind.self, selected: values.kind),
                                                error: error?.message, errorField: error?.field))
    }


    func createPlan(req: Request) async throws -> Response {
        _ = try req.requireRole { $0.canEditCatalogues || $0.canEditWorkforce }
        let f = try req.content.decode(PlanForm.self)
        do {
            let plan = try await req.plans().save(PlanInput(
                number: f.number, kind: f.kind, issuer: f.issuer, signer: f.signer, issuedOn: f.issuedOn, title: f.title,
                fromYear: try FormValue.year(f.fromYear, field: "fromYear"), toYear: try FormValue.year(f.toYear, field: "toYear"), scopeCode: f.scopeCode, legalBases: f.legalBases,
                status: "active", reportWhat: f.reportWhat, reportBy: f.reportBy, reportTo: f.reportTo, reportDue: f.reportDue,
                interimYear: try FormValue.year(f.interimYear, field: "interimYear"), finalYear: try FormValue.year(f.finalYear, field: "finalYear")))
            return req.redirect(to: "/plans/\(plan.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await render(req, f, error)
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

    struct TargetForm: Content { var indicatorId: String?; var unitCode: String?; var objectiveId: String?; var stages: String?; var baselineYear: String?; var baselineValue: String? }
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
                                                     baselineYear: try FormValue.year(f.baselineYear, field: "baselineYear"), baselineValue: baseline))
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
