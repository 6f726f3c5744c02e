import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletNotify

/// Reminds the accounts of a unit whose report is not sent: N days before its due day (N per form,
/// 3 when the form says nothing; 0 for none before) and once it is overdue, when the officers of
/// the level above are told too. By email (unless the account turned it off) and by SMS where
/// configured; the start page says it at all times. Each reminder goes once per report, kind,
/// account and channel (`Reminder`'s unique key); a failed one is tried again on the next run,
/// three times in all. `hamlet serve` runs this every hour when a channel is configured;
/// `hamlet remind` runs it once.
extension Application {
    private struct OtherRemindersKey: StorageKey {
        typealias Value = [@Sendable (ReminderRun, [User]) async throws -> ReminderRun.Summary]
    }

    /// Reminders other features send in the same run (the plans' reports due under their
    /// duties), handed down when the app is put together.
    package var otherReminders: [@Sendable (ReminderRun, [User]) async throws -> ReminderRun.Summary] {
        get { storage[OtherRemindersKey.self] ?? [] }
        set { storage[OtherRemindersKey.self] = newValue }
    }
}

package struct ReminderRun {
    package let app: Application
    package let today: DayDate

    package init(app: Application, today: DayDate) { self.app = app; self.today = today }

    package struct Summary: Equatable {
        package var sent = 0
        package var failed = 0

        package init(sent: Int = 0, failed: Int = 0) { (self.sent, self.failed) = (sent, failed) }
    }

    package static let defaultLead = 3

    package func run() async throws -> Summary {
        var summary = Summary()
        guard !app.notify.isOff else { return summary }
        let db = app.db
        let accounts = try await User.query(on: db).filter(\.$disabledAt == nil)
            .filter(\.$role ~~ [Role.collaborator, .communeOfficer, .provinceOfficer]).all()
        let byPath = Dictionary(grouping: accounts, by: \.scopePath)
        let units = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$code ~~ Array(Set(accounts.map(\.scopeCode)))).all()
        for set in try await DataSet.query(on: db).all() {
            let lead = set.remindDays ?? Self.defaultLead
            let periods = MyWork.openPeriods(set, today: today)
            let owning = units.filter { set.levels.contains($0.level) }
            guard !owning.isEmpty else { continue }
            let sent = try await sentReports(set, owning.map(\.code), periods.map(\.id))
            for unit in owning {
                let owners = (byPath[unit.path] ?? []).filter { $0.role.canEnterReports }
                for period in periods where !sent.contains(unit.code + "|" + period.id) {
                    let due = set.due(for: period)
                    let overdue = today > due
                    guard overdue || due.adding(days: -lead) <= today && lead > 0 else { continue }
                    var recipients = owners
                    if overdue, let parent = UnitDirectory.ancestorPaths(of: unit.path).last {
                        recipients += (byPath[parent] ?? []).filter { $0.role.canApproveReports }
                    }
                    let note = Note(set: set, unit: unit, period: period, due: due, overdue: overdue)
                    for user in recipients {
                        for outcome in try await deliver(note, to: user) { if outcome { summary.sent += 1 } else { summary.failed += 1 } }
                    }
                }
            }
        }
        for other in app.otherReminders {
            let more = try await other(self, accounts)
            summary.sent += more.sent; summary.failed += more.failed
        }
        return summary
    }

    /// Units of the list whose report of a period is sent or approved: "code|period".
    package func sentReports(_ set: DataSet, _ codes: [String], _ periods: [String]) async throws -> Set<String> {
        var out = Set<String>()
        for chunk in stride(from: 0, to: codes.count, by: 500).map({ Array(codes[$0..<min($0 + 500, codes.count)]) }) {
            let reports = try await Report.query(on: app.db).filter(\.$dataSet.$id == set.requireID()).filter(\.$orgKind == "unit")
                .filter(\.$orgCode ~~ chunk).filter(\.$period ~~ periods)
                .filter(\.$status ~~ [ReportStatus.submitted.rawValue, ReportStatus.approved.rawValue]).all()
            for r in reports { out.insert(r.orgCode + "|" + r.period) }
        }
        return out
    }

    /// What a reminder says.
    package struct Note: ReminderNote {
        package var setKey: String { self.set.code }
        package var orgKey: String { unit.code }
        package var periodKey: String { period.id }
        package let set: DataSet
        package let unit: AdminUnit
        package let period: Period
        package let due: DayDate
        package let overdue: Bool

        package init(set: DataSet, unit: AdminUnit, period: Period, due: DayDate, overdue: Bool) {
            (self.set, self.unit, self.period, self.due) = (set, unit, period, due)
            self.overdue = overdue
        }
        package var kind: String { overdue ? "overdue" : "due" }
        package var link: String { ReportPages.entryLink(set.code, unit.code, period.id) }
        package var subject: String { (overdue ? "Quá hạn: " : "Nhắc việc: ") + set.name + " — " + unit.name + ", " + period.label }
        package func body(for user: User, site: String?) -> String {
            let own = user.scopePath == unit.path
            let line = overdue
                ? "Báo cáo «\(set.name)» của \(unit.name), \(period.label), đã quá hạn gửi ngày \(due.vietnamese) mà chưa gửi."
                : "Báo cáo «\(set.name)» của \(unit.name), \(period.label), hạn gửi ngày \(due.vietnamese), chưa được gửi."
            return ["Chào \(user.displayName),", "", line, (own ? "Mở báo cáo: " : "Xem báo cáo: ") + (site ?? "") + link, "",
                    "— Hamlet", "Không muốn nhận thư nhắc việc: vào «Tài khoản của tôi» và tắt nhắc việc qua email."].joined(separator: "\n")
        }
        package var sms: String { "Hamlet: " + (overdue ? "QUÁ HẠN " : "") + set.name + ", " + unit.name + ", " + period.label + ", hạn " + due.vietnamese + "." }
    }

    /// Each channel open to the account: true sent, false failed; nothing when already sent.
    package func deliver(_ note: any ReminderNote, to user: User) async throws -> [Bool] {
        var outcomes: [Bool] = []
        let notify = app.notify
        if let smtp = notify.smtp, let email = user.email, !email.isEmpty, user.emailRemindersOff != true,
           let outcome = try await once(note, user, "email", { try await SMTPMail.send(smtp, to: email, subject: note.subject, body: note.body(for: user, site: notify.site), now: app.clock.now) }) {
            outcomes.append(outcome)
        }
        if notify.smsWebhook != nil, let phone = user.phone, !phone.isEmpty,
           let outcome = try await once(note, user, "sms", { try await SMSWebhook.send(app, to: phone, text: note.sms) }) {
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// Claims the reminder (an insert the unique key lets through once), sends, records how it went.
    package func once(_ note: any ReminderNote, _ user: User, _ channel: String, _ send: () async throws -> Void) async throws -> Bool? {
        let db = app.db
        func find() async throws -> Reminder? {
            try await Reminder.query(on: db).filter(\.$dataSetCode == note.setKey).filter(\.$orgCode == note.orgKey)
                .filter(\.$period == note.periodKey).filter(\.$kind == note.kind).filter(\.$userID == user.requireID()).filter(\.$channel == channel).first()
        }
        let existing = try await find()
        let reminder: Reminder
        if let existing {
            guard existing.status == "failed", existing.attempts < 3 else { return nil }
            existing.attempts += 1
            existing.status = "sending"
            try await existing.update(on: db)
            reminder = existing
        } else {
            reminder = Reminder()
            reminder.dataSetCode = note.setKey; reminder.orgCode = note.orgKey; reminder.period = note.periodKey; reminder.kind = note.kind
            reminder.userID = try user.requireID(); reminder.username = user.username; reminder.channel = channel
            reminder.status = "sending"; reminder.attempts = 1; reminder.at = app.clock.now
            do { try await reminder.create(on: db) } catch {
                // Another instance took it in the meantime; anything else is a real failure.
                if try await find() != nil { return nil }
                throw error
            }
        }
        do {
            try await send()
            reminder.status = "sent"; reminder.detail = nil
        } catch {
            app.logger.warning("reminder \(channel) to \(user.username) failed: \(error)")
            reminder.status = "failed"; reminder.detail = String(String(describing: error).prefix(300))
        }
        reminder.at = app.clock.now
        try await reminder.update(on: db)
        return reminder.status == "sent"
    }
}

/// What a reminder is about and what it says: a unit's report of a form, or a body's report on a
/// plan (`DutyNote`). The keys make it once per report, kind, account and channel.
package protocol ReminderNote {
    var setKey: String { get }
    var orgKey: String { get }
    var periodKey: String { get }
    var kind: String { get }
    var subject: String { get }
    func body(for user: User, site: String?) -> String
    var sms: String { get }
}

/// `hamlet serve` reminds every hour while a channel is configured.
package struct ReminderSchedule: LifecycleHandler {
    package init() {}
    /// Started by `serve` once the database is ready (not at boot: a first start migrates after it).
    package static func start(_ app: Application) {
        guard !app.notify.isOff else { return }
        let task = Task {
            while !Task.isCancelled {
                do { _ = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run() }
                catch { app.logger.warning("reminders: \(error)") }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        app.storage[TaskKey.self] = task
    }

    package func shutdownAsync(_ app: Application) async { app.storage[TaskKey.self]?.cancel() }

    package struct TaskKey: StorageKey { package typealias Value = Task<Void, Never> }
}
