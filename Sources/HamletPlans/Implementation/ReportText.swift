import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletAccounts

/// The province's own wording of its report on a plan for a period: each section as the lead
/// department edited it from the accepted reports, and its general assessment. Absent, the DOCX
/// gathers the bodies' texts as they sent them.
package final class PlanReportText: Model, @unchecked Sendable {
    package static let schema = "plan_report_texts"
    @ID(key: .id) package var id: UUID?
    @Field(key: "plan_id") package var planID: UUID
    @Field(key: "period") package var period: String
    @Field(key: "results") package var results: String
    @Field(key: "limits") package var limits: String
    @Field(key: "lessons") package var lessons: String
    @Field(key: "next_tasks") package var nextTasks: String
    @Field(key: "proposals") package var proposals: String
    @Field(key: "assessment") package var assessment: String
    @Field(key: "version") package var version: Int
    @Field(key: "edited_by") package var editedBy: String
    @Field(key: "edited_on") package var editedOn: String
    package init() {}

    package func text(_ key: String) -> String {
        switch key {
        case "results": results
        case "limits": limits
        case "lessons": lessons
        case "nextTasks": nextTasks
        default: proposals
        }
    }
}

package struct CreatePlanReportTexts: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(PlanReportText.schema).id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .field("period", .string, .required)
            .field("results", .string, .required).field("limits", .string, .required).field("lessons", .string, .required)
            .field("next_tasks", .string, .required).field("proposals", .string, .required).field("assessment", .string, .required)
            .field("version", .int, .required).field("edited_by", .string, .required).field("edited_on", .string, .required)
            .unique(on: "plan_id", "period").create()
    }
    package func revert(on database: any Database) async throws { try await database.schema(PlanReportText.schema).delete() }
}

package struct ReportTextInput: Content {
    package var results: String?
    package var limits: String?
    package var lessons: String?
    package var nextTasks: String?
    package var proposals: String?
    package var assessment: String?
    /// The version read; a save over a newer one is refused.
    package var version: Int?

    package init(results: String? = nil, limits: String? = nil, lessons: String? = nil, nextTasks: String? = nil,
                 proposals: String? = nil, assessment: String? = nil, version: Int? = nil) {
        (self.results, self.limits, self.lessons, self.nextTasks) = (results, limits, lessons, nextTasks)
        (self.proposals, self.assessment, self.version) = (proposals, assessment, version)
    }
}

package struct ReportTextDTO: Content {
    package struct Section: Content {
        package var key: String
        package var title: String
        package var text: String
        package init(key: String, title: String, text: String) {
            (self.key, self.title, self.text) = (key, title, text)
        }
    }
    package var planId: UUID
    package var period: String
    package var year: Int
    package var kind: String
    package var sections: [Section]
    package var assessment: String
    /// 0 while nothing was edited: the texts are those gathered from the accepted reports.
    package var version: Int
    package var edited: Bool
    package var editedBy: String?
    package var editedOn: String?
    package var mayEdit: Bool

    package init(planId: UUID, period: String, year: Int, kind: String, sections: [Section], assessment: String, version: Int,
                 edited: Bool, editedBy: String? = nil, editedOn: String? = nil, mayEdit: Bool) {
        (self.planId, self.period, self.year, self.kind) = (planId, period, year, kind)
        (self.sections, self.assessment, self.version, self.edited) = (sections, assessment, version, edited)
        (self.editedBy, self.editedOn, self.mayEdit) = (editedBy, editedOn, mayEdit)
    }
}

