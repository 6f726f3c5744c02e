import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts

extension Request {
    package func duties() -> DutyService { DutyService(db: db, scope: scope, actor: currentUser, ip: clientIP) }
    package func submissions() -> SubmissionService { SubmissionService(db: db, scope: scope, actor: currentUser, ip: clientIP, today: today) }

    /// The submission a path names: plan, duty, period, body.
    package func submissionPath() async throws -> (Plan, PlanDuty, String, String) {
        let plan = try await plans().find(parameters.get("id", as: UUID.self))
        let duty = try await duties().duty(plan, parameters.get("duty", as: UUID.self))
        return (plan, duty, parameters.get("period") ?? "", parameters.get("body") ?? "")
    }
}

package struct ReasonInput: Content {
    package var reason: String?
    package init(reason: String? = nil) {
        self.reason = reason
    }
}

/// /api/v1/plans/:id/duties, the tracker, and each body's submission.
package struct ImplementationAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", ":id", "duties", use: list)
        routes.post("plans", ":id", "duties", use: create)
        routes.delete("plans", ":id", "duties", ":duty", use: remove)
        routes.get("plans", ":id", "tracker", use: tracker)
        routes.get("plans", ":id", "hierarchy", use: hierarchy)
        routes.put("plans", ":id", "parent", use: setParent)
        routes.post("plans", ":id", "targets", "inherit", use: inherit)
        let one = routes.grouped("plans", ":id", "duties", ":duty", "submissions", ":period", ":body")
        one.get(use: show)
        one.put(use: save)
        one.post("accept", use: { try await Self.decide($0, .accept) })
        one.post("return", use: { try await Self.decide($0, .giveBack) })
        one.post("unaccept", use: { try await Self.decide($0, .undoAccept) })
        one.post("approve", use: { try await Self.decide($0, .approve) })
        one.post("unapprove", use: { try await Self.decide($0, .undoApproval) })
        one.upload("attachments", use: attach)
        one.get("attachments", ":file", use: download)
        one.delete("attachments", ":file", use: detach)
    }

    /// Checks the account may attach before the file is read, then takes it (multipart or raw, `?name=`).
    package func attach(req: Request) async throws -> Response {
        let (plan, duty, period, body) = try await req.submissionPath()
        let service = req.submissions()
        let (_, b) = try await service.locate(plan, duty, period: period, body: body)
        guard service.mayEdit(b) else { throw HamletError.forbidden }
        let file = try await Upload.handle(req) { upload in
            try await service.attach(plan, duty, period: period, body: body, data: try upload.requireFile(), filename: upload.filename ?? req.query["name"])
        }
        return try Response.created(file.dto)
    }

    package func download(req: Request) async throws -> Response {
        let (plan, duty, period, body) = try await req.submissionPath()
        let (file, _, _) = try await req.submissions().file(plan, duty, period: period, body: body, id: req.parameters.get("file", as: UUID.self))
        return Attachment.download(file.content, filename: file.filename, contentType: file.contentType)
    }

    package func detach(req: Request) async throws -> HTTPStatus {
        let (plan, duty, period, body) = try await req.submissionPath()
        try await req.submissions().detach(plan, duty, period: period, body: body, id: req.parameters.get("file", as: UUID.self))
        return .noContent
    }

    package func list(req: Request) async throws -> [DutyDTO] {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        var out: [DutyDTO] = []
        for duty in try await req.duties().duties(plan) { out.append(try await req.duties().dto(duty)) }
        return out
    }

    package func create(req: Request) async throws -> Response {
        let plan = try await req.plans().editable(req.parameters.get("id", as: UUID.self))
        let duty = try await req.duties().add(plan, try req.content.decode(DutyInput.self))
        return try Response.created(try await req.duties().dto(duty))
    }

    package func remove(req: Request) async throws -> HTTPStatus {
        let plan = try await req.plans().editable(req.parameters.get("id", as: UUID.self))
        try await req.duties().remove(plan, try await req.duties().duty(plan, req.parameters.get("duty", as: UUID.self)))
        return .noContent
    }

    /// `?date=` (default today) and `?period=`: every expected report of the periods begun by then.
    package func tracker(req: Request) async throws -> TrackerDTO {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        return try await DutyTracker(db: req.db, scope: req.scope).dto(plan, asOf: try Self.day(req), period: req.query["period"])
    }

    package func hierarchy(req: Request) async throws -> HierarchyDTO {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        return try await PlanHierarchy(db: req.db, plans: req.plans(), today: req.today).dto(plan)
    }

    package func setParent(req: Request) async throws -> HierarchyDTO {
        let plan = try await req.plans().editable(req.parameters.get("id", as: UUID.self))
        let hierarchy = PlanHierarchy(db: req.db, plans: req.plans(), today: req.today)
        try await hierarchy.setParent(plan, try req.content.decode(ParentInput.self).parentId)
        return try await hierarchy.dto(plan)
    }

    package struct Inherited: Content {
        package var added: Int
        package init(added: Int) {
            self.added = added
        }
    }

    package func inherit(req: Request) async throws -> Inherited {
        let plan = try await req.plans().editable(req.parameters.get("id", as: UUID.self))
        return Inherited(added: try await PlanHierarchy(db: req.db, plans: req.plans(), today: req.today).inherit(into: plan))
    }

    package static func day(_ req: Request) throws -> DayDate {
        guard let raw: String = req.query["date"], !raw.isEmpty else { return req.today }
        guard let day = DayDate(raw) else { throw HamletError.invalid("date", "Ngày không hợp lệ (dd/MM/yyyy).") }
        return day
    }

    package func show(req: Request) async throws -> SubmissionDTO {
        let (plan, duty, period, body) = try await req.submissionPath()
        let service = req.submissions()
        let (p, b) = try await service.locate(plan, duty, period: period, body: body)
        return try await service.dto(plan, duty, p, b, try await service.existing(duty, p, b))
    }

    package func save(req: Request) async throws -> SubmissionDTO {
        let (plan, duty, period, body) = try await req.submissionPath()
        let service = req.submissions()
        let saved = try await service.save(plan, duty, period: period, body: body, try req.content.decode(SubmissionInput.self))
        let (p, b) = try await service.locate(plan, duty, period: period, body: body)
        return try await service.dto(plan, duty, p, b, saved)
    }

    package static func decide(_ req: Request, _ decision: SubmissionService.Decision) async throws -> SubmissionDTO {
        let (plan, duty, period, body) = try await req.submissionPath()
        let service = req.submissions()
        let reason = (try? req.content.decode(ReasonInput.self))?.reason
        let saved = try await service.decide(plan, duty, period: period, body: body, decision, reason: reason)
        let (p, b) = try await service.locate(plan, duty, period: period, body: body)
        return try await service.dto(plan, duty, p, b, saved)
    }
}
