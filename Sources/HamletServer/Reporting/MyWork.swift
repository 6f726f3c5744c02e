import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts

/// One thing an account has to do, one tap from where it is done.
struct WorkItem: Content {
    /// "report" (a report of the account's own unit), "approve" (reports waiting for its
    /// decision), "missing" (units below it that have not sent).
    var kind: String
    var title: String
    var detail: String
    /// The due day (yyyy-MM-dd), when the item has one.
    var due: String?
    var state: String
    var stateLabel: String
    var link: String
    /// Overdue, returned, or due within three days and not sent.
    var urgent: Bool
}

struct WorkList: Content {
    var role: String
    var asOf: String
    var items: [WorkItem]

    /// Urgent first, then by due day.
    mutating func sort() {
        items.sort { ($0.urgent ? 0 : 1, $0.due ?? "9999") < ($1.urgent ? 0 : 1, $1.due ?? "9999") }
    }
}

/// The reporting work of an account, most urgent first: its own unit's reports of the last three
/// periods (not started, draft, sent, returned with the reason, approved); for those who approve,
/// the reports waiting below them and the units that have not sent the last period due.
struct MyWork {
    let db: any Database
    let user: User
    let today: DayDate
    /// The lines are written in the page's language (the API's: Vietnamese unless the cookie says).
    var language: Language = .vi

    func say(_ vi: String, _ en: String) -> String { language == .en ? en : vi }
    func periodLabel(_ period: Period) -> String { language == .en ? period.englishLabel : period.label }

    func list() async throws -> WorkList {
        let scope = user.scope
        let unit = scope.isNation ? nil : try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$code == scope.code).first()
        let sets = try await DataSet.query(on: db).sort(\.$name).all()
            .filter { $0.ownerPath.isEmpty || scope.isNation || scope.path.hasPrefix($0.ownerPath) || $0.ownerPath.hasPrefix(scope.path) }
        var items: [WorkItem] = []
        for set in sets {
            if let unit, set.levels.contains(unit.level), user.role.canEnterReports {
                items += try await ownReports(set, unit)
            }
            if user.role.canApproveReports, let level = unit?.level, set.levels.contains(where: { Self.below($0, level) }) {
                items += try await below(set, unit!)
            }
        }
        if [.admin, .provinceOfficer, .communeOfficer].contains(user.role) { items += try await targetsAtRisk() }
        if [.viewer, .leader].contains(user.role) { items += try await targetsAtAGlance() }
        if [.admin, .provinceOfficer, .communeOfficer, .leader].contains(user.role) { items += try await planReports() }
        if user.role == .communeOfficer, let unit {
            items += try await hamletsWithoutCollaborator(unit)
            items += try await classesSoon(unit)
        }
        var list = WorkList(role: user.role.rawValue, asOf: today.iso, items: items)
        list.sort()
        return list
    }

    /// The targets of plans in force today that fall behind their line, measured at the account's
    /// unit (as its plan dashboards measure them).
    func targetsAtRisk() async throws -> [WorkItem] {
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

    static func below(_ level: UnitLevel, _ scope: UnitLevel) -> Bool {
        let order: [UnitLevel] = [.province, .district, .commune, .hamlet]
        return (order.firstIndex(of: level) ?? 0) > (order.firstIndex(of: scope) ?? 0)
    }

    /// The periods whose report may be entered, newest first: the current one once its window has
    /// begun, and the two before it.
    func periods(_ set: DataSet) -> [Period] { Self.openPeriods(set, today: today) }

    static func openPeriods(_ set: DataSet, today: DayDate) -> [Period] {
        var p = Period.containing(today, set.frequency)
        if set.window(p).lowerBound > today { p = p.previous }
        return [p, p.previous, p.previous.previous].filter { set.isOpen($0, today: today) }
    }

    func ownReports(_ set: DataSet, _ unit: AdminUnit) async throws -> [WorkItem] {
        let periods = periods(set)
        let reports = try await Report.query(on: db).filter(\.$dataSet.$id == set.requireID()).filter(\.$orgKind == "unit")
            .filter(\.$orgCode == unit.code).filter(\.$period ~~ periods.map(\.id)).all()
        let byPeriod = Dictionary(reports.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
        // The reminders this account was sent: the page says it was told, and how.
        let told = try await Reminder.query(on: db).filter(\.$dataSetCode == set.code).filter(\.$orgCode == unit.code)
            .filter(\.$period ~~ periods.map(\.id)).filter(\.$userID == user.requireID()).filter(\.$status == "sent").sort(\.$at).all()
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
    func below(_ set: DataSet, _ unit: AdminUnit) async throws -> [WorkItem] {
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

/// GET /api/v1/me/work: the same list as the start page.
struct MyWorkAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("me", "work", use: work)
    }

    func work(req: Request) async throws -> WorkList {
        try await MyWork.list(for: req)
    }
}
