import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations

extension Role {
    /// Who types reports in: the reporting unit's own people.
    package var canEnterReports: Bool { [.admin, .provinceOfficer, .communeOfficer, .collaborator].contains(self) }
    /// Who approves or returns them: an officer of a level above the reporting unit.
    package var canApproveReports: Bool { [.admin, .provinceOfficer, .communeOfficer].contains(self) }
}

package struct CategoryInput: Content {
    package var code: String?
    package var name: String?
    package var options: [DataCategory.Option]?
    package init(code: String? = nil, name: String? = nil, options: [DataCategory.Option]? = nil) {
        (self.code, self.name, self.options) = (code, name, options)
    }
}
package struct ElementInput: Content {
    package var code: String?
    package var name: String?
    package var shortName: String?
    package var valueType: String?
    package var aggregation: String?
    package var categories: [String]?
    package var description: String?
    package var minimum: Double?
    package var maximum: Double?

    package init(code: String? = nil, name: String? = nil, shortName: String? = nil, valueType: String? = nil,
                 aggregation: String? = nil, categories: [String]? = nil, description: String? = nil, minimum: Double? = nil,
                 maximum: Double? = nil) {
        (self.code, self.name, self.shortName, self.valueType) = (code, name, shortName, valueType)
        (self.aggregation, self.categories, self.description, self.minimum) = (aggregation, categories, description, minimum)
        self.maximum = maximum
    }

}
package struct DataSetInput: Content {
    package struct Item: Content {
        package var element: String
        package var section: String?
        package init(element: String, section: String? = nil) {
            self.element = element
            self.section = section
        }
    }
    package var code: String?
    package var name: String?
    package var periodicity: String?
    package var levels: [String]?
    package var facilityTypes: [String]?
    package var dueDays: Int?
    package var dueDay: Int?
    package var dueMonth: Int?
    package var cutoffDay: Int?
    package var elements: [Item]?
    package var rules: [ValidationRule]?
    /// Days before the due day an unsent report is reminded (0: only once overdue).
    package var remindDays: Int? = nil
    /// Days after a period's end when its entry closes (nil: never).
    package var closeDays: Int? = nil

    package init(code: String? = nil, name: String? = nil, periodicity: String? = nil, levels: [String]? = nil,
                 facilityTypes: [String]? = nil, dueDays: Int? = nil, dueDay: Int? = nil, dueMonth: Int? = nil,
                 cutoffDay: Int? = nil, elements: [Item]? = nil, rules: [ValidationRule]? = nil, remindDays: Int? = nil,
                 closeDays: Int? = nil) {
        (self.code, self.name, self.periodicity, self.levels) = (code, name, periodicity, levels)
        (self.facilityTypes, self.dueDays, self.dueDay, self.dueMonth) = (facilityTypes, dueDays, dueDay, dueMonth)
        (self.cutoffDay, self.elements, self.rules, self.remindDays) = (cutoffDay, elements, rules, remindDays)
        self.closeDays = closeDays
    }

}

