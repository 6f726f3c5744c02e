import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit
import HamletAccounts
import HamletOrganisations

/// Case pages and case data are never kept by a browser or proxy cache.
package struct NoStore: AsyncMiddleware {
    package init() {}
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

extension Request {
    package func cases() throws -> CaseService { CaseService(db: db, user: try requireUser(), ip: clientIP) }
    package func servedPeople() throws -> ServedPeopleService { ServedPeopleService(db: db, user: try requireUser(), ip: clientIP) }
    package func caseAccess() throws -> CaseAccess { CaseAccess(db: db, user: try requireUser()) }
}

/// A case in a list: what its circle needs to pick it.
package struct CaseSummary: Content {
    package var id: UUID?
    package var number: String
    package var person: String
    package var stage: String
    package var stageLabel: String
    package var facility: String
    package var openedOn: String
    package var risk: String?
    package var nextFollowUp: String?
    package var overdue: Int
    package var access: String

    package init(id: UUID? = nil, number: String, person: String, stage: String, stageLabel: String, facility: String,
                 openedOn: String, risk: String? = nil, nextFollowUp: String? = nil, overdue: Int, access: String) {
        (self.id, self.number, self.person, self.stage) = (id, number, person, stage)
        (self.stageLabel, self.facility, self.openedOn, self.risk) = (stageLabel, facility, openedOn, risk)
        (self.nextFollowUp, self.overdue, self.access) = (nextFollowUp, overdue, access)
    }
}

/// /api/v1: cases, people served, referrals and consents, with the access rules of `CaseAccess`.
/// No personal data in URLs: searches and duplicate checks are POSTed.
package struct CaseAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped(NoStore())
        r.get("cases", use: list)
        r.post("cases", use: open)
        r.get("cases", ":id", use: show)
        r.get("cases", ":id", "export", use: export)
        r.post("cases", ":id", "steps", use: step)
        r.post("cases", ":id", "assessments", use: assess)
        for kind in ["goals", "services", "followups", "notes"] {
            r.post("cases", ":id", PathComponent(stringLiteral: kind)) { req in try await add(req, String(kind.dropLast())) }
        }
        r.post("cases", ":id", "goals", ":entry", "done", use: finish)
        r.post("cases", ":id", "followups", ":entry", "done", use: finish)
        r.post("cases", ":id", "referrals", use: refer)
        r.post("cases", ":id", "transfer", use: transfer)
        r.post("break-glass", use: breakGlass)
        r.get("referrals", use: incoming)
        r.post("referrals", ":id", "answer", use: answer)
        r.post("served-people", use: register)
        r.post("served-people", "check", use: check)
        r.get("served-people", ":id", use: person)
        r.patch("served-people", ":id", use: correct)
        r.get("served-people", ":id", "export", use: subjectExport)
        r.post("served-people", ":id", "consents", use: consent)
        r.post("served-people", ":id", "consents", ":consent", "withdraw", use: withdraw)
    }

    package static func summaries(_ req: Request) async throws -> [CaseSummary] {
        try await req.caseAccess().summaries(today: DayDate.today().iso)
    }

    package func list(req: Request) async throws -> ListBody<CaseSummary> {
        let items = try await Self.summaries(req)
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    func open(req: Request) async throws -> Response {
        let c = try await req.cases().open(try req.content.decode(CaseInput.self))
        return try Response.created(try await req.readCase(c.id).1)
    }

    package func show(req: Request) async throws -> CaseDetail { try await req.readCase(req.parameters.get("id", as: UUID.self)).1 }

    /// The whole case as a JSON file, audited as an export.
    package func export(req: Request) async throws -> Response {
        let (c, detail) = try await req.readCase(req.parameters.get("id", as: UUID.self), action: "export")
        let response = Response(status: .ok)
        try response.content.encode(detail, as: .json)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"ho-so-\(c.number).json\"")
        return response
    }

    /// The case a write is about: in the circle (break-glass reads, never writes).
    package static func writable(_ req: Request) async throws -> CaseFile {
        try await req.caseAccess().open(req.parameters.get("id", as: UUID.self), allowBreakGlass: false).0
    }

    package func step(req: Request) async throws -> CaseDetail {
        let c = try await Self.writable(req)
        try await req.cases().step(c, try req.content.decode(StepInput.self))
        return try await CaseDetail.build(c, level: .circle, on: req.db)
    }

    package func assess(req: Request) async throws -> CaseDetail {
        let c = try await Self.writable(req)
        try await req.cases().assess(c, try req.content.decode(AssessmentInput.self))
        return try await CaseDetail.build(c, level: .circle, on: req.db)
    }

    package func add(_ req: Request, _ kind: String) async throws -> Response {
        let c = try await Self.writable(req)
        _ = try await req.cases().add(c, kind, try req.content.decode(EntryInput.self))
        return try Response.created(try await CaseDetail.build(c, level: .circle, on: req.db))
    }

    package func finish(req: Request) async throws -> CaseDetail {
        let c = try await Self.writable(req)
        let service = try req.cases()
        try await service.finish(c, try await service.entry(req.parameters.get("entry", as: UUID.self), of: c), try req.content.decode(EntryInput.self))
        return try await CaseDetail.build(c, level: .circle, on: req.db)
    }

    package func refer(req: Request) async throws -> Response {
        let c = try await Self.writable(req)
        _ = try await req.cases().refer(c, try req.content.decode(ReferralInput.self))
        return try Response.created(try await CaseDetail.build(c, level: .circle, on: req.db))
    }

    package func transfer(req: Request) async throws -> Response {
        let c = try await Self.writable(req)
        try await req.cases().transfer(c, try req.content.decode(TransferInput.self))
        // After a transfer the one who made it may no longer be in the circle.
        guard let level = try? await req.caseAccess().level(c), level == .circle else { return Response(status: .noContent) }
        let response = Response(status: .ok)
        try response.content.encode(try await CaseDetail.build(c, level: level, on: req.db))
        return response
    }

    package struct GlassRequest: Content {
        package var number: String?
        package var reason: String?
        package var hours: Int?
        package init(number: String? = nil, reason: String? = nil, hours: Int? = nil) {
            (self.number, self.reason, self.hours) = (number, reason, hours)
        }
    }
    package struct GlassAnswer: Content {
        package var caseId: UUID
        package var expiresAt: Date
        package init(caseId: UUID, expiresAt: Date) {
            self.caseId = caseId
            self.expiresAt = expiresAt
        }
    }

    /// By case number (the manager learns it from the caseworker or the person): 404 unless the
    /// case exists, lies in the manager's scope and the manager is outside its circle.
    package func breakGlass(req: Request) async throws -> Response {
        let input = try req.content.decode(GlassRequest.self)
        let service = try req.cases()
        let c = try await service.file(numbered: input.number)
        let g = try await service.breakGlass(c, BreakGlassInput(reason: input.reason, hours: input.hours))
        return try Response.created(GlassAnswer(caseId: c.id!, expiresAt: g.expiresAt))
    }

    package struct IncomingReferral: Content {
        package var id: UUID?
        package var caseId: UUID
        package var number: String
        package var status: String
        package var reason: String
        package var sentOn: String
        package var to: String
        package init(id: UUID? = nil, caseId: UUID, number: String, status: String, reason: String, sentOn: String, to: String) {
            (self.id, self.caseId, self.number, self.status) = (id, caseId, number, status)
            (self.reason, self.sentOn, self.to) = (reason, sentOn, to)
        }
    }

    /// Referrals sent to the facilities the user manages or supervises, or assigned to the user.
    package func incoming(req: Request) async throws -> [IncomingReferral] { try await Self.incoming(req) }

    package static func incoming(_ req: Request) async throws -> [IncomingReferral] { try await req.caseAccess().incoming() }

    /// The receiving side answers; the sending circle may mark an accepted referral completed.
    package func answer(req: Request) async throws -> CaseDetail {
        let r = try await req.cases().referral(req.parameters.get("id", as: UUID.self))
        let (c, level) = try await req.caseAccess().open(r.caseID, allowBreakGlass: false)
        _ = level
        try await req.cases().answer(r, c, try req.content.decode(ReferralAnswer.self))
        return try await CaseDetail.build(c, level: .circle, on: req.db)
    }

    package struct DuplicateAnswer: Content {
        package var error: ErrorBody.Detail
        package var candidates: [DuplicateCandidate]
        package init(error: ErrorBody.Detail, candidates: [DuplicateCandidate]) {
            self.error = error
            self.candidates = candidates
        }
    }

    package static func duplicates(_ d: LikelyDuplicates) throws -> Response {
        let response = Response(status: .conflict)
        try response.content.encode(DuplicateAnswer(error: .init(code: "likely_duplicate", message: "Có thể người này đã có hồ sơ: xem danh sách; gửi lại với confirmNew = true nếu là người khác.", field: "fullName"),
                                                    candidates: d.candidates))
        return response
    }

    package func register(req: Request) async throws -> Response {
        do {
            let p = try await req.servedPeople().register(try req.content.decode(ServedPersonInput.self))
            return try Response.created(try await PersonRecord.build(p, on: req.db))
        } catch let d as LikelyDuplicates {
            return try Self.duplicates(d)
        }
    }

    /// The intake check alone, before a record is made: which facilities of the province may
    /// already know the person, and nothing else (`IntakeCheck`).
    package func check(req: Request) async throws -> [IntakeCheck.PossibleMatch] {
        try await IntakeCheck(db: req.db, user: try req.requireUser(), ip: req.clientIP, now: req.now).run(try req.content.decode(ServedPersonInput.self))
    }

    package func person(req: Request) async throws -> PersonRecord {
        let p = try await req.caseAccess().person(req.parameters.get("id", as: UUID.self))
        try await Audit.record(on: req, action: "read", entity: "served_person", entityID: p.id?.uuidString, scopePath: p.unitPath)
        return try await PersonRecord.build(p, on: req.db)
    }

    package func correct(req: Request) async throws -> PersonRecord {
        let p = try await req.caseAccess().person(req.parameters.get("id", as: UUID.self))
        var input = try req.content.decode(ServedPersonInput.self)
        input.facilityId = nil; input.confirmNew = nil
        return try await PersonRecord.build(try await req.servedPeople().correct(p, input), on: req.db)
    }

    package func subjectExport(req: Request) async throws -> Response {
        let p = try await req.caseAccess().person(req.parameters.get("id", as: UUID.self))
        let export = try await SubjectExport.build(p, on: req.db)
        try await Audit.record(on: req, action: "export", entity: "served_person", entityID: p.id?.uuidString, scopePath: p.unitPath)
        let response = Response(status: .ok)
        try response.content.encode(export, as: .json)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"du-lieu-ca-nhan.json\"")
        return response
    }

    package func consent(req: Request) async throws -> Response {
        let p = try await req.caseAccess().person(req.parameters.get("id", as: UUID.self))
        _ = try await req.servedPeople().addConsent(p, try req.content.decode(ConsentInput.self))
        return try Response.created(try await PersonRecord.build(p, on: req.db))
    }

    package func withdraw(req: Request) async throws -> PersonRecord {
        let p = try await req.caseAccess().person(req.parameters.get("id", as: UUID.self))
        let service = try req.servedPeople()
        try await service.withdraw(try await service.consent(req.parameters.get("consent", as: UUID.self), of: p), p)
        return try await PersonRecord.build(p, on: req.db)
    }
}
