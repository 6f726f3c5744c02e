import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts

package struct OrganisationInput: Content {
    package var name: String?
    package var typeCode: String?
    package var unitCode: String?
    package var address: String?
    package var phone: String?
    package var providesSocialWork: Bool?
    package var validFrom: String?
    package var validTo: String?
    package var note: String?

    package init(name: String? = nil, typeCode: String? = nil, unitCode: String? = nil, address: String? = nil,
                 phone: String? = nil, providesSocialWork: Bool? = nil, validFrom: String? = nil, validTo: String? = nil,
                 note: String? = nil) {
        (self.name, self.typeCode, self.unitCode, self.address) = (name, typeCode, unitCode, address)
        (self.phone, self.providesSocialWork, self.validFrom, self.validTo) = (phone, providesSocialWork, validFrom, validTo)
        self.note = note
    }
}

package struct OrganisationDTO: Content {
    package var id: UUID?
    package var kind: String
    package var name: String
    package var typeCode: String
    package var typeName: String
    package var unitCode: String
    package var unitName: String?
    package var address: String?
    package var phone: String?
    package var providesSocialWork: Bool
    package var validFrom: String?
    package var validTo: String?
    package var active: Bool
    package var note: String?

    package init(id: UUID? = nil, kind: String, name: String, typeCode: String, typeName: String, unitCode: String,
                 unitName: String? = nil, address: String? = nil, phone: String? = nil, providesSocialWork: Bool,
                 validFrom: String? = nil, validTo: String? = nil, active: Bool, note: String? = nil) {
        (self.id, self.kind, self.name, self.typeCode) = (id, kind, name, typeCode)
        (self.typeName, self.unitCode, self.unitName, self.address) = (typeName, unitCode, unitName, address)
        (self.phone, self.providesSocialWork, self.validFrom, self.validTo) = (phone, providesSocialWork, validFrom, validTo)
        (self.active, self.note) = (active, note)
    }
}

