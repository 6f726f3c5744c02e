import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations
import HamletTraining

package struct PlanInput: Content {
    package var number: String?
    package var kind: String?
    package var issuer: String?
    package var signer: String?
    package var issuedOn: String?
    package var title: String?
    package var fromYear: Int?
    package var toYear: Int?
    package var scopeCode: String?
    package var legalBases: String?
    /// `PlanStatus`: period (default), draft, or active / ended against the period with a reason and the day it holds from.
    package var status: String?
    package var statusReason: String?
    package var statusSince: String?
    package var reportWhat: String?
    package var reportBy: String?
    package var reportTo: String?
    package var reportDue: String?
    package var interimYear: Int?
    package var finalYear: Int?

    package init(number: String? = nil, kind: String? = nil, issuer: String? = nil, signer: String? = nil,
                 issuedOn: String? = nil, title: String? = nil, fromYear: Int? = nil, toYear: Int? = nil,
                 scopeCode: String? = nil, legalBases: String? = nil, status: String? = nil, statusReason: String? = nil,
                 statusSince: String? = nil, reportWhat: String? = nil, reportBy: String? = nil, reportTo: String? = nil,
                 reportDue: String? = nil, interimYear: Int? = nil, finalYear: Int? = nil) {
        (self.number, self.kind, self.issuer, self.signer) = (number, kind, issuer, signer)
        (self.issuedOn, self.title, self.fromYear, self.toYear) = (issuedOn, title, fromYear, toYear)
        (self.scopeCode, self.legalBases, self.status, self.statusReason) = (scopeCode, legalBases, status, statusReason)
        (self.statusSince, self.reportWhat, self.reportBy, self.reportTo) = (statusSince, reportWhat, reportBy, reportTo)
        (self.reportDue, self.interimYear, self.finalYear) = (reportDue, interimYear, finalYear)
    }
}
package struct ObjectiveInput: Content {
    package var general: Bool?
    package var text: String?
    package init(general: Bool? = nil, text: String? = nil) {
        self.general = general
        self.text = text
    }
}
package struct TaskInput: Content {
    package var title: String?
    package var leadAgencyId: UUID?
    package var coordinatingAgencyIds: [UUID]?
    package var timeFrame: String?
    package var status: String?
    package init(title: String? = nil, leadAgencyId: UUID? = nil, coordinatingAgencyIds: [UUID]? = nil, timeFrame: String? = nil,
                 status: String? = nil) {
        (self.title, self.leadAgencyId, self.coordinatingAgencyIds, self.timeFrame) = (title, leadAgencyId, coordinatingAgencyIds, timeFrame)
        self.status = status
    }
}
package struct ProgressInput: Content {
    package var on: String?
    package var status: String?
    package var text: String?
    package init(on: String? = nil, status: String? = nil, text: String? = nil) {
        (self.on, self.status, self.text) = (on, status, text)
    }
}
package struct PlanBudgetInput: Content {
    package var source: String?
    package var year: Int?
    package var planned: Int64?
    package var spent: Int64?
    package init(source: String? = nil, year: Int? = nil, planned: Int64? = nil, spent: Int64? = nil) {
        (self.source, self.year, self.planned, self.spent) = (source, year, planned, spent)
    }
}
package struct StageInput: Content, Equatable {
    package var deadline: String
    package var value: Double
    package init(deadline: String, value: Double) {
        self.deadline = deadline
        self.value = value
    }
}
package struct TargetInput: Content {
    package var indicatorId: UUID?
    package var unitCode: String?
    package var objectiveId: UUID?
    package var stages: [StageInput]?
    package var baselineYear: Int?
    package var baselineValue: Double?
    package var note: String?
    /// `TargetDirection`: "at-least" (default) or "at-most".
    package var direction: String?

    package init(indicatorId: UUID? = nil, unitCode: String? = nil, objectiveId: UUID? = nil, stages: [StageInput]? = nil,
                 baselineYear: Int? = nil, baselineValue: Double? = nil, note: String? = nil, direction: String? = nil) {
        (self.indicatorId, self.unitCode, self.objectiveId, self.stages) = (indicatorId, unitCode, objectiveId, stages)
        (self.baselineYear, self.baselineValue, self.note, self.direction) = (baselineYear, baselineValue, note, direction)
    }
}