/// Reading and saving the province's wording.
package struct ReportTextService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?
    package let today: DayDate

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil, today: DayDate) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
        self.today = today
    }

    /// The report a request names: its year (default this year, within the plan) and kind.
    package static func period(_ req: Request, _ plan: Plan) throws -> (Int, PlanReport.Kind, String) {
        let year = (req.query["year"] as String?).flatMap { Int($0) } ?? min(req.today.year, plan.toYear)
        guard (plan.fromYear...plan.toYear).contains(year) else {
            throw HamletError.invalid("year", "Năm báo cáo phải trong thời gian của kế hoạch (\(plan.fromYear)–\(plan.toYear)).")
        }
        guard let kind = PlanReport.Kind(rawValue: req.query["kind"] ?? "annual") else { throw HamletError.invalid("kind", "Loại báo cáo: annual, interim hoặc final.") }
        return (year, kind, SubmissionDigest.periodID(kind: kind, year: kind == .final ? plan.toYear : year))
    }

    /// The receiving side writes it: an officer who may change the plan.
    package func mayEdit(_ plan: Plan) -> Bool {
        guard let user = actor else { return false }
        return (user.role.canEditCatalogues || user.role.canEditWorkforce) && scope.contains(path: plan.scopePath)
    }

    package func stored(_ plan: Plan, _ period: String) async throws -> PlanReportText? {
        try await PlanReportText.query(on: db).filter(\.$planID == (try plan.requireID())).filter(\.$period == period).first()
    }

    package func dto(_ plan: Plan, year: Int, kind: PlanReport.Kind, period: String) async throws -> ReportTextDTO {
        let saved = try await stored(plan, period)
        let digest = try await SubmissionDigest.make(plan, period: period, day: today, db: db, scope: scope)
        let sections = SubmissionDigest.sectionTitles.map { key, title in
            ReportTextDTO.Section(key: key, title: title, text: saved?.text(key) ?? Self.gathered(digest, title))
        }
        return ReportTextDTO(planId: try plan.requireID(), period: period, year: year, kind: kind.rawValue, sections: sections,
                             assessment: saved?.assessment ?? "", version: saved?.version ?? 0, edited: saved != nil,
                             editedBy: saved?.editedBy, editedOn: saved?.editedOn, mayEdit: mayEdit(plan))
    }

    /// A section as gathered: each body's text after its name, a blank line between bodies.
    package static func gathered(_ digest: SubmissionDigest?, _ title: String) -> String {
        (digest?.sections.first { $0.0 == title }?.1 ?? []).map { "\($0.0): \($0.1)" }.joined(separator: "\n\n")
    }

    package func save(_ plan: Plan, period: String, _ input: ReportTextInput) async throws -> PlanReportText {
        guard let user = actor, mayEdit(plan) else { throw HamletError.forbidden }
        let texts = [input.results, input.limits, input.lessons, input.nextTasks, input.proposals, input.assessment].map { ($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        for (i, t) in texts.enumerated() where t.count > 20_000 {
            throw HamletError.invalid(["results", "limits", "lessons", "nextTasks", "proposals", "assessment"][i], "Phần này dài quá 20.000 ký tự.")
        }
        let existing = try await stored(plan, period)
        guard (input.version ?? 0) == (existing?.version ?? 0) else {
            throw HamletError.conflict("Báo cáo đã được \(existing?.editedBy ?? "người khác") sửa sau khi bạn mở; hãy tải lại để xem bản mới.", field: "version")
        }
        let r = existing ?? PlanReportText()
        var changes = AuditChanges()
        let keys = ["results", "limits", "lessons", "nextTasks", "proposals"]
        for (i, key) in keys.enumerated() { changes.add(key, existing?.text(key), texts[i]) }
        changes.add("assessment", existing?.assessment, texts[5])
        r.planID = try plan.requireID(); r.period = period
        (r.results, r.limits, r.lessons, r.nextTasks, r.proposals, r.assessment) = (texts[0], texts[1], texts[2], texts[3], texts[4], texts[5])
        r.version = (existing?.version ?? 0) + 1; r.editedBy = user.username; r.editedOn = today.iso
        let audited = changes
        try await db.writeTransaction { tx in
            try await r.save(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: existing == nil ? "create" : "update", entity: "plan-report-text",
                                   entityID: r.id?.uuidString, scopePath: plan.scopePath, changes: audited)
        }
        return r
    }

    /// Back to the texts as gathered from the accepted reports.
    package func reset(_ plan: Plan, period: String) async throws {
        guard mayEdit(plan) else { throw HamletError.forbidden }
        guard let r = try await stored(plan, period) else { return }
        try await db.writeTransaction { tx in
            try await r.delete(on: tx)
            var changes = AuditChanges()
            changes.add("period", period, nil)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "delete", entity: "plan-report-text", entityID: r.id?.uuidString, scopePath: plan.scopePath, changes: changes)
        }
    }
}
