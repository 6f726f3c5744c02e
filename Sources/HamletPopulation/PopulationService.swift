import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletCases

/// Entering, listing and removing population figures, inside the account's subtree.
package struct PopulationService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?
    package let today: DayDate

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil, today: DayDate) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
        self.today = today
    }

    /// Groups every province counts, beside the case catalogue's categories.
    package static let general: [(code: String, name: String)] = [
        ("dan-so", "Dân số"), ("ho-gia-dinh", "Hộ gia đình"), ("tre-em", "Trẻ em dưới 16 tuổi"), ("nguoi-cao-tuoi", "Người cao tuổi"),
    ]

    /// The groups a figure may be about: the general ones, then the case categories still in use.
    package func groups() async throws -> [(code: String, name: String)] {
        let categories = try await CaseCatalogueItem.query(on: db).filter(\.$list == "category").filter(\.$validTo == nil).sort(\.$name).all()
        return Self.general + categories.map { ($0.code, $0.name) }
    }

    package struct Filter {
        package var unit: AdminUnit?
        package var year: Int?
        package var group: String?
        package init(unit: AdminUnit? = nil, year: Int? = nil, group: String? = nil) {
            (self.unit, self.year, self.group) = (unit, year, group)
        }
    }

    package func list(_ filter: Filter) async throws -> [PopulationFigureDTO] {
        // A unit above the account's own (the way up is visible) lists the account's subtree only.
        let path = filter.unit.map { scope.contains(path: $0.path) ? $0.path : scope.path } ?? scope.path
        let query = PopulationFigure.query(on: db).filter(\.$unitPath >= path).filter(\.$unitPath < AccessScope.upperBound(path))
        if let year = filter.year { query.filter(\.$year == year) }
        if let group = filter.group { query.filter(\.$group == group) }
        let rows = try await query.sort(\.$unitPath).sort(\.$group).sort(\.$year, .descending).all()
        let names = Dictionary(try await groups().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let units = try await UnitTree.units(atPaths: Array(Set(rows.map(\.unitPath))), on: db)
        return rows.map { dto($0, unitName: units[$0.unitPath]?.name ?? $0.unitCode, groupName: names[$0.group] ?? $0.group) }
    }

    package func dto(_ f: PopulationFigure, unitName: String, groupName: String) -> PopulationFigureDTO {
        PopulationFigureDTO(id: f.id, unitCode: f.unitCode, unitName: unitName, year: f.year, group: f.group, groupName: groupName,
                            value: f.value, source: f.source, updatedBy: f.updatedBy, updatedOn: f.updatedOn)
    }

    /// A checked figure, not yet stored.
    package struct Checked {
        package var unit: AdminUnit
        package var year: Int
        package var group: String
        package var value: Int
        package var source: String
        package init(unit: AdminUnit, year: Int, group: String, value: Int, source: String) {
            (self.unit, self.year, self.group, self.value) = (unit, year, group, value)
            self.source = source
        }
    }

    /// Every problem of the input, each naming its field.
    package func check(_ input: PopulationInput, groups known: Set<String>) async throws -> (Checked?, [HamletError]) {
        var errors: [HamletError] = []
        var unit: AdminUnit?
        let code = (input.unitCode ?? "").trimmingCharacters(in: .whitespaces)
        if code.isEmpty {
            errors.append(.invalid("unitCode", "Chọn đơn vị."))
        } else {
            unit = try await UnitDirectory(db: db, scope: scope).find(.current, code)
            if unit == nil || !scope.contains(path: unit!.path) || unit!.isClosed {
                unit = nil
                errors.append(.invalid("unitCode", "Không có đơn vị «\(code)» trong phạm vi của bạn."))
            }
        }
        if !(1990...2100).contains(input.year ?? 0) { errors.append(.invalid("year", "Năm không hợp lệ (1990–2100).")) }
        let group = (input.group ?? "").trimmingCharacters(in: .whitespaces)
        if group.isEmpty { errors.append(.invalid("group", "Chọn nhóm dân số.")) }
        else if !known.contains(group) { errors.append(.invalid("group", "Không có nhóm «\(group)» trong danh mục.")) }
        if !(0...200_000_000).contains(input.value ?? -1) { errors.append(.invalid("value", "Số lượng là số nguyên từ 0 trở lên.")) }
        let source = (input.source ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if source.isEmpty { errors.append(.invalid("source", "Ghi nguồn số liệu (ví dụ: Cục Thống kê, rà soát của xã).")) }
        else if source.count > 300 { errors.append(.invalid("source", "Nguồn số liệu dài quá 300 ký tự.")) }
        guard errors.isEmpty, let unit, let year = input.year, let value = input.value else { return (nil, errors) }
        return (Checked(unit: unit, year: year, group: group, value: value, source: source), [])
    }

    package func requireEditor() throws -> any ActingAccount {
        guard let user = actor, user.role.canEditUnits else { throw HamletError.forbidden }
        return user
    }

    /// Enters a figure; one already there for the unit, group and year is replaced (audited with both values).
    package func save(_ input: PopulationInput) async throws -> (figure: PopulationFigure, created: Bool) {
        _ = try requireEditor()
        let (checked, errors) = try await check(input, groups: Set(try await groups().map(\.code)))
        guard let c = checked else { throw errors[0] }
        return try await db.writeTransaction { tx in try await store(c, on: tx) }
    }

    @discardableResult
    package func store(_ c: Checked, on tx: any Database) async throws -> (figure: PopulationFigure, created: Bool) {
        let existing = try await PopulationFigure.query(on: tx).filter(\.$group == c.group).filter(\.$year == c.year).filter(\.$unitPath == c.unit.path).first()
        let figure = existing ?? PopulationFigure()
        var changes = AuditChanges()
        changes.add("unit", existing?.unitCode, c.unit.code); changes.add("year", existing.map { String($0.year) }, String(c.year))
        changes.add("group", existing?.group, c.group); changes.add("value", existing.map { String($0.value) }, String(c.value))
        changes.add("source", existing?.source, c.source)
        figure.unitCode = c.unit.code; figure.unitPath = c.unit.path; figure.year = c.year; figure.group = c.group
        figure.value = c.value; figure.source = c.source; figure.updatedBy = actor?.username ?? "system"; figure.updatedOn = today.iso
        try await figure.save(on: tx)
        if !changes.isEmpty {
            try await Audit.record(on: tx, actor: actor, ip: ip, action: existing == nil ? "create" : "update", entity: "population-figure",
                                   entityID: figure.id?.uuidString, scopePath: c.unit.path, changes: changes)
        }
        return (figure, existing == nil)
    }

    package func remove(_ id: UUID?) async throws {
        _ = try requireEditor()
        guard let id, let figure = try await PopulationFigure.find(id, on: db), scope.contains(path: figure.unitPath) else { throw HamletError.notFound }
        try await db.writeTransaction { tx in
            try await figure.delete(on: tx)
            var changes = AuditChanges()
            changes.add("unit", figure.unitCode, nil); changes.add("year", String(figure.year), nil); changes.add("group", figure.group, nil)
            changes.add("value", String(figure.value), nil)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "delete", entity: "population-figure", entityID: id.uuidString,
                                   scopePath: figure.unitPath, changes: changes)
        }
    }
}
