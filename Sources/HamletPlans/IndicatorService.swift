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

/// Indicator definitions: checked here, stored as JSON, computed by `IndicatorEngine`.
package struct IndicatorService {
    package let db: any Database
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.actor, self.ip) = (db, actor, ip)
    }

    /// Every indicator, by code.
    package func all() async throws -> [Indicator] { try await Indicator.query(on: db).sort(\.$code).all() }

    /// The indicator with this id; 404 when there is none (indicators are the country's catalogue).
    package func find(_ id: UUID?) async throws -> Indicator {
        guard let id, let i = try await Indicator.find(id, on: db) else { throw HamletError.notFound }
        return i
    }

    /// The indicator as the API sends it, with its tally's progress.
    package func dto(_ i: Indicator) async throws -> IndicatorDTO {
        IndicatorDTO(i, tally: try await TallyBuilds(db: db).progress(of: [i]).values.first)
    }

    /// Every indicator as the API lists it.
    package func dtos() async throws -> [IndicatorDTO] {
        let all = try await all()
        let tallies = try await TallyBuilds(db: db).progress(of: all)
        return all.map { IndicatorDTO($0, tally: $0.id.flatMap { tallies[$0] }) }
    }

    /// What the definition form offers: place and facility types, numeric report elements, the
    /// cases' categories and services.
    package func formCatalogues() async throws -> (types: [OrganisationType], elements: [DataElement], cases: [CaseCatalogueItem]) {
        (try await OrganisationTypeService(db: db).all(),
         try await DataElement.query(on: db).sort(\.$code).all().filter { $0.type.isNumeric },
         try await CaseCatalogueItem.query(on: db).sort(\.$name).all())
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
