import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations
import HamletTraining

struct PlanDTO: Content {
    struct Objective: Content { var id: UUID?; var general: Bool; var text: String }
    /// `status` is the task's state on the day the plan is shown for (`TaskState`), from the
    /// updates dated by then; `recorded` is what was last entered.
    struct Task: Content {
        var id: UUID?; var title: String; var leadAgencyId: UUID; var leadAgency: String; var coordinating: [String]; var timeFrame: String
        var startsOn: String; var endsOn: String; var status: String; var statusLabel: String; var recorded: String; var progress: [Progress]
    }
    struct Progress: Content { var on: String; var status: String; var text: String; var username: String }
    struct Budget: Content { var id: UUID?; var source: String; var sourceLabel: String; var year: Int; var planned: Int64; var spent: Int64 }
    var id: UUID?; var number: String; var kind: String; var kindLabel: String; var issuer: String; var signer: String?; var issuedOn: String
    var title: String; var fromYear: Int; var toYear: Int; var scopeCode: String; var legalBases: [String]
    /// The status on `asOf`: draft, active or ended; `statusSource` says whether it follows the
    /// period or what an officer recorded (with `statusReason`); `recordedStatus` is what is stored.
    var status: String; var statusLabel: String; var statusSource: String; var statusReason: String?; var statusSince: String?; var recordedStatus: String
    var asOf: String
    var reportWhat: String?; var reportBy: String?; var reportTo: String?; var reportDue: String?; var interimYear: Int?; var finalYear: Int?
    var objectives: [Objective]?; var tasks: [Task]?; var budget: [Budget]?

    init(_ p: Plan, asOf day: DayDate) {
        id = p.id; number = p.number; kind = p.kind; kindLabel = PlanKind(rawValue: p.kind)?.label ?? p.kind; issuer = p.issuer; signer = p.signer
        issuedOn = p.issuedOn; title = p.title; fromYear = p.fromYear; toYear = p.toYear; scopeCode = p.scopeCode
        legalBases = (p.legalBases ?? "").split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let state = p.state(on: day)
        status = state.status.rawValue; statusLabel = state.label; statusSource = state.source.rawValue; statusReason = p.statusReason
        statusSince = p.statusSince; recordedStatus = p.status; asOf = day.iso
        reportWhat = p.reportWhat; reportBy = p.reportBy; reportTo = p.reportTo; reportDue = p.reportDue; interimYear = p.interimYear; finalYear = p.finalYear
    }

    /// "Sở Lao động - Thương binh và Xã hội tỉnh X (đến 28/02/2025; từ 01/03/2025 hợp nhất vào …)".
    static func agencyName(_ o: Organisation, on day: DayDate) -> String {
        guard let to = o.validTo.flatMap(DayDate.init), to < day else { return o.name }
        return o.name + " (hoạt động đến " + to.vietnamese + (o.note.map { "; " + $0 } ?? "") + ")"
    }

    /// With objectives, tasks (and their updates) and budget lines.
    static func full(_ p: Plan, asOf day: DayDate, on db: any Database) async throws -> PlanDTO {
        var dto = PlanDTO(p, asOf: day)
        let id = try p.requireID()
        dto.objectives = try await PlanObjective.query(on: db).filter(\.$planID == id).sort(\.$position).all().map { Objective(id: $0.id, general: $0.general, text: $0.text) }
        let tasks = try await PlanTask.query(on: db).filter(\.$planID == id).sort(\.$position).all()
        let agencyIDs = Set(tasks.flatMap { [$0.leadAgencyID] + $0.coordinating.split(separator: ",").compactMap { UUID(uuidString: String($0)) } })
        // An agency merged away by the day asked keeps the name the plan gave it, with its dated note.
        let names = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$id ~~ Array(agencyIDs)).all().compactMap { o in
            o.id.map { ($0, Self.agencyName(o, on: day)) }
        })
        let progress = try await TaskProgress.query(on: db).filter(\.$taskID ~~ tasks.compactMap(\.id)).sort(\.$on).all()
        dto.tasks = tasks.map { t in
            let updates = progress.filter { $0.taskID == t.id && $0.on <= day.iso }
            let state = TaskState.on(day, starts: DayDate(t.startsOn) ?? day, ends: DayDate(t.endsOn) ?? day,
                                     updates: updates.compactMap { u in DayDate(u.on).map { TaskState.Update(on: $0, state: TaskState(rawValue: u.status) ?? .inProgress) } })
            return Task(id: t.id, title: t.title, leadAgencyId: t.leadAgencyID, leadAgency: names[t.leadAgencyID] ?? "",
                        coordinating: t.coordinating.split(separator: ",").compactMap { UUID(uuidString: String($0)).flatMap { names[$0] } },
                        timeFrame: t.timeFrame, startsOn: t.startsOn, endsOn: t.endsOn, status: state.rawValue, statusLabel: state.label, recorded: t.status,
                        progress: updates.map { Progress(on: $0.on, status: $0.status, text: $0.text, username: $0.username) })
        }
        dto.budget = try await PlanBudgetLine.query(on: db).filter(\.$planID == id).filter(\.$year <= day.year).sort(\.$year).sort(\.$source).all().map {
            Budget(id: $0.id, source: $0.source, sourceLabel: FundingSource(rawValue: $0.source)?.label ?? $0.source, year: $0.year, planned: $0.planned, spent: $0.spent)
        }
        return dto
    }
}

