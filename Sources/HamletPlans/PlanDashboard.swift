import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletOrganisations
import HamletTraining

package struct PlanDTO: Content {
    package struct Objective: Content {
        package var id: UUID?
        package var general: Bool
        package var text: String
        package init(id: UUID? = nil, general: Bool, text: String) {
            (self.id, self.general, self.text) = (id, general, text)
        }
    }
    /// `status` is the task's state on the day the plan is shown for (`TaskState`), from the
    /// updates dated by then; `recorded` is what was last entered.
    package struct Task: Content {
        package var id: UUID?
        package var title: String
        package var leadAgencyId: UUID
        package var leadAgency: String
        package var coordinating: [String]
        package var timeFrame: String
        package var startsOn: String
        package var endsOn: String
        package var status: String
        package var statusLabel: String
        package var recorded: String
        package var progress: [Progress]

        package init(id: UUID? = nil, title: String, leadAgencyId: UUID, leadAgency: String, coordinating: [String],
                     timeFrame: String, startsOn: String, endsOn: String, status: String, statusLabel: String, recorded: String,
                     progress: [Progress]) {
            (self.id, self.title, self.leadAgencyId, self.leadAgency) = (id, title, leadAgencyId, leadAgency)
            (self.coordinating, self.timeFrame, self.startsOn, self.endsOn) = (coordinating, timeFrame, startsOn, endsOn)
            (self.status, self.statusLabel, self.recorded, self.progress) = (status, statusLabel, recorded, progress)
        }
    }
    package struct Progress: Content {
        package var on: String
        package var status: String
        package var text: String
        package var username: String
        package init(on: String, status: String, text: String, username: String) {
            (self.on, self.status, self.text, self.username) = (on, status, text, username)
        }
    }
    package struct Budget: Content {
        package var id: UUID?
        package var source: String
        package var sourceLabel: String
        package var year: Int
        package var planned: Int64
        package var spent: Int64
        package init(id: UUID? = nil, source: String, sourceLabel: String, year: Int, planned: Int64, spent: Int64) {
            (self.id, self.source, self.sourceLabel, self.year) = (id, source, sourceLabel, year)
            (self.planned, self.spent) = (planned, spent)
        }
    }
    package var id: UUID?
    package var number: String
    package var kind: String
    package var kindLabel: String
    package var issuer: String
    package var signer: String?
    package var issuedOn: String
    package var title: String
    package var fromYear: Int
    package var toYear: Int
    package var scopeCode: String
    package var legalBases: [String]
    /// The status on `asOf`: draft, active or ended; `statusSource` says whether it follows the
    /// period or what an officer recorded (with `statusReason`); `recordedStatus` is what is stored.
    package var status: String
    package var statusLabel: String
    package var statusSource: String
    package var statusReason: String?
    package var statusSince: String?
    package var recordedStatus: String
    package var asOf: String
    package var reportWhat: String?
    package var reportBy: String?
    package var reportTo: String?
    package var reportDue: String?
    package var interimYear: Int?
    package var finalYear: Int?
    package var objectives: [Objective]?
    package var tasks: [Task]?
    package var budget: [Budget]?

    package init(_ p: Plan, asOf day: DayDate) {
        id = p.id; number = p.number; kind = p.kind; kindLabel = PlanKind(rawValue: p.kind)?.label ?? p.kind; issuer = p.issuer; signer = p.signer
        issuedOn = p.issuedOn; title = p.title; fromYear = p.fromYear; toYear = p.toYear; scopeCode = p.scopeCode
        legalBases = (p.legalBases ?? "").split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let state = p.state(on: day)
        status = state.status.rawValue; statusLabel = state.label; statusSource = state.source.rawValue; statusReason = p.statusReason
        statusSince = p.statusSince; recordedStatus = p.status; asOf = day.iso
        reportWhat = p.reportWhat; reportBy = p.reportBy; reportTo = p.reportTo; reportDue = p.reportDue; interimYear = p.interimYear; finalYear = p.finalYear
    }

    /// "Sở Lao động - Thương binh và Xã hội tỉnh X (đến 28/02/2025; từ 01/03/2025 hợp nhất vào …)".
    package static func agencyName(_ o: Organisation, on day: DayDate) -> String {
        guard let to = o.validTo.flatMap(DayDate.init), to < day else { return o.name }
        return o.name + " (hoạt động đến " + to.vietnamese + (o.note.map { "; " + $0 } ?? "") + ")"
    }

    /// With objectives, tasks (and their updates) and budget lines.
    package static func full(_ p: Plan, asOf day: DayDate, on db: any Database) async throws -> PlanDTO {
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

package struct TargetView: Content {
    package struct Point: Content {
        package var label: String
        package var date: String
        package var value: Double?
        package init(label: String, date: String, value: Double? = nil) {
            (self.label, self.date, self.value) = (label, date, value)
        }
    }
    /// A stage whose deadline has passed, with its value on that day.
    /// `computable` false: a change from a baseline of 0 that day (no value); a nil value otherwise is withheld.
    package struct Verdict: Content {
        package var deadline: String
        package var goal: Double
        package var value: Double?
        package var met: Bool
        package var computable: Bool? = nil
        package init(deadline: String, goal: Double, value: Double? = nil, met: Bool, computable: Bool? = nil) {
            (self.deadline, self.goal, self.value, self.met) = (deadline, goal, value, met)
            self.computable = computable
        }
    }
    package var id: UUID?
    package var indicatorId: UUID
    package var indicatorCode: String
    package var name: String
    package var measure: String
    package var objectiveId: UUID?
    package var unitCode: String
    package var unitName: String
    package var stages: [StageInput]
    package var baselineYear: Int?
    package var baselineValue: Double?
    /// "at-least" (≥) or "at-most" (≤), and its sign.
    package var direction: String
    package var directionSymbol: String
    package var current: Double
    package var numerator: Int?
    package var denominator: Int?
    package var expected: Double
    package var status: String
    package var statusLabel: String
    /// Once the target is over: the day it was judged on and its value then (`status` is then achieved or missed).
    package var judgedOn: String?
    package var judgedValue: Double?
    package var verdicts: [Verdict]
    package var trend: [Point]
    package var children: [IndicatorValue.Child]
    /// A change against this year: `current` is the change in %, `numerator` and `denominator` the two counts.
    package var changeAgainst: Int? = nil
    /// A case count from 1 to 4, withheld: `current` is then 0 and shown "< 5".
    package var hidden: Bool? = nil
    /// false: a change against a baseline of 0 on the day asked; `current` is then 0 and means nothing.
    package var computable: Bool? = nil
    /// "legacy": counted over the communes before the 2025 reform; the posts it could not place.
    package var map: String? = nil
    package var unplaced: Int? = nil
    /// true: counted live while the indicator's kept tally is being built (`IndicatorValue.building`).
    package var building: Bool? = nil

    package init(id: UUID? = nil, indicatorId: UUID, indicatorCode: String, name: String, measure: String,
                 objectiveId: UUID? = nil, unitCode: String, unitName: String, stages: [StageInput], baselineYear: Int? = nil,
                 baselineValue: Double? = nil, direction: String, directionSymbol: String, current: Double, numerator: Int? = nil,
                 denominator: Int? = nil, expected: Double, status: String, statusLabel: String, judgedOn: String? = nil,
                 judgedValue: Double? = nil, verdicts: [Verdict], trend: [Point], children: [IndicatorValue.Child],
                 changeAgainst: Int? = nil, hidden: Bool? = nil, computable: Bool? = nil, map: String? = nil,
                 unplaced: Int? = nil) {
        (self.id, self.indicatorId, self.indicatorCode, self.name) = (id, indicatorId, indicatorCode, name)
        (self.measure, self.objectiveId, self.unitCode, self.unitName) = (measure, objectiveId, unitCode, unitName)
        (self.stages, self.baselineYear, self.baselineValue, self.direction) = (stages, baselineYear, baselineValue, direction)
        (self.directionSymbol, self.current, self.numerator, self.denominator) = (directionSymbol, current, numerator, denominator)
        (self.expected, self.status, self.statusLabel, self.judgedOn) = (expected, status, statusLabel, judgedOn)
        (self.judgedValue, self.verdicts, self.trend, self.children) = (judgedValue, verdicts, trend, children)
        (self.changeAgainst, self.hidden, self.computable, self.map) = (changeAgainst, hidden, computable, map)
        self.unplaced = unplaced
    }

    /// A value as written on the page, in the export and the DOCX; nil is "not computable" when
    /// the target says so, else a withheld case count.
    package func text(_ v: Double?, computable: Bool? = nil) -> String {
        if computable == false, let year = changeAgainst { return FigureText.notComputable(against: year) }
        return v.map { FigureText.current($0, percent: measure == "%" && changeAgainst == nil, changeAgainst: changeAgainst) } ?? SmallCounts.shown
    }
}

package struct PlanDashboardDTO: Content {
    package var plan: PlanDTO
    package var unitCode: String
    package var unitName: String
    package var date: String
    package var statusRule: String
    package var targets: [TargetView]

    package init(plan: PlanDTO, unitCode: String, unitName: String, date: String, statusRule: String, targets: [TargetView]) {
        (self.plan, self.unitCode, self.unitName, self.date) = (plan, unitCode, unitName, date)
        (self.statusRule, self.targets) = (statusRule, targets)
    }
}

/// Each target of a plan: its indicator now, the straight-line expectation, the status, the value
/// at each year's end since the plan began, and each child unit's figure. An account below the
/// plan's scope sees every target measured at its own unit.
package struct PlanDashboard {
    package let db: any Database
    package let scope: AccessScope
    /// Days before the 2025 reform: over the units of the time, or the 2025 units when asked.
    package var map: UnitMap = .ofTheTime

    package init(db: any Database, scope: AccessScope, map: UnitMap = .ofTheTime) {
        (self.db, self.scope, self.map) = (db, scope, map)
    }

    package static let statusRule = "Mỗi chỉ tiêu ghi chiều của nó: tối thiểu (≥) hoặc tối đa (≤). Từ hạn cuối (hoặc ngày kết thúc kế hoạch, nếu sớm hơn) trở đi: Đạt hoặc Không đạt, theo giá trị của chính ngày đó. Trước đó: Đạt khi giá trị đã đạt mốc cuối theo chiều của chỉ tiêu; Đúng tiến độ khi đạt đường thẳng nối giá trị năm cơ sở với từng mốc; Có nguy cơ không đạt khi chưa đạt đường đó. Mỗi mốc đã qua hạn được đánh giá theo giá trị ngày hạn. Chỉ tiêu so sánh với một năm cơ sở có số bằng 0 thì Không tính được (không có tỷ lệ thay đổi)."

    /// The dashboard as `build` makes it, kept while nothing it read has changed (`req.kept`).
    package func kept(_ req: Request, _ plan: Plan, date: String, withTrend: Bool = true, at code: String? = nil,
                      planAsOf: DayDate? = nil) async throws -> PlanDashboardDTO {
        return try await req.kept(question(plan, date: date, withTrend: withTrend, at: code, planAsOf: planAsOf), on: db, reads: { try await Indicator.reads(forPlan: plan, on: db) }) {
            try await build(plan, date: date, withTrend: withTrend, at: code, planAsOf: planAsOf)
        }
    }

    /// The same, for the API: kept as the JSON sent, so a read with nothing changed is not encoded again.
    package func keptJSON(_ req: Request, _ plan: Plan, date: String, withTrend: Bool = true, at code: String? = nil,
                          planAsOf: DayDate? = nil) async throws -> Response {
        return try await req.keptJSON(question(plan, date: date, withTrend: withTrend, at: code, planAsOf: planAsOf), on: db, reads: { try await Indicator.reads(forPlan: plan, on: db) }) {
            try await build(plan, date: date, withTrend: withTrend, at: code, planAsOf: planAsOf)
        }
    }

    /// What a kept dashboard is kept under: the plan, the account's subtree, the day and the options.
    private func question(_ plan: Plan, date: String, withTrend: Bool, at code: String?, planAsOf: DayDate?) -> Question {
        Question("plan-dashboard", plan.id?.uuidString, scope.path, date, withTrend ? "trend" : "", code, "\(map)", planAsOf?.iso)
    }

    /// `at`: measure every target at this unit instead (inside the plan's scope and the account's
    /// subtree; else 404), to open the dashboard one level down.
    /// `planAsOf`: the day the plan's own status is told for (default: `date`); a dashboard whose
    /// figures stop at the plan's last day still says the plan has ended.
    package func build(_ plan: Plan, date: String, withTrend: Bool = true, at code: String? = nil, planAsOf: DayDate? = nil) async throws -> PlanDashboardDTO {
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
            views[views.count - 1].building = now.building
        }
        var shown = chosen
        if shown == nil { shown = scope.contains(path: plan.scopePath) ? try await directory.find(.current, plan.scopeCode) : own }
        return PlanDashboardDTO(plan: PlanDTO(plan, asOf: planAsOf ?? today), unitCode: shown?.code ?? plan.scopeCode, unitName: shown?.name ?? "", date: today.iso,
                                statusRule: Self.statusRule, targets: views)
    }
}
