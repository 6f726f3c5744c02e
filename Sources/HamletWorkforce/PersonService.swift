import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts

package struct PersonInput: Content {
    package var fullName: String?
    package var sex: String?
    package var birthDate: String?
    package var cccd: String?
    package var phone: String?
    package var ethnicity: String?
    package var homeUnitCode: String?
    package var educationLevel: String?
    package var qualificationLevel: String?
    package var qualificationField: String?
    package var qualifiedInSocialWork: Bool?
    package var titleCode: String?
    package var notes: String?
    /// Set after the user has seen a possible duplicate and says this is another person.
    package var confirmDuplicate: Bool?

    package init(fullName: String? = nil, sex: String? = nil, birthDate: String? = nil, cccd: String? = nil, phone: String? = nil,
                 ethnicity: String? = nil, homeUnitCode: String? = nil, educationLevel: String? = nil,
                 qualificationLevel: String? = nil, qualificationField: String? = nil, qualifiedInSocialWork: Bool? = nil,
                 titleCode: String? = nil, notes: String? = nil, confirmDuplicate: Bool? = nil) {
        (self.fullName, self.sex, self.birthDate, self.cccd) = (fullName, sex, birthDate, cccd)
        (self.phone, self.ethnicity, self.homeUnitCode, self.educationLevel) = (phone, ethnicity, homeUnitCode, educationLevel)
        (self.qualificationLevel, self.qualificationField, self.qualifiedInSocialWork, self.titleCode) = (qualificationLevel, qualificationField, qualifiedInSocialWork, titleCode)
        (self.notes, self.confirmDuplicate) = (notes, confirmDuplicate)
    }
}