struct TargetView: Content {
    struct Point: Content { var label: String; var date: String; var value: Double? }
    /// A stage whose deadline has passed, with its value on that day.
    /// `computable` false: a change from a baseline of 0 that day (no value); a nil value otherwise is withheld.
    struct Verdict: Content { var deadline: String; var goal: Double; var value: Double?; var met: Bool; var computable: Bool? = nil }
    var id: UUID?; var indicatorId: UUID; var indicatorCode: String; var name: String; var measure: String; var objectiveId: UUID?
    var unitCode: String; var unitName: String; var stages: [StageInput]; var baselineYear: Int?; var baselineValue: Double?
    /// "at-least" (≥) or "at-most" (≤), and its sign.
    var direction: String; var directionSymbol: String
    var current: Double; var numerator: Int?; var denominator: Int?; var expected: Double; var status: String; var statusLabel: String
    /// Once the target is over: the day it was judged on and its value then (`status` is then achieved or missed).
    var judgedOn: String?; var judgedValue: Double?
    var verdicts: [Verdict]
    var trend: [Point]; var children: [IndicatorValue.Child]
    /// A change against this year: `current` is the change in %, `numerator` and `denominator` the two counts.
    var changeAgainst: Int? = nil
    /// A case count from 1 to 4, withheld: `current` is then 0 and shown "< 5".
    var hidden: Bool? = nil
    /// false: a change against a baseline of 0 on the day asked; `current` is then 0 and means nothing.
    var computable: Bool? = nil
    /// "legacy": counted over the communes before the 2025 reform; the posts it could not place.
    var map: String? = nil; var unplaced: Int? = nil

    /// A value as written on the page, in the export and the DOCX; nil is "not computable" when
    /// the target says so, else a withheld case count.
    func text(_ v: Double?, computable: Bool? = nil) -> String {
        if computable == false, let year = changeAgainst { return FigureText.notComputable(against: year) }
        return v.map { FigureText.current($0, percent: measure == "%" && changeAgainst == nil, changeAgainst: changeAgainst) } ?? SmallCounts.shown
    }
}

struct PlanDashboardDTO: Content {
    var plan: PlanDTO
    var unitCode: String
    var unitName: String
    var date: String
    var statusRule: String
    var targets: [TargetView]
}

/// Each target of a plan: its indicator now, the straight-line expectation, the status, the value
/// at each year's end since the plan began, and each child unit's figure. An account below the
/// plan's scope sees every target measured at its own unit.
struct PlanDashboard {
    let db: any Database
    let scope: AccessScope
    /// Days before the 2025 reform: over the units of the time, or the 2025 units when asked.
    var map: UnitMap = .ofTheTime

    static let statusRule = "Mỗi chỉ tiêu ghi chiều của nó: tối thiểu (≥) hoặc tối đa (≤). Từ hạn cuối (hoặc ngày kết thúc kế hoạch, nếu sớm hơn) trở đi: Đạt hoặc Không đạt, theo giá trị của chính ngày đó. Trước đó: Đạt khi giá trị đã đạt mốc cuối theo chiều của chỉ tiêu; Đúng tiến độ khi đạt đường thẳng nối giá trị năm cơ sở với từng mốc; Có nguy cơ không đạt khi chưa đạt đường đó. Mỗi mốc đã qua hạn được đánh giá theo giá trị ngày hạn. Chỉ tiêu so sánh với một năm cơ sở có số bằng 0 thì Không tính được (không có tỷ lệ thay đổi)."