/// The rules of plans, their parts and their targets, for the pages and the API alike.
package struct PlanService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
    }

    /// Plans whose scope lies in the account's subtree, or above it (a commune sees its
    /// province's plans, measured at the commune).
    /// Every plan in reach, latest issued first.
    package func list() async throws -> [Plan] {
        try await visible().sort(\.$issuedOn, .descending).all()
    }

    package func visible() -> QueryBuilder<Plan> {
        let query = Plan.query(on: db)
        if !scope.isNation {
            let ancestors = UnitDirectory.ancestorPaths(of: scope.path) + [scope.path]
            query.group(.or) { or in
                or.group(.and) { $0.filter(\.$scopePath >= scope.path).filter(\.$scopePath < AccessScope.upperBound(scope.path)) }
                or.filter(\.$scopePath ~~ ancestors)
            }
        }
        return query
    }

    /// The day a dashboard is measured on when none is asked: today, or the plan's last day once it
    /// is over, so an ended plan shows how it closed.
    package static func day(_ req: Request, for plan: Plan) throws -> String {
        let asked = try TrainingParams.date(req)
        guard (req.query["date"] as String?)?.isEmpty ?? true else { return asked }
        return min(asked, String(format: "%04d-12-31", plan.toYear))
    }

    /// The day a plan's own status is told for: the day asked, else today (figures of an ended
    /// plan stop at its last day, its status does not).
    package static func statusDay(_ req: Request) -> DayDate {
        guard let raw: String = req.query["date"], !raw.isEmpty, let day = DayDate(raw) else { return req.today }
        return day
    }

    package func find(_ id: UUID?) async throws -> Plan {
        guard let id, let plan = try await visible().filter(\.$id == id).first() else { throw HamletError.notFound }
        return plan
    }

    /// Changing a plan needs its scope inside the account's subtree.
    package func editable(_ id: UUID?) async throws -> Plan {
        let plan = try await find(id)
        guard let user = actor, user.role.canEditCatalogues || user.role.canEditWorkforce, scope.contains(path: plan.scopePath) else { throw HamletError.forbidden }
        return plan
    }

    package func save(_ input: PlanInput, into plan: Plan = Plan()) async throws -> Plan {
        let creating = plan.id == nil
        let number = VietnameseText.normalized(input.number ?? "")
        guard !number.isEmpty, number.count <= 60 else { throw HamletError.invalid("number", "Cần số, ký hiệu văn bản (ví dụ 126/KH-UBND).") }
        guard let kind = input.kind.flatMap(PlanKind.init(rawValue:)) else { throw HamletError.invalid("kind", "Loại văn bản: ke-hoach, de-an, chuong-trinh hoặc quyet-dinh.") }
        let issuer = VietnameseText.normalized(input.issuer ?? "")
        guard !issuer.isEmpty else { throw HamletError.invalid("issuer", "Cần cơ quan ban hành.") }
        guard let issued = input.issuedOn.flatMap(DayDate.init) else { throw HamletError.invalid("issuedOn", "Ngày ban hành không hợp lệ (dd/MM/yyyy).") }
        let title = VietnameseText.normalized(input.title ?? "")
        guard !title.isEmpty, title.count <= 1000 else { throw HamletError.invalid("title", "Cần trích yếu (tối đa 1.000 ký tự).") }
        guard let from = input.fromYear, (1990...2100).contains(from) else { throw HamletError.invalid("fromYear", "Năm bắt đầu không hợp lệ.") }
        guard let to = input.toYear, (from...2100).contains(to) else { throw HamletError.invalid("toYear", "Năm kết thúc phải từ năm bắt đầu trở đi.") }
        guard let code = input.scopeCode, let unit = try await UnitDirectory(db: db, scope: scope).find(.current, code), scope.contains(path: unit.path) else {
            throw HamletError.invalid("scopeCode", "Phạm vi: đơn vị không có hoặc nằm ngoài phạm vi của bạn.")
        }
        guard let status = PlanStatus(rawValue: input.status ?? "period") else { throw HamletError.invalid("status", "Trạng thái: period, draft, active hoặc ended.") }
        let reason = VietnameseText.normalized(input.statusReason ?? "")
        var since: DayDate?
        if status == .active || status == .ended {
            guard !reason.isEmpty, reason.count <= 500 else {
                throw HamletError.invalid("statusReason", "Trạng thái khác với thời gian của kế hoạch cần ghi lý do (gia hạn, thay thế bởi văn bản…).")
            }
            guard let day = input.statusSince.flatMap(DayDate.init) else { throw HamletError.invalid("statusSince", "Cần ngày bắt đầu áp dụng trạng thái này (dd/MM/yyyy).") }
            since = day
        }
        if let due = input.reportDue, !due.isEmpty {
            let parts = due.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2, DayDate(year: 2024, month: parts[1], day: parts[0]) != nil else {
                throw HamletError.invalid("reportDue", "Hạn báo cáo hằng năm ghi ngày/tháng, ví dụ 30/11.")
            }
        }
        for (year, field) in [(input.interimYear, "interimYear"), (input.finalYear, "finalYear")] {
            if let year, !(from...(to + 1)).contains(year) { throw HamletError.invalid(field, "Năm sơ kết/tổng kết phải trong thời gian của kế hoạch.") }
        }
        if !creating { try await keepsParts(plan, from: from, to: to, scope: unit) }
        var changes = AuditChanges()
        changes.add("number", creating ? nil : plan.number, number)
        changes.add("title", creating ? nil : plan.title, title)
        changes.add("period", creating ? nil : "\(plan.fromYear)-\(plan.toYear)", "\(from)-\(to)")
        changes.add("scope", creating ? nil : plan.scopeCode, unit.code)
        plan.number = number; plan.kind = kind.rawValue; plan.issuer = issuer; plan.signer = VietnameseText.normalized(input.signer ?? "").nilIfEmpty
        plan.issuedOn = issued.iso; plan.title = title; plan.fromYear = from; plan.toYear = to; plan.scopeCode = unit.code; plan.scopePath = unit.path
        plan.legalBases = VietnameseText.normalized(input.legalBases ?? "").nilIfEmpty
        changes.add("status", creating ? nil : plan.status, status.rawValue)
        plan.status = status.rawValue; plan.statusReason = since == nil ? nil : reason; plan.statusSince = since?.iso
        plan.reportWhat = input.reportWhat?.nilIfEmpty; plan.reportBy = input.reportBy?.nilIfEmpty; plan.reportTo = input.reportTo?.nilIfEmpty
        plan.reportDue = input.reportDue?.nilIfEmpty; plan.interimYear = input.interimYear; plan.finalYear = input.finalYear
        try await write(plan, action: creating ? "create" : "update", entity: "plan", path: unit.path, changes: changes)
        return plan
    }

    /// A plan's new period and scope must still hold its targets and budget lines.
    private func keepsParts(_ plan: Plan, from: Int, to: Int, scope unit: AdminUnit) async throws {
        let id = try plan.requireID()
        for t in try await Target.query(on: db).filter(\.$planID == id).all() {
            guard t.unitPath.hasPrefix(unit.path) else {
                throw HamletError.invalid("scopeCode", "Có chỉ tiêu giao cho đơn vị ngoài phạm vi mới (\(t.unitCode)); xóa chỉ tiêu đó trước.")
            }
            let stages = (try? JSONDecoder().decode([StageInput].self, from: Data(t.stages.utf8))) ?? []
            if let outside = stages.first(where: { !(from...to).contains(DayDate($0.deadline)?.year ?? 0) }) {
                throw HamletError.invalid("fromYear", "Có mốc chỉ tiêu (\(DayDate(outside.deadline)?.vietnamese ?? outside.deadline)) nằm ngoài thời gian mới.")
            }
        }
        if try await PlanBudgetLine.query(on: db).filter(\.$planID == id).group(.or, { $0.filter(\.$year < from).filter(\.$year > to) }).count() > 0 {
            throw HamletError.invalid("fromYear", "Có dòng kinh phí nằm ngoài thời gian mới; sửa hoặc xóa dòng đó trước.")
        }
    }

    /// The parts of a plan a user can take out again.
    package enum Part: String, CaseIterable, Sendable { case objectives, tasks, budgetLines = "budget-lines", targets }

    /// Takes one part out of the plan, audited; a removed objective leaves its targets unattached.
    package func remove(_ plan: Plan, _ part: Part, id: UUID?) async throws {
        let planID = try plan.requireID()
        guard let id else { throw HamletError.notFound }
        let audit: AuditChanges
        switch part {
        case .objectives:
            guard let o = try await PlanObjective.query(on: db).filter(\.$id == id).filter(\.$planID == planID).first() else { throw HamletError.notFound }
            var c = AuditChanges(); c.add("text", o.text, nil); audit = c
            try await erase(o, entity: "plan_objective", plan: plan, changes: audit) { tx in
                try await Target.query(on: tx).filter(\.$objectiveID == id).set(\.$objectiveID, to: nil).update()
            }
        case .tasks:
            guard let t = try await PlanTask.query(on: db).filter(\.$id == id).filter(\.$planID == planID).first() else { throw HamletError.notFound }
            var c = AuditChanges(); c.add("title", t.title, nil); audit = c
            try await erase(t, entity: "plan_task", plan: plan, changes: audit) { tx in
                try await TaskProgress.query(on: tx).filter(\.$taskID == id).delete()
            }
        case .budgetLines:
            guard let b = try await PlanBudgetLine.query(on: db).filter(\.$id == id).filter(\.$planID == planID).first() else { throw HamletError.notFound }
            var c = AuditChanges(); c.add("\(b.source).\(b.year)", "\(b.planned)/\(b.spent)", nil); audit = c
            try await erase(b, entity: "plan_budget", plan: plan, changes: audit)
        case .targets:
            guard let t = try await Target.query(on: db).filter(\.$id == id).filter(\.$planID == planID).first() else { throw HamletError.notFound }
            var c = AuditChanges(); c.add("stages", t.stages, nil); c.add("unit", t.unitCode, nil); audit = c
            try await erase(t, entity: "target", plan: plan, changes: audit)
        }
    }

    /// Deletes one part of a plan with its audit entry; `dependents` first clears what points at it.
    private func erase(_ model: some Model, entity: String, plan: Plan, changes: AuditChanges,
                       dependents: @escaping @Sendable (any Database) async throws -> Void = { _ in }) async throws {
        try await db.writeTransaction { tx in
            try await dependents(tx)
            try await model.delete(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "delete", entity: entity, entityID: (model.id as? UUID)?.uuidString,
                                   scopePath: plan.scopePath, changes: changes)
        }
    }

    package func addObjective(_ plan: Plan, _ input: ObjectiveInput) async throws -> PlanObjective {
        let text = VietnameseText.normalized(input.text ?? "")
        guard !text.isEmpty, text.count <= 2000 else { throw HamletError.invalid("text", "Cần nội dung mục tiêu.") }
        let o = PlanObjective()
        o.planID = try plan.requireID(); o.general = input.general ?? false; o.text = text
        o.position = try await PlanObjective.query(on: db).filter(\.$planID == o.planID).count() + 1
        var changes = AuditChanges(); changes.add("text", nil, text)
        try await write(o, action: "create", entity: "plan_objective", path: plan.scopePath, changes: changes)
        return o
    }

    package func addTask(_ plan: Plan, _ input: TaskInput) async throws -> PlanTask {
        let title = VietnameseText.normalized(input.title ?? "")
        guard !title.isEmpty, title.count <= 1000 else { throw HamletError.invalid("title", "Cần tên nhiệm vụ.") }
        let agencies = OrganisationService(db: db, scope: AccessScope(code: AccessScope.nationCode, path: ""), actor: actor, ip: ip)
        guard let lead = input.leadAgencyId, try await agencies.query(.agency).filter(\.$id == lead).count() > 0 else {
            throw HamletError.invalid("leadAgencyId", "Mỗi nhiệm vụ cần một cơ quan chủ trì có trong danh mục.")
        }
        let coordinating = input.coordinatingAgencyIds ?? []
        if !coordinating.isEmpty, try await agencies.query(.agency).filter(\.$id ~~ coordinating).count() != Set(coordinating).count {
            throw HamletError.invalid("coordinatingAgencyIds", "Có cơ quan phối hợp không có trong danh mục.")
        }
        guard let frame = input.timeFrame.flatMap(TimeFrame.init) else {
            throw HamletError.invalid("timeFrame", "Thời gian không đọc được: ghi như «Quý I/2015», «Năm 2016» hoặc «2016 - 2020».")
        }
        guard let status = TaskStatus(rawValue: input.status ?? "not-started") else { throw HamletError.invalid("status", "Trạng thái nhiệm vụ không hợp lệ.") }
        let t = PlanTask()
        t.planID = try plan.requireID(); t.title = title; t.leadAgencyID = lead; t.coordinating = coordinating.map(\.uuidString).joined(separator: ",")
        t.timeFrame = VietnameseText.normalized(input.timeFrame ?? ""); t.startsOn = frame.start.iso; t.endsOn = frame.end.iso; t.status = status.rawValue
        t.position = try await PlanTask.query(on: db).filter(\.$planID == t.planID).count() + 1
        var changes = AuditChanges(); changes.add("title", nil, title); changes.add("time_frame", nil, t.timeFrame)
        try await write(t, action: "create", entity: "plan_task", path: plan.scopePath, changes: changes)
        return t
    }

    package func addProgress(_ plan: Plan, task: PlanTask, _ input: ProgressInput) async throws -> TaskProgress {
        guard let day = (input.on ?? DayDate.today().iso).isEmpty ? DayDate.today() : DayDate(input.on ?? "") else {
            throw HamletError.invalid("on", "Ngày cập nhật không hợp lệ.")
        }
        guard let status = TaskStatus(rawValue: input.status ?? task.status) else { throw HamletError.invalid("status", "Trạng thái nhiệm vụ không hợp lệ.") }
        let text = VietnameseText.normalized(input.text ?? "")
        guard !text.isEmpty else { throw HamletError.invalid("text", "Cần nội dung cập nhật.") }
        let p = TaskProgress()
        p.taskID = try task.requireID(); p.on = day.iso; p.status = status.rawValue; p.text = text; p.username = actor?.username ?? "system"
        var changes = AuditChanges(); changes.add("status", task.status, status.rawValue)
        task.status = status.rawValue
        let audit = changes
        try await db.writeTransaction { tx in
            try await p.create(on: tx)
            try await task.update(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "progress", entity: "plan_task", entityID: task.id?.uuidString,
                                   scopePath: plan.scopePath, changes: audit)
        }
        return p
    }

    package func addBudget(_ plan: Plan, _ input: PlanBudgetInput) async throws -> PlanBudgetLine {
        guard let source = input.source.flatMap(FundingSource.init(rawValue:)) else { throw HamletError.invalid("source", "Nguồn kinh phí: central, local hoặc other.") }
        guard let year = input.year, (plan.fromYear...plan.toYear).contains(year) else { throw HamletError.invalid("year", "Năm phải trong thời gian của kế hoạch.") }
        guard (input.planned ?? 0) >= 0 else { throw HamletError.invalid("planned", "Kinh phí dự kiến không âm.") }
        guard (input.spent ?? 0) >= 0 else { throw HamletError.invalid("spent", "Kinh phí đã chi không âm.") }
        let planID = try plan.requireID()
        let line = try await PlanBudgetLine.query(on: db).filter(\.$planID == planID).filter(\.$source == source.rawValue).filter(\.$year == year).first() ?? PlanBudgetLine()
        var changes = AuditChanges()
        changes.add("\(source.rawValue).\(year)", line.id == nil ? nil : "\(line.planned)/\(line.spent)", "\(input.planned ?? 0)/\(input.spent ?? 0)")
        line.planID = planID; line.source = source.rawValue; line.year = year; line.planned = input.planned ?? 0; line.spent = input.spent ?? 0
        try await write(line, action: "update", entity: "plan_budget", path: plan.scopePath, changes: changes)
        return line
    }

    package func addTarget(_ plan: Plan, _ input: TargetInput) async throws -> Target {
        guard let id = input.indicatorId, let indicator = try await Indicator.find(id, on: db) else { throw HamletError.invalid("indicatorId", "Chọn một chỉ tiêu có trong danh mục.") }
        guard let code = input.unitCode ?? Optional(plan.scopeCode), let unit = try await UnitDirectory(db: db, scope: scope).find(.current, code),
              unit.path.hasPrefix(plan.scopePath) else {
            throw HamletError.invalid("unitCode", "Đơn vị của chỉ tiêu phải nằm trong phạm vi của kế hoạch.")
        }
        guard let direction = TargetDirection(rawValue: input.direction?.nilIfEmpty ?? "at-least") else {
            throw HamletError.invalid("direction", "Chiều của chỉ tiêu: at-least (tối thiểu, ≥) hoặc at-most (tối đa, ≤).")
        }
        let stages = input.stages ?? []
        guard !stages.isEmpty else { throw HamletError.invalid("stages", "Cần ít nhất một mốc: hạn và giá trị.") }
        let definition = try indicator.parsed()
        let percent = definition.isShare
        var seen = Set<String>()
        for stage in stages {
            guard let day = DayDate(stage.deadline) else { throw HamletError.invalid("deadline", "Hạn không hợp lệ: «\(stage.deadline)».") }
            guard (plan.fromYear...plan.toYear).contains(day.year) else {
                throw HamletError.invalid("deadline", "Hạn \(day.vietnamese) nằm ngoài thời gian của kế hoạch (\(plan.fromYear)–\(plan.toYear)).")
            }
            guard seen.insert(day.iso).inserted else { throw HamletError.invalid("deadline", "Hai mốc cùng một hạn.") }
            guard stage.value >= 0 || definition.baselineYear != nil else { throw HamletError.invalid("value", "Giá trị chỉ tiêu không âm.") }
            if percent, stage.value > 100 { throw HamletError.invalid("value", "Chỉ tiêu tỷ lệ không vượt quá 100%.") }
        }
        if let value = input.baselineValue, percent, !(0...100).contains(value) { throw HamletError.invalid("baselineValue", "Tỷ lệ cơ sở từ 0 đến 100%.") }
        if let year = input.baselineYear, !(1990...plan.toYear).contains(year) { throw HamletError.invalid("baselineYear", "Năm cơ sở không hợp lệ.") }
        if let objective = input.objectiveId, try await PlanObjective.query(on: db).filter(\.$id == objective).filter(\.$planID == plan.requireID()).count() == 0 {
            throw HamletError.invalid("objectiveId", "Mục tiêu không thuộc kế hoạch này.")
        }
        let normalized = stages.map { StageInput(deadline: DayDate($0.deadline)!.iso, value: $0.value) }.sorted { $0.deadline < $1.deadline }
        let t = Target()
        t.planID = try plan.requireID(); t.objectiveID = input.objectiveId; t.indicatorID = id; t.unitCode = unit.code; t.unitPath = unit.path
        t.stages = String(decoding: try JSONEncoder.sorted.encode(normalized), as: UTF8.self)
        t.baselineYear = input.baselineYear; t.baselineValue = input.baselineValue; t.note = input.note?.nilIfEmpty; t.direction = direction.rawValue
        var changes = AuditChanges(); changes.add("indicator", nil, indicator.code); changes.add("stages", nil, t.stages); changes.add("direction", nil, direction.rawValue)
        try await write(t, action: "create", entity: "target", path: plan.scopePath, changes: changes)
        return t
    }

    private func write(_ model: some Model, action: String, entity: String, path: String, changes: AuditChanges) async throws {
        try await db.writeTransaction { tx in
            try await model.save(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: action, entity: entity, entityID: (model.id as? UUID)?.uuidString,
                                   scopePath: path, changes: changes)
        }
    }
}