/// The rules for a person's record, shared by pages, the API and the import.
package struct PersonService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?
    /// Set by an import, which has already matched duplicates against the register and itself.
    package var batch: ImportBatch? = nil

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil,
                 batch: ImportBatch? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
        self.batch = batch
    }

    package func create(_ input: PersonInput) async throws -> Person {
        let person = Person()
        try await apply(input, to: person, creating: true)
        if let batch {
            person.id = UUID()
            batch.add(person, Audit.entry(actor: actor, ip: ip, action: "create", entity: "person", entityID: person.id?.uuidString,
                                          scopePath: person.homeUnitPath, changes: changes(from: nil, to: person)))
            return person
        }
        try await checkDuplicates(person, confirmed: input.confirmDuplicate ?? false)
        try await db.writeTransaction { tx in
            try await person.create(on: tx)
            try await PersonWords.write([person], on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "create", entity: "person", entityID: person.id?.uuidString,
                                   scopePath: person.homeUnitPath, changes: changes(from: nil, to: person))
        }
        return person
    }

    package func update(_ person: Person, _ input: PersonInput) async throws {
        let before = snapshot(person)
        try await apply(input, to: person, creating: false)
        try await checkDuplicates(person, confirmed: input.confirmDuplicate ?? false)
        let diff = changes(from: before, to: person)
        guard !diff.isEmpty else { return }
        try await db.writeTransaction { tx in
            try await person.update(on: tx)
            if before["full_name"] != person.fullName { try await PersonWords.write([person], replacing: true, on: tx) }
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "update", entity: "person", entityID: person.id?.uuidString,
                                   scopePath: person.homeUnitPath, changes: diff)
        }
    }

    private func apply(_ input: PersonInput, to person: Person, creating: Bool) async throws {
        if creating || input.fullName != nil {
            let name = VietnameseText.normalized(input.fullName ?? "")
            guard name.split(separator: " ").count >= 2, name.count <= 100 else {
                throw HamletError.invalid("fullName", "Họ và tên cần ít nhất họ và tên (tối đa 100 ký tự).")
            }
            guard !name.contains(where: { $0.isNumber }) else { throw HamletError.invalid("fullName", "Họ và tên không chứa chữ số.") }
            person.setName(name)
        }
        if let raw = input.sex {
            if raw.isEmpty { person.sex = nil } else {
                guard let sex = Sex(rawValue: raw) else { throw HamletError.invalid("sex", "Giới tính là male (nam) hoặc female (nữ).") }
                person.sex = sex
            }
        }
        if let raw = input.birthDate {
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { person.birthDate = nil } else {
                guard let day = DayDate(raw) else { throw HamletError.invalid("birthDate", "Ngày sinh không hợp lệ (dd/MM/yyyy).") }
                guard day <= DayDate.today() else { throw HamletError.invalid("birthDate", "Ngày sinh không được ở tương lai.") }
                guard day.year >= 1900 else { throw HamletError.invalid("birthDate", "Ngày sinh quá xa (trước năm 1900).") }
                person.birthDate = day.iso
            }
        }
        if let raw = input.cccd {
            let digits = raw.filter { !$0.isWhitespace }
            if digits.isEmpty { person.cccd = nil } else {
                switch CitizenID.read(digits, storedAsNumber: false) {
                case .success(let id): person.cccd = id
                case .failure(let problem): throw HamletError.invalid("cccd", problem.message)
                }
            }
        }
        if let raw = input.phone {
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { person.phone = nil } else {
                guard let phone = PhoneNumber.normalized(raw) else {
                    throw HamletError.invalid("phone", "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84).")
                }
                person.phone = phone
            }
        }
        if creating || input.homeUnitCode != nil {
            let directory = UnitDirectory(db: db, scope: scope)
            guard let code = input.homeUnitCode, !code.isEmpty,
                  let unit = try await findUnit(code, directory),
                  scope.contains(path: unit.path)
            else { throw HamletError.invalid("homeUnitCode", "Đơn vị không có hoặc nằm ngoài phạm vi của bạn.") }
            person.homeUnitCode = unit.code
            person.homeUnitPath = unit.path
        }
        if creating || input.qualificationLevel != nil {
            let raw = input.qualificationLevel ?? ""
            guard let level = raw.isEmpty ? QualificationLevel.none : QualificationLevel(rawValue: raw) else {
                throw HamletError.invalid("qualificationLevel", "Trình độ không hợp lệ: \(QualificationLevel.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            person.qualificationLevel = level
        }
        if creating || input.qualifiedInSocialWork != nil { person.qualifiedInSocialWork = input.qualifiedInSocialWork ?? false }
        if let raw = input.titleCode {
            if raw.isEmpty { person.titleCode = nil } else {
                let known = if let batch { try await batch.titleExists(raw, on: db) } else { try await ProfessionalTitle.query(on: db).filter(\.$code == raw).count() > 0 }
                guard known else {
                    throw HamletError.invalid("titleCode", "Chức danh nghề nghiệp không có trong danh mục.")
                }
                person.titleCode = raw
            }
        }
        for (value, keyPath, field, limit) in [(input.ethnicity, \Person.ethnicity, "ethnicity", 50), (input.educationLevel, \Person.educationLevel, "educationLevel", 20),
                                               (input.qualificationField, \Person.qualificationField, "qualificationField", 200), (input.notes, \Person.notes, "notes", 2000)] {
            guard let value else { continue }
            let text = VietnameseText.normalized(value)
            if text.count > limit { throw HamletError.invalid(field, "Quá dài (tối đa \(limit) ký tự).") }
            person[keyPath: keyPath] = text.nilIfEmpty
        }
    }

    /// A code, or a name typed on a form (imports read their own way, in batches).
    private func findUnit(_ code: String, _ directory: UnitDirectory) async throws -> AdminUnit? {
        if let batch { return try await batch.unit(code, in: directory) }
        return try await directory.pick(code, field: "homeUnitCode")
    }

    /// Same CCCD is refused outright; same name, birth date and commune is shown before saving.
    private func checkDuplicates(_ person: Person, confirmed: Bool) async throws {
        if let cccd = person.cccd {
            let query = Person.query(on: db).filter(\.$cccd == cccd)
            if let id = person.id { query.filter(\.$id != id) }
            if try await query.count() > 0 { throw HamletError.invalid("cccd", "Số CCCD \(cccd) đã có trong sổ: có thể người này đã được nhập.") }
        }
        guard !confirmed, let birth = person.birthDate else { return }
        let commune = Self.communePath(person.homeUnitPath)
        let query = Person.query(on: db).filter(\.$searchName == person.searchName).filter(\.$birthDate == birth)
            .filter(\.$homeUnitPath >= commune).filter(\.$homeUnitPath < AccessScope.upperBound(commune))
        if let id = person.id { query.filter(\.$id != id) }
        if let twin = try await query.first() {
            throw HamletError(status: .conflict, code: "possible_duplicate",
                              message: "Có thể trùng với người đã có: \(twin.fullName), sinh \(DayDate(birth)?.vietnamese ?? birth), cùng xã. Nếu đúng là người khác, hãy xác nhận rồi lưu lại.",
                              field: "confirmDuplicate")
        }
    }

    /// "91.30292.30292-001." → "91.30292." (a province path stays as it is).
    package static func communePath(_ path: String) -> String {
        let parts = path.split(separator: ".")
        return parts.prefix(2).joined(separator: ".") + "."
    }

    private func snapshot(_ p: Person) -> [String: String?] {
        ["full_name": p.fullName, "sex": p.sex?.rawValue, "birth_date": p.birthDate, "cccd": p.cccd, "phone": p.phone,
         "ethnicity": p.ethnicity, "home_unit": p.homeUnitCode, "education_level": p.educationLevel,
         "qualification_level": p.qualificationLevel.rawValue, "qualification_field": p.qualificationField,
         "qualified_in_social_work": String(p.qualifiedInSocialWork), "title_code": p.titleCode, "notes": p.notes]
    }

    private func changes(from before: [String: String?]?, to person: Person) -> AuditChanges {
        var changes = AuditChanges()
        for (key, value) in snapshot(person).sorted(by: { $0.key < $1.key }) { changes.add(key, before?[key] ?? nil, value) }
        return changes
    }
}
