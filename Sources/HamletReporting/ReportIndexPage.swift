import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletOrganisations

/// The reports home: open a report by form, unit (typed by name or code) and period; the reports
/// waiting for this account's approval; the latest ones in its subtree.
extension ReportPages {
    package struct ReportRow: Encodable {
        package var link: String
        package var form: String
        package var unit: String
        package var period: String
        package var status: String
        package var submitted: String
        /// "FORM|unit|period", for approving several at once.
        package var pick: String = ""

        package init(link: String, form: String, unit: String, period: String, status: String, submitted: String, pick: String = "") {
            (self.link, self.form, self.unit, self.period) = (link, form, unit, period)
            (self.status, self.submitted, self.pick) = (status, submitted, pick)
        }

    }
    package struct Choice: Encodable {
        package var name: String
        package var within: String
        package var link: String
        package init(name: String, within: String, link: String) {
            (self.name, self.within, self.link) = (name, within, link)
        }
    }
    package struct IndexPage: Encodable {
        package var forms: [FormOption]
        package var unit: String
        package var unitHint: String
        package var period: String
        package var waiting: [ReportRow]
        package var recent: [ReportRow]
        package var error: String?
        package var errorField: String?
        package var choices: [Choice]
        package var moreChoices: Bool
        /// The periods open for entry in the forms, as people write them ("Tháng 11/2026"), newest first.
        package var periods: [String]

        package init(forms: [FormOption], unit: String, unitHint: String, period: String, waiting: [ReportRow], recent: [ReportRow],
                     error: String? = nil, errorField: String? = nil, choices: [Choice], moreChoices: Bool, periods: [String]) {
            (self.forms, self.unit, self.unitHint, self.period) = (forms, unit, unitHint, period)
            (self.waiting, self.recent, self.error, self.errorField) = (waiting, recent, error, errorField)
            (self.choices, self.moreChoices, self.periods) = (choices, moreChoices, periods)
        }

    }
    /// What the officer typed into the open-a-report form, kept when it is shown again.
    package struct Typed { var set: String?; var unit: String; var period: String?; var error: String?; var errorField: String?; var choices: [Choice] = []; var more = false }

    package func index(req: Request) async throws -> Response { try await index(req, typed: nil) }

    /// The report itself when form, unit and period are right; otherwise the home page again with
    /// the message next to the field, or the places whose name matches what was typed.
    package func entry(req: Request) async throws -> Response {
        let service = req.reports()
        var raw = (req.query[String.self, at: "unit"] ?? "").trimmingCharacters(in: .whitespaces)
        var typed = Typed(set: req.query["set"], unit: raw, period: req.query["period"])
        // Left empty: the account's own unit (the field is not pre-filled, so nothing typed joins it).
        if raw.isEmpty, !req.scope.isNation { raw = req.scope.code }
        do {
            let (set, place, period) = try await service.target(form: typed.set, unit: raw, period: typed.period)
            return try await render(req, try await service.state(set, place, period))
        } catch let error as HamletError where error.status == .notFound && !Self.looksLikeCode(raw) {
            // A name typed where a code goes: one match opens it, several are listed to pick from.
            guard let set = try? await service.dataSet(typed.set) else { throw error }
            let found = try await service.places(named: raw, for: set)
            if found.count == 1 {
                return req.redirect(to: Self.entryLink(set.code, found[0].place.code, typed.period ?? ""))
            }
            guard !found.isEmpty else {
                typed.error = raw.isEmpty ? "Nhập tên hoặc mã đơn vị báo cáo." : "Không tìm thấy đơn vị nào tên “\(raw)” báo cáo biểu này trong phạm vi của bạn."
                typed.errorField = "unit"
                return try await index(req, typed: typed, status: .unprocessableEntity)
            }
            typed.choices = found.prefix(ReportService.placeChoices).map {
                Choice(name: $0.place.name, within: $0.within, link: Self.entryLink(set.code, $0.place.code, typed.period ?? ""))
            }
            typed.more = found.count > ReportService.placeChoices
            return try await index(req, typed: typed)
        } catch let error as HamletError where error.status == .unprocessableEntity {
            typed.error = error.message
            typed.errorField = error.field == "orgUnit" ? "unit" : error.field
            return try await index(req, typed: typed, status: .unprocessableEntity)
        }
    }

