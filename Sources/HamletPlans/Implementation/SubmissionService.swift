import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit
import HamletAccounts
import HamletOrganisations

package struct SubmissionInput: Content {
    package var results: String?
    package var limits: String?
    package var lessons: String?
    package var nextTasks: String?
    package var proposals: String?
    /// A note per figure, by the figure's code.
    package var notes: [String: String]?
    package var submit: Bool?
    /// The version last read: a save over a newer one is refused (409).
    package var version: Int?

    package init(results: String? = nil, limits: String? = nil, lessons: String? = nil, nextTasks: String? = nil,
                 proposals: String? = nil, notes: [String: String]? = nil, submit: Bool? = nil, version: Int? = nil) {
        (self.results, self.limits, self.lessons, self.nextTasks) = (results, limits, lessons, nextTasks)
        (self.proposals, self.notes, self.submit, self.version) = (proposals, notes, submit, version)
    }
}

package struct SubmissionDTO: Content {
    package var id: UUID?
    package var planId: UUID
    package var dutyId: UUID
    package var duty: String
    package var period: String
    package var periodLabel: String
    package var body: String
    package var bodyName: String
    package var recipient: String
    package var due: String
    package var status: String
    package var statusLabel: String
    package var late: Bool
    package var results: String
    package var limits: String
    package var lessons: String
    package var nextTasks: String
    package var proposals: String
    package var figures: [SubmissionFigure]
    package var figuresAsOf: String
    package var files: [AttachmentDTO]
    package var returnReason: String?
    package var firstSubmittedOn: String?
    package var submittedOn: String?
    package var decidedOn: String?
    package var decidedBy: String?
    /// The second level: whether the duty asks the People's Committee to approve, and who did.
    package var committeeApproves: Bool
    package var approvedOn: String?
    package var approvedBy: String?
    package var version: Int
    package var mayEdit: Bool
    package var mayDecide: Bool
    /// What the account may do next up the chain.
    package var mayUndoAccept: Bool
    package var mayApprove: Bool
    package var mayUndoApproval: Bool

    package init(id: UUID? = nil, planId: UUID, dutyId: UUID, duty: String, period: String, periodLabel: String, body: String,
                 bodyName: String, recipient: String, due: String, status: String, statusLabel: String, late: Bool,
                 results: String, limits: String, lessons: String, nextTasks: String, proposals: String,
                 figures: [SubmissionFigure], figuresAsOf: String, files: [AttachmentDTO], returnReason: String? = nil,
                 firstSubmittedOn: String? = nil, submittedOn: String? = nil, decidedOn: String? = nil, decidedBy: String? = nil,
                 committeeApproves: Bool, approvedOn: String? = nil, approvedBy: String? = nil, version: Int, mayEdit: Bool,
                 mayDecide: Bool, mayUndoAccept: Bool, mayApprove: Bool, mayUndoApproval: Bool) {
        (self.id, self.planId, self.dutyId, self.duty) = (id, planId, dutyId, duty)
        (self.period, self.periodLabel, self.body, self.bodyName) = (period, periodLabel, body, bodyName)
        (self.recipient, self.due, self.status, self.statusLabel) = (recipient, due, status, statusLabel)
        (self.late, self.results, self.limits, self.lessons) = (late, results, limits, lessons)
        (self.nextTasks, self.proposals, self.figures, self.figuresAsOf) = (nextTasks, proposals, figures, figuresAsOf)
        (self.files, self.returnReason, self.firstSubmittedOn, self.submittedOn) = (files, returnReason, firstSubmittedOn, submittedOn)
        (self.decidedOn, self.decidedBy, self.committeeApproves, self.approvedOn) = (decidedOn, decidedBy, committeeApproves, approvedOn)
        (self.approvedBy, self.version, self.mayEdit, self.mayDecide) = (approvedBy, version, mayEdit, mayDecide)
        (self.mayUndoAccept, self.mayApprove, self.mayUndoApproval) = (mayUndoAccept, mayApprove, mayUndoApproval)
    }
}

