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
package struct PlanPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", use: list)
        routes.get("plans", ":id", use: show)
        routes.get("plans", ":id", "export", use: export)
        routes.get("plans", ":id", "report", use: PlanReport.respond)
    }

    package struct Row: Encodable {
        package var id: String
        package var number: String
        package var title: String
        package var period: String
        package var status: String
        package var issuedOn: String
        package init(id: String, number: String, title: String, period: String, status: String, issuedOn: String) {
            (self.id, self.number, self.title, self.period) = (id, number, title, period)
            (self.status, self.issuedOn) = (status, issuedOn)
        }
    }

    package func list(req: Request) async throws -> Response {
        let rows = try await req.plans().list().map {
            Row(id: $0.id!.uuidString, number: $0.number, title: $0.title, period: "\($0.fromYear)–\($0.toYear)",
                status: PlanStatus(rawValue: $0.status)?.label ?? $0.status, issuedOn: DayDate($0.issuedOn)?.vietnamese ?? $0.issuedOn)
        }
        struct ListPage: Encodable { var rows: [Row]; var canEdit: Bool }
        return try await req.renderPage("plans/index", title: Strings.text("plans_title", req.language), nav: "plans",
                                        body: ListPage(rows: rows, canEdit: req.currentUser.map { $0.role.canEditCatalogues || $0.role.canEditWorkforce } ?? false))
    }

    package struct ChildRow: Encodable {
        package var code: String
        package var name: String
        package var value: String
        package var bar: Double
        package var detail: String
        package var link: String
        package init(code: String, name: String, value: String, bar: Double, detail: String, link: String) {
            (self.code, self.name, self.value, self.bar) = (code, name, value, bar)
            (self.detail, self.link) = (detail, link)
        }
    }
    package struct TargetRow: Encodable {
        package var id: String
        package var name: String
        package var link: String
        package var unitName: String
        package var current: String
        package var detail: String
        package var stages: String
        package var baseline: String
        package var expected: String
        package var status: String
        package var statusLabel: String
        package var judged: String
        package var verdicts: [String]
        package var chart: String
        package var trend: String
        package var children: [ChildRow]
        package var isPercent: Bool

        package init(id: String, name: String, link: String, unitName: String, current: String, detail: String, stages: String,
                     baseline: String, expected: String, status: String, statusLabel: String, judged: String, verdicts: [String],
                     chart: String, trend: String, children: [ChildRow], isPercent: Bool) {
            (self.id, self.name, self.link, self.unitName) = (id, name, link, unitName)
            (self.current, self.detail, self.stages, self.baseline) = (current, detail, stages, baseline)
            (self.expected, self.status, self.statusLabel, self.judged) = (expected, status, statusLabel, judged)
            (self.verdicts, self.chart, self.trend, self.children) = (verdicts, chart, trend, children)
            self.isPercent = isPercent
        }
    }
    package struct ShowPage: Encodable {
        package var plan: PlanDTO
        package var issuedOn: String
        package var date: String
        package var unitName: String
        package var unitCode: String
        package var rule: String
        package var targets: [TargetRow]
        package var tasks: [PlanDTO.Task]
        package var budget: [BudgetRow]
        package var general: [ObjectiveRow]
        package var specific: [ObjectiveRow]
        package var query: String
        package var reportYear: Int
        package var edit: EditForms?
        package var error: String?
        package var errorField: String?
        /// The plan it implements and those implementing it (`Implementation/PlanHierarchy`).
        package var hierarchy: HierarchyDTO
        package var parentOptions: [FormOption]
        /// Before the 2025 reform: which map of units the figures are counted over, and a link to the other.
        package var mapNote: String? = nil
        package var mapLink: String? = nil
        package var mapLinkLabel: String? = nil

        package init(plan: PlanDTO, issuedOn: String, date: String, unitName: String, unitCode: String, rule: String,
                     targets: [TargetRow], tasks: [PlanDTO.Task], budget: [BudgetRow], general: [ObjectiveRow],
                     specific: [ObjectiveRow], query: String, reportYear: Int, edit: EditForms? = nil, error: String? = nil,
                     errorField: String? = nil, hierarchy: HierarchyDTO, parentOptions: [FormOption], mapNote: String? = nil,
                     mapLink: String? = nil, mapLinkLabel: String? = nil) {
            (self.plan, self.issuedOn, self.date, self.unitName) = (plan, issuedOn, date, unitName)
            (self.unitCode, self.rule, self.targets, self.tasks) = (unitCode, rule, targets, tasks)
            (self.budget, self.general, self.specific, self.query) = (budget, general, specific, query)
            (self.reportYear, self.edit, self.error, self.errorField) = (reportYear, edit, error, errorField)
            (self.hierarchy, self.parentOptions, self.mapNote, self.mapLink) = (hierarchy, parentOptions, mapNote, mapLink)
            self.mapLinkLabel = mapLinkLabel
        }
    }
    package struct EditForms: Encodable {
        package var indicators: [FormOption]
        package var objectives: [FormOption]
        package var agencies: [FormOption]
        package var tasks: [FormOption]
        package var taskStatuses: [FormOption]
        package var sources: [FormOption]
        package var directions: [FormOption]

        package init(indicators: [FormOption], objectives: [FormOption], agencies: [FormOption], tasks: [FormOption], taskStatuses: [FormOption],
                     sources: [FormOption], directions: [FormOption]) {
            (self.indicators, self.objectives, self.agencies, self.tasks) = (indicators, objectives, agencies, tasks)
            (self.taskStatuses, self.sources, self.directions) = (taskStatuses, sources, directions)
        }
    }
    package struct ObjectiveRow: Encodable {
        package var id: String
        package var text: String
        package init(id: String, text: String) {
            self.id = id
            self.text = text
        }
    }
    package struct BudgetRow: Encodable {
        package var id: String
        package var year: Int
        package var source: String
        package var planned: String
        package var spent: String
        package init(id: String, year: Int, source: String, planned: String, spent: String) {
            (self.id, self.year, self.source, self.planned) = (id, year, source, planned)
            self.spent = spent
        }
    }

    package func show(req: Request) async throws -> Response {
        try await render(req, try await req.plans().find(req.parameters.get("id", as: UUID.self)), error: nil)
    }

    package func render(_ req: Request, _ plan: Plan, error: HamletError?) async throws -> Response {
        let date = try PlanService.day(req, for: plan)
        let map = try UnitMap.from(req)
        let board = try await req.readingMayLag { db in try await PlanDashboard(db: db, scope: req.scope, map: map).kept(req, plan, date: date, at: req.query["unit"]) }
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
                                 + ((t.unplaced ?? 0) > 0 ? English.say(" · \(t.unplaced!) người chưa rõ xã trước sắp xếp") : "")
                                 + (t.building == true ? English.pick(" · đếm trực tiếp trong lúc bảng đếm giữ sẵn đang được dựng", " · counted live while its kept tally is being built") : ""),
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
            let indicators = try await IndicatorService(db: req.db).all()
            let agencies = try await OrganisationChoices(db: req.db).list(.agency, limit: 500)
            edit = EditForms(indicators: indicators.map { FormOption(value: $0.id!.uuidString, label: "\($0.code) — \($0.name)", selected: false) },
                             objectives: (full.objectives ?? []).map { FormOption(value: $0.id!.uuidString, label: String($0.text.prefix(80)), selected: false) },
                             agencies: agencies.map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: false) },
                             tasks: (full.tasks ?? []).map { FormOption(value: $0.id!.uuidString, label: String($0.title.prefix(80)), selected: false) },
                             taskStatuses: FormOption.list(TaskStatus.self, selected: nil), sources: FormOption.list(FundingSource.self, selected: "local"),
                             directions: TargetDirection.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0 == .atLeast) })
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
    package func export(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let date = try PlanService.day(req, for: plan)
        let board = try await req.readingMayLag { db in try await PlanDashboard(db: db, scope: req.scope).kept(req, plan, date: date, withTrend: false, at: req.query["unit"]) }
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
