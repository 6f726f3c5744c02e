import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletOrganisations
import HamletTraining

/// The plans and each plan's dashboard: every target with its value now, its stages, the status
/// by the stated rule, a trend drawn on the server, and the child units one click down.
struct PlanPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", use: list)
        routes.get("plans", ":id", use: show)
        routes.get("plans", ":id", "export", use: export)
        routes.get("plans", ":id", "report", use: PlanReport.respond)
    }

    struct Row: Encodable { var id: String; var number: String; var title: String; var period: String; var status: String; var issuedOn: String }

    func list(req: Request) async throws -> Response {
        let rows = try await req.plans().visible().sort(\.$issuedOn, .descending).all().map {
            Row(id: $0.id!.uuidString, number: $0.number, title: $0.title, period: "\($0.fromYear)–\($0.toYear)",
                status: PlanStatus(rawValue: $0.status)?.label ?? $0.status, issuedOn: DayDate($0.issuedOn)?.vietnamese ?? $0.issuedOn)
        }
        struct ListPage: Encodable { var rows: [Row]; var canEdit: Bool }
        return try await req.renderPage("plans/index", title: Strings.text("plans_title", req.language), nav: "plans",
                                        body: ListPage(rows: rows, canEdit: req.currentUser.map { $0.role.canEditCatalogues || $0.role.canEditWorkforce } ?? false))
    }

    struct ChildRow: Encodable { var code: String; var name: String; var value: String; var bar: Double; var detail: String; var link: String }
    struct TargetRow: Encodable {
        var id: String; var name: String; var link: String; var unitName: String; var current: String; var detail: String; var stages: String; var baseline: String
        var expected: String; var status: String; var statusLabel: String; var judged: String; var verdicts: [String]; var chart: String; var trend: String; var children: [ChildRow]; var isPercent: Bool
    }
    struct ShowPage: Encodable {
        var plan: PlanDTO; var issuedOn: String; var date: String; var unitName: String; var unitCode: String; var rule: String; var targets: [TargetRow]
        var tasks: [PlanDTO.Task]; var budget: [BudgetRow]; var general: [ObjectiveRow]; var specific: [ObjectiveRow]; var query: String; var reportYear: Int
        var edit: EditForms?; var error: String?; var errorField: String?
        /// The plan it implements and those implementing it (`Implementation/PlanHierarchy`).
        var hierarchy: HierarchyDTO; var parentOptions: [Option]
        /// Before the 2025 reform: which map of units the figures are counted over, and a link to the other.
        var mapNote: String? = nil; var mapLink: String? = nil; var mapLinkLabel: String? = nil
    }
    typealias Option = FormOption
    struct EditForms: Encodable {
        var indicators: [Option]; var objectives: [Option]; var agencies: [Option]; var tasks: [Option]; var taskStatuses: [Option]; var sources: [Option]
        var directions: [Option]
    }
    struct ObjectiveRow: Encodable { var id: String; var text: String }
    struct BudgetRow: Encodable { var id: String; var year: Int; var source: String; var planned: String; var spent: String }

    func show(req: Request) async throws -> Response {
        try await render(req, try await req.plans().find(req.parameters.get("id", as: UUID.self)), error: nil)
    }

    func render(_ req: Request, _ plan: Plan, error: HamletError?) async throws -> Response {
        let date = try PlanService.day(req, for: plan)
        let board = try await PlanDashboard(db: req.db, scope: req.scope, map: try UnitMap.from(req)).build(plan, date: date, at: req.query["unit"])
        let full = try await PlanDTO.full(plan, asOf: PlanService.statusDay(req), on: req.db)
        func text(_ v: Double, _ percent: Bool) -> String { FigureText.value(v, percent: percent) }
        let day = DayDate(date)?.vietnamese ?? date
        let year = DayDate(date)?.year ?? plan.toYear
        let targets = board.targets.map { t -> TargetRow in
            let percent = t.measure == "%"
            let direction = TargetDirection(rawValue: t.direction) ?? .atLeast
            let last = t.stages.last?.value
            let chart = LineChart(title: t.name + " — " + t.unitName, points: t.trend.map { .init(label: $0.label, value: $0.value) },
                                  maximum: percent && t.changeAgainst == nil ? 100 : max(1, ([last ?? 0] + t.trend.compactMap(\.value)).max()! * 1.2),
                                  target: last, unit: percent ? "%" : "",
                                  valueName: English.say(t.changeAgainst.map { "Thay đổi so với \($0)" } ?? "Giá trị cuối mỗi năm"),
                                  targetName: English.say("Mốc cuối " + (t.stages.last.flatMap { DayDate($0.deadline) }.map { "(\($0.vietnamese), \(direction.symbol))" } ?? "")))
            let judged = t.judgedOn.flatMap(DayDate.init).map { on in
                "Đánh giá theo giá trị ngày \(on.vietnamese): " + t.text(t.judgedValue, computable: t.status == TargetStatus.notComputable.rawValue ? false : nil)
            }
            let verdicts = t.verdicts.map { v in
                "Mốc \(DayDate(v.deadline)?.vietnamese ?? v.deadline): " + t.text(v.value, computable: v.computable)
                    + (v.computable == false ? "" : v.met ? " — đạt" : " — không đạt")
            }
            return TargetRow(id: t.id?.uuidString ?? "", name: t.name, link: "/indicators/\(t.indicatorId)?unit=\(t.unitCode)&date=\(day)", unitName: t.unitName,
                             current: t.hidden == true ? SmallCounts.shown : English.say(t.text(t.current, computable: t.computable)),
                             detail: t.hidden == true ? "" : English.say(FigureText.counts(numerator: t.numerator, denominator: t.denominator, changeAgainst: t.changeAgainst, year: year))
                                 + ((t.unplaced ?? 0) > 0 ? English.say(" · \(t.unplaced!) người chưa rõ xã trước sắp xếp") : ""),
                             stages: t.stages.map { "\(FigureText.goal($0.value, percent: percent, direction: direction)) (\(DayDate($0.deadline)?.vietnamese ?? $0.deadline))" }.joined(separator: "; "),
                             baseline: t.baselineValue.map { text($0, percent) + (t.baselineYear.map { " (\($0))" } ?? "") } ?? "",
                             expected: text(t.expected, percent), status: t.status, statusLabel: t.statusLabel, judged: judged ?? "", verdicts: verdicts,
                             chart: chart.svg + chart.legend, trend: chart.description,
                             children: t.children.map { c in
                                 ChildRow(code: c.code, name: c.name, value: English.say(FigureText.current(c.value, percent: percent, changeAgainst: t.changeAgainst, baselineCount: c.denominator)),
                                          bar: percent && t.changeAgainst == nil ? c.value : 0,
                                          detail: FigureText.counts(numerator: c.numerator, denominator: c.denominator, changeAgainst: t.changeAgainst, year: year),
                                          link: "/plans/\(plan.id!.uuidString)?unit=\(c.code)&date=\(day)")
                             }, isPercent: percent && t.changeAgainst == nil)
        }
        var edit: EditForms?
        if let user = req.currentUser, user.role.canEditCatalogues || user.role.canEditWorkforce, req.scope.contains(path: plan.scopePath) {
            let indicators = try await Indicator.query(on: req.db).sort(\.$code).all()
            let agencies = try await Organisation.query(on: req.db).filter(\.$kind == .agency).sort(\.$name).limit(500).all()
            edit = EditForms(indicators: indicators.map { Option(value: $0.id!.uuidString, label: "\($0.code) — \($0.name)", selected: false) },
                             objectives: (full.objectives ?? []).map { Option(value: $0.id!.uuidString, label: String($0.text.prefix(80)), selected: false) },
                             agencies: agencies.map { Option(value: $0.id!.uuidString, label: $0.name, selected: false) },
                             tasks: (full.tasks ?? []).map { Option(value: $0.id!.uuidString, label: String($0.title.prefix(80)), selected: false) },
                             taskStatuses: FormOption.list(TaskStatus.self, selected: nil), sources: FormOption.list(FundingSource.self, selected: "local"),
                             directions: TargetDirection.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == .atLeast) })
        }
        // A day before the reform: say which map the communes are counted over, and offer the other.
        var mapNote: String?, mapLink: String?, mapLinkLabel: String?
        if date < UnitLoader.reform2025Date, !board.targets.isEmpty {
            let asked = try UnitMap.from(req)
            let base: String = "/plans/\(plan.id!.uuidString)?date=\(day)" + (req.query["unit"].map { "&unit=" + $0 } ?? "")
            if asked == .current {
                mapNote = English.say("Số liệu tính trên các đơn vị hành chính năm 2025.")
                (mapLink, mapLinkLabel) = (base, English.say("Tính trên các xã của thời đó"))
            } else if board.targets.contains(where: { $0.map == UnitMap.ofTheTime.rawValue }) {
                mapNote = English.say("Số liệu ngày trước 01/07/2025 tính trên các đơn vị hành chính của thời đó (cấu trúc ngày 30/06/2025).")
                (mapLink, mapLinkLabel) = (base + "&map=2025", English.say("Tính trên các đơn vị năm 2025"))
            }
        }
        return try await req.renderPage("plans/show", title: plan.number, status: error?.status ?? .ok, nav: "plans", body: ShowPage(
            plan: full, issuedOn: DayDate(plan.issuedOn)?.vietnamese ?? plan.issuedOn, date: day, unitName: board.unitName, unitCode: req.query["unit"] ?? "", rule: board.statusRule,
            targets: targets, tasks: full.tasks ?? [],
            budget: (full.budget ?? []).map { BudgetRow(id: $0.id?.uuidString ?? "", year: $0.year, source: $0.sourceLabel, planned: VietnameseFormat.integer(Int($0.planned)), spent: VietnameseFormat.integer(Int($0.spent))) },
            general: (full.objectives ?? []).filter(\.general).map { ObjectiveRow(id: $0.id?.uuidString ?? "", text: $0.text) },
            specific: (full.objectives ?? []).filter { !$0.general }.map { ObjectiveRow(id: $0.id?.uuidString ?? "", text: $0.text) },
            query: req.url.query ?? "", reportYear: min(DayDate(date)?.year ?? plan.toYear, plan.toYear),
            edit: edit, error: error?.message, errorField: error?.field,
            hierarchy: try await PlanHierarchy(db: req.db, plans: req.plans(), today: req.today).dto(plan),
            parentOptions: edit == nil ? [] : try await PlanHierarchy(db: req.db, plans: req.plans(), today: req.today).candidates(for: plan), mapNote: mapNote, mapLink: mapLink, mapLinkLabel: mapLinkLabel))
    }

    /// The targets table as XLSX or CSV.
    func export(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let board = try await PlanDashboard(db: req.db, scope: req.scope).build(plan, date: try PlanService.day(req, for: plan), withTrend: false, at: req.query["unit"])
        let format = try TableDownload.format(req)
        var rows: [[XLSXCell]] = [[.text(plan.number + " — " + plan.title)], [.text(board.unitName + ", ngày " + (DayDate(board.date)?.vietnamese ?? board.date))],
                                  ["Chỉ tiêu", "Đơn vị tính", "Giá trị", "Số đạt (hoặc số của năm)", "Tổng (hoặc số của năm cơ sở)", "Mốc", "Theo đường thẳng", "Trạng thái", "Đánh giá theo ngày"].map { .text($0) }]
        for t in board.targets {
            let direction = TargetDirection(rawValue: t.direction) ?? .atLeast
            let percent = t.measure == "%"
            rows.append([.text(t.name), .text(t.changeAgainst.map { "% so với \($0)" } ?? t.measure), t.hidden == true ? .text(SmallCounts.shown) : t.computable == false ? .text(t.text(nil, computable: false)) : .number(t.current),
                         t.numerator.map { .number(Double($0)) } ?? .empty, t.denominator.map { .number(Double($0)) } ?? .empty,
                         .text(t.stages.map { "\(FigureText.goal($0.value, percent: percent, direction: direction)) (\(DayDate($0.deadline)?.vietnamese ?? $0.deadline))" }.joined(separator: "; ")),
                         .number(t.expected), .text(t.statusLabel), .text(t.judgedOn.flatMap(DayDate.init)?.vietnamese ?? "")])
        }
        return try TableDownload.response(rows, format: format, name: "chi-tieu-ke-hoach")
    }
}