/// A body's report on a plan for one period: written and sent by the body, returned with a reason
/// or accepted by the agency the duty names.
package struct SubmissionService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?
    package let today: DayDate

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil, today: DayDate) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
        self.today = today
    }

    package var duties: DutyService { DutyService(db: db, scope: scope, actor: actor, ip: ip) }

    /// The body may write its own report: an officer whose subtree holds it.
    package func mayEdit(_ body: DutyBody) -> Bool {
        guard let role = actor?.role, [.admin, .provinceOfficer, .communeOfficer].contains(role) else { return false }
        return scope.contains(path: body.path)
    }

    /// The receiving side decides: an officer whose subtree holds the whole plan.
    package func mayDecide(_ plan: Plan) -> Bool {
        guard let role = actor?.role, role.canEditCatalogues else { return false }
        return scope.contains(path: plan.scopePath)
    }

    /// The duty's period and body. A period or body the duty does not name is refused by name; a
    /// body outside the account's view is not found.
    package func locate(_ plan: Plan, _ duty: PlanDuty, period: String, body key: String) async throws -> (DutyPeriod, DutyBody) {
        guard let found = duties.periods(duty, plan).first(where: { $0.id == period }) else {
            throw HamletError.invalid("period", "Kỳ «\(period)» không thuộc nhiệm vụ báo cáo này.")
        }
        guard let body = try await duties.bodies(duty, plan).first(where: { $0.key == key }) else {
            throw HamletError.invalid("body", "Đơn vị «\(key)» không có nhiệm vụ báo cáo này.")
        }
        guard scope.contains(path: body.path) || scope.contains(path: plan.scopePath) else { throw HamletError.notFound }
        return (found, body)
    }

    package func existing(_ duty: PlanDuty, _ period: DutyPeriod, _ body: DutyBody) async throws -> PlanSubmission? {
        try await PlanSubmission.query(on: db).filter(\.$dutyID == duty.requireID()).filter(\.$period == period.id).filter(\.$body == body.key).first()
    }

    /// The day figures are measured on: the period's end, or today while it runs.
    package func figuresDay(_ period: DutyPeriod) -> DayDate { min(period.end, today) }

    /// The plan's targets measured at the body's unit on that day, and what its unit did of the
    /// plan's activities in the period, with the notes kept.
    package func figures(_ plan: Plan, _ duty: PlanDuty, _ body: DutyBody, _ period: DutyPeriod, notes: [String: String]) async throws -> [SubmissionFigure] {
        let board = try await PlanDashboard(db: db, scope: scope).build(plan, date: figuresDay(period).iso, withTrend: false,
                                                                         at: body.path.hasPrefix(plan.scopePath) ? body.unitCode : nil)
        let asked = duty.askedFigures
        let targets = board.targets.filter { asked?.contains($0.indicatorCode) ?? true }.map { t in
            SubmissionFigure(code: t.indicatorCode, name: t.name, value: t.hidden == true ? SmallCounts.shown : t.text(t.current, computable: t.computable),
                             numerator: t.hidden == true ? nil : t.numerator.map { Double($0) }, denominator: t.hidden == true ? nil : t.denominator.map { Double($0) },
                             note: notes[t.indicatorCode].flatMap { $0.isEmpty ? nil : $0 })
        }
        let activities = try await ActivityFigures(db: db).forSubmission(plan: try plan.requireID(), path: body.path, start: period.start.iso, end: figuresDay(period).iso)
        return targets + activities.map { var f = $0; f.note = notes[f.code].flatMap { $0.isEmpty ? nil : $0 }; return f }
    }

    package func save(_ plan: Plan, _ duty: PlanDuty, period: String, body key: String, _ input: SubmissionInput) async throws -> PlanSubmission {
        let (period, body) = try await locate(plan, duty, period: period, body: key)
        guard mayEdit(body) else { throw HamletError.forbidden }
        let submission = try await existing(duty, period, body) ?? PlanSubmission()
        let status: SubmissionStatus = submission.id == nil ? .draft : SubmissionStatus(rawValue: submission.status) ?? .draft
        if submission.id != nil {
            guard status == .draft || status == .returned else {
                throw HamletError.conflict("Báo cáo \(status.label.lowercased()): không sửa được.")
            }
            if let version = input.version, version != submission.version {
                throw HamletError.conflict("Báo cáo vừa được người khác lưu; tải lại trang.")
            }
        }
        var texts: [String: String] = [:]
        for (field, value) in [("results", input.results), ("limits", input.limits), ("lessons", input.lessons), ("nextTasks", input.nextTasks), ("proposals", input.proposals)] {
            let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard text.count <= 20_000 else { throw HamletError.invalid(field, "Tối đa 20.000 ký tự.") }
            // A section the duty's template does not ask for is not kept.
            texts[field] = duty.askedSections.contains(field) ? text : ""
        }
        let notes = (input.notes ?? [:]).mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard notes.values.allSatisfy({ $0.count <= 1000 }) else { throw HamletError.invalid("notes", "Mỗi ghi chú số liệu tối đa 1.000 ký tự.") }
        let submit = input.submit ?? false
        if submit, texts["results"]?.isEmpty ?? true { throw HamletError.invalid("results", "Cần phần kết quả thực hiện trước khi gửi.") }
        let figures = try await self.figures(plan, duty, body, period, notes: notes)
        let before = submission.id == nil ? nil : submission.status
        submission.dutyID = try duty.requireID(); submission.planID = try plan.requireID(); submission.period = period.id
        submission.body = body.key; submission.bodyName = body.name; submission.bodyPath = body.path
        submission.results = texts["results"]!; submission.limits = texts["limits"]!; submission.lessons = texts["lessons"]!
        submission.nextTasks = texts["nextTasks"]!; submission.proposals = texts["proposals"]!
        submission.figures = String(decoding: try JSONEncoder.sorted.encode(figures), as: UTF8.self)
        submission.status = (submit ? SubmissionStatus.submitted : status == .returned ? .returned : .draft).rawValue
        if submit {
            submission.submittedOn = today.iso
            if submission.firstSubmittedOn == nil { submission.firstSubmittedOn = today.iso }
        }
        submission.version = (submission.id == nil ? 0 : submission.version) + 1
        try await submission.save(on: db)
        var changes = AuditChanges()
        changes.add("status", before, submission.status)
        try await Audit.record(on: db, actor: actor, ip: ip, action: submit ? "submit" : "update", entity: "plan_submission",
                               entityID: submission.id?.uuidString, scopePath: body.path, changes: changes)
        return submission
    }

    package func dto(_ plan: Plan, _ duty: PlanDuty, _ period: DutyPeriod, _ body: DutyBody, _ s: PlanSubmission?) async throws -> SubmissionDTO {
        let recipient = try await Organisation.find(duty.recipientID, on: db)?.name ?? ""
        let figures: [SubmissionFigure]
        if let s { figures = (try? JSONDecoder().decode([SubmissionFigure].self, from: Data(s.figures.utf8))) ?? [] }
        else { figures = try await self.figures(plan, duty, body, period, notes: [:]) }
        let status = s.flatMap { SubmissionStatus(rawValue: $0.status) }
        let late = s?.firstSubmittedOn.flatMap(DayDate.init).map { $0 > period.due } ?? false
        return SubmissionDTO(id: s?.id, planId: try plan.requireID(), dutyId: try duty.requireID(), duty: duty.title, period: period.id, periodLabel: period.label,
                             body: body.key, bodyName: body.name, recipient: recipient, due: period.due.iso,
                             status: status?.rawValue ?? "none", statusLabel: status?.label ?? "Chưa soạn", late: late,
                             results: s?.results ?? "", limits: s?.limits ?? "", lessons: s?.lessons ?? "", nextTasks: s?.nextTasks ?? "", proposals: s?.proposals ?? "",
                             figures: figures, figuresAsOf: figuresDay(period).iso, files: try await files(s),
                             returnReason: s?.returnReason, firstSubmittedOn: s?.firstSubmittedOn, submittedOn: s?.submittedOn,
                             decidedOn: s?.decidedOn, decidedBy: s?.decidedBy,
                             committeeApproves: duty.committeeApproves == true, approvedOn: s?.approvedOn, approvedBy: s?.approvedBy, version: s?.version ?? 0,
                             mayEdit: mayEdit(body) && (status == nil || status == .draft || status == .returned),
                             mayDecide: mayDecide(plan) && status == .submitted,
                             mayUndoAccept: mayDecide(plan) && status == .accepted,
                             mayApprove: duty.committeeApproves == true && mayApprove(plan) && status == .accepted,
                             mayUndoApproval: mayApprove(plan) && status == .approved)
    }
}
