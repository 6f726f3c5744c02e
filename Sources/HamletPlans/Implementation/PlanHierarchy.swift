import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit

/// A plan that implements another: a provincial plan under a national programme, a yearly or a
/// commune plan under the province's. One parent per plan.
package final class PlanParent: Model, @unchecked Sendable {
    package static let schema = "plan_parents"
    @ID(key: .id) package var id: UUID?
    @Field(key: "plan_id") package var planID: UUID
    @Field(key: "parent_id") package var parentID: UUID
    package init() {}
}

package struct CreatePlanParents: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(PlanParent.schema).id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .field("parent_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .unique(on: "plan_id").create()
        try await SQLText.index(database, "plan_parents_parent", on: PlanParent.schema, ["parent_id"])
    }
    package func revert(on database: any Database) async throws { try await database.schema(PlanParent.schema).delete() }
}

package struct ParentInput: Content {
    package var parentId: UUID?
    package init(parentId: UUID? = nil) {
        self.parentId = parentId
    }
}

package struct PlanLinkDTO: Content {
    package var id: UUID
    package var number: String
    package var title: String
    package var fromYear: Int
    package var toYear: Int
    package var scopeCode: String
    package var status: String
    package var statusLabel: String
    package init(_ p: Plan, on day: DayDate) {
        let state = p.state(on: day)
        id = p.id!; number = p.number; title = p.title; fromYear = p.fromYear; toYear = p.toYear; scopeCode = p.scopeCode
        status = state.status.rawValue; statusLabel = state.label
    }
}

package struct HierarchyDTO: Content {
    package var parent: PlanLinkDTO?
    package var children: [PlanLinkDTO]
    package init(parent: PlanLinkDTO? = nil, children: [PlanLinkDTO]) {
        self.parent = parent
        self.children = children
    }
}