    /// Several waiting reports approved at once, after a look at the list: each one checked as a
    /// single approval is; those refused are named, the others approved.
    package func approveMany(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canApproveReports)
        struct Form: Content { var pick: [String]? }
        let picks = (try req.content.decode(Form.self).pick ?? []).prefix(200)
        guard !picks.isEmpty else { return try await index(req, typed: Typed(unit: "", error: "Chọn ít nhất một báo cáo để duyệt.", errorField: "pick"), status: .unprocessableEntity) }
        let service = req.reports()
        var refused: [String] = []
        for pick in picks {
            let parts = pick.split(separator: "|").map(String.init)
            guard parts.count == 3 else { refused.append(pick); continue }
            do {
                let (set, place, period) = try await service.target(form: parts[0], unit: parts[1], period: parts[2])
                _ = try await service.decide(set, place, period, .approve, comment: nil)
            } catch let error as HamletError {
                refused.append(parts[1] + " " + parts[2] + ": " + error.message)
            }
        }
        if refused.isEmpty { return req.redirect(to: "/reports", notice: "report_decided") }
        return try await index(req, typed: Typed(unit: "", error: "Chưa duyệt được: " + refused.joined(separator: "; "), errorField: "pick"), status: .unprocessableEntity)
    }

    package static func looksLikeCode(_ raw: String) -> Bool {
        !raw.isEmpty && (raw.allSatisfy(\.isNumber) || UUID(uuidString: raw) != nil)
    }

    package static func entryLink(_ set: String, _ unit: String, _ period: String) -> String {
        var query = URLComponents()
        query.queryItems = [.init(name: "set", value: set), .init(name: "unit", value: unit), .init(name: "period", value: period)]
        return "/reports/entry?" + (query.percentEncodedQuery ?? "")
    }

    package func index(_ req: Request, typed: Typed?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let sets = try await DataSet.query(on: req.db).sort(\.$name).all()
        let chosen: String? = typed?.set?.uppercased() ?? req.query["set"]
        let last = sets.first { $0.code == chosen } ?? sets.first
        let today = DayDate.today()
        let period = typed?.period ?? last.map { Period.containing(today, $0.frequency).previous.label } ?? ""
        let scope = req.scope
        let rows = try await Report.query(on: req.db).filter(\.$orgPath >= scope.path).filter(\.$orgPath < AccessScope.upperBound(scope.path))
            .with(\.$dataSet).sort(\.$updatedAt, .descending).limit(200).all()
        let names = try await Self.placeNames(rows, on: req.db)
        func row(_ r: Report, _ names: [String: String]) -> ReportRow {
            ReportRow(link: Self.entryLink(r.dataSet.code, r.orgCode, r.period), form: r.dataSet.name, unit: names[r.orgCode] ?? r.orgCode,
                      period: Period(r.period)?.shown ?? r.period, status: English.say(r.state.label), submitted: r.firstSubmittedOn.flatMap(DayDate.init)?.vietnamese ?? "",
                      pick: [r.dataSet.code, r.orgCode, r.period].joined(separator: "|"))
        }
        // Waiting for this account: reports sent by the level just below it (a commune's hamlets,
        // a province's communes) and by facilities in its own unit.
        var waiting: [ReportRow] = []
        if req.currentUser?.role.canApproveReports ?? false {
            let sent = try await Report.query(on: req.db).filter(\.$orgPath >= scope.path).filter(\.$orgPath < AccessScope.upperBound(scope.path))
                .filter(\.$status == ReportStatus.submitted.rawValue).with(\.$dataSet).sort(\.$submittedAt).limit(2000).all()
                .filter { ReportService.waits($0, for: scope.path) }
            let sentNames = try await Self.placeNames(Array(sent.prefix(200)), on: req.db)
            waiting = sent.prefix(200).map { row($0, sentNames) }
        }
        let body = IndexPage(forms: sets.map { FormOption(value: $0.code, label: $0.name, selected: $0.code == last?.code) },
                             unit: typed?.unit ?? "", unitHint: try await Self.scopeName(req), period: period, waiting: waiting,
                             recent: rows.prefix(20).map { row($0, names) }, error: typed?.error, errorField: typed?.errorField,
                             choices: typed?.choices ?? [], moreChoices: typed?.more ?? false, periods: Self.openPeriods(sets, today: today))
        return try await req.renderPage("reporting/index", title: Strings.text("reports_title", req.language), status: status, nav: "reports", body: body)
    }

    /// Each form's periods open for entry, a year back at most, newest first, without repeats.
    package static func openPeriods(_ sets: [DataSet], today: DayDate) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for set in sets {
            var p = Period.containing(today, set.frequency)
            let count = switch set.frequency { case .monthly: 12; case .quarterly: 4; default: 2 }
            for _ in 0..<count {
                if set.isOpen(p, today: today), seen.insert(p.id).inserted { out.append(p.label) }
                p = p.previous
            }
        }
        return out
    }

    /// The account's own unit, named in the unit field's hint: left empty, the report is its own.
    package static func scopeName(_ req: Request) async throws -> String {
        guard !req.scope.isNation else { return "Vĩnh Thuận, Ấp Một, 30313…" }
        let name = try await AdminUnit.query(on: req.db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code == req.scope.code).first()?.name
        return (name ?? req.scope.code) + " (để trống: đơn vị của bạn)"
    }

    package static func placeNames(_ rows: [Report], on db: any Database) async throws -> [String: String] {
        var names: [String: String] = [:]
        let unitCodes = Set(rows.filter { $0.orgKind == "unit" }.map(\.orgCode))
        if !unitCodes.isEmpty {
            for u in try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code ~~ Array(unitCodes)).all() { names[u.code] = u.name }
        }
        let facilityIDs = Set(rows.filter { $0.orgKind == "facility" }.compactMap { UUID(uuidString: $0.orgCode) })
        if !facilityIDs.isEmpty { for o in try await Organisation.query(on: db).filter(\.$id ~~ Array(facilityIDs)).all() { names[o.id!.uuidString] = o.name } }
        return names
    }
}
