import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations

/// GET /api/v1/coverage and the coverage page. A rule comes from a preset (`rule=`) and/or
/// explicit fields: `level` or `organisationType`, `organisationTypes` counted with them,
/// `domains`, `kinds` (comma lists), `allDomains` (one post holds them all), `min`, `max`;
/// then `unit` (default: the account's scope) and `date` (default: today).
package struct CoverageRoutes {
    package init() {}
    package struct Request_: Sendable {
        package var rule: CoverageRule
        package var presetID: String
        package var unit: AdminUnit?
        package var date: String
        package init(rule: CoverageRule, presetID: String, unit: AdminUnit? = nil, date: String) {
            (self.rule, self.presetID, self.unit, self.date) = (rule, presetID, unit, date)
        }
    }

    package static func parse(_ req: Request) async throws -> Request_ {
        let presetID: String = req.query["rule"] ?? ""
        var rule = CoverageRule()
        if !presetID.isEmpty {
            guard let preset = CoverageRule.presets.first(where: { $0.id == presetID }) else {
                throw HamletError.invalid("rule", "Không có quy tắc «\(presetID)». Có: \(CoverageRule.presets.map(\.id).joined(separator: ", ")).")
            }
            rule = preset.rule
        }
        if let raw: String = req.query["level"], !raw.isEmpty {
            guard let level = UnitLevel(rawValue: raw) else { throw HamletError.invalid("level", "Cấp phải là province, commune hoặc hamlet.") }
            rule.level = level; rule.organisationType = nil
        }
        if let raw: String = req.query["organisationType"], !raw.isEmpty { rule.organisationType = raw; rule.level = nil }
        // More types counted with the level (or the type) in one denominator.
        if let raw: String = req.query["organisationTypes"], !raw.isEmpty { rule.organisationTypes = list(raw) }
        if let raw: String = req.query["allDomains"], !raw.isEmpty { rule.allDomains = raw == "true" || raw == "on" ? true : nil }
        if let raw: String = req.query["domains"], !raw.isEmpty {
            rule.domains = try list(raw).map { raw in
                guard let d = WorkDomain(rawValue: raw) else { throw HamletError.invalid("domains", "Lĩnh vực không hợp lệ: \(raw).") }
                return d
            }
        }
        if let raw: String = req.query["kinds"], !raw.isEmpty {
            rule.kinds = try list(raw).map { raw in
                guard let k = EmploymentKind(rawValue: raw) else { throw HamletError.invalid("kinds", "Loại hình không hợp lệ: \(raw).") }
                return k
            }
        }
        if let raw: String = req.query["min"], !raw.isEmpty {
            guard let n = Int(raw) else { throw HamletError.invalid("min", "Số tối thiểu phải là số nguyên.") }
            rule.min = n
        }
        // A blank box means "as the preset says", so the page can send every field.
        if let raw: String = req.query["max"], !raw.isEmpty {
            guard let n = Int(raw) else { throw HamletError.invalid("max", "Số tối đa phải là số nguyên.") }
            rule.max = n
        }
        // A code or a name ("binh duc", "Khóm 1, Bình Đức"); left empty, the account's own unit.
        let unit = try await req.unitAsked(req.query["unit"])
        var date = DayDate.today().iso
        if let raw: String = req.query["date"], !raw.isEmpty {
            guard let day = DayDate(raw) else { throw HamletError.invalid("date", "Ngày không hợp lệ (dd/MM/yyyy).") }
            date = day.iso
        }
        try rule.validate()
        return Request_(rule: rule, presetID: presetID, unit: unit, date: date)
    }

    package static func list(_ raw: String) -> [String] {
        raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

package struct CoverageAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("coverage", use: coverage)
    }

    package func coverage(req: Request) async throws -> CoverageResult {
        let parsed = try await CoverageRoutes.parse(req)
        let map = try UnitMap.from(req)
        return try await CoverageQuery.kept(req, parsed.rule, unit: parsed.unit, date: parsed.date, map: map)
    }
}