/// Which plan a plan implements, the plans that implement it, and taking over the parent's targets.
package struct PlanHierarchy {
    package let db: any Database
    package let plans: PlanService
    package let today: DayDate

    package init(db: any Database, plans: PlanService, today: DayDate) {
        (self.db, self.plans, self.today) = (db, plans, today)
    }

    package func parent(of plan: Plan) async throws -> Plan? {
        guard let link = try await PlanParent.query(on: db).filter(\.$planID == plan.requireID()).first() else { return nil }
        return try await plans.visible().filter(\.$id == link.parentID).first()
    }

    /// The children the account may see.
    package func children(of plan: Plan) async throws -> [Plan] {
        let ids = try await PlanParent.query(on: db).filter(\.$parentID == plan.requireID()).all().map(\.planID)
        guard !ids.isEmpty else { return [] }
        return try await plans.visible().filter(\.$id ~~ ids).sort(\.$fromYear).sort(\.$number).all()
    }

    package func dto(_ plan: Plan) async throws -> HierarchyDTO {
        HierarchyDTO(parent: try await parent(of: plan).map { PlanLinkDTO($0, on: today) },
                     children: try await children(of: plan).map { PlanLinkDTO($0, on: today) })
    }

    /// The plans that may be this one's parent, for the form: seen, holding its scope and years.
    package func candidates(for plan: Plan) async throws -> [FormOption] {
        let current = try await PlanParent.query(on: db).filter(\.$planID == plan.requireID()).first()?.parentID
        return try await plans.visible().filter(\.$fromYear <= plan.fromYear).filter(\.$toYear >= plan.toYear).sort(\.$issuedOn, .descending).all()
            .filter { $0.id != plan.id && plan.scopePath.hasPrefix($0.scopePath) }
            .map { FormOption(value: $0.id!.uuidString, label: $0.number + " — " + String($0.title.prefix(70)), selected: $0.id == current) }
    }

    /// The parent must be a plan the account sees whose scope holds the child's and whose years
    /// hold the child's, and not the child itself or one of its descendants.
    package func setParent(_ plan: Plan, _ parentID: UUID?) async throws {
        let planID = try plan.requireID()
        let existing = try await PlanParent.query(on: db).filter(\.$planID == planID).first()
        var changes = AuditChanges()
        guard let parentID else {
            if let existing { try await existing.delete(on: db) }
            changes.add("parent", existing?.parentID.uuidString, nil)
            try await Audit.record(on: db, actor: plans.actor, ip: plans.ip, action: "update", entity: "plan", entityID: planID.uuidString, scopePath: plan.scopePath, changes: changes)
            return
        }
        guard let parent = try await plans.visible().filter(\.$id == parentID).first() else {
            throw HamletError.invalid("parentId", "Không có kế hoạch cấp trên này trong phạm vi của bạn.")
        }
        guard plan.scopePath.hasPrefix(parent.scopePath) else {
            throw HamletError.invalid("parentId", "Phạm vi của kế hoạch phải nằm trong phạm vi của kế hoạch cấp trên (\(parent.number)).")
        }
        guard parent.fromYear <= plan.fromYear, plan.toYear <= parent.toYear else {
            throw HamletError.invalid("parentId", "Thời gian của kế hoạch phải nằm trong thời gian của kế hoạch cấp trên (\(parent.fromYear)–\(parent.toYear)).")
        }
        // Walk up from the parent: meeting the plan itself would make a circle.
        var up: UUID? = parentID
        var seen: Set<UUID> = []
        while let current = up, !seen.contains(current) {
            guard current != planID else { throw HamletError.invalid("parentId", "Kế hoạch không thể thực hiện chính nó hoặc kế hoạch cấp dưới của nó.") }
            seen.insert(current)
            up = try await PlanParent.query(on: db).filter(\.$planID == current).first()?.parentID
        }
        let link = existing ?? PlanParent()
        changes.add("parent", existing?.parentID.uuidString, parent.number)
        link.planID = planID; link.parentID = parentID
        try await link.save(on: db)
        try await Audit.record(on: db, actor: plans.actor, ip: plans.ip, action: "update", entity: "plan", entityID: planID.uuidString, scopePath: plan.scopePath, changes: changes)
    }

    /// The parent's targets taken over by the child, measured at the child's own scope: each
    /// stage that falls in the child's years (a stage after them becomes one at the child's last
    /// day only if none falls inside), same indicator and direction. A target the child already
    /// has for that indicator is left alone. Returns how many were added.
    package func inherit(into plan: Plan) async throws -> Int {
        guard let parent = try await parent(of: plan) else {
            throw HamletError.invalid("parentId", "Kế hoạch chưa ghi kế hoạch cấp trên.")
        }
        let planID = try plan.requireID()
        let own = Set(try await Target.query(on: db).filter(\.$planID == planID).all().map(\.indicatorID))
        let first = DayDate(year: plan.fromYear, month: 1, day: 1)!, last = plan.endsOn
        var added = 0
        for t in try await Target.query(on: db).filter(\.$planID == parent.requireID()).all() where !own.contains(t.indicatorID) {
            let stages = (try? JSONDecoder().decode([StageInput].self, from: Data(t.stages.utf8))) ?? []
            var inside = stages.filter { DayDate($0.deadline).map { $0 >= first && $0 <= last } ?? false }
            if inside.isEmpty, let later = stages.first(where: { DayDate($0.deadline).map { $0 > last } ?? false }) {
                inside = [StageInput(deadline: last.iso, value: later.value)]
            }
            guard !inside.isEmpty else { continue }
            _ = try await plans.addTarget(plan, TargetInput(indicatorId: t.indicatorID, unitCode: plan.scopeCode, objectiveId: nil, stages: inside,
                                                            baselineYear: t.baselineYear, baselineValue: t.baselineValue,
                                                            note: "Nhận từ kế hoạch \(parent.number)", direction: t.direction))
            added += 1
        }
        return added
    }
}
