import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations

package struct DutyInput: Content {
    package var title: String?
    package var reporters: String?
    package var reporterIds: [UUID]?
    package var facilityType: String?
    package var recipientId: UUID?
    package var frequency: String?
    package var due: String?
    /// The template: the sections asked (none: all five) and the targets' indicator codes whose figures are stated (none: all).
    package var sections: [String]? = nil
    package var figures: [String]? = nil
    /// After the lead department accepts, the People's Committee approves.
    package var committeeApproves: Bool? = nil

    package init(title: String? = nil, reporters: String? = nil, reporterIds: [UUID]? = nil, facilityType: String? = nil,
                 recipientId: UUID? = nil, frequency: String? = nil, due: String? = nil, sections: [String]? = nil,
                 figures: [String]? = nil, committeeApproves: Bool? = nil) {
        (self.title, self.reporters, self.reporterIds, self.facilityType) = (title, reporters, reporterIds, facilityType)
        (self.recipientId, self.frequency, self.due, self.sections) = (recipientId, frequency, due, sections)
        (self.figures, self.committeeApproves) = (figures, committeeApproves)
    }
}

package struct DutyDTO: Content {
    package var id: UUID?
    package var title: String
    package var reporters: String
    package var reportersLabel: String
    package var reporterIds: [UUID]
    package var facilityType: String?
    package var recipientId: UUID
    package var recipient: String
    package var frequency: String
    package var frequencyLabel: String
    package var due: String
    package var sections: [String]
    package var figures: [String]?
    package var committeeApproves: Bool

    package init(id: UUID? = nil, title: String, reporters: String, reportersLabel: String, reporterIds: [UUID],
                 facilityType: String? = nil, recipientId: UUID, recipient: String, frequency: String, frequencyLabel: String,
                 due: String, sections: [String], figures: [String]? = nil, committeeApproves: Bool) {
        (self.id, self.title, self.reporters, self.reportersLabel) = (id, title, reporters, reportersLabel)
        (self.reporterIds, self.facilityType, self.recipientId, self.recipient) = (reporterIds, facilityType, recipientId, recipient)
        (self.frequency, self.frequencyLabel, self.due, self.sections) = (frequency, frequencyLabel, due, sections)
        (self.figures, self.committeeApproves) = (figures, committeeApproves)
    }
}

/// A body that owes a duty's report: a People's Committee (by its unit) or an agency or facility.
package struct DutyBody: Sendable, Hashable {
    package var key: String
    package var name: String
    package var path: String
    /// The unit its figures are measured at.
    package var unitCode: String

    package init(key: String, name: String, path: String, unitCode: String) {
        (self.key, self.name, self.path, self.unitCode) = (key, name, path, unitCode)
    }
}

