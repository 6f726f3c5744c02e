import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletOrganisations

/// `/reports/catalogue`: the reporting catalogue as officers keep it — categories, data elements
/// and report forms listed, added and edited from pages, through the same `CatalogueService` as
/// the API. Lists inside a form (options, a form's elements, its rules) are typed one per line.
package struct CataloguePages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        let c = routes.grouped("reports", "catalogue")
        c.get(use: index)
        c.get(":kind", "new", use: new)
        c.post(":kind", use: save)
        c.get(":kind", ":code", use: edit)
        c.post(":kind", ":code", use: save)
    }

    package struct IndexPage: Encodable {
        package struct Category: Encodable {
            package var code: String
            package var name: String
            package var options: String
            package var owner: String
            package init(code: String, name: String, options: String, owner: String) {
                (self.code, self.name, self.options, self.owner) = (code, name, options, owner)
            }
        }
        package struct Element: Encodable {
            package var code: String
            package var name: String
            package var type: String
            package var aggregation: String
            package var categories: String
            package var owner: String
            package init(code: String, name: String, type: String, aggregation: String, categories: String, owner: String) {
                (self.code, self.name, self.type, self.aggregation) = (code, name, type, aggregation)
                (self.categories, self.owner) = (categories, owner)
            }
        }
        package struct Form: Encodable {
            package var code: String
            package var name: String
            package var periodicity: String
            package var reporters: String
            package var due: String
            package var elements: Int
            package var owner: String
            package init(code: String, name: String, periodicity: String, reporters: String, due: String, elements: Int, owner: String) {
                (self.code, self.name, self.periodicity, self.reporters) = (code, name, periodicity, reporters)
                (self.due, self.elements, self.owner) = (due, elements, owner)
            }
        }
        package var canEdit: Bool
        package var categories: [Category]
        package var elements: [Element]
        package var forms: [Form]

        package init(canEdit: Bool, categories: [Category], elements: [Element], forms: [Form]) {
            (self.canEdit, self.categories, self.elements, self.forms) = (canEdit, categories, elements, forms)
        }
    }

    package func index(req: Request) async throws -> Response {
        let catalogue = req.reportingCatalogue()
        let (categories, elements, counts) = (try await catalogue.categories(), try await catalogue.elements(), try await catalogue.elementCounts())
        let types = Dictionary(try await OrganisationTypeService(db: req.db).all().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let forms = try await catalogue.dataSets()
        var owners: [String: String] = [:]
        for path in Set(categories.map(\.ownerPath) + elements.map(\.ownerPath) + forms.map(\.ownerPath)) {
            owners[path] = try await CatalogueOwner.label(path, on: req.db)
        }
        let page = IndexPage(
            canEdit: req.currentUser?.role.canEditCatalogues ?? false,
            categories: categories.map { .init(code: $0.code, name: $0.name, options: $0.options.map(\.name).joined(separator: ", "), owner: owners[$0.ownerPath] ?? "") },
            elements: elements.map { .init(code: $0.code, name: $0.name, type: $0.type.label, aggregation: (Aggregation(rawValue: $0.aggregation) ?? .sum).label,
                                           categories: $0.categoryCodes.joined(separator: ", "), owner: owners[$0.ownerPath] ?? "") },
            forms: forms.map { f in
                .init(code: f.code, name: f.name, periodicity: f.frequency.label, reporters: (f.levels.map { $0.label(req.language) } + f.facilityTypes.map { types[$0] ?? $0 }).joined(separator: ", "),
                      due: f.dueLabel, elements: counts[f.id!] ?? 0, owner: owners[f.ownerPath] ?? "")
            })
        return try await req.renderPage("reporting/catalogue", title: "Danh mục báo cáo", nav: "reports", body: page)
    }

    /// Every field of the three kinds of item, as typed; each kind reads its own.
    package struct Fields: Content {
        package var code: String?
        package var name: String?
        package var shortName: String?
        package var description: String?
        package var options: String?
        package var valueType: String?
        package var aggregation: String?
        package var categories: [String]?
        package var periodicity: String?
        package var levels: [String]?
        package var facilityTypes: [String]?
        package var dueDays: String?
        package var dueDate: String?
        package var cutoffDay: String?
        package var elements: String?
        package var rules: String?
        package var minimum: String?
        package var maximum: String?

        package init(code: String? = nil, name: String? = nil, shortName: String? = nil, description: String? = nil,
                     options: String? = nil, valueType: String? = nil, aggregation: String? = nil, categories: [String]? = nil,
                     periodicity: String? = nil, levels: [String]? = nil, facilityTypes: [String]? = nil, dueDays: String? = nil,
                     dueDate: String? = nil, cutoffDay: String? = nil, elements: String? = nil, rules: String? = nil,
                     minimum: String? = nil, maximum: String? = nil) {
            (self.code, self.name, self.shortName, self.description) = (code, name, shortName, description)
            (self.options, self.valueType, self.aggregation, self.categories) = (options, valueType, aggregation, categories)
            (self.periodicity, self.levels, self.facilityTypes, self.dueDays) = (periodicity, levels, facilityTypes, dueDays)
            (self.dueDate, self.cutoffDay, self.elements, self.rules) = (dueDate, cutoffDay, elements, rules)
            (self.minimum, self.maximum) = (minimum, maximum)
        }
    }

    package struct ItemPage: Encodable {
        package var kind: String
        package var heading: String
        package var action: String
        package var editing: Bool
        package var values: Fields
        package var error: String?
        package var errorField: String?
        /// Whose catalogue it is, and whether this account may change it (`CatalogueOwner`).
        package var owner: String
        package var mayEdit: Bool
        package var valueTypes: [FormOption]
        package var aggregations: [FormOption]
        package var categories: [FormOption]
        package var periodicities: [FormOption]
        package var levels: [FormOption]
        package var facilityTypes: [FormOption]
        package var knownElements: String

        package init(kind: String, heading: String, action: String, editing: Bool, values: Fields, error: String? = nil,
                     errorField: String? = nil, owner: String, mayEdit: Bool, valueTypes: [FormOption], aggregations: [FormOption],
                     categories: [FormOption], periodicities: [FormOption], levels: [FormOption], facilityTypes: [FormOption],
                     knownElements: String) {
            (self.kind, self.heading, self.action, self.editing) = (kind, heading, action, editing)
            (self.values, self.error, self.errorField, self.owner) = (values, error, errorField, owner)
            (self.mayEdit, self.valueTypes, self.aggregations, self.categories) = (mayEdit, valueTypes, aggregations, categories)
            (self.periodicities, self.levels, self.facilityTypes, self.knownElements) = (periodicities, levels, facilityTypes, knownElements)
        }
    }

    package static let kinds: [String: String] = ["categories": "cách phân tổ", "elements": "chỉ tiêu báo cáo", "forms": "biểu báo cáo"]

    package func kind(_ req: Request) throws -> String {
        guard let kind = req.parameters.get("kind"), Self.kinds[kind] != nil else { throw HamletError.notFound }
        return kind
    }

    package func new(req: Request) async throws -> Response {
        let kind = try kind(req)
        let user = try req.requireRole(\.canEditCatalogues)
        return try await render(req, kind: kind, values: Fields(valueType: "INTEGER_ZERO_OR_POSITIVE", aggregation: "SUM", periodicity: "monthly", dueDays: "15"), code: nil,
                                owner: CatalogueOwner.path(for: user), error: nil)
    }

    package func edit(req: Request) async throws -> Response {
        let kind = try kind(req)
        let code = (req.parameters.get("code") ?? "").uppercased()
        let (values, owner) = try await stored(req, kind, code)
        return try await render(req, kind: kind, values: values, code: code, owner: owner, error: nil)
    }

    /// A stored item as the page shows it, and its owner.
    package func stored(_ req: Request, _ kind: String, _ code: String) async throws -> (Fields, String) {
        switch kind {
        case "categories":
            let c = try await req.reportingCatalogue().category(code)
            return (Fields(code: c.code, name: c.name, options: c.options.map { "\($0.code) | \($0.name)" }.joined(separator: "\n")), c.ownerPath)
        case "elements":
            let e = try await req.reportingCatalogue().element(code)
            return (Fields(code: e.code, name: e.name, shortName: e.shortName, description: e.details, valueType: e.valueType, aggregation: e.aggregation,
                           categories: e.categoryCodes, minimum: e.minimum.map(ValidationRule.show), maximum: e.maximum.map(ValidationRule.show)), e.ownerPath)
        default:
            let s = try await req.reportingCatalogue().dataSet(code)
            let rows = try await req.reportingCatalogue().elementsOf(s)
            return (Fields(code: s.code, name: s.name, periodicity: s.periodicity, levels: s.levels.map(\.rawValue), facilityTypes: s.facilityTypes,
                          dueDays: s.dueDays.map(String.init), dueDate: s.dueDay.map { String(format: "%02d/%02d", $0, s.dueMonth ?? 1) },
                          cutoffDay: s.cutoffDay.map(String.init),
                          elements: rows.map { $0.section.isEmpty ? $0.element.code : "\($0.element.code) | \($0.section)" }.joined(separator: "\n"),
                          rules: s.rules.map(\.line).joined(separator: "\n")), s.ownerPath)
        }
    }

    package func save(req: Request) async throws -> Response {
        let kind = try kind(req)
        let user = try req.requireRole(\.canEditCatalogues)
        let code = req.parameters.get("code")?.uppercased()
        let form = try req.content.decode(Fields.self)
        let service = CatalogueService(db: req.db, actor: user, ip: req.clientIP)
        do {
            let saved: String
            switch kind {
            case "categories":
                let existing = try await code.asyncMap { try await service.category($0) }
                saved = try await service.saveCategory(CategoryInput(code: form.code, name: form.name, options: try Self.options(form.options)), into: existing).code
            case "elements":
                let existing = try await code.asyncMap { try await service.element($0) }
                saved = try await service.saveElement(ElementInput(code: form.code, name: form.name, shortName: form.shortName?.nilIfEmpty, valueType: form.valueType,
                                                                   aggregation: form.aggregation, categories: form.categories ?? [], description: form.description ?? "",
                                                                   minimum: try Self.bound(form.minimum, "minimum"), maximum: try Self.bound(form.maximum, "maximum")),
                                                      into: existing, boundsAsGiven: true).code
            default:
                let existing = try await code.asyncMap { try await service.dataSet($0) }
                saved = try await service.saveDataSet(try Self.dataSet(form), into: existing).code
            }
            return req.redirect(to: "/reports/catalogue/\(kind)/\(saved)", notice: "saved")
        } catch let error as HamletError where error.field != nil {
            // "elements[2].element" is the elements box, "rules[0].left" the rules box.
            var shown = error
            shown.field = error.field.map { String($0.prefix { $0 != "[" && $0 != "." }) }
            return try await render(req, kind: kind, values: form, code: code, error: shown)
        }
    }

    /// "NAM | Nam" per line.
    /// A bound as typed ("1.000", "12,5"); empty is none.
    package static func bound(_ raw: String?, _ field: String) throws -> Double? {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard case .success(let parsed) = ValueType.number.parse(raw, typed: true), let n = parsed.number else {
            throw HamletError.invalid(field, "Giá trị giới hạn phải là số, ví dụ 0 hoặc 1.000.")
        }
        return n
    }

    package static func options(_ text: String?) throws -> [DataCategory.Option] {
        try lines(text).map { n, line in
            let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw HamletError.invalid("options", "Dòng \(n): viết MÃ | Tên, ví dụ NU | Nữ.") }
            return DataCategory.Option(code: parts[0], name: parts[1])
        }
    }

    package static func dataSet(_ form: Fields) throws -> DataSetInput {
        var section = ""
        let items = lines(form.elements).map { _, line -> DataSetInput.Item in
            let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { section = parts[1] }
            return DataSetInput.Item(element: parts[0], section: section)
        }
        let rules = try lines(form.rules).map { n, line in
            guard let rule = ValidationRule(line: line) else {
                throw HamletError.invalid("rules", "Dòng \(n) của quy tắc không đọc được: “\(line)”. Viết như: bắt buộc CTV_TONG · CTV_TONG 0..500 · CTV_TAP_HUAN <= CTV_TONG.")
            }
            return rule
        }
        var dueDay: Int? = nil, dueMonth: Int? = nil
        if let text = form.dueDate?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let parts = text.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2 else { throw HamletError.invalid("dueDay", "Hạn nộp cố định viết ngày/tháng, ví dụ 30/11.") }
            (dueDay, dueMonth) = (parts[0], parts[1])
        }
        func number(_ text: String?, _ field: String) throws -> Int? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let n = Int(text) else { throw HamletError.invalid(field, "Phải là số nguyên.") }
            return n
        }
        return DataSetInput(code: form.code, name: form.name, periodicity: form.periodicity, levels: form.levels ?? [], facilityTypes: form.facilityTypes ?? [],
                            dueDays: dueDay == nil ? try number(form.dueDays, "dueDays") : nil, dueDay: dueDay, dueMonth: dueMonth,
                            cutoffDay: try number(form.cutoffDay, "cutoffDay"), elements: items, rules: rules)
    }

    /// The non-blank lines of a text box, numbered from 1.
    package static func lines(_ text: String?) -> [(Int, String)] {
        (text ?? "").components(separatedBy: .newlines).enumerated()
            .map { ($0.offset + 1, $0.element.trimmingCharacters(in: .whitespaces)) }.filter { !$0.1.isEmpty }
    }

    package func render(_ req: Request, kind: String, values: Fields, code: String?, owner stored: String? = nil, error: HamletError?) async throws -> Response {
        var owner = stored ?? CatalogueOwner.path(for: req.currentUser)
        if stored == nil, let code {
            owner = (try? await self.stored(req, kind, code).1) ?? owner
        }
        let catalogue = req.reportingCatalogue()
        let (categories, elements) = (try await catalogue.categories(), try await catalogue.elements())
        let types = try await OrganisationTypeService(db: req.db).all(.facility)
        let what = Self.kinds[kind]!
        let page = ItemPage(
            kind: kind, heading: code.map { "Sửa \(what) \($0)" } ?? "Thêm \(what)", action: "/reports/catalogue/\(kind)" + (code.map { "/\($0)" } ?? ""),
            editing: code != nil, values: values, error: error?.message, errorField: error?.field,
            owner: try await CatalogueOwner.label(owner, on: req.db), mayEdit: req.currentUser.map { CatalogueOwner.mayEdit(owner, $0) } ?? false,
            valueTypes: ValueType.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values.valueType) },
            aggregations: Aggregation.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values.aggregation) },
            categories: categories.map { FormOption(value: $0.code, label: "\($0.code) — \($0.name)", selected: (values.categories ?? []).contains($0.code)) },
            periodicities: Periodicity.allCases.map { FormOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values.periodicity) },
            levels: [UnitLevel.province, .commune, .hamlet].map { FormOption(value: $0.rawValue, label: $0.label(req.language), selected: (values.levels ?? []).contains($0.rawValue)) },
            facilityTypes: types.map { FormOption(value: $0.code, label: $0.name, selected: (values.facilityTypes ?? []).contains($0.code)) },
            knownElements: elements.map(\.code).joined(separator: ", "))
        let template = ["categories": "reporting/catalogue-category", "elements": "reporting/catalogue-element", "forms": "reporting/catalogue-form"][kind]!
        return try await req.renderPage(template, title: page.heading, status: error?.status ?? .ok, nav: "reports", body: page)
    }
}
