import Vapor
import Fluent
import HamletKit

struct PlanDTO: Content {
    struct Objective: Content { var id: UUID?; var general: Bool; var text: String }
    struct Task: Content {
        var id: UUID?; var title: String; var leadAgencyId: UUID; var leadAgency: String; var coordinating: [String]; var timeFrame: String
        var startsOn: String; var endsOn: String; var status: String; var statusLabel: String; var progress: [Progress]
    }
    struct Progress: Content { var on: String; var status: String; var text: String; var username: String }
    struct Budget: Content { var id: UUID?; var source: String; var sourceLabel: String; var year: Int; var planned: Int64; var spent: Int64 }
    var id: UUID?; var number: String; var kind: String; var kindLabel: String; var issuer: String; var signer: String?; var issuedOn: String
    var title: String; var fromYear: Int; var toYear: Int; var scopeCode: String; var legalBases: [String]; var status: String; var statusLabel: String
    var reportWhat: String?; var reportBy: String?; var reportTo: String?; var reportDue: String?; var interimYear: Int?; var finalYear: Int?
    var objectives: [Objective]?; var tasks: [Task]?; var budget: [Budget]?

    init(_ p: Plan) {
        id = p.id; number = p.number; kind = p.kind; kindLabel = PlanKind(rawValue: p.kind)?.label ?? p.kind; issuer = p.issuer; signer = p.signer
        issuedOn = p.issuedOn; title = p.title; fromYear = p.fromYear; toYear = p.toYear; scopeCode = p.scopeCode
        legalBases = (p.legalBases ?? "").split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        status = p.status; statusLabel = PlanStatus(rawValue: p.status)?.label ?? p.status
        reportWhat = p.reportWhat; reportBy = p.reportBy; reportTo = p.reportTo; reportDue = p.reportDue; interimYear = p.interimYear; finalYear = p.finalYear
    }

    /// With objectives, tasks (and their updates) and budget lines.
    static func full(_ p: Plan, on db: any Database) async throws -> PlanDTO {
        var dto = PlanDTO(p)
        let id = try p.requireID()
        dto.objectives = try await PlanObjective.query(on: db).filter(\.$planID == id).sort(\.$position).all().map { Objective(id: $0.id, general: $0.general, text: $0.text) }
        let tasks = try await PlanTask.query(on: db).filter(\.$planID == id).sort(\.$position).all()
        let agencyIDs = Set(tasks.flatMap { [$0.leadAgencyID] + $0.coordinating.split(separator: ",").compactMap { UUID(uuidString: String($0)) } })
        let names = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$id ~~ Array(agencyIDs)).all().compactMap { o in o.id.map { ($0, o.name) } })
        let progress = try await TaskProgress.query(on: db).filter(\.$taskID ~~ tasks.compactMap(\.id)).sort(\.$on).all()
        dto.tasks = tasks.map { t in
            Task(id: t.id, title: t.title, leadAgencyId: t.leadAgencyID, leadAgency: names[t.leadAgencyID] ?? "",
                 coordinating: t.coordinating.split(separator: ",").compactMap { UUID(uuidString: String($0)).flatMap { names[$0] } },
                 timeFrame: t.timeFrame, startsOn: t.startsOn, endsOn: t.endsOn, status: t.status, statusLabel: TaskStatus(rawValue: t.status)?.label ?? t.status,
                 progress: progress.filter { $0.taskID == t.id }.map { Progress(on: $0.on, status: $0.status, text: $0.text, username: $0.username) })
        }
        dto.budget = try await PlanBudgetLine.query(on: db).filter(\.$planID == id).sort(\.$year).sort(\.$source).all().map {
            Budget(id: $0.id, source: $0.source, sourceLabel: FundingSource(rawValue: $0.source)?.label ?? $0.source, year: $0.year, planned: $0.planned, spent: $0.spent)
        }
        return dto
    }
}

struct TargetView: Content {
    struct Point: Content { var label: String; var date: String; var value: Double }
    var id: UUID?; var indicatorId: UUID; var indicatorCode: String; var name: String; var measure: String; var objectiveId: UUID?
    var unitCode: String; var unitName: String; var stages: [StageInput]; var baselineYear: Int?; var baselineValue: Double?
    var current: Double; var numerator: Int?; var denominator: Int?; var expected: Double; var status: String; var statusLabel: String
    var trend: [Point]; var children: [IndicatorValue.Child]
    /// A case count from 1 to 4, withheld: `current` is then 0 and shown "< 5".
    var hidden: Bool? = nil
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

