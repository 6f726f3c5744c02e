import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletAccounts
import HamletOrganisations
import HamletUnits
import HamletTraining
import HamletReporting
import HamletCases

package struct IndicatorInput: Content {
    package var code: String?
    package var name: String?
    package var definition: IndicatorDefinition?
    package var note: String?

    package init(code: String? = nil, name: String? = nil, definition: IndicatorDefinition? = nil, note: String? = nil) {
        (self.code, self.name, self.definition, self.note) = (code, name, definition, note)
    }
}

package struct IndicatorDTO: Content {
    package var id: UUID?
    package var code: String
    package var name: String
    package var kind: String
    package var kindLabel: String
    package var measure: String
    package var definition: IndicatorDefinition?
    package var note: String?
    /// "VN" or the owning province's code: only its officers change it.
    package var owner: String
    /// For an indicator whose counts are kept: whether its tally is ready, being built (how far)
    /// or queued. Until ready its values are counted live and marked `building`.
    package var tally: TallyBuilds.Progress?

    package init(_ i: Indicator, tally: TallyBuilds.Progress? = nil) {
        self.tally = tally
        id = i.id; code = i.code; name = i.name; kind = i.kind; owner = CatalogueOwner.code(i.ownerPath)
        let k = IndicatorKind(rawValue: i.kind)
        definition = try? i.parsed(); note = i.note
        kindLabel = (k?.label ?? i.kind) + (definition?.baselineYear.map { ", thay đổi so với năm \($0)" } ?? ""); measure = definition?.measure ?? k?.measure ?? ""
    }
}

