import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletOrganisations

/// /plans/:id/duties: the plan's reporting duties, the tracker, and each body's report.
package struct ImplementationPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", ":id", "duties", use: duties)
        routes.post("plans", ":id", "duties", use: addDuty)
        routes.post("plans", ":id", "duties", ":duty", "delete", use: removeDuty)
        routes.get("plans", ":id", "duties", ":duty", ":period", ":body", use: submission)
        routes.post("plans", ":id", "duties", ":duty", ":period", ":body", use: saveSubmission)
        routes.post("plans", ":id", "duties", ":duty", ":period", ":body", "decide", use: decide)
        let one = routes.grouped("plans", ":id", "duties", ":duty", ":period", ":body")
        one.upload("attachments", use: attach)
        one.get("attachments", ":file", use: download)
        one.post("attachments", ":file", "delete", use: detach)
        routes.post("plans", ":id", "parent", use: setParent)
        routes.post("plans", ":id", "inherit", use: inherit)
    }

    package func attach(req: Request) async throws -> Response {
        let (plan, duty, period, body) = try await req.submissionPath()
        let service = req.submissions()
        let (_, b) = try await service.locate(plan, duty, period: period, body: body)
        guard service.mayEdit(b) else { throw HamletError.forbidden }
        do {
            _ = try await Upload.handle(req) { upload in
                try await service.attach(plan, duty, period: period, body: body, data: try upload.requireFile(), filename: upload.filename)
            }
        } catch let error as HamletError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderSubmission(req, typed: nil, error: error)
        }
        return req.redirect(to: "/plans/\(try plan.requireID())/duties/\(try duty.requireID())/\(period)/\(body)#files", notice: "saved")
    }

    package func download(req: Request) async throws -> Response {
        let (plan, duty, period, body) = try await req.submissionPath()
        let file = try await req.submissions().file(plan, duty, period: period, body: body, id: req.parameters.get("file", as: UUID.self)).0
        return Attachment.download(file.content, filename: file.filename, contentType: file.contentType)
    }

    package func detach(req: Request) async throws -> Response {
        let (plan, duty, period, body) = try await req.submissionPath()
        try await req.submissions().detach(plan, duty, period: period, body: body, id: req.parameters.get("file", as: UUID.self))
        return req.redirect(to: "/plans/\(try plan.requireID())/duties/\(try duty.requireID())/\(period)/\(body)#files", notice: "saved")
    }

    package struct ParentForm: Content {
        package var parentId: String?
        package init(parentId: String? = nil) {
            self.parentId = parentId
        }
    }

    package func setParent(req: Request) async throws -> Response {
        let form = try req.content.decode(ParentForm.self)
        return try await PlanForms().change(req) { service, plan in
            try await PlanHierarchy(db: req.db, plans: service, today: req.today).setParent(plan, form.parentId.flatMap { UUID(uuidString: $0) })
        }
    }

    package func inherit(req: Request) async throws -> Response {
        try await PlanForms().change(req) { service, plan in _ = try await PlanHierarchy(db: req.db, plans: service, today: req.today).inherit(into: plan) }
    }

    package struct Count: Encodable {
        package var label: String
        package var count: Int
        package init(label: String, count: Int) {
            self.label = label
            self.count = count
        }
    }
    package struct DutyValues: Codable {
        package var title: String?
        package var due: String?
        package init(title: String? = nil, due: String? = nil) {
            self.title = title
            self.due = due
        }
    }
    package struct DutiesPage: Encodable {
        package var planId: String
        package var planNumber: String
        package var duties: [DutyDTO]
        package var mayEdit: Bool
        package var reporters: [FormOption]
        package var frequencies: [FormOption]
        package var organisations: [FormOption]
        package var agencies: [FormOption]
        package var facilityTypes: [FormOption]
        package var sectionOptions: [FormOption]
        package var figureOptions: [FormOption]
        package var values: DutyValues
        package var error: String?
        package var errorField: String?
        package var date: String
        package var periods: [FormOption]
        package var states: [FormOption]
        package var counts: [Count]
        package var rows: [TrackerRow]

        package init(planId: String, planNumber: String, duties: [DutyDTO], mayEdit: Bool, reporters: [FormOption],
                     frequencies: [FormOption], organisations: [FormOption], agencies: [FormOption], facilityTypes: [FormOption],
                     sectionOptions: [FormOption], figureOptions: [FormOption], values: DutyValues, error: String? = nil,
                     errorField: String? = nil, date: String, periods: [FormOption], states: [FormOption], counts: [Count],
                     rows: [TrackerRow]) {
            (self.planId, self.planNumber, self.duties, self.mayEdit) = (planId, planNumber, duties, mayEdit)
            (self.reporters, self.frequencies, self.organisations, self.agencies) = (reporters, frequencies, organisations, agencies)
            (self.facilityTypes, self.sectionOptions, self.figureOptions, self.values) = (facilityTypes, sectionOptions, figureOptions, values)
            (self.error, self.errorField, self.date, self.periods) = (error, errorField, date, periods)
            (self.states, self.counts, self.rows) = (states, counts, rows)
        }
    }

    package func duties(req: Request) async throws -> Response {
        try await renderDuties(req, try await req.plans().find(req.parameters.get("id", as: UUID.self)), values: DutyValues(), error: nil)
    }

    package func renderDuties(_ req: Request, _ plan: Plan, values: DutyValues, error: HamletError?) async throws -> Response {
        let service = req.duties()
        var list: [DutyDTO] = []
        for duty in try await service.duties(plan) { list.append(try await service.dto(duty)) }
        let mayEdit = (try? await req.plans().editable(plan.id)) != nil
        var organisations: [Organisation] = []
        var types: [OrganisationType] = []
        if mayEdit {
            organisations = try await OrganisationChoices(db: req.db).list(under: plan.scopePath, limit: 500)
            types = try await OrganisationTypeService(db: req.db).all(.facility)
        }
        var figureOptions: [FormOption] = []
        if mayEdit {
            figureOptions = try await req.plans().indicators(measuring: plan)
                .map { FormOption(value: $0.code, label: $0.code + " — " + $0.name, selected: false) }
        }
        let day = try ImplementationAPI.day(req)
        let state = req.query["state"].flatMap(TrackState.init(rawValue:))
        let all = try await DutyTracker(db: req.db, scope: req.scope).rows(plan, asOf: day)
        // One period at a time (a province's communes over ten years are thousands of rows): the one
        // asked, else the first duty's latest period due by a month from now.
        var dueOf: [String: (label: String, due: String)] = [:]
        for r in all where dueOf[r.period] == nil { dueOf[r.period] = (r.periodLabel, r.due) }
        let periods = dueOf.keys.sorted { dueOf[$0]!.due > dueOf[$1]!.due }
        let soon = day.adding(days: 30).iso
        let chosen = req.query["period"].flatMap { p in periods.contains(p) ? p : nil } ?? all.first { $0.due <= soon }?.period ?? periods.first
        let rows = all.filter { $0.period == chosen }
        return try await req.renderPage("implementation/duties", title: English.say("Nhiệm vụ báo cáo") + " — " + plan.number, status: error?.status ?? .ok,
                                        nav: "plans", body: DutiesPage(
            planId: try plan.requireID().uuidString, planNumber: plan.number, duties: list, mayEdit: mayEdit,
            reporters: FormOption.list(DutyReporters.self, selected: "communes"),
            frequencies: DutyFrequency.allCases.map { FormOption(value: $0.rawValue, label: English.say($0.label), selected: $0 == .yearly) },
            organisations: organisations.map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: false) },
            agencies: organisations.filter { $0.kind == .agency }.map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: false) },
            facilityTypes: types.map { FormOption(value: $0.code, label: $0.name, selected: false) },
            sectionOptions: SubmissionDigest.sectionTitles.map { FormOption(value: $0.0, label: English.say($0.1), selected: true) }, figureOptions: figureOptions,
            values: values, error: error?.message, errorField: error?.field,
            date: day.vietnamese, periods: periods.map { FormOption(value: $0, label: English.say(dueOf[$0]!.label), selected: $0 == chosen) },
            states: FormOption.list(TrackState.self, selected: state?.rawValue),
            counts: TrackState.allCases.map { s in Count(label: English.say(s.label), count: rows.filter { $0.state == s.rawValue }.count) },
            rows: rows.filter { state == nil || $0.state == state?.rawValue }.map { var r = $0; r.periodLabel = English.say(r.periodLabel); return r }))
    }

    package func addDuty(req: Request) async throws -> Response {
        let plan = try await req.plans().editable(req.parameters.get("id", as: UUID.self))
        let input = try req.content.decode(DutyInput.self)
        do {
            _ = try await req.duties().add(plan, input)
            return req.redirect(to: "/plans/\(try plan.requireID())/duties#duties", notice: "saved")
        } catch let error as HamletError where error.status == .unprocessableEntity {
            return try await renderDuties(req, plan, values: DutyValues(title: input.title, due: input.due), error: error)
        }
    }

    package func removeDuty(req: Request) async throws -> Response {
        let plan = try await req.plans().editable(req.parameters.get("id", as: UUID.self))
        try await req.duties().remove(plan, try await req.duties().duty(plan, req.parameters.get("duty", as: UUID.self)))
        return req.redirect(to: "/plans/\(try plan.requireID())/duties#duties", notice: "saved")
    }

    package struct Section: Encodable {
        package var name: String
        package var label: String
        package var value: String
        package init(name: String, label: String, value: String) {
            (self.name, self.label, self.value) = (name, label, value)
        }
    }
    package struct SubmissionPage: Encodable {
        package var s: SubmissionDTO
        package var planNumber: String
        package var action: String
        package var sections: [Section]
        package var error: String?
        package var errorField: String?

        package init(s: SubmissionDTO, planNumber: String, action: String, sections: [Section], error: String? = nil,
                     errorField: String? = nil) {
            (self.s, self.planNumber, self.action, self.sections) = (s, planNumber, action, sections)
            (self.error, self.errorField) = (error, errorField)
        }
    }

    package func submission(req: Request) async throws -> Response {
        try await renderSubmission(req, typed: nil, error: nil)
    }

    package func renderSubmission(_ req: Request, typed: SubmissionInput?, error: HamletError?) async throws -> Response {
        let (plan, duty, period, body) = try await req.submissionPath()
        let service = req.submissions()
        let (p, b) = try await service.locate(plan, duty, period: period, body: body)
        var dto = try await service.dto(plan, duty, p, b, try await service.existing(duty, p, b))
        if let typed {
            dto.figures = dto.figures.map { var f = $0; f.note = typed.notes?[f.code] ?? f.note; return f }
        }
        let sections = [("results", "Kết quả thực hiện", typed?.results ?? dto.results), ("limits", "Tồn tại, hạn chế và nguyên nhân", typed?.limits ?? dto.limits),
                        ("lessons", "Bài học kinh nghiệm", typed?.lessons ?? dto.lessons), ("nextTasks", "Nhiệm vụ, giải pháp kỳ tới", typed?.nextTasks ?? dto.nextTasks),
                        ("proposals", "Đề xuất, kiến nghị", typed?.proposals ?? dto.proposals)].filter { duty.askedSections.contains($0.0) }.map { Section(name: $0.0, label: $0.1, value: $0.2) }
        dto.periodLabel = English.say(dto.periodLabel)
        return try await req.renderPage("implementation/submission", title: duty.title + " — " + b.name, status: error?.status ?? .ok, nav: "plans",
                                        body: SubmissionPage(s: dto, planNumber: plan.number, action: "/plans/\(try plan.requireID())/duties/\(try duty.requireID())/\(p.id)/\(b.key)",
                                                             sections: sections, error: error?.message, errorField: error?.field))
    }

    package struct SubmissionForm: Content {
        package var results: String?
        package var limits: String?
        package var lessons: String?
        package var nextTasks: String?
        package var proposals: String?
        package var notes: [String: String]?
        package var version: Int?
        package var action: String?

        package init(results: String? = nil, limits: String? = nil, lessons: String? = nil, nextTasks: String? = nil,
                     proposals: String? = nil, notes: [String: String]? = nil, version: Int? = nil, action: String? = nil) {
            (self.results, self.limits, self.lessons, self.nextTasks) = (results, limits, lessons, nextTasks)
            (self.proposals, self.notes, self.version, self.action) = (proposals, notes, version, action)
        }
    }

    package func saveSubmission(req: Request) async throws -> Response {
        let form = try req.content.decode(SubmissionForm.self)
        let input = SubmissionInput(results: form.results, limits: form.limits, lessons: form.lessons, nextTasks: form.nextTasks, proposals: form.proposals,
                                    notes: form.notes, submit: form.action == "submit", version: form.version)
        let (plan, duty, period, body) = try await req.submissionPath()
        do {
            _ = try await req.submissions().save(plan, duty, period: period, body: body, input)
            return req.redirect(to: req.url.path, notice: "saved")
        } catch let error as HamletError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderSubmission(req, typed: input, error: error)
        }
    }

    package struct DecideForm: Content {
        package var action: String?
        package var reason: String?
        package init(action: String? = nil, reason: String? = nil) {
            self.action = action
            self.reason = reason
        }
    }

    package func decide(req: Request) async throws -> Response {
        let form = try req.content.decode(DecideForm.self)
        let (plan, duty, period, body) = try await req.submissionPath()
        let back = "/plans/\(try plan.requireID())/duties/\(try duty.requireID())/\(period)/\(body)"
        do {
            let service = req.submissions()
            guard service.mayDecide(plan) || service.mayApprove(plan) else { throw HamletError.forbidden }
            guard let decision = form.action.flatMap(SubmissionService.Decision.init(rawValue:)) else { throw HamletError.invalid("action", "Chọn việc cần làm.") }
            _ = try await service.decide(plan, duty, period: period, body: body, decision, reason: form.reason)
            return req.redirect(to: back, notice: "saved")
        } catch let error as HamletError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderSubmission(req, typed: nil, error: error)
        }
    }
}