    /// `at`: measure every target at this unit instead (inside the plan's scope and the account's
    /// subtree; else 404), to open the dashboard one level down.
    /// `planAsOf`: the day the plan's own status is told for (default: `date`); a dashboard whose
    /// figures stop at the plan's last day still says the plan has ended.
    func build(_ plan: Plan, date: String, withTrend: Bool = true, at code: String? = nil, planAsOf: DayDate? = nil) async throws -> PlanDashboardDTO {
        let directory = UnitDirectory(db: db, scope: scope)
        var chosen: AdminUnit?
        if let code, !code.isEmpty {
            guard let unit = try await directory.find(.current, code), scope.contains(path: unit.path), unit.path.hasPrefix(plan.scopePath) else {
                throw HamletError.notFound
            }
            chosen = unit
        }
        let targets = try await Target.query(on: db).filter(\.$planID == plan.requireID()).all()
        let indicators = Dictionary(uniqueKeysWithValues: try await Indicator.query(on: db).filter(\.$id ~~ targets.map(\.indicatorID)).all().compactMap { i in i.id.map { ($0, i) } })
        let own = scope.isNation ? nil : try await directory.find(.current, scope.code)
        let engine = IndicatorEngine(db: db, map: map)
        guard let today = DayDate(date) else { throw HamletError.invalid("date", "Ngày không hợp lệ.") }
        var views: [TargetView] = []
        for t in targets {
            guard let indicator = indicators[t.indicatorID] else { continue }
            // Measured at the target's unit when the account covers it, else at the account's own unit.
            var unit = chosen
            if unit == nil { unit = scope.contains(path: t.unitPath) ? try await directory.find(.current, t.unitCode) : own }
            let stages = (try? JSONDecoder().decode([StageInput].self, from: Data(t.stages.utf8))) ?? []
            let parsed = stages.compactMap { s in DayDate(s.deadline).map { TargetStatus.Stage(deadline: $0, value: s.value) } }
            let direction = TargetDirection(rawValue: t.direction) ?? .atLeast
            let baselineDay = DayDate(year: t.baselineYear ?? plan.fromYear - 1, month: 12, day: 31) ?? today
            // The baseline (when not given), each year's end and each passed deadline, computed together.
            let years = withTrend ? (plan.fromYear...max(plan.fromYear, min(plan.toYear, today.year))).filter { $0 < today.year } : []
            var days = years.map { "\($0)-12-31" } + TargetStatus.daysNeeded(stages: parsed, on: today, planEnds: plan.endsOn).map(\.iso)
            if t.baselineValue == nil { days.append(baselineDay.iso) }
            let (now, values) = try await engine.value(indicator, unit: unit, date: today.iso, andOn: Array(Set(days)).sorted())
            let baselineValue = t.baselineValue ?? values[baselineDay.iso] ?? 0
            // A change from a baseline of 0 has no value, on the day asked or on a deadline.
            let current: Double? = now.computable == false ? nil : now.value
            let judged = TargetStatus.evaluate(direction: direction, baseline: .init(deadline: baselineDay, value: baselineValue), stages: parsed, on: today,
                                               current: current, planEnds: plan.endsOn, valueOn: { $0 == today ? current : values[$0.iso] },
                                               unknownIsNotComputable: now.baselineYear != nil)
            // A year with no value is a gap, not 0.
            var trend: [TargetView.Point] = years.map { .init(label: String($0), date: "\($0)-12-31", value: values["\($0)-12-31"]) }
            // The day asked closes the line; on a year's last day it is labelled by the year alone.
            let last = today.month == 12 && today.day == 31 ? String(today.year) : today.vietnamese
            if withTrend { trend.append(.init(label: last, date: today.iso, value: current)) }
            var verdicts = judged.verdicts.map { v in
                TargetView.Verdict(deadline: v.stage.deadline.iso, goal: v.stage.value, value: v.value, met: v.met,
                                   computable: v.value == nil && now.baselineYear != nil ? false : nil)
            }
            var judgedValue: Double? = judged.judgedOn == nil ? nil : judged.value
            // Case counts are shown as case figures are: under 5 withheld, statuses on the true value.
            let shown = now.hidingSmallCaseCounts()
            var baseline: Double? = baselineValue
            if shown.isCaseFigure {
                trend = shown.measure == "%" ? [] : trend.filter { !SmallCounts.hides(Int($0.value ?? 0)) }
                if shown.measure != "%", SmallCounts.hides(Int(baselineValue)) { baseline = nil }
                // A withheld count is withheld in the verdicts too.
                func withheld(_ v: Double?) -> Double? { v.flatMap { shown.measure == "%" || SmallCounts.hides(Int($0)) ? nil : $0 } }
                // What the page already shows for the day asked is not withheld again when judged on that day.
                let shownToday = shown.hidden == true ? nil : shown.value
                verdicts = verdicts.map { var v = $0; v.value = v.deadline == today.iso && v.value != nil ? shownToday : withheld(v.value); return v }
                judgedValue = judged.judgedOn == today && judgedValue != nil ? shownToday : withheld(judgedValue)
            }
            views.append(TargetView(id: t.id, indicatorId: t.indicatorID, indicatorCode: indicator.code, name: indicator.name, measure: now.measure,
                                    objectiveId: t.objectiveID, unitCode: now.unitCode, unitName: now.unitName, stages: stages,
                                    baselineYear: t.baselineYear, baselineValue: baseline, direction: direction.rawValue, directionSymbol: direction.symbol,
                                    current: shown.value, numerator: shown.numerator, denominator: shown.denominator,
                                    expected: (judged.expected * 10).rounded() / 10, status: judged.status.rawValue, statusLabel: judged.status.label,
                                    judgedOn: judged.judgedOn?.iso, judgedValue: judgedValue, verdicts: verdicts,
                                    trend: trend, children: shown.children, changeAgainst: now.baselineYear, hidden: shown.hidden, computable: now.computable,
                                    map: now.map, unplaced: now.unplaced))
        }
        var shown = chosen
        if shown == nil { shown = scope.contains(path: plan.scopePath) ? try await directory.find(.current, plan.scopeCode) : own }
        return PlanDashboardDTO(plan: PlanDTO(plan, asOf: planAsOf ?? today), unitCode: shown?.code ?? plan.scopeCode, unitName: shown?.name ?? "", date: today.iso,
                                statusRule: Self.statusRule, targets: views)
    }
}
