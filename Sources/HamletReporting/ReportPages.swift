import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts

/// The reporting pages: pick a form, unit and period; type the report in (a small page that
/// works on a cheap phone: plain inputs, no script); approve, return or unlock from above.
package struct ReportPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", use: index)
        routes.get("reports", "entry", use: entry)
        routes.post("reports", "entry", use: save)
        routes.post("reports", "decide", use: decide)
        routes.post("reports", "approve-many", use: approveMany)
        routes.get("reports", "completeness", use: completeness)
        routes.get("reports", "pivot", use: pivot)
    }

    package struct CompletenessPage: Encodable {
        package struct Cell: Encodable {
            package var status: String
            package var label: String
            package var link: String
            package init(status: String, label: String, link: String) {
                (self.status, self.label, self.link) = (status, label, link)
            }
        }
        package struct Line: Encodable {
            package var name: String
            package var cells: [Cell]
            package init(name: String, cells: [Cell]) {
                self.name = name
                self.cells = cells
            }
        }
        package struct Child: Encodable {
            package var name: String
            package var link: String
            package var expected: Int
            package var reported: Int
            package var late: Int
            package var missing: Int
            package var returned: Int
            package var reportedPercent: String
            package var onTimePercent: String
            package init(name: String, link: String, expected: Int, reported: Int, late: Int, missing: Int, returned: Int,
                         reportedPercent: String, onTimePercent: String) {
                (self.name, self.link, self.expected, self.reported) = (name, link, expected, reported)
                (self.late, self.missing, self.returned, self.reportedPercent) = (late, missing, returned, reportedPercent)
                self.onTimePercent = onTimePercent
            }
        }
        package var forms: [FormOption]
        package var set: String
        package var unit: String
        package var unitName: String
        package var from: String
        package var to: String
        package var periods: [ReportCompleteness.PeriodColumn]
        package var lines: [Line]
        package var tooMany: Bool
        package var children: [Child]
        package var total: Child
        package var overdue: [ReportCompleteness.Overdue]
        package var legend: [FormOption]
        /// A span before the reform: the communes are those of the time.
        package var mapNote: String? = nil

        package init(forms: [FormOption], set: String, unit: String, unitName: String, from: String, to: String,
                     periods: [ReportCompleteness.PeriodColumn], lines: [Line], tooMany: Bool, children: [Child], total: Child,
                     overdue: [ReportCompleteness.Overdue], legend: [FormOption], mapNote: String? = nil) {
            (self.forms, self.set, self.unit, self.unitName) = (forms, set, unit, unitName)
            (self.from, self.to, self.periods, self.lines) = (from, to, periods, lines)
            (self.tooMany, self.children, self.total, self.overdue) = (tooMany, children, total, overdue)
            (self.legend, self.mapNote) = (legend, mapNote)
        }
    }

    package func completeness(req: Request) async throws -> Response {
        if let answer = try await unitByName(req, heading: "Tình hình báo cáo") { return answer }
        let sets = try await req.reportingCatalogue().dataSets(byName: true)
        guard let set = sets.first(where: { $0.code == (req.query[String.self, at: "set"] ?? "").uppercased() }) ?? sets.first else { return req.redirect(to: "/reports/catalogue", notice: "no_forms") }
        let unit = try await req.unitAsked(req.query["unit"])
        let periods = try ReportCompleteness.span(set, from: req.query["from"], to: req.query["to"])
        let result = try await ReportCompleteness.kept(req, set, unit: unit, periods: periods)
        let labels = Dictionary(uniqueKeysWithValues: Timeliness.allCases.map { ($0.rawValue, $0.label) })
        func child(_ name: String, _ link: String, _ c: ReportCompleteness.Counts) -> CompletenessPage.Child {
            .init(name: name, link: link, expected: c.expected - c.notDue, reported: c.reported, late: c.cameLate, missing: c.missing, returned: c.returned,
                  reportedPercent: VietnameseFormat.decimal(c.reportedPercent) + "%", onTimePercent: VietnameseFormat.decimal(c.onTimePercent) + "%")
        }
        let query = "set=\(set.code)&from=\(periods.first!.id)&to=\(periods.last!.id)"
        let tooMany = result.rows.count > 300
        let page = CompletenessPage(
            forms: sets.map { FormOption(value: $0.code, label: $0.name, selected: $0.code == set.code) }, set: set.code, unit: result.unitCode, unitName: result.unitName,
            // Newest period first: on a phone the current month is the column in view.
            from: periods.first!.id, to: periods.last!.id, periods: result.periods.reversed(),
            lines: tooMany ? [] : result.rows.map { r in
                // A commune of the time has no entry page: its cells open nothing.
                .init(name: r.name, cells: zip(result.periods, r.cells).map { p, c in
                    .init(status: c, label: labels[c] ?? c, link: r.structure == nil ? Self.entryLink(set.code, r.code, p.id) : "") }.reversed())
            },
            tooMany: tooMany, children: result.children.map { child($0.name, $0.structure == nil ? "/reports/completeness?\(query)&unit=\($0.code)" : "", $0.counts) },
            total: child(result.unitName, "", result.total), overdue: Array(result.overdue.prefix(300)),
            legend: Timeliness.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: false) },
            mapNote: result.map == nil ? nil : English.say("Các kỳ trước 01/07/2025: tính trên các xã của thời đó, theo số liệu đã nhập từ hệ thống khác (không rõ ngày gửi)."))
        return try await req.renderPage("reporting/completeness", title: "Tình hình báo cáo — " + set.name, nav: "reports", body: page)
    }

    package struct Field: Encodable {
        package var name: String
        package var label: String
        package var value: String
        package var kind: String
        package var error: String?
        package var mine: String?

        package init(name: String, label: String, value: String, kind: String, error: String? = nil, mine: String? = nil) {
            (self.name, self.label, self.value, self.kind) = (name, label, value, kind)
            (self.error, self.mine) = (error, mine)
        }
    }
    package struct Section: Encodable {
        package var name: String
        package var fields: [Field]
        package init(name: String, fields: [Field]) {
            self.name = name
            self.fields = fields
        }
    }
    package struct EntryPage: Encodable {
        package var set: String
        package var setName: String
        package var unit: String
        package var unitName: String
        package var period: String
        package var periodLabel: String
        package var status: String
        package var statusLabel: String
        package var timeliness: String
        package var due: String
        package var window: String?
        package var version: Int
        package var clientId: String
        package var comment: String?
        package var locked: Bool
        package var canEdit: Bool
        package var canDecide: Bool
        package var canApprove: Bool
        package var canReturn: Bool
        package var canUnlock: Bool
        package var sections: [Section]
        package var rules: [String]
        package var warnings: [String]
        package var error: String?
        package var errorField: String?
        package var stale: Bool
        /// Every problem of the try, each linking to its field when it has one.
        package var problems: [Listed]
        /// The form as the phone checks and keeps it offline (`OfflineForm`), as JSON.
        package var definition: String
        /// When the form closes its periods and this one is past: the day entry closed.
        package var closed: String? = nil
        /// The level above approved the data this report belongs to: who and when.
        package var heldAbove: String? = nil
        /// Who was reminded of this report: the officer sees whether the collaborator was told.
        package var reminders: [ReminderLine] = []

        package init(set: String, setName: String, unit: String, unitName: String, period: String, periodLabel: String,
                     status: String, statusLabel: String, timeliness: String, due: String, window: String? = nil, version: Int,
                     clientId: String, comment: String? = nil, locked: Bool, canEdit: Bool, canDecide: Bool, canApprove: Bool,
                     canReturn: Bool, canUnlock: Bool, sections: [Section], rules: [String], warnings: [String],
                     error: String? = nil, errorField: String? = nil, stale: Bool, problems: [Listed], definition: String,
                     closed: String? = nil, heldAbove: String? = nil, reminders: [ReminderLine] = []) {
            (self.set, self.setName, self.unit, self.unitName) = (set, setName, unit, unitName)
            (self.period, self.periodLabel, self.status, self.statusLabel) = (period, periodLabel, status, statusLabel)
            (self.timeliness, self.due, self.window, self.version) = (timeliness, due, window, version)
            (self.clientId, self.comment, self.locked, self.canEdit) = (clientId, comment, locked, canEdit)
            (self.canDecide, self.canApprove, self.canReturn, self.canUnlock) = (canDecide, canApprove, canReturn, canUnlock)
            (self.sections, self.rules, self.warnings, self.error) = (sections, rules, warnings, error)
            (self.errorField, self.stale, self.problems, self.definition) = (errorField, stale, problems, definition)
            (self.closed, self.heldAbove, self.reminders) = (closed, heldAbove, reminders)
        }
    }
    package struct ReminderLine: Encodable {
        package var text: String
        package var failed: Bool
        package init(text: String, failed: Bool) {
            self.text = text
            self.failed = failed
        }
    }
    package struct Listed: Encodable {
        package var message: String
        package var anchor: String?
        package init(message: String, anchor: String? = nil) {
            self.message = message
            self.anchor = anchor
        }
    }

    /// `typed`: what the officer sent, kept in the fields when it was not saved.
    package func render(_ req: Request, _ state: ReportState, typed: [String: String] = [:], problems: [ValidationFailure.Problem] = [], stale: Bool = false,
                status code: HTTPResponseStatus = .ok) async throws -> Response {
        let user = req.currentUser
        // A rule names an element ("CTV"); its message goes to the element's first cell ("CTV.NU").
        let fields = Set(state.form.cells.map(\.field))
        let firstCell = Dictionary(state.form.cells.map { ($0.element.code, $0.field) }, uniquingKeysWith: { a, _ in a })
        func place(_ field: String?) -> String? { field.flatMap { fields.contains($0) ? $0 : firstCell[$0] } }
        var errors: [String: String] = [:]
        for p in problems { if let f = place(p.field) { errors[f] = errors[f].map { $0 + " " + p.message } ?? p.message } }
        let sections = state.form.sections.map { section in
            Section(name: section.name, fields: section.cells.map { cell in
                let stored = state.values[cell.field]?.value
                let shown = stale ? (stored ?? "") : typed[cell.field] ?? stored.map { Self.display($0, cell.element.type) } ?? ""
                return Field(name: cell.field, label: cell.element.name + (cell.comboName.isEmpty ? "" : " — " + cell.comboName), value: shown,
                             kind: cell.element.type == .text ? "text" : cell.element.type == .yesNo ? "yesno" : "number",
                             error: errors[cell.field], mine: stale ? typed[cell.field].flatMap { $0 == (stored ?? "") ? nil : $0 } : nil)
            })
        }
        let names = Dictionary(state.form.elements.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let status = state.status
        let above = user.map { $0.role.canApproveReports && (state.place.kind == "facility" || $0.scopePath != state.place.path) } ?? false
        let t = Timeliness.of(status: status, submittedOn: state.report?.firstSubmittedOn.flatMap(DayDate.init), due: state.due, today: .today())
        let closes = state.form.set.closes(state.period).flatMap { DayDate.today() > $0 ? $0.adding(days: 1) : nil }
        let editable = (user?.role.canEnterReports ?? false) && status != .approved && closes == nil
        var page = EntryPage(
            set: state.form.set.code, setName: state.form.set.name, unit: state.place.code, unitName: state.place.name, period: state.period.id,
            periodLabel: state.period.label, status: status?.rawValue ?? "none", statusLabel: status?.label ?? "Chưa nhập", timeliness: t.label,
            due: state.due.vietnamese,
            window: state.form.set.cutoffDay.map { _ in let w = state.form.set.window(state.period); return "số liệu từ \(w.lowerBound.vietnamese) đến \(w.upperBound.vietnamese)" },
            version: state.version, clientId: UUID().uuidString, comment: state.report?.comment, locked: status == .approved,
            canEdit: editable, canDecide: above,
            canApprove: above && status == .submitted, canReturn: above && status == .submitted, canUnlock: above && status == .approved,
            sections: sections, rules: state.form.set.rules.map { English.say($0.describe { names[$0] ?? $0 }) },
            warnings: state.warnings.map { English.say($0.message) }, error: problems.first?.message, errorField: problems.first?.field, stale: stale,
            problems: problems.map { Listed(message: $0.message, anchor: place($0.field).map { "#f-" + $0 }) },
            definition: OfflineForm(state, editable: editable).json)
        page.closed = closes.map { "Kỳ này đã khóa nhập từ ngày \($0.vietnamese)." }
        if let held = state.heldBy {
            page.heldAbove = English.say("Số liệu của \(held.unitCode) kỳ này đã được cấp trên duyệt ngày \(DayDate(held.approvedOn)?.vietnamese ?? held.approvedOn); cần hủy duyệt trước.") + " (\(held.approvedBy))"
            page.canEdit = false; page.canApprove = false; page.canReturn = false; page.canUnlock = false; page.locked = true
        }
        page.reminders = try await ReminderDTO.of(state.form.set.code, state.place.code, state.period.id, on: req.db).map {
            ReminderLine(text: VietnameseFormat.dateTime($0.at) + " · " + $0.kindLabel + " · " + ($0.channel == "sms" ? "tin nhắn" : "email") + " tới " + $0.username
                         + " · " + $0.statusLabel + ($0.attempts > 1 ? " (lần \($0.attempts))" : ""), failed: $0.status == "failed")
        }
        let response = try await req.renderPage("reporting/entry", title: state.form.set.name + " — " + state.place.name + " — " + state.period.label,
                                                status: code, nav: "reports", body: page)
        return response
    }

    /// A stored value as an officer reads it: "1.234", "12,5", "Có".
    package static func display(_ value: String, _ type: ValueType) -> String {
        switch type {
        case .text: return value
        case .yesNo: return value == "true" ? "Có" : "Không"
        case .integer, .zeroOrPositive, .positive, .number, .percentage:
            guard let n = Double(value) else { return value }
            return n == n.rounded() && abs(n) < 1e15 ? VietnameseFormat.integer(Int(n)) : VietnameseFormat.decimal(n, places: 2)
        }
    }

    package func save(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let (set, place, period) = try await req.reports().target(form: form["set"], unit: form["unit"], period: form["period"])
        let service = req.reports()
        let current = try await service.state(set, place, period)
        // Every field of the form is sent as typed (an unchanged one is not written), so a
        // repeated post is the same content under the same client id.
        var typed: [String: String] = [:]
        var values: [ReportInput.Value] = []
        for cell in current.form.cells {
            guard let raw = form["v:" + cell.field] else { continue }
            typed[cell.field] = raw
            values.append(.init(dataElement: cell.element.code, categoryOptionCombo: cell.combo, value: raw))
        }
        let submit = form["action"] == "submit"
        let input = ReportInput(version: Int(form["version"] ?? ""), clientId: form["clientId"], values: values, submit: submit)
        if req.wantsJSON { return try await answer(req, service, (set, place, period), input) }
        do {
            let saved = try await service.save(set, place, period, input, typed: true)
            if !saved.warnings.isEmpty && !submit { return try await render(req, saved) }
            return req.redirect(to: Self.entryLink(set.code, place.code, period.id), notice: submit ? "report_submitted" : "report_saved")
        } catch let failure as ValidationFailure {
            return try await render(req, current, typed: typed, problems: failure.problems, status: .unprocessableEntity)
        } catch let stale as StaleReport {
            return try await render(req, stale.current, typed: typed, problems: [.init(line: nil, field: "version", message: Strings.text("report_stale", req.language))],
                                    stale: true, status: .conflict)
        } catch let error as HamletError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await render(req, current, typed: typed, problems: [.init(line: nil, field: error.field, message: error.message)], status: error.status)
        }
    }

    /// The phone's script sending a report (typed, or queued while offline): the report as it now
    /// stands; a stale version answers 409 with the server's copy, so the user can choose.
    package func answer(_ req: Request, _ service: ReportService, _ target: (DataSet, ReportPlace, Period), _ input: ReportInput) async throws -> Response {
        do {
            let saved = try await service.save(target.0, target.1, target.2, input, typed: true)
            return try await OfflineAnswer(saved).encodeResponse(for: req)
        } catch let stale as StaleReport {
            struct Body: Content { var error: ErrorBody.Detail; var current: OfflineAnswer }
            let response = Response(status: .conflict)
            try response.content.encode(Body(error: .init(code: "stale", message: Strings.text("report_stale", req.language), field: "version"),
                                              current: OfflineAnswer(stale.current)))
            return response
        }
    }

    package func decide(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let (set, place, period) = try await req.reports().target(form: form["set"], unit: form["unit"], period: form["period"])
        guard let decision = ReportService.Decision(rawValue: form["decision"] ?? "") else { throw HamletError.badRequest("Thao tác không hợp lệ.", field: "decision") }
        do {
            _ = try await req.reports().decide(set, place, period, decision, comment: form["comment"])
        } catch let error as HamletError where error.status == .unprocessableEntity || error.status == .conflict {
            let current = try await req.reports().state(set, place, period)
            return try await render(req, current, problems: [.init(line: nil, field: error.field, message: error.message)], status: error.status)
        }
        return req.redirect(to: Self.entryLink(set.code, place.code, period.id), notice: "report_decided")
    }
}