/// A plan's reporting duties: who reports what to whom, how often, by which day.
package struct DutyService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
    }

    package func duties(_ plan: Plan) async throws -> [PlanDuty] {
        try await PlanDuty.query(on: db).filter(\.$planID == plan.requireID()).sort(\.$position).all()
    }

    package func duty(_ plan: Plan, _ id: UUID?) async throws -> PlanDuty {
        guard let id, let duty = try await PlanDuty.query(on: db).filter(\.$id == id).filter(\.$planID == plan.requireID()).first() else { throw HamletError.notFound }
        return duty
    }

    package func add(_ plan: Plan, _ input: DutyInput) async throws -> PlanDuty {
        let title = VietnameseText.normalized(input.title ?? "")
        guard !title.isEmpty, title.count <= 300 else { throw HamletError.invalid("title", "Cần tên báo cáo (tối đa 300 ký tự), ví dụ Báo cáo kết quả thực hiện Kế hoạch.") }
        guard let reporters = input.reporters.flatMap(DutyReporters.init(rawValue:)) else {
            throw HamletError.invalid("reporters", "Chọn ai báo cáo: communes, province, organisations hoặc facility-type.")
        }
        var refs = ""
        switch reporters {
        case .organisations:
            let ids = Array(Set(input.reporterIds ?? []))
            guard !ids.isEmpty else { throw HamletError.invalid("reporterIds", "Chọn ít nhất một cơ quan, cơ sở phải báo cáo.") }
            let found = try await Organisation.query(on: db).filter(\.$id ~~ ids).all()
            guard found.count == ids.count, found.allSatisfy({ $0.unitPath.hasPrefix(plan.scopePath) || plan.scopePath.hasPrefix($0.unitPath) }) else {
                throw HamletError.invalid("reporterIds", "Có cơ quan, cơ sở không có hoặc nằm ngoài phạm vi của kế hoạch.")
            }
            refs = found.compactMap { $0.id?.uuidString }.sorted().joined(separator: ",")
        case .facilityType:
            let code = input.facilityType ?? ""
            guard try await OrganisationType.query(on: db).filter(\.$code == code).filter(\.$kind == .facility).count() > 0 else {
                throw HamletError.invalid("facilityType", "Chọn một loại cơ sở trong danh mục.")
            }
            refs = code
        case .communes, .province: break
        }
        guard let recipientID = input.recipientId, let recipient = try await Organisation.find(recipientID, on: db),
              recipient.unitPath.hasPrefix(plan.scopePath) || plan.scopePath.hasPrefix(recipient.unitPath) else {
            throw HamletError.invalid("recipientId", "Chọn cơ quan nhận báo cáo (cơ quan chủ trì), trong phạm vi của kế hoạch.")
        }
        guard let frequency = input.frequency.flatMap(DutyFrequency.init(rawValue:)) else {
            throw HamletError.invalid("frequency", "Kỳ báo cáo: yearly, six-monthly, quarterly, monthly, interim hoặc final.")
        }
        let due = input.due ?? ""
        if case .failure(let problem) = DutySchedule.parseDue(due, frequency) { throw HamletError.invalid("due", DutySchedule.message(problem)) }
        if frequency == .interim, plan.interimYear == nil { throw HamletError.invalid("frequency", DutySchedule.message(.noReviewYear)) }
        let keys = SubmissionDigest.sectionTitles.map(\.0)
        let sections = Array(Set((input.sections ?? []).filter { !$0.isEmpty }))
        if let bad = sections.first(where: { !keys.contains($0) }) { throw HamletError.invalid("sections", "Không có phần «\(bad)» trong báo cáo thực hiện.") }
        if !sections.isEmpty, !sections.contains("results") { throw HamletError.invalid("sections", "Báo cáo luôn có phần kết quả thực hiện.") }
        let figures = Array(Set((input.figures ?? []).filter { !$0.isEmpty }))
        if !figures.isEmpty {
            let targets = try await Target.query(on: db).filter(\.$planID == (try plan.requireID())).all().map(\.indicatorID)
            let codes = Set(try await Indicator.query(on: db).filter(\.$id ~~ targets).all().map(\.code))
            if let bad = figures.first(where: { !codes.contains($0) }) { throw HamletError.invalid("figures", "Kế hoạch không có chỉ tiêu «\(bad)».") }
        }
        let duty = PlanDuty()
        duty.planID = try plan.requireID(); duty.title = title; duty.reporters = reporters.rawValue; duty.reporterRefs = refs
        duty.recipientID = recipientID; duty.frequency = frequency.rawValue; duty.due = due.trimmingCharacters(in: .whitespaces)
        duty.position = try await PlanDuty.query(on: db).filter(\.$planID == plan.requireID()).count()
        duty.sections = sections.isEmpty || sections.count == keys.count ? nil : keys.filter(sections.contains).joined(separator: ",")
        duty.figureCodes = figures.isEmpty ? nil : figures.sorted().joined(separator: ",")
        duty.committeeApproves = input.committeeApproves == true ? true : nil
        try await duty.save(on: db)
        var changes = AuditChanges()
        changes.add("title", nil, title); changes.add("reporters", nil, reporters.rawValue + (refs.isEmpty ? "" : ":" + refs))
        changes.add("recipient", nil, recipient.name); changes.add("frequency", nil, frequency.rawValue); changes.add("due", nil, duty.due)
        changes.add("sections", nil, duty.sections); changes.add("figures", nil, duty.figureCodes)
        changes.add("committeeApproves", nil, duty.committeeApproves == true ? "true" : nil)
        try await Audit.record(on: db, actor: actor, ip: ip, action: "create", entity: "plan_duty", entityID: duty.id?.uuidString, scopePath: plan.scopePath, changes: changes)
        return duty
    }

    package func remove(_ plan: Plan, _ duty: PlanDuty) async throws {
        guard try await PlanSubmission.query(on: db).filter(\.$dutyID == duty.requireID()).filter(\.$status != SubmissionStatus.draft.rawValue).count() == 0 else {
            throw HamletError.conflict("Đã có báo cáo gửi theo nhiệm vụ này: không xóa được.")
        }
        try await duty.delete(on: db)
        try await Audit.record(on: db, actor: actor, ip: ip, action: "delete", entity: "plan_duty", entityID: duty.id?.uuidString, scopePath: plan.scopePath)
    }

    /// The bodies that owe the duty's report, in name order.
    package func bodies(_ duty: PlanDuty, _ plan: Plan) async throws -> [DutyBody] {
        switch DutyReporters(rawValue: duty.reporters) ?? .communes {
        case .communes:
            // Plain rows: a province's communes are read for every plan a tracker shows.
            guard let sql = db as? any SQLDatabase else { return [] }
            return try await sql.raw("""
                SELECT code, name, path FROM units WHERE structure = '2025' AND CAST(level AS TEXT) = 'commune'
                  AND path >= \(bind: plan.scopePath) AND path < \(bind: AccessScope.upperBound(plan.scopePath)) AND closed_on IS NULL
                """).all().map { row in
                let code = try row.decode(column: "code", as: String.self)
                return DutyBody(key: code, name: "UBND " + (try row.decode(column: "name", as: String.self)), path: try row.decode(column: "path", as: String.self), unitCode: code)
            }.sorted { $0.name < $1.name }
        case .province:
            let path = UnitDirectory.ancestorPaths(of: plan.scopePath).first ?? plan.scopePath
            guard let unit = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$path == path).first() else { return [] }
            return [DutyBody(key: unit.code, name: "UBND " + unit.name, path: unit.path, unitCode: unit.code)]
        case .organisations:
            let ids = duty.reporterRefs.split(separator: ",").compactMap { UUID(uuidString: String($0)) }
            return try await Organisation.query(on: db).filter(\.$id ~~ ids).all()
                .map { DutyBody(key: $0.id!.uuidString, name: $0.name, path: $0.unitPath, unitCode: $0.unitCode) }.sorted { $0.name < $1.name }
        case .facilityType:
            let orgs = try await Organisation.query(on: db).join(OrganisationType.self, on: \Organisation.$type.$id == \OrganisationType.$id)
                .filter(OrganisationType.self, \.$code == duty.reporterRefs)
                .filter(\.$unitPath >= plan.scopePath).filter(\.$unitPath < AccessScope.upperBound(plan.scopePath)).all()
            return orgs.map { DutyBody(key: $0.id!.uuidString, name: $0.name, path: $0.unitPath, unitCode: $0.unitCode) }.sorted { $0.name < $1.name }
        }
    }

    package func periods(_ duty: PlanDuty, _ plan: Plan) -> [DutyPeriod] {
        DutySchedule.periods(DutyFrequency(rawValue: duty.frequency) ?? .yearly, due: duty.schedule, fromYear: plan.fromYear, toYear: plan.toYear,
                             interimYear: plan.interimYear, finalYear: plan.finalYear)
    }

    package func dto(_ duty: PlanDuty) async throws -> DutyDTO {
        let reporters = DutyReporters(rawValue: duty.reporters) ?? .communes
        let recipient = try await Organisation.find(duty.recipientID, on: db)
        return DutyDTO(id: duty.id, title: duty.title, reporters: duty.reporters, reportersLabel: reporters.label,
                       reporterIds: reporters == .organisations ? duty.reporterRefs.split(separator: ",").compactMap { UUID(uuidString: String($0)) } : [],
                       facilityType: reporters == .facilityType ? duty.reporterRefs : nil, recipientId: duty.recipientID, recipient: recipient?.name ?? "",
                       frequency: duty.frequency, frequencyLabel: (DutyFrequency(rawValue: duty.frequency) ?? .yearly).label, due: duty.due,
                       sections: duty.askedSections, figures: duty.askedFigures?.sorted(), committeeApproves: duty.committeeApproves == true)
    }
}
