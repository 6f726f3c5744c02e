import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletOrganisations
import HamletWorkforce
import HamletTraining
import HamletReporting
import HamletCases

/// The indicators: their list, and one indicator's value at a unit and date, its children's
/// figures (each a link one level down) and its trend at each year's end.
package struct IndicatorPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("indicators", use: list)
        routes.post("indicators", use: create)
        routes.get("indicators", ":id", use: show)
        routes.get("indicators", ":id", "edit", use: edit)
        routes.post("indicators", ":id", use: update)
    }

    package func edit(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        let indicator = try await IndicatorAPI.find(req)
        try await CatalogueOwner.requireEditable(indicator.ownerPath, by: user, on: req.db)
        return try await render(req, values: try DefinitionForm(indicator), error: nil, editing: indicator)
    }

    package func update(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        let indicator = try await IndicatorAPI.find(req)
        try await CatalogueOwner.requireEditable(indicator.ownerPath, by: user, on: req.db)
        let form = try req.content.decode(DefinitionForm.self)
        do {
            _ = try await IndicatorService(db: req.db, actor: user, ip: req.clientIP)
                .save(IndicatorInput(code: form.code, name: form.name, definition: try form.definition(), note: indicator.note), into: indicator)
            return req.redirect(to: "/indicators/\(indicator.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await render(req, values: form, error: error, editing: indicator)
        }
    }

    /// The definition form: every kind's parameters; the chosen kind reads its own.
    package struct DefinitionForm: Content {
        package var code: String?
        package var name: String?
        package var kind: String?
        package var domains: [String]?
        package var kinds: [String]?
        package var courseKinds: [String]?
        package var minLevel: String?
        package var since: String?
        package var level: String?
        package var organisationTypes: [String]?
        package var allDomains: String?
        package var levels: [String]?
        package var min: String?
        package var max: String?
        package var facilityTypes: [String]?
        package var fromYear: String?
        package var budgetOf: String?
        package var fundingSources: [String]?
        package var planNumbers: String?
        package var baselineYear: String?
        package var element: String?
        package var combo: String?
        package var caseCategories: [String]?
        package var serviceTypes: [String]?
        package var base: String?
        package var activityKinds: [String]?
        package var activityMeasure: String?

        package init(kind: String, min: String) { self.kind = kind; self.min = min }

        /// The form as it shows a stored indicator.
        package init(_ i: Indicator) throws {
            let d = try i.parsed()
            code = i.code; name = i.name; kind = d.kind.rawValue
            domains = (d.staff?.domains ?? d.rule?.domains ?? []).map(\.rawValue); kinds = (d.staff?.kinds ?? d.rule?.kinds ?? []).map(\.rawValue)
            courseKinds = (d.trained?.courseKinds ?? []).map(\.rawValue); minLevel = d.trained?.minLevel?.rawValue
            since = d.trained?.since.flatMap { DayDate($0)?.vietnamese }
            level = d.rule?.level?.rawValue; organisationTypes = d.rule?.placeTypes; allDomains = d.rule?.holdsAllDomains == true ? "on" : nil
            levels = d.trained?.levels?.map(\.rawValue)
            min = String(d.rule?.min ?? 1); max = d.rule?.max.map(String.init); facilityTypes = d.facilityTypes; fromYear = d.fromYear.map(String.init)
            budgetOf = d.budgetOf?.rawValue; fundingSources = (d.fundingSources ?? []).map(\.rawValue)
            planNumbers = (d.planNumbers ?? []).joined(separator: "; "); baselineYear = d.baselineYear.map(String.init)
            element = d.element; combo = d.combo; caseCategories = d.caseCategories; serviceTypes = d.serviceTypes; base = d.base?.rawValue
            activityKinds = d.activityKinds; activityMeasure = d.activityMeasure?.rawValue
        }

        package func definition() throws -> IndicatorDefinition {
            guard let kind = kind.flatMap(IndicatorKind.init(rawValue:)) else { throw HamletError.invalid("kind", "Chọn cách tính.") }
            func list<T: RawRepresentable>(_ raw: [String]?, _ type: T.Type, _ field: String) throws -> [T] where T.RawValue == String {
                try (raw ?? []).filter { !$0.isEmpty }.map { v in
                    guard let x = T(rawValue: v) else { throw HamletError.invalid(field, "Giá trị không hợp lệ: «\(v)».") }
                    return x
                }
            }
            var d = IndicatorDefinition(kind: kind)
            switch kind {
            case .trainedShare, .trainedCount:
                d.staff = StaffCriteria(domains: try list(domains, WorkDomain.self, "domains"), kinds: try list(kinds, EmploymentKind.self, "kinds"))
                var t = TrainedCriteria(courseKinds: try list(courseKinds, CourseKind.self, "courseKinds"))
                if let raw = minLevel, !raw.isEmpty {
                    guard let l = QualificationLevel(rawValue: raw) else { throw HamletError.invalid("minLevel", "Trình độ không hợp lệ.") }
                    t.minLevel = l
                }
                let named = try list(levels, QualificationLevel.self, "levels")
                if !named.isEmpty { t.levels = named }
                if let raw = since, !raw.isEmpty {
                    guard let day = DayDate(raw) else { throw HamletError.invalid("since", "Ngày không hợp lệ (dd/MM/yyyy).") }
                    t.since = day.iso
                }
                d.trained = t
                if kind == .trainedCount { d.staff = nil; d.fromYear = try FormValue.year(fromYear, field: "fromYear") }
            case .unitsWithPeople:
                var rule = CoverageRule(domains: try list(domains, WorkDomain.self, "domains"), kinds: try list(kinds, EmploymentKind.self, "kinds"))
                if let raw = level, !raw.isEmpty {
                    guard let l = UnitLevel(rawValue: raw) else { throw HamletError.invalid("level", "Cấp đơn vị không hợp lệ.") }
                    rule.level = l
                }
                let types = (organisationTypes ?? []).filter { !$0.isEmpty }
                rule.organisationTypes = types.isEmpty ? nil : types
                rule.allDomains = allDomains == "on" ? true : nil
                guard let lo = Int(min ?? "1") else { throw HamletError.invalid("min", "Số người tối thiểu là số nguyên.") }
                rule.min = lo
                if let raw = max, !raw.isEmpty {
                    guard let hi = Int(raw) else { throw HamletError.invalid("max", "Số người tối đa là số nguyên.") }
                    rule.max = hi
                }
                d.rule = rule
            case .facilitiesWithService, .facilityCount:
                d.facilityTypes = (facilityTypes ?? []).filter { !$0.isEmpty }
            case .casesServed, .casesGroupServed, .referralsCompleted:
                d.caseCategories = (caseCategories ?? []).filter { !$0.isEmpty }
                d.serviceTypes = kind == .casesServed ? (serviceTypes ?? []).filter { !$0.isEmpty } : nil
                if kind == .casesGroupServed, let raw = base, !raw.isEmpty {
                    guard let b = ShareBase(rawValue: raw) else { throw HamletError.invalid("base", "Giá trị không hợp lệ: «\(raw)».") }
                    d.base = b == .cases ? nil : b
                }
                d.fromYear = try FormValue.year(fromYear, field: "fromYear")
            case .activityCount:
                d.activityKinds = try list(activityKinds, ActivityKind.self, "activityKinds").map(\.rawValue)
                if let raw = activityMeasure, !raw.isEmpty {
                    guard let m = ActivityMeasure(rawValue: raw) else { throw HamletError.invalid("activityMeasure", "Giá trị không hợp lệ: «\(raw)».") }
                    d.activityMeasure = m
                }
                d.fromYear = try FormValue.year(fromYear, field: "fromYear")
            case .reportedTotal:
                d.element = element?.nilIfEmpty; d.combo = combo?.trimmingCharacters(in: .whitespaces).nilIfEmpty
                d.fromYear = try FormValue.year(fromYear, field: "fromYear")
            case .budgetSpent:
                guard let basis = budgetOf.flatMap(BudgetBasis.init(rawValue:)) else { throw HamletError.invalid("budgetOf", "Chọn nguồn số liệu kinh phí.") }
                d.budgetOf = basis
                d.fundingSources = try list(fundingSources, FundingSource.self, "fundingSources")
                d.planNumbers = (planNumbers ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                d.fromYear = try FormValue.year(fromYear, field: "fromYear")
                if basis == .training { d.trained = TrainedCriteria(courseKinds: try list(courseKinds, CourseKind.self, "courseKinds")) }
            }
            d.baselineYear = try FormValue.year(baselineYear, field: "baselineYear")
            return d
        }
    }

    package struct ListPage: Encodable {
        package var rows: [Row]
        package var canEdit: Bool
        package var values: DefinitionForm
        package var error: String?
        package var errorField: String?
        package var kinds: [FormOption]
        package var domains: [FormOption]
        package var employment: [FormOption]
        package var courseKinds: [FormOption]
        package var levels: [FormOption]
        package var unitLevels: [FormOption]
        package var organisationTypes: [FormOption]
        package var namedLevels: [FormOption]
        package var facilityTypes: [FormOption]
        package var budgetBases: [FormOption]
        package var fundingSources: [FormOption]
        package var elements: [FormOption]
        package var caseCategories: [FormOption]
        package var serviceTypes: [FormOption]
        package var bases: [FormOption]
        package var activityKinds: [FormOption]
        package var activityMeasures: [FormOption]
        package var action: String
        package var heading: String
        package var editingId: String?

        package init(rows: [Row], canEdit: Bool, values: DefinitionForm, error: String? = nil, errorField: String? = nil,
                     kinds: [FormOption], domains: [FormOption], employment: [FormOption], courseKinds: [FormOption], levels: [FormOption],
                     unitLevels: [FormOption], organisationTypes: [FormOption], namedLevels: [FormOption], facilityTypes: [FormOption],
                     budgetBases: [FormOption], fundingSources: [FormOption], elements: [FormOption], caseCategories: [FormOption],
                     serviceTypes: [FormOption], bases: [FormOption], activityKinds: [FormOption], activityMeasures: [FormOption], action: String,
                     heading: String, editingId: String? = nil) {
            (self.rows, self.canEdit, self.values, self.error) = (rows, canEdit, values, error)
            (self.errorField, self.kinds, self.domains, self.employment) = (errorField, kinds, domains, employment)
            (self.courseKinds, self.levels, self.unitLevels, self.organisationTypes) = (courseKinds, levels, unitLevels, organisationTypes)
            (self.namedLevels, self.facilityTypes, self.budgetBases, self.fundingSources) = (namedLevels, facilityTypes, budgetBases, fundingSources)
            (self.elements, self.caseCategories, self.serviceTypes, self.bases) = (elements, caseCategories, serviceTypes, bases)
            (self.activityKinds, self.activityMeasures, self.action, self.heading) = (activityKinds, activityMeasures, action, heading)
            self.editingId = editingId
        }
    }

    package func create(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        let form = try req.content.decode(DefinitionForm.self)
        do {
            let i = try await IndicatorService(db: req.db, actor: user, ip: req.clientIP)
                .save(IndicatorInput(code: form.code, name: form.name, definition: try form.definition()))
            return req.redirect(to: "/indicators/\(i.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await render(req, values: form, error: error)
        }
    }

    package struct Row: Encodable {
        package var id: String
        package var code: String
        package var name: String
        package var kind: String
        package var measure: String
        package init(id: String, code: String, name: String, kind: String, measure: String) {
            (self.id, self.code, self.name, self.kind) = (id, code, name, kind)
            self.measure = measure
        }
    }

    package func list(req: Request) async throws -> Response {
        try await render(req, values: DefinitionForm(kind: IndicatorKind.trainedShare.rawValue, min: "1"), error: nil)
    }

    package func render(_ req: Request, values: DefinitionForm, error: HamletError?, editing: Indicator? = nil) async throws -> Response {
        let service = IndicatorService(db: req.db)
        let rows = try await (editing == nil ? service.all() : []).map {
            Row(id: $0.id!.uuidString, code: $0.code, name: $0.name, kind: IndicatorKind(rawValue: $0.kind)?.label ?? $0.kind,
                measure: IndicatorKind(rawValue: $0.kind)?.measure ?? "")
        }
        let (types, elements, caseCatalogue) = try await service.formCatalogues()
        func checks<T: Choice>(_ type: T.Type, _ chosen: [String]?) -> [FormOption] {
            T.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: (chosen ?? []).contains($0.rawValue)) }
        }
        let heading = editing.map { Strings.text("indicator_edit", req.language) + " " + $0.code }
        return try await req.renderPage("plans/indicators", title: heading ?? Strings.text("indicators_title", req.language), status: error?.status ?? .ok, nav: "plans",
            body: ListPage(rows: rows, canEdit: req.currentUser?.role.canEditCatalogues ?? false, values: values, error: error?.message, errorField: error?.field,
                           kinds: FormOption.list(IndicatorKind.self, selected: values.kind), domains: checks(WorkDomain.self, values.domains),
                           employment: checks(EmploymentKind.self, values.kinds), courseKinds: checks(CourseKind.self, values.courseKinds),
                           levels: FormOption.list(QualificationLevel.self, selected: values.minLevel).filter { $0.value != "none" },
                           unitLevels: [UnitLevel.hamlet, .commune, .province].map { FormOption(value: $0.rawValue, label: $0.label(req.language), selected: $0.rawValue == values.level) },
                           organisationTypes: types.map { FormOption(value: $0.code, label: $0.name, selected: (values.organisationTypes ?? []).contains($0.code)) },
                           namedLevels: checks(QualificationLevel.self, values.levels).filter { $0.value != "none" },
                           facilityTypes: types.filter { $0.kind == .facility }.map { FormOption(value: $0.code, label: $0.name, selected: (values.facilityTypes ?? []).contains($0.code)) },
                           budgetBases: FormOption.list(BudgetBasis.self, selected: values.budgetOf), fundingSources: checks(FundingSource.self, values.fundingSources),
                           elements: elements.map { FormOption(value: $0.code, label: "\($0.code) — \($0.name)", selected: $0.code == values.element) },
                           caseCategories: caseCatalogue.filter { $0.list == "category" }.map { FormOption(value: $0.code, label: $0.name, selected: (values.caseCategories ?? []).contains($0.code)) },
                           serviceTypes: caseCatalogue.filter { $0.list == "service" }.map { FormOption(value: $0.code, label: $0.name, selected: (values.serviceTypes ?? []).contains($0.code)) },
                           bases: FormOption.list(ShareBase.self, selected: values.base ?? ShareBase.cases.rawValue),
                           activityKinds: ActivityKind.allCases.map { FormOption(value: $0.rawValue, label: English.say($0.label), selected: (values.activityKinds ?? []).contains($0.rawValue)) },
                           activityMeasures: FormOption.list(ActivityMeasure.self, selected: values.activityMeasure ?? ActivityMeasure.held.rawValue),
                           action: editing.map { "/indicators/\($0.id!.uuidString)" } ?? "/indicators",
                           heading: heading ?? Strings.text("indicator_new", req.language), editingId: editing?.id?.uuidString))
    }

    package struct ChildRow: Encodable {
        package var code: String
        package var name: String
        package var value: String
        package var bar: Double
        package var detail: String
        package init(code: String, name: String, value: String, bar: Double, detail: String) {
            (self.code, self.name, self.value, self.bar) = (code, name, value, bar)
            self.detail = detail
        }
    }
    package struct TrendRow: Encodable {
        package var label: String
        package var value: String
        package init(label: String, value: String) {
            self.label = label
            self.value = value
        }
    }
    package struct ShowPage: Encodable {
        package var id: String
        package var value: IndicatorValue
        package var shown: String
        package var isPercent: Bool
        package var children: [ChildRow]
        package var unit: String
        package var date: String
        package var chart: String?
        package var trend: [TrendRow]
        package var canEdit: Bool
        package var owner: String
        /// Said while the indicator's tally is built: how far, and that the figures are counted live meanwhile.
        package var building: String?
        /// The country's page while its tally is built: the link's text to count live now (`live=1`).
        package var countLive: String?

        package init(id: String, value: IndicatorValue, shown: String, isPercent: Bool, children: [ChildRow], unit: String,
                     date: String, chart: String? = nil, trend: [TrendRow], canEdit: Bool, owner: String, building: String? = nil, countLive: String? = nil) {
            (self.building, self.countLive) = (building, countLive)
            (self.id, self.value, self.shown, self.isPercent) = (id, value, shown, isPercent)
            (self.children, self.unit, self.date, self.chart) = (children, unit, date, chart)
            (self.trend, self.canEdit, self.owner) = (trend, canEdit, owner)
        }
    }

    package func show(req: Request) async throws -> Response {
        let indicator = try await IndicatorAPI.find(req)
        let unit = try await TrainingParams.unit(req)
        let date = try TrainingParams.date(req)
        let map = try UnitMap.from(req)
        // Counted live, the whole country takes seconds at national scale: while the tally is
        // built the country's page answers at once with its progress, and counts live when asked.
        if unit == nil, req.query["live"] != "1", let p = try await TallyBuilds(db: req.db).progress(of: [indicator]).values.first, p.state != "ready" {
            return try await waiting(req, indicator, date: date, progress: p)
        }
        let value = try await IndicatorAPI.keptValue(req, indicator, unit: unit, date: date, map: map).hidingSmallCaseCounts()
        let percent = value.measure == "%"
        let year = DayDate(date)?.year ?? req.today.year
        func text(_ v: Double, from baseline: Int? = nil) -> String {
            FigureText.current(v, percent: percent, changeAgainst: value.baselineYear, baselineCount: baseline)
        }
        // The value at each of the last six year ends, and on the day asked. A year without a value
        // is a gap in the line, not 0. A case count under 5 is left out (a share of cases rests on
        // counts the series does not give: no line at all).
        var points: [LineChart.Point] = [], trend: [TrendRow] = []
        let ends = ((year - 5)..<year).map { String(format: "%04d-12-31", $0) }
        // While its tally is built the trend waits: six live counts of the country took seconds.
        let building = value.building == true
        let values = value.isCaseFigure && percent || building ? [:] : try await IndicatorAPI.keptSeries(req, indicator, unit: unit, dates: ends, map: map)
        for (y, end) in zip((year - 5)..<year, ends) where !building {
            let v = values[end]
            if value.isCaseFigure, v == nil || SmallCounts.hides(Int(v ?? 0)) { continue }
            points.append(.init(label: String(y), value: v))
            trend.append(TrendRow(label: "31/12/\(y)", value: v.map { text($0) } ?? (value.baselineYear.map(FigureText.notComputable) ?? "không có số liệu")))
        }
        if value.hidden != true {
            points.append(.init(label: DayDate(date)?.vietnamese ?? date, value: value.computable == false ? nil : value.value))
            trend.append(TrendRow(label: DayDate(date)?.vietnamese ?? date, value: text(value.value, from: value.denominator)))
        }
        let maximum = percent && value.baselineYear == nil ? 100 : max(1, (points.compactMap(\.value).max() ?? 1) * 1.2)
        let chart = LineChart(title: indicator.name + " — " + value.unitName, points: points, maximum: maximum, unit: percent ? "%" : "",
                              valueName: English.say(value.baselineYear.map { "Thay đổi so với \($0)" } ?? "Giá trị"))
        return try await req.renderPage("plans/indicator", title: indicator.name, nav: "plans", body: ShowPage(
            id: indicator.id!.uuidString, value: value, shown: value.hidden == true ? SmallCounts.shown : text(value.value, from: value.denominator), isPercent: percent,
            children: value.children.map { c in
                ChildRow(code: c.code, name: c.name, value: text(c.value, from: c.denominator), bar: percent && value.baselineYear == nil ? c.value : 0,
                         detail: FigureText.counts(numerator: c.numerator, denominator: c.denominator, changeAgainst: value.baselineYear, year: year))
            },
            unit: req.query["unit"] ?? "", date: DayDate(date)?.vietnamese ?? date, chart: building ? nil : chart.svg + chart.legend, trend: trend,
            canEdit: CatalogueOwner.mayEdit(indicator.ownerPath, req.currentUser) && req.currentUser != nil,
            owner: try await CatalogueOwner.label(indicator.ownerPath, on: req.db),
            building: value.building == true ? Self.building(try await TallyBuilds(db: req.db).progress(of: [indicator]).values.first, indicator) : nil))
    }
}
