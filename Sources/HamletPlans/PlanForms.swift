import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts

/// The plan forms: a new plan, and on its page the objectives, tasks, progress, budget lines and
/// targets. Each posts to the same service as the API and comes back to the plan's page.
package struct PlanForms: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
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

    package struct PlanForm: Content {
        package var number: String?
        package var kind: String?
        package var issuer: String?
        package var signer: String?
        package var issuedOn: String?
        package var title: String?
        package var fromYear: String?
        package var toYear: String?
        package var scopeCode: String?
        package var legalBases: String?
        package var reportWhat: String?
        package var reportBy: String?
        package var reportTo: String?
        package var reportDue: String?
        package var interimYear: String?
        package var finalYear: String?
        package var status: String?
        package var statusReason: String?
        package var statusSince: String?

        package init(number: String? = nil, kind: String? = nil, scopeCode: String? = nil) {
            (self.number, self.kind, self.scopeCode) = (number, kind, scopeCode)
        }

        package init(_ p: Plan) {
            number = p.number; kind = p.kind; issuer = p.issuer; signer = p.signer; issuedOn = DayDate(p.issuedOn)?.vietnamese ?? p.issuedOn
            title = p.title; fromYear = String(p.fromYear); toYear = String(p.toYear); scopeCode = p.scopeCode; legalBases = p.legalBases
            reportWhat = p.reportWhat; reportBy = p.reportBy; reportTo = p.reportTo; reportDue = p.reportDue
            interimYear = p.interimYear.map(String.init); finalYear = p.finalYear.map(String.init); status = p.status
            statusReason = p.statusReason; statusSince = p.statusSince.flatMap(DayDate.init)?.vietnamese
        }

        package func input() throws -> PlanInput {
            PlanInput(number: number, kind: kind, issuer: issuer, signer: signer, issuedOn: issuedOn, title: title,
                      fromYear: try FormValue.year(fromYear, field: "fromYear"), toYear: try FormValue.year(toYear, field: "toYear"), scopeCode: scopeCode,
                      legalBases: legalBases, status: status?.nilIfEmpty ?? "period", statusReason: statusReason, statusSince: statusSince?.nilIfEmpty, reportWhat: reportWhat, reportBy: reportBy, reportTo: reportTo,
                      reportDue: reportDue, interimYear: try FormValue.year(interimYear, field: "interimYear"), finalYear: try FormValue.year(finalYear, field: "finalYear"))
        }
    }
    package struct FormPage: Encodable {
        package var values: PlanForm
        package var kinds: [FormOption]
        package var statuses: [FormOption]
        package var action: String
        package var heading: String
        package var planId: String?
        package var error: String?
        package var errorField: String?

        package init(values: PlanForm, kinds: [FormOption], statuses: [FormOption], action: String, heading: String,
                     planId: String? = nil, error: String? = nil, errorField: String? = nil) {
            (self.values, self.kinds, self.statuses, self.action) = (values, kinds, statuses, action)
            (self.heading, self.planId, self.error, self.errorField) = (heading, planId, error, errorField)
        }
    }

    package func newPlan(req: Request) async throws -> Response {
        _ = try req.requireRole { $0.canEditCatalogues || $0.canEditWorkforce }
        return try await render(req, PlanForm(kind: "ke-hoach", scopeCode: req.scope.isNation ? "" : req.scope.code), nil)
    }

    package func render(_ req: Request, _ values: PlanForm, _ error: HamletError?, editing plan: Plan? = nil) async throws -> Response {
        let heading = plan.map { Strings.text("plan_edit", req.language) + " " + $0.number } ?? Strings.text("plan_new", req.language)
        return try await req.renderPage("plans/form", title: heading, status: error?.status ?? .ok, nav: "plans", body: FormPage(
            values: values, kinds: FormOption.list(PlanKind.self, selected: values.kind),
            statuses: FormOption.list(PlanStatus.self, selected: values.status ?? "period"),
            action: plan.map { "/plans/\($0.id!.uuidString)" } ?? "/plans", heading: heading, planId: plan?.id?.uuidString,
            error: error?.message, errorField: error?.field))
    }

    package func createPlan(req: Request) async throws -> Response {
        _ = try req.requireRole { $0.canEditCatalogues || $0.canEditWorkforce }
        let f = try req.content.decode(PlanForm.self)
        do {
            let plan = try await req.plans().save(try f.input())
            return req.redirect(to: "/plans/\(plan.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await render(req, f, error)
        }
    }

    package func editPlan(req: Request) async throws -> Response {
        let plan = try await req.plans().editable(req.parameters.get("id", as: UUID.self))
        return try await render(req, PlanForm(plan), nil, editing: plan)
    }

    package func updatePlan(req: Request) async throws -> Response {
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
    package func change(_ req: Request, _ body: @escaping @Sendable (PlanService, Plan) async throws -> Void) async throws -> Response {
        let service = req.plans()
        let plan = try await service.editable(req.parameters.get("id", as: UUID.self))
        do {
            try await body(service, plan)
        } catch let error as HamletError {
            return try await PlanPages().render(req, plan, error: error)
        }
        return req.redirect(to: "/plans/\(plan.id!.uuidString)#edit", notice: "saved")
    }

    package struct ObjectiveForm: Content {
        package var text: String?
        package var general: String?
        package init(text: String? = nil, general: String? = nil) {
            self.text = text
            self.general = general
        }
    }
    package func objective(req: Request) async throws -> Response {
        let f = try req.content.decode(ObjectiveForm.self)
        return try await change(req) { s, p in _ = try await s.addObjective(p, ObjectiveInput(general: f.general == "on", text: f.text)) }
    }

    package struct TaskForm: Content {
        package var title: String?
        package var leadAgencyId: String?
        package var coordinating: [String]?
        package var timeFrame: String?
        package var status: String?
        package init(title: String? = nil, leadAgencyId: String? = nil, coordinating: [String]? = nil, timeFrame: String? = nil,
                     status: String? = nil) {
            (self.title, self.leadAgencyId, self.coordinating, self.timeFrame) = (title, leadAgencyId, coordinating, timeFrame)
            self.status = status
        }
    }
    package func task(req: Request) async throws -> Response {
        let f = try req.content.decode(TaskForm.self)
        return try await change(req) { s, p in
            _ = try await s.addTask(p, TaskInput(title: f.title, leadAgencyId: f.leadAgencyId.flatMap(UUID.init(uuidString:)),
                                                 coordinatingAgencyIds: (f.coordinating ?? []).compactMap(UUID.init(uuidString:)), timeFrame: f.timeFrame, status: f.status))
        }
    }

    package struct ProgressForm: Content {
        package var taskId: String?
        package var on: String?
        package var status: String?
        package var text: String?
        package init(taskId: String? = nil, on: String? = nil, status: String? = nil, text: String? = nil) {
            (self.taskId, self.on, self.status, self.text) = (taskId, on, status, text)
        }
    }
    package func progress(req: Request) async throws -> Response {
        let f = try req.content.decode(ProgressForm.self)
        return try await change(req) { s, p in
            guard let id = f.taskId.flatMap(UUID.init(uuidString:)),
                  let task = try await PlanTask.query(on: s.db).filter(\.$id == id).filter(\.$planID == p.requireID()).first() else {
                throw HamletError.invalid("taskId", "Chọn một nhiệm vụ của kế hoạch.")
            }
            _ = try await s.addProgress(p, task: task, ProgressInput(on: f.on.flatMap { DayDate($0)?.iso } ?? f.on, status: f.status, text: f.text))
        }
    }

    package struct BudgetForm: Content {
        package var source: String?
        package var year: String?
        package var planned: String?
        package var spent: String?
        package init(source: String? = nil, year: String? = nil, planned: String? = nil, spent: String? = nil) {
            (self.source, self.year, self.planned, self.spent) = (source, year, planned, spent)
        }
    }
    package func budget(req: Request) async throws -> Response {
        let f = try req.content.decode(BudgetForm.self)
        return try await change(req) { s, p in
            _ = try await s.addBudget(p, PlanBudgetInput(source: f.source, year: try FormValue.year(f.year, field: "year"),
                                                         planned: try FormValue.money(f.planned, field: "planned"), spent: try FormValue.money(f.spent, field: "spent")))
        }
    }

    package struct TargetForm: Content {
        package var indicatorId: String?
        package var unitCode: String?
        package var objectiveId: String?
        package var stages: String?
        package var baselineYear: String?
        package var baselineValue: String?
        package var direction: String?
        package init(indicatorId: String? = nil, unitCode: String? = nil, objectiveId: String? = nil, stages: String? = nil,
                     baselineYear: String? = nil, baselineValue: String? = nil, direction: String? = nil) {
            (self.indicatorId, self.unitCode, self.objectiveId, self.stages) = (indicatorId, unitCode, objectiveId, stages)
            (self.baselineYear, self.baselineValue, self.direction) = (baselineYear, baselineValue, direction)
        }
    }
    package func target(req: Request) async throws -> Response {
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
    package static func stages(_ text: String) throws -> [StageInput] {
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
