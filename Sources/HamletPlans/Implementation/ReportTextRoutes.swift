import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts

extension Request {
    package func reportTexts() -> ReportTextService { ReportTextService(db: db, scope: scope, actor: currentUser, ip: clientIP, today: today) }
}

/// The province's report on a plan, assembled and edited before export:
/// `GET|PUT /api/v1/plans/:id/report-text?year=&kind=` and the page `/plans/:id/report-text`.
package struct ReportTextRoutes: RouteCollection {
    package let api: Bool

    package init(api: Bool) {
        self.api = api
    }

    package func boot(routes: any RoutesBuilder) throws {
        if api {
            routes.get("plans", ":id", "report-text", use: show)
            routes.put("plans", ":id", "report-text", use: save)
        } else {
            routes.get("plans", ":id", "report-text", use: page)
            routes.post("plans", ":id", "report-text", use: savePage)
            routes.post("plans", ":id", "report-text", "reset", use: reset)
        }
    }

    package func show(req: Request) async throws -> ReportTextDTO {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let (year, kind, period) = try ReportTextService.period(req, plan)
        return try await req.reportTexts().dto(plan, year: year, kind: kind, period: period)
    }

    package func save(req: Request) async throws -> ReportTextDTO {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let (year, kind, period) = try ReportTextService.period(req, plan)
        guard req.reportTexts().mayEdit(plan) else { throw HamletError.forbidden }
        _ = try await req.reportTexts().save(plan, period: period, try req.content.decode(ReportTextInput.self))
        return try await req.reportTexts().dto(plan, year: year, kind: kind, period: period)
    }

    package struct Page: Encodable {
        package var planId: String
        package var planNumber: String
        package var text: ReportTextDTO
        package var query: String
        package var kinds: [FormOption]
        package var lines: [Line]
        package var summary: String
        package var error: String?
        package var errorField: String?

        package init(planId: String, planNumber: String, text: ReportTextDTO, query: String, kinds: [FormOption], lines: [Line],
                     summary: String, error: String? = nil, errorField: String? = nil) {
            (self.planId, self.planNumber, self.text, self.query) = (planId, planNumber, text, query)
            (self.kinds, self.lines, self.summary, self.error) = (kinds, lines, summary, error)
            self.errorField = errorField
        }
    }
    package struct Line: Encodable {
        package var body: String
        package var sentOn: String?
        package var state: String
        package var stateLabel: String
        package init(body: String, sentOn: String? = nil, state: String, stateLabel: String) {
            (self.body, self.sentOn, self.state, self.stateLabel) = (body, sentOn, state, stateLabel)
        }
    }

    package func page(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        return try await render(req, plan, typed: nil, error: nil)
    }

    package func render(_ req: Request, _ plan: Plan, typed: ReportTextInput?, error: HamletError?) async throws -> Response {
        let (year, kind, period) = try ReportTextService.period(req, plan)
        var text = try await req.reportTexts().dto(plan, year: year, kind: kind, period: period)
        if let typed {
            let values = [typed.results, typed.limits, typed.lessons, typed.nextTasks, typed.proposals]
            for i in text.sections.indices { text.sections[i].text = values[i] ?? "" }
            text.assessment = typed.assessment ?? ""
            text.version = typed.version ?? text.version
        }
        text.sections = text.sections.map { var s = $0; s.title = English.say(s.title); return s }
        let digest = try await SubmissionDigest.make(plan, period: period, day: req.today, db: req.db, scope: req.scope)
        let kinds: [(String, String)] = [("annual", "Báo cáo năm"), ("interim", "Báo cáo sơ kết"), ("final", "Báo cáo tổng kết")]
        return try await req.renderPage("implementation/report-text", title: English.say("Báo cáo của tỉnh") + " — " + plan.number, status: error?.status ?? .ok, nav: "plans", body: Page(
            planId: try plan.requireID().uuidString, planNumber: plan.number, text: text, query: "year=\(year)&kind=\(kind.rawValue)",
            kinds: kinds.map { FormOption(value: $0.0, label: English.say($0.1), selected: $0.0 == kind.rawValue) },
            lines: (digest?.lines ?? []).map { Line(body: $0.body, sentOn: $0.sentOn, state: $0.state.rawValue, stateLabel: English.say($0.state.label)) },
            summary: digest.map { English.say($0.summary) } ?? "", error: error?.message, errorField: error?.field))
    }

    package func savePage(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let (year, kind, period) = try ReportTextService.period(req, plan)
        let input = try req.content.decode(ReportTextInput.self)
        do {
            _ = try await req.reportTexts().save(plan, period: period, input)
        } catch let error as HamletError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await render(req, plan, typed: input, error: error)
        }
        return req.redirect(to: "/plans/\(try plan.requireID())/report-text?year=\(year)&kind=\(kind.rawValue)", notice: "saved")
    }

    package func reset(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let (year, kind, period) = try ReportTextService.period(req, plan)
        try await req.reportTexts().reset(plan, period: period)
        return req.redirect(to: "/plans/\(try plan.requireID())/report-text?year=\(year)&kind=\(kind.rawValue)", notice: "saved")
    }
}
