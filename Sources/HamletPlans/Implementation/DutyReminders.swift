import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts
import HamletReporting

/// Plan reports in the reminder run: a body whose report on a plan is due within three days, or
/// overdue by at most thirty, is reminded through its unit's officers, once per report, kind,
/// account and channel, like the periodic reports. The receiving side is not mailed one letter per
/// missing commune: its start page and the tracker count them.
extension ReminderRun {
    package static let planLead = 3, planOverdueDays = 30

    package func planReports(accounts: [User]) async throws -> Summary {
        var summary = Summary()
        let db = app.db
        let byCode = Dictionary(grouping: accounts, by: \.scopeCode)
        let nation = AccessScope(code: AccessScope.nationCode, path: "")
        let plans = try await Plan.query(on: db).filter(\.$fromYear <= today.year).filter(\.$toYear >= today.year - 1).all()
        let tracker = DutyTracker(db: db, scope: nation)
        for plan in plans {
            let rows = try await tracker.rows(plan, asOf: today).filter { r in
                guard let due = DayDate(r.due) else { return false }
                if r.state == TrackState.due.rawValue { return due.adding(days: -Self.planLead) <= today }
                return r.state == TrackState.missing.rawValue && due.adding(days: Self.planOverdueDays) >= today
            }
            guard !rows.isEmpty else { continue }
            for row in rows {
                let overdue = row.state == TrackState.missing.rawValue
                let recipients = (byCode[row.unitCode] ?? []).filter { $0.role.canEditWorkforce }
                let note = DutyNote(planNumber: plan.number, row: row, overdue: overdue)
                for user in recipients {
                    for outcome in try await deliver(note, to: user) { if outcome { summary.sent += 1 } else { summary.failed += 1 } }
                }
            }
        }
        return summary
    }
}

/// What a plan-report reminder says.
package struct DutyNote: ReminderNote {
    package let planNumber: String
    package let row: TrackerRow
    package let overdue: Bool

    package init(planNumber: String, row: TrackerRow, overdue: Bool) {
        (self.planNumber, self.row, self.overdue) = (planNumber, row, overdue)
    }
    package var setKey: String { "plan-duty:" + row.dutyId.uuidString }
    package var orgKey: String { row.body }
    package var periodKey: String { row.period }
    package var kind: String { overdue ? "overdue" : "due" }
    package var due: String { DayDate(row.due)?.vietnamese ?? row.due }
    package var subject: String { (overdue ? "Quá hạn: " : "Nhắc việc: ") + row.duty + " — " + row.bodyName + ", " + row.periodLabel + " (" + planNumber + ")" }
    package func body(for user: User, site: String?) -> String {
        let line = overdue
            ? "Báo cáo «\(row.duty)» (\(planNumber)) của \(row.bodyName), \(row.periodLabel), đã quá hạn gửi ngày \(due) mà chưa gửi."
            : "Báo cáo «\(row.duty)» (\(planNumber)) của \(row.bodyName), \(row.periodLabel), hạn gửi ngày \(due), chưa được gửi."
        return ["Chào \(user.displayName),", "", line, "Mở báo cáo: " + (site ?? "") + row.link, "",
                "— Hamlet", "Không muốn nhận thư nhắc việc: vào «Tài khoản của tôi» và tắt nhắc việc qua email."].joined(separator: "\n")
    }
    package var sms: String { "Hamlet: " + (overdue ? "QUÁ HẠN " : "") + row.duty + ", " + row.bodyName + ", " + row.periodLabel + ", hạn " + due + "." }
}
