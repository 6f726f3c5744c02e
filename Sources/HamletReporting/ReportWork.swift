import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts

/// The reporting work of an account: its own unit's reports of the last three periods (not
/// started, draft, sent, returned with the reason, approved); for those who approve, the reports
/// waiting below them and the units that have not sent the last period due.
extension MyWork {
    package static func below(_ level: UnitLevel, _ scope: UnitLevel) -> Bool {
        let order: [UnitLevel] = [.province, .district, .commune, .hamlet]
        return (order.firstIndex(of: level) ?? 0) > (order.firstIndex(of: scope) ?? 0)
    }

    /// The periods whose report may be entered, newest first: the current one once its window has
    /// begun, and the two before it.
    package func periods(_ set: DataSet) -> [Period] { Self.openPeriods(set, today: today) }

    package static func openPeriods(_ set: DataSet, today: DayDate) -> [Period] {
        var p = Period.containing(today, set.frequency)
        if set.window(p).lowerBound > today { p = p.previous }
        return [p, p.previous, p.previous.previous].filter { set.isOpen($0, today: today) }
    }

    package func ownReports(_ set: DataSet, _ unit: AdminUnit) async throws -> [WorkItem] {
        let periods = periods(set)
        let reports = try await Report.query(on: db).filter(\.$dataSet.$id == set.requireID()).filter(\.$orgKind == "unit")
            .filter(\.$orgCode == unit.code).filter(\.$period ~~ periods.map(\.id)).all()
        let byPeriod = Dictionary(reports.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
        // The reminders this account was sent: the page says it was told, and how.
        let told = try await Reminder.query(on: db).filter(\.$dataSetCode == set.code).filter(\.$orgCode == unit.code)
            .filter(\.$period ~~ periods.map(\.id)).filter(\.$userID == user.requireAccountID()).filter(\.$status == "sent").sort(\.$at).all()
        return periods.enumerated().compactMap { k, period in
            let report = byPeriod[period.id]
            let due = set.due(for: period)
            let status = report?.state
            let sent = status == .submitted || status == .approved
            // Older periods are listed only while something is left to do.
            if k > 0, sent { return nil }
            let (state, label): (String, String) = switch status {
            case nil: ("not-started", say("Chưa nhập", "Not started"))
            case .returned?: ("returned", say("Bị trả lại: ", "Returned: ") + (report?.comment ?? ""))
            case let s?: (s.rawValue, s.label)
            }
            let urgent = !sent && (status == .returned || due.adding(days: -3) <= today)
            var reminded = ""
            if let last = told.last(where: { $0.period == period.id }) {
                let how = say(" · đã nhắc qua " + last.channelLabel, last.channel == "sms" ? " · reminded by SMS" : " · reminded by email")
                reminded = how + " " + VietnameseFormat.dateTime(last.at)
            }
            return WorkItem(kind: "report", title: set.name + " — " + periodLabel(period), detail: unit.name + say(" · hạn ", " · due ") + due.vietnamese + (sent ? "" : reminded),
                            due: due.iso, state: state, stateLabel: label,
                            link: ReportPages.entryLink(set.code, unit.code, period.id), urgent: urgent)
        }
    }

    /// Reports waiting for a decision under the unit, and units that have not sent the last period due.
    package func below(_ set: DataSet, _ unit: AdminUnit) async throws -> [WorkItem] {
        var items: [WorkItem] = []
        let upper = AccessScope.upperBound(unit.path)
        let waiting = try await Report.query(on: db).filter(\.$dataSet.$id == set.requireID()).filter(\.$status == ReportStatus.submitted.rawValue)
            .filter(\.$orgPath >= unit.path).filter(\.$orgPath < upper).all().filter { ReportService.waits($0, for: unit.path) }
        for (period, group) in Dictionary(grouping: waiting, by: \.period).sorted(by: { $0.key > $1.key }) {
            items.append(WorkItem(kind: "approve", title: say("\(group.count) báo cáo chờ duyệt — ", "\(group.count) reports waiting for approval — ") + set.name,
                                  detail: Period(period).map(periodLabel) ?? period,
                                  due: nil, state: "waiting", stateLabel: say("Chờ duyệt", "Waiting for approval"), link: "/reports#waiting", urgent: false))
        }
        // The last period already due: who has not sent it.
        var last = Period.containing(today, set.frequency)
        while set.due(for: last) >= today { last = last.previous }
        let result = try await ReportCompleteness(db: db).run(set, unit: unit, periods: [last], today: today)
        let missing = result.rows.filter { $0.code != unit.code && ($0.cells.first == Timeliness.missing.rawValue || $0.cells.first == Timeliness.returned.rawValue) }
        if !missing.isEmpty {
            let names = missing.prefix(5).map(\.name).joined(separator: ", ") + (missing.count > 5 ? ", …" : "")
            items.append(WorkItem(kind: "missing", title: say("\(missing.count) đơn vị chưa gửi — ", "\(missing.count) units have not sent — ") + set.name + ", " + periodLabel(last),
                                  detail: names, due: set.due(for: last).iso, state: "missing", stateLabel: say("Quá hạn", "Overdue"),
                                  link: "/reports/completeness?set=\(set.code)&unit=\(unit.code)", urgent: true))
        }
        return items
    }
}