    static let statusRule = "Đã đạt: giá trị hiện tại bằng hoặc vượt mốc cuối. Quá hạn: đã qua hạn cuối mà chưa đạt. Đúng tiến độ: không thấp hơn đường thẳng nối giá trị năm cơ sở với từng mốc. Có nguy cơ: thấp hơn đường thẳng đó."

    /// `at`: measure every target at this unit instead (inside the plan's scope and the account's
    /// subtree; else 404), to open the dashboard one level down.
    func build(_ plan: Plan, date: String, withTrend: Bool = true, at code: String? = nil) async throws -> PlanDashboardDTO {
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
        let engine = IndicatorEngine(db: db)
        guard let today = DayDate(date) else { throw HamletError.invalid("date", "Ngày không hợp lệ.") }
        var views: [TargetView] = []
        for t in targets {
            guard let indicator = indicators[t.indicatorID] else { continue }
            // Measured at the target's unit when the account covers it, else at the account's own unit.
            var unit = chosen
            if unit == nil { unit = scope.contains(path: t.unitPath) ? try await directory.find(.current, t.unitCode) : own }
            let stages = (try? JSONDecoder().decode([StageInput].self, from: Data(t.stages.utf8))) ?? []
            let parsed = stages.compactMap { s in DayDate(s.deadline).map { TargetStatus.Stage(deadline: $0, value: s.value) } }
            let baselineDay = DayDate(year: t.baselineYear ?? plan.fromYear - 1, month: 12, day: 31) ?? today
            // The baseline (when not given) and each year's end, computed together.
            let years = withTrend ? (plan.fromYear...max(plan.fromYear, min(plan.toYear, today.year))).filter { $0 < today.year } : []
            var days = years.map { "\($0)-12-31" }
            if t.baselineValue == nil { days.append(baselineDay.iso) }
            let (now, values) = try await engine.value(indicator, unit: unit, date: today.iso, andOn: days)
            let baselineValue = t.baselineValue ?? values[baselineDay.iso] ?? 0
            let (status, expected) = TargetStatus.evaluate(baseline: .init(deadline: baselineDay, value: baselineValue), stages: parsed, on: today, current: now.value)
            var trend: [TargetView.Point] = years.map { .init(label: String($0), date: "\($0)-12-31", value: values["\($0)-12-31"] ?? 0) }
            // The day asked closes the line; on a year's last day it is labelled by the year alone.
            let last = today.month == 12 && today.day == 31 ? String(today.year) : today.vietnamese
            if withTrend { trend.append(.init(label: last, date: today.iso, value: now.value)) }
            // Case counts are shown as case figures are: under 5 withheld, statuses on the true value.
            let shown = now.hidingSmallCaseCounts()
            var baseline: Double? = baselineValue
            if shown.isCaseFigure {
                trend = shown.measure == "%" ? [] : trend.filter { !SmallCounts.hides(Int($0.value)) }
                if shown.measure != "%", SmallCounts.hides(Int(baselineValue)) { baseline = nil }
            }
            views.append(TargetView(id: t.id, indicatorId: t.indicatorID, indicatorCode: indicator.code, name: indicator.name, measure: now.measure,
                                    objectiveId: t.objectiveID, unitCode: now.unitCode, unitName: now.unitName, stages: stages,
                                    baselineYear: t.baselineYear, baselineValue: baseline, current: shown.value, numerator: shown.numerator,
                                    denominator: shown.denominator, expected: (expected * 10).rounded() / 10, status: status.rawValue,
                                    statusLabel: status.label, trend: trend, children: shown.children, hidden: shown.hidden))
        }
        var shown = chosen
        if shown == nil { shown = scope.contains(path: plan.scopePath) ? try await directory.find(.current, plan.scopeCode) : own }
        return PlanDashboardDTO(plan: PlanDTO(plan), unitCode: shown?.code ?? plan.scopeCode, unitName: shown?.name ?? "", date: today.iso,
                                statusRule: Self.statusRule, targets: views)
    }
}
