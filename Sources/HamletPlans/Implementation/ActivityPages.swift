import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletWorkforce

/// /plans/:id/activities: what the plan's people did (a year at a time), a form to record one,
/// and each activity's page: its attendees from the register and its follow-ups.
package struct ActivityPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", ":id", "activities", use: list)
        routes.post("plans", ":id", "activities", use: create)
        routes.get("plans", ":id", "activities", ":activity", use: show)
        routes.post("plans", ":id", "activities", ":activity", use: update)
        routes.post("plans", ":id", "activities", ":activity", "delete", use: remove)
        routes.post("plans", ":id", "activities", ":activity", "people", use: attendees)
        routes.post("plans", ":id", "activities", ":activity", "follow-ups", use: addFollowUp)
        routes.post("plans", ":id", "activities", ":activity", "follow-ups", ":followUp", "close", use: close)
    }

    /// The form as typed: every value a string, so a wrong one comes back as it was written.
    package struct Form: Content {
        package var kind: String?
        package var title: String?
        package var taskId: String?
        package var boardId: String?
        package var heldOn: String?
        package var endsOn: String?
        package var unitCode: String?
        package var place: String?
        package var organiser: String?
        package var male: String?
        package var female: String?
        package var reached: String?
        package var spentCentral: String?
        package var spentLocal: String?
        package var spentOther: String?
        package var outputs: String?
        package var findings: String?
        package var decisions: String?
        package var followUpText: [String]?
        package var followUpDue: [String]?

        package init() {}
        package init(_ a: ActivityDTO) {
            kind = a.kind; title = a.title; taskId = a.taskId?.uuidString; boardId = a.boardId?.uuidString; heldOn = DayDate(a.heldOn)?.vietnamese; endsOn = a.endsOn.flatMap(DayDate.init)?.vietnamese
            unitCode = a.unitCode; place = a.place; organiser = a.organiser; male = a.male.map(String.init); female = a.female.map(String.init)
            reached = a.reached.map(String.init); spentCentral = a.spentCentral.map(String.init); spentLocal = a.spentLocal.map(String.init)
            spentOther = a.spentOther.map(String.init); outputs = a.outputs; findings = a.findings; decisions = a.decisions
        }

        package func input(people: [UUID]?) throws -> ActivityInput {
            func count(_ raw: String?, _ field: String) throws -> Int? {
                guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
                guard let n = FormValue.integer(raw) else { throw HamletError.invalid(field, "Số người là số nguyên từ 0 trở lên.") }
                return n
            }
            let texts = followUpText ?? [], dues = followUpDue ?? []
            return ActivityInput(kind: kind, title: title, taskId: taskId.flatMap(UUID.init(uuidString:)), boardId: boardId.flatMap(UUID.init(uuidString:)), heldOn: heldOn, endsOn: endsOn, unitCode: unitCode,
                                 place: place, organiser: organiser, male: try count(male, "male"), female: try count(female, "female"), reached: try count(reached, "reached"),
                                 spentCentral: try FormValue.money(spentCentral, field: "spentCentral"), spentLocal: try FormValue.money(spentLocal, field: "spentLocal"),
                                 spentOther: try FormValue.money(spentOther, field: "spentOther"),
                                 outputs: outputs, findings: findings, decisions: decisions, personIds: people,
                                 followUps: texts.indices.map { FollowUpInput(text: texts[$0], dueOn: $0 < dues.count ? dues[$0] : nil) })
        }
    }

    package struct Row: Encodable {
        package var link: String
        package var title: String
        package var kind: String
        package var heldOn: String
        package var unit: String
        package var participants: Int
        package var followUps: String
        package init(link: String, title: String, kind: String, heldOn: String, unit: String, participants: Int, followUps: String) {
            (self.link, self.title, self.kind, self.heldOn) = (link, title, kind, heldOn)
            (self.unit, self.participants, self.followUps) = (unit, participants, followUps)
        }
    }
    package struct Count: Encodable {
        package var label: String
        package var count: Int
        package init(label: String, count: Int) {
            self.label = label
            self.count = count
        }
    }
    package struct ListPage: Encodable {
        package var planId: String
        package var planNumber: String
        package var rows: [Row]
        package var counts: [Count]
        package var year: String
        package var kinds: [FormOption]
        package var mayRecord: Bool
        package var form: Form
        package var formKinds: [FormOption]
        package var tasks: [FormOption]
        package var boards: [FormOption]
        package var units: [FormOption]
        package var error: String?
        package var errorField: String?

        package init(planId: String, planNumber: String, rows: [Row], counts: [Count], year: String, kinds: [FormOption],
                     mayRecord: Bool, form: Form, formKinds: [FormOption], tasks: [FormOption], boards: [FormOption], units: [FormOption],
                     error: String? = nil, errorField: String? = nil) {
            (self.planId, self.planNumber, self.rows, self.counts) = (planId, planNumber, rows, counts)
            (self.year, self.kinds, self.mayRecord, self.form) = (year, kinds, mayRecord, form)
            (self.formKinds, self.tasks, self.boards, self.units) = (formKinds, tasks, boards, units)
            (self.error, self.errorField) = (error, errorField)
        }
    }

    package func list(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        var form = Form(); form.unitCode = req.scope.isNation ? plan.scopeCode : req.currentUser?.scopeCode
        form.kind = req.query["kind"]; form.boardId = req.query["board"]
        return try await render(req, plan, form: form, error: nil)
    }

    package func render(_ req: Request, _ plan: Plan, form: Form, error: HamletError?) async throws -> Response {
        let (kind, asked) = try ActivityAPI.filter(req)
        let year = asked ?? min(max(req.today.year, plan.fromYear), plan.toYear)
        let service = req.activities()
        let all = try await service.list(plan, year: year)
        let shown = all.filter { kind == nil || $0.kind == kind?.rawValue }
        let units = try await UnitTree.units(atPaths: Array(Set(shown.map(\.unitPath))), on: req.db)
        let ids = shown.compactMap(\.id)
        let (named, open) = try await service.tallies(ids)
        let planID = try plan.requireID().uuidString
        var tasks: [FormOption] = [], unitOptions: [FormOption] = []
        if service.mayRecord {
            tasks = try await service.tasks(of: plan).map { FormOption(value: $0.id!.uuidString, label: $0.title, selected: $0.id?.uuidString == form.taskId) }
            unitOptions = try await service.recordingUnits(plan).map { FormOption(value: $0.code, label: $0.name, selected: false) }
        }
        return try await req.renderPage("implementation/activities", title: English.say("Hoạt động") + " — " + plan.number, status: error?.status ?? .ok, nav: "plans", body: ListPage(
            planId: planID, planNumber: plan.number,
            rows: shown.map { a in
                let f = open[a.id!]
                return Row(link: "/plans/\(planID)/activities/\(a.id!.uuidString)", title: a.title, kind: English.say(ActivityKind(rawValue: a.kind)?.label ?? a.kind),
                           heldOn: a.heldOn, unit: units[a.unitPath]?.name ?? a.unitCode,
                           participants: ActivityFigures.participants(male: a.male, female: a.female, named: named[a.id!] ?? 0),
                           followUps: f.map { "\($0.0)/\($0.1)" } ?? "")
            },
            counts: ActivityKind.allCases.map { k in Count(label: English.say(k.label), count: all.filter { $0.kind == k.rawValue }.count) },
            year: String(year), kinds: FormOption.list(ActivityKind.self, selected: kind?.rawValue),
            mayRecord: service.mayRecord, form: form, formKinds: FormOption.list(ActivityKind.self, selected: form.kind),
            tasks: tasks, boards: try await boardOptions(req, plan, selected: form.boardId), units: unitOptions, error: error?.message, errorField: error?.field))
    }

    package func boardOptions(_ req: Request, _ plan: Plan, selected: String?) async throws -> [FormOption] {
        try await req.boards().boards(plan).map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id!.uuidString == selected) }
    }

    package func create(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let service = req.activities()
        _ = try service.requireRecorder()
        var form = try req.content.decode(Form.self)
        form.unitCode = try await UnitDirectory(db: req.db, scope: req.scope).code(typed: form.unitCode)
        do {
            let a = try await service.save(plan, try form.input(people: nil))
            return req.redirect(to: "/plans/\(try plan.requireID())/activities/\(try a.requireID())", notice: "saved")
        } catch let error as HamletError where error.status == .unprocessableEntity {
            return try await render(req, plan, form: form, error: error)
        }
    }

    package struct PersonChoice: Encodable {
        package var id: String
        package var name: String
        package var post: String
        package var checked: Bool
        package init(id: String, name: String, post: String, checked: Bool) {
            (self.id, self.name, self.post, self.checked) = (id, name, post, checked)
        }
    }
    package struct ShowPage: Encodable {
        package var planId: String
        package var planNumber: String
        package var activity: ActivityDTO
        package var mayRecord: Bool
        package var form: Form
        package var formKinds: [FormOption]
        package var tasks: [FormOption]
        package var boards: [FormOption]
        package var people: [PersonChoice]
        package var error: String?
        package var errorField: String?
        package var spent: String
        package var today: String

        package init(planId: String, planNumber: String, activity: ActivityDTO, mayRecord: Bool, form: Form, formKinds: [FormOption],
                     tasks: [FormOption], boards: [FormOption], people: [PersonChoice], error: String? = nil, errorField: String? = nil,
                     spent: String, today: String) {
            (self.planId, self.planNumber, self.activity, self.mayRecord) = (planId, planNumber, activity, mayRecord)
            (self.form, self.formKinds, self.tasks, self.boards) = (form, formKinds, tasks, boards)
            (self.people, self.error, self.errorField, self.spent) = (people, error, errorField, spent)
            self.today = today
        }
    }

    package func show(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let a = try await req.activities().find(plan, req.parameters.get("activity", as: UUID.self))
        return try await renderShow(req, plan, a, form: nil, error: nil)
    }

    package func renderShow(_ req: Request, _ plan: Plan, _ a: PlanActivity, form: Form?, error: HamletError?) async throws -> Response {
        let service = req.activities()
        let dto = try await service.dto(a)
        var people: [PersonChoice] = []
        var tasks: [FormOption] = []
        if service.mayRecord {
            // Who works in the activity's unit today (a commune's collaborators), and anyone already named.
            let named = Set(dto.people.map(\.id))
            let holders = try await Assignment.holders(under: a.unitPath, on: req.today, limit: 300, db: req.db)
            let seen = Set(holders.map { $0.person.id! })
            people = holders.map { PersonChoice(id: $0.person.id!.uuidString, name: $0.person.fullName, post: $0.title, checked: named.contains($0.person.id!)) }
            for n in dto.people where !seen.contains(n.id) { people.append(PersonChoice(id: n.id.uuidString, name: n.fullName, post: "", checked: true)) }
            tasks = try await service.tasks(of: plan).map { FormOption(value: $0.id!.uuidString, label: $0.title, selected: $0.id == (form.map { $0.taskId } ?? dto.taskId?.uuidString).flatMap(UUID.init(uuidString:))) }
        }
        let f = form ?? Form(dto)
        return try await req.renderPage("implementation/activity", title: dto.title, status: error?.status ?? .ok, nav: "plans", body: ShowPage(
            planId: try plan.requireID().uuidString, planNumber: plan.number, activity: dto, mayRecord: service.mayRecord, form: f,
            formKinds: FormOption.list(ActivityKind.self, selected: f.kind), tasks: tasks,
            boards: service.mayRecord ? try await boardOptions(req, plan, selected: f.boardId) : [], people: people,
            error: error?.message, errorField: error?.field, spent: VietnameseFormat.integer(Int(dto.spent)), today: req.today.vietnamese))
    }

    package func update(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let service = req.activities()
        let a = try await service.find(plan, req.parameters.get("activity", as: UUID.self))
        _ = try service.requireRecorder()
        var form = try req.content.decode(Form.self)
        form.unitCode = try await UnitDirectory(db: req.db, scope: req.scope).code(typed: form.unitCode)
        do {
            let people = try await service.dto(a).people.map(\.id)
            _ = try await service.save(plan, try form.input(people: people), into: a)
            return req.redirect(to: "/plans/\(try plan.requireID())/activities/\(try a.requireID())", notice: "saved")
        } catch let error as HamletError where error.status == .unprocessableEntity {
            return try await renderShow(req, plan, a, form: form, error: error)
        }
    }

    package func remove(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let service = req.activities()
        try await service.remove(plan, try await service.find(plan, req.parameters.get("activity", as: UUID.self)))
        return req.redirect(to: "/plans/\(try plan.requireID())/activities", notice: "saved")
    }

    package struct PeopleForm: Content {
        package var personIds: [String]?
        package init(personIds: [String]? = nil) {
            self.personIds = personIds
        }
    }

    package func attendees(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let service = req.activities()
        let a = try await service.find(plan, req.parameters.get("activity", as: UUID.self))
        _ = try service.requireRecorder()
        let ids = (try req.content.decode(PeopleForm.self).personIds ?? []).compactMap(UUID.init(uuidString:))
        do {
            _ = try await service.save(plan, try Form(try await service.dto(a)).input(people: ids), into: a)
        } catch let error as HamletError where error.status == .unprocessableEntity {
            return try await renderShow(req, plan, a, form: nil, error: error)
        }
        return req.redirect(to: "/plans/\(try plan.requireID())/activities/\(try a.requireID())#people", notice: "saved")
    }

    package func addFollowUp(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let service = req.activities()
        let a = try await service.find(plan, req.parameters.get("activity", as: UUID.self))
        _ = try service.requireRecorder()
        let input = try req.content.decode(FollowUpInput.self)
        do {
            let dto = try await service.dto(a)
            var form = Form(dto); form.followUpText = [input.text ?? ""]; form.followUpDue = [input.dueOn ?? ""]
            _ = try await service.save(plan, try form.input(people: dto.people.map(\.id)), into: a)
        } catch let error as HamletError where error.status == .unprocessableEntity {
            return try await renderShow(req, plan, a, form: nil, error: error)
        }
        return req.redirect(to: "/plans/\(try plan.requireID())/activities/\(try a.requireID())#follow-ups", notice: "saved")
    }

    package func close(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let service = req.activities()
        let a = try await service.find(plan, req.parameters.get("activity", as: UUID.self))
        do {
            _ = try await service.close(a, followUp: req.parameters.get("followUp", as: UUID.self), try req.content.decode(ActivityService.CloseInput.self))
        } catch let error as HamletError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderShow(req, plan, a, form: nil, error: error)
        }
        return req.redirect(to: "/plans/\(try plan.requireID())/activities/\(try a.requireID())#follow-ups", notice: "saved")
    }
}