/// Reads and writes of agencies and facilities, scope applied: an organisation belongs to the
/// account's subtree when its unit does.
package struct OrganisationService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
    }

    package func query(_ kind: OrgKind) -> QueryBuilder<Organisation> {
        let query = Organisation.query(on: db).filter(\.$kind == kind).with(\.$type)
        if !scope.isNation {
            query.filter(\.$unitPath >= scope.path).filter(\.$unitPath < AccessScope.upperBound(scope.path))
        }
        return query
    }

    /// Up to `limit` of a kind in reach, by name, with their types (a form's choices).
    package func all(_ kind: OrgKind, limit: Int) async throws -> [Organisation] {
        try await query(kind).sort(\.$name).limit(limit).all()
    }

    package func find(_ kind: OrgKind, _ id: UUID?) async throws -> Organisation {
        guard let id, let org = try await query(kind).filter(\.$id == id).first() else { throw HamletError.notFound }
        return org
    }

    package struct Filter {
        package var q: String?
        package var unit: String?
        package var type: String?
        package var activeOn: String?
        package var socialWork: Bool?
        package init(q: String? = nil, unit: String? = nil, type: String? = nil, activeOn: String? = nil, socialWork: Bool? = nil) {
            (self.q, self.unit, self.type, self.activeOn) = (q, unit, type, activeOn)
            self.socialWork = socialWork
        }
    }

    package func list(_ kind: OrgKind, _ filter: Filter, paging: Paging) async throws -> ([Organisation], Int) {
        let query = self.query(kind)
        if let q = filter.q.map(VietnameseText.folded), !q.isEmpty {
            query.filter(\.$searchName, .custom("LIKE"), "%" + UnitDirectory.escapeLike(q) + "%")
        }
        if let code = filter.unit, !code.isEmpty {
            let unit = try await UnitDirectory(db: db, scope: scope).require(.current, code)
            query.filter(\.$unitPath >= unit.path).filter(\.$unitPath < AccessScope.upperBound(unit.path))
        }
        if let type = filter.type, !type.isEmpty {
            query.join(OrganisationType.self, on: \Organisation.$type.$id == \OrganisationType.$id).filter(OrganisationType.self, \.$code == type)
        }
        if let sw = filter.socialWork { query.filter(\.$providesSocialWork == sw) }
        if let on = filter.activeOn, !on.isEmpty {
            guard let day = DayDate(on) else { throw HamletError.invalid("activeOn", "Ngày không hợp lệ (dd/MM/yyyy).") }
            query.group(.or) { $0.filter(\.$validFrom == nil).filter(\.$validFrom <= day.iso) }
            query.group(.or) { $0.filter(\.$validTo == nil).filter(\.$validTo >= day.iso) }
        }
        let total = try await query.copy().count()
        let items = try await query.sort(\.$unitPath).sort(\.$name).offset(paging.offset).limit(paging.per).all()
        return (items, total)
    }

    package func create(_ kind: OrgKind, _ input: OrganisationInput) async throws -> Organisation {
        let org = Organisation()
        org.kind = kind
        try await apply(input, to: org, creating: true)
        try await db.writeTransaction { tx in
            try await org.create(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "create", entity: kind.entity, entityID: org.id?.uuidString,
                                   scopePath: org.unitPath, changes: changes(from: nil, to: org))
        }
        return org
    }

    package func update(_ org: Organisation, _ input: OrganisationInput) async throws {
        let before = snapshot(org)
        try await apply(input, to: org, creating: false)
        let diff = changes(from: before, to: org)
        guard !diff.isEmpty else { return }
        try await db.writeTransaction { tx in
            try await org.update(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "update", entity: org.kind.entity, entityID: org.id?.uuidString,
                                   scopePath: org.unitPath, changes: diff)
        }
    }

    private func apply(_ input: OrganisationInput, to org: Organisation, creating: Bool) async throws {
        if creating || input.name != nil {
            let name = VietnameseText.normalized(input.name ?? "")
            if name.isEmpty { throw HamletError.invalid("name", "Tên không được để trống.") }
            if name.count > 200 { throw HamletError.invalid("name", "Tên dài quá 200 ký tự.") }
            org.name = name
            org.searchName = VietnameseText.folded(name)
        }
        if creating || input.typeCode != nil {
            guard let type = try await OrganisationType.query(on: db).filter(\.$kind == org.kind)
                .filter(\.$code == (input.typeCode ?? "")).first(), type.validTo == nil || type.validTo! >= DayDate.today().iso
            else { throw HamletError.invalid("typeCode", "Loại không có trong danh mục (hoặc đã hết hiệu lực).") }
            org.$type.id = try type.requireID()
            org.$type.value = type
        }
        if creating || input.unitCode != nil {
            guard let code = input.unitCode, !code.isEmpty,
                  let unit = try await UnitDirectory(db: db, scope: scope).find(.current, code), scope.contains(path: unit.path), !unit.isClosed
            else { throw HamletError.invalid("unitCode", "Đơn vị không có hoặc nằm ngoài phạm vi của bạn.") }
            org.unitCode = unit.code
            org.unitPath = unit.path
        }
        if input.address != nil { org.address = VietnameseText.normalized(input.address!).nilIfEmpty }
        if input.phone != nil {
            let raw = input.phone!.trimmingCharacters(in: .whitespaces)
            if raw.isEmpty { org.phone = nil } else {
                let digits = raw.filter { $0.isNumber || $0 == "+" }
                guard (8...13).contains(digits.count) else { throw HamletError.invalid("phone", "Số điện thoại không hợp lệ.") }
                org.phone = raw
            }
        }
        if creating || input.providesSocialWork != nil { org.providesSocialWork = org.kind == .facility && (input.providesSocialWork ?? false) }
        if input.note != nil { org.note = VietnameseText.normalized(input.note!).nilIfEmpty }
        if creating || input.validFrom != nil { org.validFrom = try Self.day(input.validFrom, field: "validFrom") }
        if creating || input.validTo != nil { org.validTo = try Self.day(input.validTo, field: "validTo") }
        if let from = org.validFrom, let to = org.validTo, to < from {
            throw HamletError.invalid("validTo", "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
        }
    }

    package static func day(_ raw: String?, field: String) throws -> String? {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let day = DayDate(raw) else { throw HamletError.invalid(field, "Ngày không hợp lệ (dd/MM/yyyy).") }
        return day.iso
    }

    private func snapshot(_ org: Organisation) -> [String: String?] {
        ["name": org.name, "type": org.$type.id.uuidString, "unit": org.unitCode, "address": org.address, "phone": org.phone,
         "provides_social_work": String(org.providesSocialWork), "valid_from": org.validFrom, "valid_to": org.validTo, "note": org.note]
    }

    private func changes(from before: [String: String?]?, to org: Organisation) -> AuditChanges {
        var changes = AuditChanges()
        for (key, value) in snapshot(org).sorted(by: { $0.key < $1.key }) { changes.add(key, before?[key] ?? nil, value) }
        return changes
    }

    package func dto(_ org: Organisation, unitNames: [String: String] = [:]) -> OrganisationDTO {
        let today = DayDate.today().iso
        return OrganisationDTO(id: org.id, kind: org.kind.rawValue, name: org.name, typeCode: org.type.code, typeName: org.type.name,
                               unitCode: org.unitCode, unitName: unitNames[org.unitCode], address: org.address, phone: org.phone,
                               providesSocialWork: org.providesSocialWork, validFrom: org.validFrom, validTo: org.validTo,
                               active: (org.validFrom ?? "") <= today && (org.validTo.map { $0 >= today } ?? true), note: org.note)
    }

    package func unitNames(_ orgs: [Organisation]) async throws -> [String: String] {
        let codes = Array(Set(orgs.map(\.unitCode)))
        guard !codes.isEmpty else { return [:] }
        let units = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code ~~ codes).all()
        return Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0.name) })
    }
}

extension Request {
    package func organisations() -> OrganisationService {
        OrganisationService(db: db, scope: scope, actor: currentUser, ip: clientIP)
    }
}