/// Saves the reporting catalogue (categories, elements, forms) after checking every field, audited.
package struct CatalogueService {
    package let db: any Database
    package let actor: (any ActingAccount)?
    package let ip: String?
    /// Who owns what this makes; the actor's province unless given (the demo names it).
    package var owner: String? = nil

    package init(db: any Database, actor: (any ActingAccount)? = nil, ip: String? = nil, owner: String? = nil) {
        (self.db, self.actor, self.ip, self.owner) = (db, actor, ip, owner)
    }

    /// A new item gets its owner; a change is refused to anyone outside the owner's scope.
    private func claim(_ ownerPath: inout String, existing: Bool) async throws {
        if existing { try await CatalogueOwner.requireEditable(ownerPath, by: actor, on: db) }
        else { ownerPath = owner ?? CatalogueOwner.path(for: actor) }
    }

    package static func code(_ raw: String?, field: String) throws -> String {
        let code = (raw ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard code.range(of: #"^[A-Z0-9][A-Z0-9_.-]{0,49}$"#, options: .regularExpression) != nil else {
            throw HamletError.invalid(field, "Mã gồm chữ không dấu, số, “_”, “-” hoặc “.”, tối đa 50 ký tự, ví dụ CTV_TAP_HUAN.")
        }
        return code
    }

    package static func name(_ raw: String?, field: String = "name") throws -> String {
        let name = VietnameseText.normalized(raw ?? "")
        guard !name.isEmpty, name.count <= 230 else { throw HamletError.invalid(field, "Tên không được để trống, tối đa 230 ký tự.") }
        return name
    }

    package func saveCategory(_ input: CategoryInput, into existing: DataCategory? = nil) async throws -> DataCategory {
        let category = existing ?? DataCategory()
        try await claim(&category.ownerPath, existing: existing != nil)
        let code = try Self.code(input.code ?? existing?.code, field: "code")
        guard ADX.isAttributeName(code) else { throw HamletError.invalid("code", "Mã cách phân tổ phải bắt đầu bằng chữ cái: tệp ADX dùng nó làm tên thuộc tính.") }
        let name = try Self.name(input.name ?? existing?.name)
        let options = try (input.options ?? existing?.options ?? []).enumerated().map { i, o in
            DataCategory.Option(code: try Self.code(o.code, field: "options[\(i)].code"), name: try Self.name(o.name, field: "options[\(i)].name"))
        }
        guard options.count >= 2 else { throw HamletError.invalid("options", "Một cách phân tổ cần ít nhất hai lựa chọn (ví dụ Nam, Nữ).") }
        guard Set(options.map(\.code)).count == options.count else { throw HamletError.invalid("options", "Mã các lựa chọn không được trùng nhau.") }
        if let other = try await DataCategory.query(on: db).filter(\.$code == code).first(), other.id != category.id {
            throw HamletError.invalid("code", "Mã \(code) đã có.")
        }
        var changes = AuditChanges()
        changes.add("code", existing?.code, code); changes.add("name", existing?.name, name)
        let json = String(decoding: try JSONEncoder.sorted.encode(options), as: UTF8.self)
        changes.add("options", existing?.optionsJSON, json)
        category.code = code; category.name = name; category.optionsJSON = json
        try await store(category, owner: category.ownerPath, entity: "data_category", created: existing == nil, changes: changes)
        return category
    }

    /// `boundsAsGiven`: the page sends both bounds every time, so an empty one clears it; the
    /// API keeps a bound the body leaves out.
    package func saveElement(_ input: ElementInput, into existing: DataElement? = nil, boundsAsGiven: Bool = false) async throws -> DataElement {
        let element = existing ?? DataElement()
        try await claim(&element.ownerPath, existing: existing != nil)
        let code = try Self.code(input.code ?? existing?.code, field: "code")
        let name = try Self.name(input.name ?? existing?.name)
        let short = try Self.name(input.shortName ?? existing?.shortName ?? name, field: "shortName")
        guard let type = ValueType(rawValue: (input.valueType ?? existing?.valueType ?? "INTEGER").uppercased()) else {
            throw HamletError.invalid("valueType", "Kiểu giá trị là một trong: INTEGER, NUMBER, PERCENTAGE, BOOLEAN, TEXT.")
        }
        guard let aggregation = Aggregation(rawValue: (input.aggregation ?? existing?.aggregation ?? "SUM").uppercased()) else {
            throw HamletError.invalid("aggregation", "Cách tổng hợp là một trong: SUM, AVERAGE, LAST.")
        }
        let categories = input.categories ?? existing?.categoryCodes ?? []
        if !categories.isEmpty {
            guard type.isNumeric, type != .yesNo else { throw HamletError.invalid("categories", "Chỉ phân tổ được chỉ tiêu dạng số.") }
            let known = Set(try await DataCategory.query(on: db).filter(\.$code ~~ categories).all().map(\.code))
            if let unknown = categories.first(where: { !known.contains($0) }) {
                throw HamletError.invalid("categories", "Không có cách phân tổ mã \(unknown).")
            }
            guard Set(categories).count == categories.count else { throw HamletError.invalid("categories", "Một cách phân tổ chỉ dùng một lần.") }
        }
        if let existing, existing.categoryCodes != categories || existing.valueType != type.rawValue,
           try await DataValue.query(on: db).filter(\.$elementID == existing.id!).count() > 0 {
            throw HamletError.invalid(existing.categoryCodes != categories ? "categories" : "valueType",
                                      "Chỉ tiêu đã có số liệu báo cáo: không đổi được kiểu giá trị hay cách phân tổ. Hãy tạo chỉ tiêu mới.")
        }
        if let other = try await DataElement.query(on: db).filter(\.$code == code).first(), other.id != element.id {
            throw HamletError.invalid("code", "Mã \(code) đã có.")
        }
        let details = input.description.map { VietnameseText.normalized($0).nilIfEmpty } ?? existing?.details
        let minimum = boundsAsGiven ? input.minimum : input.minimum ?? existing?.minimum
        let maximum = boundsAsGiven ? input.maximum : input.maximum ?? existing?.maximum
        if minimum != nil || maximum != nil {
            guard type.isNumeric, type != .yesNo else { throw HamletError.invalid("minimum", "Chỉ chỉ tiêu dạng số mới có giá trị nhỏ nhất, lớn nhất.") }
            if let minimum, let maximum, minimum > maximum {
                throw HamletError.invalid("maximum", "Giá trị lớn nhất (\(ValidationRule.show(maximum))) nhỏ hơn giá trị nhỏ nhất (\(ValidationRule.show(minimum))).")
            }
            for (field, bound) in [("minimum", minimum), ("maximum", maximum)] {
                if let bound, !bound.isFinite || abs(bound) >= 1e15 { throw HamletError.invalid(field, "Giá trị giới hạn không hợp lệ.") }
            }
        }
        let json = String(decoding: try JSONEncoder().encode(categories), as: UTF8.self)
        var changes = AuditChanges()
        changes.add("code", existing?.code, code); changes.add("name", existing?.name, name); changes.add("short_name", existing?.shortName, short)
        changes.add("value_type", existing?.valueType, type.rawValue); changes.add("aggregation", existing?.aggregation, aggregation.rawValue)
        changes.add("categories", existing?.categoriesJSON, json); changes.add("description", existing?.details, details)
        changes.add("minimum", existing?.minimum.map { String($0) }, minimum.map { String($0) })
        changes.add("maximum", existing?.maximum.map { String($0) }, maximum.map { String($0) })
        element.minimum = minimum; element.maximum = maximum
        element.code = code; element.name = name; element.shortName = short; element.valueType = type.rawValue
        element.aggregation = aggregation.rawValue; element.categoriesJSON = json; element.details = details
        try await store(element, owner: element.ownerPath, entity: "data_element", created: existing == nil, changes: changes)
        return element
    }

    package func saveDataSet(_ input: DataSetInput, into existing: DataSet? = nil) async throws -> DataSet {
        let set = existing ?? DataSet()
        try await claim(&set.ownerPath, existing: existing != nil)
        let code = try Self.code(input.code ?? existing?.code, field: "code")
        let name = try Self.name(input.name ?? existing?.name)
        guard let periodicity = Periodicity(rawValue: input.periodicity ?? existing?.periodicity ?? "") else {
            throw HamletError.invalid("periodicity", "Kỳ báo cáo là một trong: " + Periodicity.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        let levelNames = input.levels ?? existing?.levels.map(\.rawValue) ?? []
        let levels = try levelNames.map { raw -> UnitLevel in
            guard let level = UnitLevel(rawValue: raw), level != .district else {
                throw HamletError.invalid("levels", "Cấp báo cáo là province, commune hoặc hamlet (không có “\(raw)”).")
            }
            return level
        }
        let types = input.facilityTypes ?? existing?.facilityTypes ?? []
        if !types.isEmpty {
            let known = Set(try await OrganisationType.query(on: db).filter(\.$kind == .facility).filter(\.$code ~~ types).all().map(\.code))
            if let unknown = types.first(where: { !known.contains($0) }) { throw HamletError.invalid("facilityTypes", "Không có loại cơ sở mã \(unknown).") }
        }
        guard !levels.isEmpty || !types.isEmpty else {
            throw HamletError.invalid("levels", "Chọn ít nhất một cấp hoặc một loại cơ sở phải báo cáo biểu này.")
        }
        var dueDays = input.dueDays ?? (input.dueDay == nil ? existing?.dueDays : nil)
        let dueDay = input.dueDay ?? (input.dueDays == nil ? existing?.dueDay : nil)
        let dueMonth = input.dueMonth ?? (input.dueDays == nil ? existing?.dueMonth : nil)
        if let dueDay {
            guard let dueMonth, (1...12).contains(dueMonth), dueDay >= 1, dueDay <= DayDate.days(2024, dueMonth) else {
                throw HamletError.invalid("dueDay", "Hạn nộp cố định cần ngày và tháng hợp lệ, ví dụ 30/11.")
            }
            guard periodicity == .yearly else { throw HamletError.invalid("dueDay", "Hạn nộp ngày cố định chỉ dùng cho báo cáo năm.") }
            dueDays = nil
        } else {
            dueDays = dueDays ?? 15
            guard (0...365).contains(dueDays!) else { throw HamletError.invalid("dueDays", "Số ngày sau kỳ từ 0 đến 365.") }
        }
        let cutoff = input.cutoffDay ?? existing?.cutoffDay
        if let cutoff, !(1...28).contains(cutoff) { throw HamletError.invalid("cutoffDay", "Ngày chốt số liệu từ 1 đến 28.") }
        let remind = input.remindDays ?? existing?.remindDays
        if let remind, !(0...60).contains(remind) { throw HamletError.invalid("remindDays", "Số ngày nhắc trước hạn từ 0 đến 60.") }
        let close = input.closeDays ?? existing?.closeDays
        if let close, !(1...366).contains(close) { throw HamletError.invalid("closeDays", "Số ngày khóa nhập sau kỳ từ 1 đến 366.") }
        // The elements, by code, in order; a section name groups them on the form.
        let items = try input.elements.map { list in
            try list.enumerated().map { i, item in (try Self.code(item.element, field: "elements[\(i)].element"), VietnameseText.normalized(item.section ?? "")) }
        }
        var elements: [String: DataElement] = [:]
        if let items {
            guard !items.isEmpty else { throw HamletError.invalid("elements", "Biểu cần ít nhất một chỉ tiêu.") }
            for e in try await DataElement.query(on: db).filter(\.$code ~~ items.map(\.0)).all() { elements[e.code] = e }
            if let unknown = items.first(where: { elements[$0.0] == nil }) { throw HamletError.invalid("elements", "Không có chỉ tiêu mã \(unknown.0).") }
            guard Set(items.map(\.0)).count == items.count else { throw HamletError.invalid("elements", "Một chỉ tiêu chỉ có một chỗ trên biểu.") }
        } else if existing == nil {
            throw HamletError.invalid("elements", "Biểu cần ít nhất một chỉ tiêu.")
        }
        var onForm = Set(items?.map(\.0) ?? [])
        if items == nil { onForm = Set(try await elementsOf(set).map(\.element.code)) }
        let rules = input.rules ?? existing?.rules ?? []
        for (i, rule) in rules.enumerated() {
            guard onForm.contains(rule.left) else { throw HamletError.invalid("rules[\(i)].left", "Quy tắc nói đến chỉ tiêu \(rule.left) không có trên biểu.") }
            if rule.kind == .compare {
                guard let right = rule.right, onForm.contains(right) else {
                    throw HamletError.invalid("rules[\(i)].right", "Quy tắc so sánh cần một chỉ tiêu khác trên biểu.")
                }
            }
            if rule.kind == .range, rule.min == nil && rule.max == nil || (rule.min ?? -.infinity) > (rule.max ?? .infinity) {
                throw HamletError.invalid("rules[\(i)].min", "Khoảng giá trị cần giới hạn dưới không lớn hơn giới hạn trên.")
            }
        }
        if let other = try await DataSet.query(on: db).filter(\.$code == code).first(), other.id != set.id {
            throw HamletError.invalid("code", "Mã \(code) đã có.")
        }
        let levelsJSON = String(decoding: try JSONEncoder().encode(levels.map(\.rawValue)), as: UTF8.self)
        let typesJSON = String(decoding: try JSONEncoder().encode(types), as: UTF8.self)
        let rulesJSON = String(decoding: try JSONEncoder.sorted.encode(rules), as: UTF8.self)
        var changes = AuditChanges()
        changes.add("code", existing?.code, code); changes.add("name", existing?.name, name); changes.add("periodicity", existing?.periodicity, periodicity.rawValue)
        changes.add("levels", existing?.levelsJSON, levelsJSON); changes.add("facility_types", existing?.facilityTypesJSON, typesJSON)
        changes.add("due", existing.map { $0.dueRule.label }, dueDay.map { _ in DueRule.fixed(day: dueDay!, month: dueMonth!).label } ?? DueRule.daysAfterEnd(dueDays!).label)
        changes.add("cutoff_day", existing?.cutoffDay.map(String.init), cutoff.map(String.init));
        changes.add("remind_days", existing?.remindDays.map(String.init), remind.map(String.init));
        changes.add("close_days", existing?.closeDays.map(String.init), close.map(String.init)); changes.add("rules", existing?.rulesJSON, rulesJSON)
        if let items { changes.add("elements", nil, items.map { $0.1.isEmpty ? $0.0 : "\($0.1): \($0.0)" }.joined(separator: ", ")) }
        set.code = code; set.name = name; set.periodicity = periodicity.rawValue; set.levelsJSON = levelsJSON; set.facilityTypesJSON = typesJSON
        set.dueDays = dueDays; set.dueDay = dueDay; set.dueMonth = dueMonth; set.cutoffDay = cutoff; set.remindDays = remind; set.closeDays = close; set.rulesJSON = rulesJSON
        let audit = changes, created = existing == nil, actor = actor, ip = ip, found = elements
        try await db.writeTransaction { tx in
            try await set.save(on: tx)
            if let items {
                try await DataSetElement.query(on: tx).filter(\.$dataSet.$id == set.id!).delete()
                for (i, item) in items.enumerated() {
                    let row = DataSetElement()
                    row.$dataSet.id = set.id!; row.$element.id = found[item.0]!.id!; row.section = item.1; row.sort = i
                    try await row.create(on: tx)
                }
            }
            try await Audit.record(on: tx, actor: actor, ip: ip, action: created ? "create" : "update", entity: "data_set",
                                   entityID: set.id?.uuidString, scopePath: set.ownerPath, changes: audit)
        }
        return set
    }

    /// A form's elements in order, with their section.
    package func elementsOf(_ set: DataSet) async throws -> [DataSetElement] {
        guard let id = set.id else { return [] }
        return try await DataSetElement.query(on: db).filter(\.$dataSet.$id == id).with(\.$element).sort(\.$sort).all()
    }

    private func store(_ model: some Model, owner: String, entity: String, created: Bool, changes: AuditChanges) async throws {
        let actor = actor, ip = ip
        try await db.writeTransaction { tx in
            try await model.save(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: created ? "create" : "update", entity: entity,
                                   entityID: (model.id as? UUID)?.uuidString, scopePath: owner, changes: changes)
        }
    }
}
