import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts
import HamletWorkforce

/// The figures page (trained share with its per-unit table, people trained per year with cost),
/// its XLSX/CSV exports, and the needs survey page.
package struct TrainingFiguresPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("training", "figures", use: figures)
        routes.get("training", "figures", "export", use: export)
        routes.get("training", "needs", use: needs)
        routes.post("training", "needs", use: createNeed)
    }

    package struct TrendRow: Encodable {
        package var label: String
        package var percent: String
        package var trained: String
        package var active: String
        package init(label: String, percent: String, trained: String, active: String) {
            (self.label, self.percent, self.trained, self.active) = (label, percent, trained, active)
        }
    }
    package struct ShareRow: Encodable {
        package var code: String
        package var name: String
        package var active: String
        package var trained: String
        package var percent: String
        package var bar: Double
        package init(code: String, name: String, active: String, trained: String, percent: String, bar: Double) {
            (self.code, self.name, self.active, self.trained) = (code, name, active, trained)
            (self.percent, self.bar) = (percent, bar)
        }
    }
    package struct YearRow: Encodable {
        package var year: Int
        package var kind: String
        package var level: String
        package var classes: Int
        package var people: String
        package var completions: String
        package var spent: String
        package var cost: String
        package init(year: Int, kind: String, level: String, classes: Int, people: String, completions: String, spent: String,
                     cost: String) {
            (self.year, self.kind, self.level, self.classes) = (year, kind, level, classes)
            (self.people, self.completions, self.spent, self.cost) = (people, completions, spent, cost)
        }
    }
    package struct Page_: Encodable {
        package var unit: String
        package var date: String
        package var since: String
        package var from: String
        package var to: String
        package var domains: [FormOption]
        package var kinds: [FormOption]
        package var courseKinds: [FormOption]
        package var levels: [FormOption]
        package var share: TrainedShare?
        package var sharePercent: String
        package var shareRows: [ShareRow]
        package var trend: String?
        package var trendRows: [TrendRow]
        package var years: TrainingYears?
        package var yearRows: [YearRow]
        package var yearChildren: [ShareRow]
        package var totals: YearRow?
        package var query: String
        package var error: String?
        package var errorField: String?

        package init(unit: String, date: String, since: String, from: String, to: String, domains: [FormOption], kinds: [FormOption],
                     courseKinds: [FormOption], levels: [FormOption], share: TrainedShare? = nil, sharePercent: String,
                     shareRows: [ShareRow], trend: String? = nil, trendRows: [TrendRow], years: TrainingYears? = nil,
                     yearRows: [YearRow], yearChildren: [ShareRow], totals: YearRow? = nil, query: String, error: String? = nil,
                     errorField: String? = nil) {
            (self.unit, self.date, self.since, self.from) = (unit, date, since, from)
            (self.to, self.domains, self.kinds, self.courseKinds) = (to, domains, kinds, courseKinds)
            (self.levels, self.share, self.sharePercent, self.shareRows) = (levels, share, sharePercent, shareRows)
            (self.trend, self.trendRows, self.years, self.yearRows) = (trend, trendRows, years, yearRows)
            (self.yearChildren, self.totals, self.query, self.error) = (yearChildren, totals, query, error)
            self.errorField = errorField
        }
    }

    package func figures(req: Request) async throws -> Response {
        var page = Page_(unit: req.query["unit"] ?? "", date: req.query["date"] ?? "", since: req.query["since"] ?? "",
                         from: req.query["from"] ?? "", to: req.query["to"] ?? "",
                         domains: Self.checks(WorkDomain.self, req.query["domains"]), kinds: Self.checks(EmploymentKind.self, req.query["kinds"]),
                         courseKinds: Self.checks(CourseKind.self, req.query["courseKinds"]),
                         levels: FormOption.list(QualificationLevel.self, selected: req.query["minLevel"]).filter { $0.value != "none" },
                         share: nil, sharePercent: "", shareRows: [], trend: nil, trendRows: [], years: nil, yearRows: [], yearChildren: [], totals: nil,
                         query: req.url.query ?? "")
        var status: HTTPResponseStatus = .ok
        do {
            let unit = try await TrainingParams.unit(req)
            let date = try TrainingParams.date(req), (from, to) = try TrainingAPI.yearRange(req)
            // The share as it stood at each year's end (today for the current year): history makes
            // it exact, and one statement reads the posts once for every day.
            let today = DayDate.today()
            let days = (from...max(from, min(to, today.year))).filter { $0 <= today.year }
                .map { $0 == today.year ? today.iso : String(format: "%04d-12-31", $0) }
            let (staff, trained) = (try TrainingParams.staff(req), try TrainingParams.trained(req))
            let shares = try await TrainingFigures.keptShares(req, unit: unit, dates: days + [date], staff: staff, trained: trained)
            guard let share = shares[date] else { throw HamletError.notFound }
            page.share = share
            page.sharePercent = VietnameseFormat.decimal(share.percent)
            page.shareRows = share.children.map { ShareRow(code: $0.code, name: $0.name, active: VietnameseFormat.integer($0.active),
                                                           trained: VietnameseFormat.integer($0.trained), percent: VietnameseFormat.decimal($0.percent), bar: $0.percent) }
            var points: [LineChart.Point] = []
            for day in days {
                guard let s = shares[day] else { continue }
                points.append(.init(label: String(day.prefix(4)), value: s.percent))
                page.trendRows.append(TrendRow(label: DayDate(day)?.vietnamese ?? day, percent: VietnameseFormat.decimal(s.percent),
                                               trained: VietnameseFormat.integer(s.trained), active: VietnameseFormat.integer(s.active)))
            }
            page.trend = LineChart(title: Strings.text("trained_share", req.language) + " — " + share.unitName, points: points).svg
            let years = try await TrainingFigures.keptYears(req, unit: unit, from: from, to: to, trained: trained)
            page.years = years
            page.yearRows = years.rows.map { r in
                YearRow(year: r.year, kind: r.kindLabel, level: r.levelLabel ?? "", classes: r.classes, people: VietnameseFormat.integer(r.people),
                        completions: VietnameseFormat.integer(r.completions), spent: VietnameseFormat.integer(Int(r.spent)),
                        cost: r.costPerTrainee.map { VietnameseFormat.integer(Int($0)) } ?? "—")
            }
            page.totals = YearRow(year: 0, kind: "", level: "", classes: years.classes, people: VietnameseFormat.integer(years.people),
                                  completions: VietnameseFormat.integer(years.completions), spent: VietnameseFormat.integer(Int(years.spent)),
                                  cost: years.costPerTrainee.map { VietnameseFormat.integer(Int($0)) } ?? "—")
            page.yearChildren = years.children.map { ShareRow(code: $0.code, name: $0.name, active: VietnameseFormat.integer($0.classes),
                                                              trained: VietnameseFormat.integer($0.people), percent: VietnameseFormat.integer(Int($0.spent)), bar: 0) }
        } catch let error as HamletError where error.status != .notFound {
            page.error = error.message
            page.errorField = error.field
            status = error.status
        }
        return try await req.renderPage("training/figures", title: Strings.text("figures_title", req.language), status: status, nav: "training", body: page)
    }

    package static func checks<T: Choice>(_ type: T.Type, _ raw: String?) -> [FormOption] {
        let chosen = Set(CoverageRoutes.list(raw ?? ""))
        return T.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: chosen.contains($0.rawValue)) }
    }

    /// `?table=share|years&format=xlsx|csv` with the page's own parameters.
    package func export(req: Request) async throws -> Response {
        let unit = try await TrainingParams.unit(req)
        let format = try TableDownload.format(req)
        var rows: [[XLSXCell]]
        if req.query["table"] == "years" {
            let (from, to) = try TrainingAPI.yearRange(req)
            let trained = try TrainingParams.trained(req)
            let y = try await TrainingFigures.keptYears(req, unit: unit, from: from, to: to, trained: trained)
            rows = [[.text(y.description + " — " + y.unitName + ", \(from)–\(to)")],
                    ["Năm", "Loại hình", "Trình độ", "Số lớp", "Số người", "Lượt hoàn thành", "Kinh phí dự kiến", "Kinh phí đã chi", "Chi phí mỗi lượt"].map { .text($0) }]
            for r in y.rows {
                rows.append([.number(Double(r.year)), .text(r.kindLabel), .text(r.levelLabel ?? ""), .number(Double(r.classes)), .number(Double(r.people)),
                             .number(Double(r.completions)), .number(Double(r.planned)), .number(Double(r.spent)), r.costPerTrainee.map { .number(Double($0)) } ?? .empty])
            }
            rows.append([.text("Cả giai đoạn"), .empty, .empty, .number(Double(y.classes)), .number(Double(y.people)), .number(Double(y.completions)),
                         .number(Double(y.planned)), .number(Double(y.spent)), y.costPerTrainee.map { .number(Double($0)) } ?? .empty])
            rows.append([])
            rows.append(["Mã", "Đơn vị", "Số lớp", "Số người", "Lượt hoàn thành", "Kinh phí đã chi"].map { .text($0) })
            for c in y.children {
                rows.append([.text(c.code), .text(c.name), .number(Double(c.classes)), .number(Double(c.people)), .number(Double(c.completions)), .number(Double(c.spent))])
            }
        } else {
            let (date, staff, trained) = (try TrainingParams.date(req), try TrainingParams.staff(req), try TrainingParams.trained(req))
            let s = try await TrainingFigures.keptShares(req, unit: unit, dates: [date], staff: staff, trained: trained)[date]!
            rows = [[.text(s.description)], [.text(s.unitName + ", ngày " + (DayDate(s.date)?.vietnamese ?? s.date))],
                    ["Mã", "Đơn vị", "Đang làm việc", "Đã được đào tạo", "Tỷ lệ (%)"].map { .text($0) }]
            for c in s.children { rows.append([.text(c.code), .text(c.name), .number(Double(c.active)), .number(Double(c.trained)), .number(c.percent)]) }
            rows.append([.text(s.unitCode), .text("Tổng"), .number(Double(s.active)), .number(Double(s.trained)), .number(s.percent)])
        }
        return try TableDownload.response(rows, format: format, name: "so-lieu-dao-tao")
    }

    // MARK: Needs

    package struct NeedForm: Content {
        package var person: String?
        package var birthDate: String?
        package var topic: String?
        package var wantedKind: String?
        package var wantedLevel: String?
        package var priority: String?
        package var year: String?
        package init(person: String? = nil, birthDate: String? = nil, topic: String? = nil, wantedKind: String? = nil,
                     wantedLevel: String? = nil, priority: String? = nil, year: String? = nil) {
            (self.person, self.birthDate, self.topic, self.wantedKind) = (person, birthDate, topic, wantedKind)
            (self.wantedLevel, self.priority, self.year) = (wantedLevel, priority, year)
        }
    }
    package struct NeedsPage: Encodable {
        package var summary: NeedsSummary
        package var rows: [NeedDTO]
        package var year: String
        package var kinds: [FormOption]
        package var levels: [FormOption]
        package var priorities: [FormOption]
        package var values: NeedForm
        package var canEdit: Bool
        package var error: String?
        package var errorField: String?

        package init(summary: NeedsSummary, rows: [NeedDTO], year: String, kinds: [FormOption], levels: [FormOption],
                     priorities: [FormOption], values: NeedForm, canEdit: Bool, error: String? = nil, errorField: String? = nil) {
            (self.summary, self.rows, self.year, self.kinds) = (summary, rows, year, kinds)
            (self.levels, self.priorities, self.values, self.canEdit) = (levels, priorities, values, canEdit)
            (self.error, self.errorField) = (error, errorField)
        }
    }

    package func needs(req: Request) async throws -> Response {
        try await renderNeeds(req, values: NeedForm(year: String(DayDate.today().year)), error: nil)
    }

    package func renderNeeds(_ req: Request, values: NeedForm, error: HamletError?) async throws -> Response {
        let year: Int? = req.query["year"] ?? Int(values.year ?? "")
        let service = NeedsService(db: req.db, scope: req.scope, actor: req.currentUser, ip: req.clientIP)
        let summary = try await service.summary(unit: try await TrainingParams.unit(req), year: year)
        let (rows, _) = try await service.list(year: year, paging: Paging(page: 1, per: 200))
        return try await req.renderPage("training/needs", title: Strings.text("needs_title", req.language), status: error?.status ?? .ok, nav: "training",
                                        body: NeedsPage(summary: summary, rows: rows, year: year.map(String.init) ?? "",
                                                        kinds: FormOption.list(CourseKind.self, selected: values.wantedKind),
                                                        levels: FormOption.list(QualificationLevel.self, selected: values.wantedLevel).filter { $0.value != "none" },
                                                        priorities: FormOption.list(NeedPriority.self, selected: values.priority ?? "medium"),
                                                        values: values, canEdit: req.currentUser?.role.canEditWorkforce ?? false,
                                                        error: error?.message, errorField: error?.field))
    }

    package func createNeed(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let form = try req.content.decode(NeedForm.self)
        do {
            let person: Person
            do {
                person = try await RosterRoutes.find(typed: form.person ?? "", birth: form.birthDate ?? "", in: PeopleQuery(db: req.db, scope: req.scope))
            } catch let error as HamletError { throw HamletError.invalid("person", error.message) }
            guard let year = Int(form.year ?? "") else { throw HamletError.invalid("year", "Năm khảo sát không hợp lệ.") }
            _ = try await NeedsService(db: req.db, scope: req.scope, actor: req.currentUser, ip: req.clientIP)
                .create(NeedInput(personId: person.id, topic: form.topic, wantedKind: form.wantedKind, wantedLevel: form.wantedLevel,
                                  priority: form.priority, year: year))
        } catch let error as HamletError {
            return try await renderNeeds(req, values: form, error: error)
        }
        return req.redirect(to: "/training/needs?year=\(form.year ?? "")", notice: "saved")
    }
}