/// Indicator definitions: checked here, stored as JSON, computed by `IndicatorEngine`.
package struct IndicatorService {
    package let db: any Database
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.actor, self.ip) = (db, actor, ip)
    }

    package func save(_ input: IndicatorInput, into indicator: Indicator = Indicator()) async throws -> Indicator {
        let creating = indicator.id == nil
        // A change is its owner's alone: another province's plan may be measured by it.
        if creating { indicator.ownerPath = CatalogueOwner.path(for: actor) }
        else { try await CatalogueOwner.requireEditable(indicator.ownerPath, by: actor, on: db) }
        let code = (input.code ?? "").trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty, code.count <= 30 else { throw HamletError.invalid("code", "Cần mã chỉ tiêu (tối đa 30 ký tự).") }
        let name = VietnameseText.normalized(input.name ?? "")
        guard !name.isEmpty, name.count <= 300 else { throw HamletError.invalid("name", "Cần tên chỉ tiêu (tối đa 300 ký tự).") }
        guard let definition = input.definition else { throw HamletError.invalid("definition", "Cần định nghĩa chỉ tiêu (kind và các tham số).") }
        try await validate(definition)
        let clash = Indicator.query(on: db).filter(\.$code == code)
        if let id = indicator.id { clash.filter(\.$id != id) }
        if try await clash.count() > 0 { throw HamletError.invalid("code", "Mã chỉ tiêu «\(code)» đã có.") }
        let json = String(decoding: try JSONEncoder.sorted.encode(definition), as: UTF8.self)
        var changes = AuditChanges()
        changes.add("code", creating ? nil : indicator.code, code)
        changes.add("name", creating ? nil : indicator.name, name)
        changes.add("definition", creating ? nil : indicator.definition, json)
        indicator.code = code; indicator.name = name; indicator.kind = definition.kind.rawValue; indicator.definition = json
        indicator.note = VietnameseText.normalized(input.note ?? "").nilIfEmpty
        let audit = changes
        try await db.writeTransaction { tx in
            try await indicator.save(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: creating ? "create" : "update", entity: "indicator",
                                   entityID: indicator.id?.uuidString, scopePath: indicator.ownerPath, changes: audit)
        }
        return indicator
    }

    package func validate(_ d: IndicatorDefinition) async throws {
        switch d.kind {
        case .trainedShare:
            if let since = d.trained?.since, DayDate(since) == nil { throw HamletError.invalid("since", "Ngày không hợp lệ (yyyy-MM-dd).") }
        case .unitsWithPeople:
            guard let rule = d.rule else { throw HamletError.invalid("rule", "Cần quy tắc: cấp đơn vị hoặc loại cơ sở, lĩnh vực, số người tối thiểu/tối đa.") }
            try rule.validate()
            let known = Set(try await OrganisationType.query(on: db).filter(\.$code ~~ rule.placeTypes).all().map(\.code))
            if let type = rule.placeTypes.first(where: { !known.contains($0) }) {
                throw HamletError.invalid(rule.organisationType == type ? "organisationType" : "organisationTypes", "Loại cơ quan/cơ sở «\(type)» không có trong danh mục.")
            }
        case .facilitiesWithService, .facilityCount:
            let types = d.facilityTypes ?? []
            guard !types.isEmpty else { throw HamletError.invalid("facilityTypes", "Chọn ít nhất một loại cơ sở.") }
            let known = Set(try await OrganisationType.query(on: db).filter(\.$kind == .facility).all().map(\.code))
            if let unknown = types.first(where: { !known.contains($0) }) {
                throw HamletError.invalid("facilityTypes", "Loại cơ sở «\(unknown)» không có trong danh mục.")
            }
        case .reportedTotal:
            guard let code = d.element, let element = try await DataElement.query(on: db).filter(\.$code == code.uppercased()).first() else {
                throw HamletError.invalid("element", "Chọn một chỉ tiêu báo cáo có trong danh mục.")
            }
            guard element.type.isNumeric else { throw HamletError.invalid("element", "Chỉ tiêu \(element.code) là chữ: không cộng được.") }
            if let combo = d.combo, !combo.isEmpty {
                let categories = try await DataCategory.query(on: db).filter(\.$code ~~ element.categoryCodes).all()
                let known = ReportForm.combos(element.categoryCodes.compactMap { c in categories.first { $0.code == c } }).map(\.0)
                guard known.contains(combo.uppercased()) else {
                    throw HamletError.invalid("combo", "Chỉ tiêu \(element.code) không có phân tổ «\(combo)»; có: \(known.joined(separator: ", ")).")
                }
            }
            if let year = d.fromYear, !(1990...2100).contains(year) { throw HamletError.invalid("fromYear", "Năm bắt đầu không hợp lệ (1990–2100).") }
        case .casesServed, .casesGroupServed, .referralsCompleted:
            let catalogue = try await CaseCatalogueItem.query(on: db).all()
            if let bad = (d.caseCategories ?? []).first(where: { c in !catalogue.contains { $0.list == "category" && $0.code == c } }) {
                throw HamletError.invalid("caseCategories", "Không có nhóm đối tượng “\(bad)” trong danh mục.")
            }
            if let bad = (d.serviceTypes ?? []).first(where: { c in !catalogue.contains { $0.list == "service" && $0.code == c } }) {
                throw HamletError.invalid("serviceTypes", "Không có loại dịch vụ “\(bad)” trong danh mục.")
            }
            if d.kind == .casesGroupServed, (d.caseCategories ?? []).isEmpty { throw HamletError.invalid("caseCategories", "Chọn nhóm đối tượng cần tính tỷ lệ.") }
            if d.base == .population, d.kind != .casesGroupServed { throw HamletError.invalid("base", "Chỉ tỷ lệ của một nhóm đối tượng mới tính trên số liệu dân số.") }
            if let year = d.fromYear, !(1990...2100).contains(year) { throw HamletError.invalid("fromYear", "Năm bắt đầu không hợp lệ (1990–2100).") }
        case .activityCount:
            if let bad = (d.activityKinds ?? []).first(where: { ActivityKind(rawValue: $0) == nil }) {
                throw HamletError.invalid("activityKinds", "Không có loại hoạt động «\(bad)».")
            }
            if let year = d.fromYear, !(1990...2100).contains(year) { throw HamletError.invalid("fromYear", "Năm bắt đầu không hợp lệ (1990–2100).") }
        case .trainedCount:
            guard let year = d.fromYear, (1990...2100).contains(year) else { throw HamletError.invalid("fromYear", "Cần năm bắt đầu tính (1990–2100).") }
        case .budgetSpent:
            guard d.budgetOf != nil else { throw HamletError.invalid("budgetOf", "Chọn nguồn số liệu kinh phí: kế hoạch hoặc lớp đào tạo.") }
            guard let year = d.fromYear, (1990...2100).contains(year) else { throw HamletError.invalid("fromYear", "Cần năm bắt đầu tính (1990–2100).") }
            for number in d.planNumbers ?? [] where try await Plan.query(on: db).filter(\.$number == number).count() == 0 {
                throw HamletError.invalid("planNumbers", "Không có kế hoạch số «\(number)».")
            }
        }
        if let year = d.baselineYear {
            guard d.kind.counts else { throw HamletError.invalid("baselineYear", "Chỉ so sánh với năm cơ sở được cho chỉ tiêu đếm (số người, số cơ sở, kinh phí).") }
            guard (1990...2100).contains(year) else { throw HamletError.invalid("baselineYear", "Năm cơ sở không hợp lệ (1990–2100).") }
        }
    }
}