package struct CoveragePages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("coverage", use: page)
    }

    package struct ChildRow: Encodable {
        package var code: String
        package var name: String
        package var places: String
        package var meeting: String
        package var percent: String
        package var bar: Int
        package init(code: String, name: String, places: String, meeting: String, percent: String, bar: Int) {
            (self.code, self.name, self.places, self.meeting) = (code, name, places, meeting)
            (self.percent, self.bar) = (percent, bar)
        }
    }
    /// `within`: the commune a hamlet sits in (or an agency's own unit), so "Khóm 1" is told apart.
    package struct MissRow: Encodable {
        package var name: String
        package var within: String
        package var count: Int
        package var link: String
        package init(name: String, within: String, count: Int, link: String) {
            (self.name, self.within, self.count, self.link) = (name, within, count, link)
        }
    }
    package struct Page_: Encodable {
        package var presets: [FormOption]; package var ruleID: String; package var unit: String; package var date: String
        package var result: CoverageResult?; package var percent: String; package var meeting: String; package var places: String
        package var children: [ChildRow]; package var misses: [MissRow]; package var error: String?; package var errorField: String? = nil
        /// The fields that shape a rule of one's own (they override the preset's).
        package var levels: [FormOption] = []; package var types: [FormOption] = []; package var domains: [FormOption] = []; package var kinds: [FormOption] = []; package var min = ""; package var max = ""
    }

    /// The page with the own-rule fields filled from the query.
    package func render(_ req: Request, _ page: Page_, status: HTTPResponseStatus = .ok) async throws -> Response {
        var page = page
        let q = { (key: String) in (req.query[String.self, at: key]) ?? "" }
        page.levels = [UnitLevel.hamlet, .commune, .province].map { FormOption(value: $0.rawValue, label: $0.label(req.language), selected: $0.rawValue == q("level")) }
        page.types = try await OrganisationTypeService(db: req.db).all().map { FormOption(value: $0.code, label: $0.name, selected: $0.code == q("organisationType")) }
        page.domains = WorkDomain.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == q("domains")) }
        page.kinds = EmploymentKind.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == q("kinds")) }
        page.min = q("min"); page.max = q("max")
        return try await req.renderPage("people/coverage", title: Strings.text("coverage_title", req.language), status: status, nav: "coverage", body: page)
    }

    package func page(req: Request) async throws -> Response {
        let presetID = req.query[String.self, at: "rule"] ?? CoverageRule.presets[0].id
        let presets = [FormOption(value: "", label: Strings.text("coverage_own_rule", req.language), selected: presetID.isEmpty)]
            + CoverageRule.presets.map { FormOption(value: $0.id, label: $0.label, selected: $0.id == presetID) }
        let unitText: String = req.query["unit"] ?? ""
        let dateText: String = req.query["date"] ?? DayDate.today().vietnamese
        guard req.query[String.self, at: "rule"] != nil else {
            return try await render(req, Page_(presets: presets, ruleID: presetID, unit: unitText, date: dateText, result: nil, percent: "", meeting: "", places: "", children: [], misses: []))
        }
        do {
            let parsed = try await CoverageRoutes.parse(req)
            let map = try UnitMap.from(req)
            let r = try await CoverageQuery.kept(req, parsed.rule, unit: parsed.unit, date: parsed.date, map: map)
            return try await render(req, Page_(
                presets: presets, ruleID: presetID, unit: unitText, date: dateText, result: r, percent: VietnameseFormat.decimal(r.percent),
                meeting: VietnameseFormat.integer(r.meeting), places: VietnameseFormat.integer(r.places),
                children: r.children.map { ChildRow(code: $0.code, name: $0.name, places: VietnameseFormat.integer($0.places),
                                                    meeting: VietnameseFormat.integer($0.meeting), percent: VietnameseFormat.decimal($0.percent),
                                                    bar: Int($0.percent.rounded())) },
                misses: r.misses.map { MissRow(name: $0.name, within: $0.within ?? "", count: $0.count, link: $0.link) }))
        } catch let error as HamletError where error.status == .unprocessableEntity {
            return try await render(req, Page_(presets: presets, ruleID: presetID, unit: unitText, date: dateText, result: nil, percent: "", meeting: "", places: "",
                                               children: [], misses: [], error: error.message, errorField: error.field), status: error.status)
        }
    }
}
