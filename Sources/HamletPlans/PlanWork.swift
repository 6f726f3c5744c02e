import Vapor
import Fluent
import HamletKit
import HamletWeb

extension MyWork {
    /// The targets of plans in force today that fall behind their line, measured at the account's
    /// unit (as its plan dashboards measure them).
    package func targetsAtRisk() async throws -> [WorkItem] {
        let plans = try await PlanService(db: db, scope: user.scope, actor: user, ip: nil).visible()
            .filter(\.$fromYear <= today.year).filter(\.$toYear >= today.year).sort(\.$issuedOn, .descending).limit(20).all()
        var items: [WorkItem] = []
        for plan in plans where plan.state(on: today).status == .active {
            let board = try await PlanDashboard(db: db, scope: user.scope).build(plan, date: today.iso, withTrend: false)
            for t in board.targets where t.status == TargetStatus.atRisk.rawValue {
                let percent = t.measure == "%"
                let current = t.hidden == true ? SmallCounts.shown : t.text(t.current, computable: t.computable)
                items.append(WorkItem(kind: "target", title: plan.number + ": " + t.name,
                                      detail: t.unitName + " · " + current + say(" (theo đường thẳng: ", " (on the straight line: ") + FigureText.value(t.expected, percent: percent && t.changeAgainst == nil) + ")",
                                      due: t.stages.last.flatMap { DayDate($0.deadline)?.iso }, state: t.status, stateLabel: t.statusLabel,
                                      link: "/plans/\(plan.id!.uuidString)", urgent: false))
            }
        }
        return items
    }

    /// A leader's plans at a glance: each target of the plans in force with its value today and a
    /// month ago, measured at the leader's unit as the dashboards measure them; those at risk or
    /// missed first.
    package func targetsAtAGlance() async throws -> [WorkItem] {
        let monthAgo = today.adding(days: -30)
        let plans = try await PlanService(db: db, scope: user.scope, actor: user, ip: nil).visible()
            .filter(\.$fromYear <= today.year).filter(\.$toYear >= today.year).sort(\.$issuedOn, .descending).limit(20).all()
        var items: [WorkItem] = []
        for plan in plans where plan.state(on: today).status == .active {
            let dashboards = PlanDashboard(db: db, scope: user.scope)
            let now = try await dashboards.build(plan, date: today.iso, withTrend: false)
            let before = Dictionary(try await dashboards.build(plan, date: monthAgo.iso, withTrend: false).targets.compactMap { t in t.id.map { ($0, t) } },
                                    uniquingKeysWith: { a, _ in a })
            for t in now.targets {
                let current = t.hidden == true ? SmallCounts.shown : t.text(t.current, computable: t.computable)
                let earlier = t.id.flatMap { before[$0] }.map { b in b.hidden == true ? SmallCounts.shown : b.text(b.current, computable: b.computable) }
                let change = earlier.map {
                    $0 == current ? say(" (không đổi so với \(monthAgo.vietnamese))", " (unchanged since \(monthAgo.vietnamese))")
                        : say(" (ngày \(monthAgo.vietnamese): \($0))", " (on \(monthAgo.vietnamese): \($0))")
                } ?? ""
                let behind = t.status == TargetStatus.atRisk.rawValue || t.status == TargetStatus.missed.rawValue
                items.append(WorkItem(kind: "glance", title: plan.number + ": " + t.name, detail: t.unitName + " · " + current + change,
                                      due: behind ? nil : t.stages.last.flatMap { DayDate($0.deadline)?.iso }, state: t.status, stateLabel: t.statusLabel,
                                      link: "/plans/\(plan.id!.uuidString)", urgent: behind))
            }
        }
        return items
    }
}
