import Vapor
import Fluent
import HamletKit
import HamletWeb

extension MyWork {
    /// Plan reports on the start page: those the account's own unit owes (due, overdue, returned),
    /// and, for the receiving side, how many wait to be accepted and how many are missing, for the
    /// last two periods of each duty of the plans in force or just ended; for a People's Committee
    /// leader, how many accepted reports wait for the Committee's approval.
    package func planReports() async throws -> [WorkItem] {
        let scope = user.scope
        let plans = try await PlanService(db: db, scope: scope, actor: user, ip: nil).visible()
            .filter(\.$fromYear <= today.year).filter(\.$toYear >= today.year - 1).sort(\.$issuedOn, .descending).limit(20).all()
        var items: [WorkItem] = []
        let tracker = DutyTracker(db: db, scope: scope)
        for plan in plans {
            let rows = try await tracker.rows(plan, asOf: today)
            let receiving = user.role.canEditCatalogues && scope.contains(path: plan.scopePath)
            let approving = user.role == .leader && scope.contains(path: plan.scopePath)
            let planID = try plan.requireID()
            for (_, ofDuty) in Dictionary(grouping: rows, by: \.dutyId) {
                var dueOf: [String: String] = [:]
                for r in ofDuty { dueOf[r.period] = r.due }
                let recent = dueOf.keys.sorted { dueOf[$0]! > dueOf[$1]! }.prefix(2)
                for period in recent {
                    let here = ofDuty.filter { $0.period == period }
                    guard let first = here.first else { continue }
                    let label = English.say(first.periodLabel)
                    // What its own unit owes, for those who write the reports (not a leader or a viewer).
                    for r in here where user.role.canEditWorkforce && r.unitCode == scope.code && ["due", "missing", "returned"].contains(r.state) {
                        let due = DayDate(r.due)
                        items.append(WorkItem(kind: "plan-report", title: plan.number + ": " + r.duty + " — " + label,
                                              detail: r.bodyName + say(" · hạn ", " · due ") + (due?.vietnamese ?? r.due) + (r.returnReason.map { " · " + $0 } ?? ""),
                                              due: r.due, state: r.state, stateLabel: English.say(r.stateLabel), link: r.link,
                                              urgent: r.state != "due" || (due.map { $0.adding(days: -3) <= today } ?? false)))
                    }
                    let awaiting = here.filter(\.awaitsCommittee).count
                    if approving, awaiting > 0 {
                        items.append(WorkItem(kind: "plan-approve", title: say("\(awaiting) báo cáo chờ UBND phê duyệt — ", "\(awaiting) reports waiting for the Committee's approval — ") + plan.number,
                                              detail: first.duty + " — " + label, due: nil, state: "accepted", stateLabel: English.say(TrackState.accepted.label),
                                              link: "/plans/\(planID)/duties?period=\(period)&state=accepted#tracker", urgent: false))
                    }
                    guard receiving else { continue }
                    let waiting = here.filter { $0.state == "submitted" || $0.state == "late" }.count
                    let missing = here.filter { $0.state == "missing" }.count
                    let link = "/plans/\(planID)/duties?state="
                    if waiting > 0 {
                        items.append(WorkItem(kind: "plan-accept", title: say("\(waiting) báo cáo chờ tiếp nhận — ", "\(waiting) reports waiting to be accepted — ") + plan.number,
                                              detail: first.duty + " — " + label, due: nil, state: "submitted", stateLabel: English.say(TrackState.submitted.label),
                                              link: "/plans/\(planID)/duties#tracker", urgent: false))
                    }
                    if missing > 0 {
                        items.append(WorkItem(kind: "plan-missing", title: say("\(missing) đơn vị chưa gửi — ", "\(missing) units have not sent — ") + plan.number,
                                              detail: first.duty + " — " + label, due: first.due, state: "missing", stateLabel: English.say(TrackState.missing.label),
                                              link: link + "missing", urgent: true))
                    }
                }
            }
        }
        return items
    }
}
