import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit
import HamletAccounts
import HamletOrganisations

/// The professional-title catalogue: codes such as V.09.04.01 with their names. Titles end
/// (validTo) rather than vanish, since people's records keep pointing at them.
package struct TitleCatalogue {
    package let db: any Database
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, actor: (any ActingAccount)? = nil, ip: String? = nil) { self.db = db; self.actor = actor; self.ip = ip }

    /// Every title by code, ended ones included.
    package func all() async throws -> [ProfessionalTitle] { try await ProfessionalTitle.query(on: db).sort(\.$code).all() }

    /// The title with this code, or nil.
    package func named(_ code: String) async throws -> ProfessionalTitle? {
        try await ProfessionalTitle.query(on: db).filter(\.$code == code).first()
    }

    /// The title with this code; 404 when there is none.
    package func find(_ code: String?) async throws -> ProfessionalTitle {
        guard let title = try await named(code ?? "") else { throw HamletError.notFound }
        return title
    }

    package func create(_ input: PeopleAPI.TitleInput) async throws -> ProfessionalTitle {
        let code = (input.code ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        guard (2...30).contains(code.count), code.unicodeScalars.allSatisfy(allowed.contains) else {
            throw HamletError.invalid("code", "Mã chức danh gồm 2–30 ký tự: chữ không dấu, số, dấu chấm, gạch ngang (ví dụ V.09.04.01).")
        }
        if try await ProfessionalTitle.query(on: db).filter(\.$code == code).count() > 0 { throw HamletError.invalid("code", "Mã chức danh «\(code)» đã có.") }
        let title = ProfessionalTitle(code: code, name: "")
        try apply(input, to: title, creating: true)
        try await title.create(on: db)
        var changes = AuditChanges(); changes.add("code", nil, code); changes.add("name", nil, title.name)
        try await Audit.record(on: db, actor: actor, ip: ip, action: "create", entity: "professional_title", entityID: code, scopePath: "", changes: changes)
        return title
    }

    package func update(_ title: ProfessionalTitle, _ input: PeopleAPI.TitleInput) async throws {
        let before = (title.name, title.validTo)
        try apply(input, to: title, creating: false)
        var changes = AuditChanges(); changes.add("name", before.0, title.name); changes.add("valid_to", before.1, title.validTo)
        guard !changes.isEmpty else { return }
        try await title.update(on: db)
        try await Audit.record(on: db, actor: actor, ip: ip, action: "update", entity: "professional_title", entityID: title.code, scopePath: "", changes: changes)
    }

    private func apply(_ input: PeopleAPI.TitleInput, to title: ProfessionalTitle, creating: Bool) throws {
        if creating || input.name != nil {
            let name = VietnameseText.normalized(input.name ?? "")
            guard !name.isEmpty, name.count <= 200 else { throw HamletError.invalid("name", "Tên chức danh không được để trống (tối đa 200 ký tự).") }
            title.name = name
        }
        if input.validTo != nil { title.validTo = try OrganisationService.day(input.validTo, field: "validTo") }
    }
}
