import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit
import HamletAccounts

package struct OrganisationTypeInput: Content {
    package var code: String?
    package var name: String?
    package var validFrom: String?
    package var validTo: String?

    package init(code: String? = nil, name: String? = nil, validFrom: String? = nil, validTo: String? = nil) {
        (self.code, self.name, self.validFrom, self.validTo) = (code, name, validFrom, validTo)
    }
}

package struct OrganisationTypeDTO: Content {
    package var id: UUID?
    package var kind: String
    package var code: String
    package var name: String
    package var validFrom: String?
    package var validTo: String?
    package init(_ t: OrganisationType) { id = t.id; kind = t.kind.rawValue; code = t.code; name = t.name; validFrom = t.validFrom; validTo = t.validTo }
}

/// The editable catalogue of agency and facility types. Types end (validTo), never vanish,
/// because organisations of past years still point at them.
package struct OrganisationTypeService {
    package let db: any Database
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, actor: (any ActingAccount)? = nil, ip: String? = nil) { self.db = db; self.actor = actor; self.ip = ip }

    /// The types of one kind (agencies' or facilities'), or of both, by name; ended ones included.
    package func all(_ kind: OrgKind? = nil) async throws -> [OrganisationType] {
        let query = OrganisationType.query(on: db)
        if let kind { query.filter(\.$kind == kind) }
        return try await query.sort(\.$name).all()
    }

    /// The type of this kind with this id; 404 when there is none.
    package func find(_ kind: OrgKind, _ id: UUID?) async throws -> OrganisationType {
        guard let id, let type = try await OrganisationType.query(on: db).filter(\.$kind == kind).filter(\.$id == id).first() else { throw HamletError.notFound }
        return type
    }

    package func create(_ kind: OrgKind, _ input: OrganisationTypeInput) async throws -> OrganisationType {
        let code = (input.code ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard (2...40).contains(code.count), code.unicodeScalars.allSatisfy(allowed.contains) else {
            throw HamletError.invalid("code", "Mã loại gồm 2–40 ký tự: chữ thường không dấu, số, '-' hoặc '_'.")
        }
        if try await OrganisationType.query(on: db).filter(\.$kind == kind).filter(\.$code == code).count() > 0 {
            throw HamletError.invalid("code", "Mã loại «\(code)» đã có.")
        }
        let type = OrganisationType(kind: kind, code: code, name: "")
        try apply(input, to: type, creating: true)
        try await type.create(on: db)
        var changes = AuditChanges(); changes.add("code", nil, code); changes.add("name", nil, type.name)
        try await Audit.record(on: db, actor: actor, ip: ip, action: "create", entity: "\(kind.rawValue)_type", entityID: code, scopePath: "", changes: changes)
        return type
    }

    package func update(_ type: OrganisationType, _ input: OrganisationTypeInput) async throws {
        var changes = AuditChanges()
        let before = (type.name, type.validFrom, type.validTo)
        try apply(input, to: type, creating: false)
        changes.add("name", before.0, type.name); changes.add("valid_from", before.1, type.validFrom); changes.add("valid_to", before.2, type.validTo)
        guard !changes.isEmpty else { return }
        try await type.update(on: db)
        try await Audit.record(on: db, actor: actor, ip: ip, action: "update", entity: "\(type.kind.rawValue)_type", entityID: type.code, scopePath: "", changes: changes)
    }

    private func apply(_ input: OrganisationTypeInput, to type: OrganisationType, creating: Bool) throws {
        if creating || input.name != nil {
            let name = VietnameseText.normalized(input.name ?? "")
            guard !name.isEmpty, name.count <= 200 else { throw HamletError.invalid("name", "Tên loại không được để trống (tối đa 200 ký tự).") }
            type.name = name
        }
        if creating || input.validFrom != nil { type.validFrom = try OrganisationService.day(input.validFrom, field: "validFrom") }
        if creating || input.validTo != nil { type.validTo = try OrganisationService.day(input.validTo, field: "validTo") }
        if let from = type.validFrom, let to = type.validTo, to < from {
            throw HamletError.invalid("validTo", "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")
        }
    }
}