/// /api/v1/indicators and their values at any unit and date.
package struct IndicatorAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("indicators", use: list)
        routes.post("indicators", use: create)
        routes.get("indicators", ":id", use: show)
        routes.patch("indicators", ":id", use: update)
        routes.get("indicators", ":id", "values", use: values)
    }

    package func list(req: Request) async throws -> ListBody<IndicatorDTO> {
        let all = try await Indicator.query(on: req.db).sort(\.$code).all()
        let tallies = try await TallyBuilds(db: req.db).progress(of: all)
        let items = all.map { IndicatorDTO($0, tally: $0.id.flatMap { tallies[$0] }) }
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    package static func find(_ req: Request) async throws -> Indicator {
        guard let i = try await Indicator.find(req.parameters.get("id", as: UUID.self), on: req.db) else { throw HamletError.notFound }
        return i
    }

    package func show(req: Request) async throws -> IndicatorDTO { try await Self.dto(try await Self.find(req), on: req.db) }

    package static func dto(_ i: Indicator, on db: any Database) async throws -> IndicatorDTO {
        IndicatorDTO(i, tally: try await TallyBuilds(db: db).progress(of: [i]).values.first)
    }

    package func create(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        let i = try await IndicatorService(db: req.db, actor: user, ip: req.clientIP).save(try req.content.decode(IndicatorInput.self))
        return try Response.created(try await Self.dto(i, on: req.db))
    }

    package func update(req: Request) async throws -> IndicatorDTO {
        let user = try req.requireRole(\.canEditCatalogues)
        let i = try await Self.find(req)
        var input = try req.content.decode(IndicatorInput.self)
        input.code = input.code ?? i.code; input.name = input.name ?? i.name; input.note = input.note ?? i.note
        input.definition = try input.definition ?? i.parsed()
        return try await Self.dto(try await IndicatorService(db: req.db, actor: user, ip: req.clientIP).save(input, into: i), on: req.db)
    }

    /// `?unit=CODE&date=dd/MM/yyyy|yyyy-MM-dd&breakdown=children` (children are always given;
    /// `breakdown=none` leaves them out); `map=2025` counts a day before the reform over the 2025 units.
    package func values(req: Request) async throws -> IndicatorValue {
        let i = try await Self.find(req)
        let (map, unit, date) = (try UnitMap.from(req), try await TrainingParams.unit(req), try TrainingParams.date(req))
        var v = try await Self.keptValue(req, i, unit: unit, date: date, map: map)
        if req.query["breakdown"] == "none" { v.children = [] }
        return v.hidingSmallCaseCounts()
    }

    /// The value as the API and the indicator's page ask it: read where a moment's lag is allowed
    /// and kept while nothing it reads has changed.
    package static func keptValue(_ req: Request, _ i: Indicator, unit: AdminUnit?, date: String, map: UnitMap) async throws -> IndicatorValue {
        let question = Question("indicator", i.id?.uuidString, i.definition, unit?.path ?? "VN", date, "\(map)")
        return try await req.readingMayLag { db in
            try await req.kept(question, on: db, reads: { _ in i.reads }) {
                try await IndicatorEngine(db: db, map: map).value(i, unit: unit, date: date)
            }
        }
    }

    /// The value alone on each of several days (the page's trend), kept the same way.
    package static func keptSeries(_ req: Request, _ i: Indicator, unit: AdminUnit?, dates: [String], map: UnitMap) async throws -> [String: Double] {
        let question = Question("indicator-series", i.id?.uuidString, i.definition, unit?.path ?? "VN", Set(dates).sorted().joined(separator: ","), "\(map)")
        return try await req.readingMayLag { db in
            try await req.kept(question, on: db, reads: { _ in i.reads }) {
                try await IndicatorEngine(db: db, map: map).series(i, unit: unit, dates: dates)
            }
        }
    }
}
