import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations

package struct ServedPersonInput: Content {
    package var fullName: String?
    package var birthDate: String?
    package var sex: String?
    package var cccd: String?
    package var phone: String?
    package var unitCode: String?
    package var address: String?
    package var guardianName: String?
    package var guardianRelation: String?
    package var guardianPhone: String?
    package var poverty: String?
    package var categories: [String]?
    /// The facility registering the person (the user must work there).
    package var facilityId: UUID?
    /// Make the record even though likely duplicates were shown.
    package var confirmNew: Bool?

    package init(fullName: String? = nil, birthDate: String? = nil, sex: String? = nil, cccd: String? = nil, phone: String? = nil,
                 unitCode: String? = nil, address: String? = nil, guardianName: String? = nil, guardianRelation: String? = nil,
                 guardianPhone: String? = nil, poverty: String? = nil, categories: [String]? = nil, facilityId: UUID? = nil,
                 confirmNew: Bool? = nil) {
        (self.fullName, self.birthDate, self.sex, self.cccd) = (fullName, birthDate, sex, cccd)
        (self.phone, self.unitCode, self.address, self.guardianName) = (phone, unitCode, address, guardianName)
        (self.guardianRelation, self.guardianPhone, self.poverty, self.categories) = (guardianRelation, guardianPhone, poverty, categories)
        (self.facilityId, self.confirmNew) = (facilityId, confirmNew)
    }
}

package struct ConsentInput: Content {
    package var givenOn: String?
    package var givenBy: String?
    package var relation: String?
    package var scope: [String]?
    package var childAgreed: Bool?

    package init(givenOn: String? = nil, givenBy: String? = nil, relation: String? = nil, scope: [String]? = nil,
                 childAgreed: Bool? = nil) {
        (self.givenOn, self.givenBy, self.relation, self.scope) = (givenOn, givenBy, relation, scope)
        self.childAgreed = childAgreed
    }
}

/// A likely duplicate: shown whole when the user may open it, otherwise only as "someone with
/// this CCCD or name is known at facility X", so the check itself reveals nothing personal.
package struct DuplicateCandidate: Content {
    package var id: UUID?
    package var fullName: String?
    package var birthDate: String?
    package var facility: String
    package var reason: String

    package init(id: UUID? = nil, fullName: String? = nil, birthDate: String? = nil, facility: String, reason: String) {
        (self.id, self.fullName, self.birthDate, self.facility) = (id, fullName, birthDate, facility)
        self.reason = reason
    }
}

package struct LikelyDuplicates: Error {
    package var candidates: [DuplicateCandidate]
    package init(candidates: [DuplicateCandidate]) {
        self.candidates = candidates
    }
}

/// People served: registered with a duplicate check, corrected, their consents recorded.
/// Changes are audited by field name only: the audit log is read by administrators who are not
/// in a case's circle, so it never holds the values.
package struct ServedPeopleService {
    package let db: any Database
    package let user: User
    package let ip: String?

    package init(db: any Database, user: User, ip: String? = nil) {
        (self.db, self.user, self.ip) = (db, user, ip)
    }

    package var access: CaseAccess { CaseAccess(db: db, user: user) }

    package static let povertyValues = ["poor", "near-poor", "none"]

    /// Where the user works (with any duty); a facility the user does not work at is refused.
    package func facility(_ id: UUID?) async throws -> Organisation {
        let duties = try await access.duties()
        guard let id = id ?? (duties.count == 1 ? duties.keys.first : nil) else {
            throw HamletError.invalid("facilityId", "Chọn cơ sở nơi bạn làm việc.")
        }
        guard duties[id] != nil, let org = try await Organisation.find(id, on: db) else {
            throw HamletError.invalid("facilityId", "Bạn không làm việc tại cơ sở này.")
        }
        return org
    }

    /// Checks every field; `existing` is corrected in place.
    package func apply(_ input: ServedPersonInput, to person: ServedPerson, changes: inout AuditChanges) async throws {
        func set(_ field: String, _ old: String?, _ new: String?) { if old != new { changes.add(field, old.map { _ in "•" }, new.map { _ in "••" }) } }
        if let raw = input.fullName {
            let name = VietnameseText.normalized(raw)
            guard !name.isEmpty, name.count <= 120 else { throw HamletError.invalid("fullName", "Cần họ và tên (tối đa 120 ký tự).") }
            set("full_name", person.$fullName.value, name)
            person.fullName = name; person.searchName = VietnameseText.folded(name); person.sortKey = VietnameseCollation.nameKey(name)
        } else if person.$fullName.value == nil {
            throw HamletError.invalid("fullName", "Cần họ và tên.")
        }
        if let raw = input.birthDate {
            let day = raw.isEmpty ? nil : DayDate(raw)
            guard raw.isEmpty || (day != nil && day! <= DayDate.today()) else { throw HamletError.invalid("birthDate", "Ngày sinh viết dd/MM/yyyy và không sau hôm nay.") }
            set("birth_date", person.birthDate, day?.iso); person.birthDate = day?.iso
        }
        if let raw = input.sex {
            guard raw.isEmpty || ["male", "female"].contains(raw) else { throw HamletError.invalid("sex", "Giới tính là nam hoặc nữ.") }
            set("sex", person.sex, raw.nilIfEmpty); person.sex = raw.nilIfEmpty
        }
        if let raw = input.cccd {
            let digits = raw.filter(\.isNumber)
            guard digits.isEmpty || digits.count == 12 else { throw HamletError.invalid("cccd", "Số CCCD gồm đúng 12 chữ số.") }
            set("cccd", person.cccd, digits.nilIfEmpty); person.cccd = digits.nilIfEmpty
        }
        for (field, raw, keyPath) in [("phone", input.phone, \ServedPerson.phone), ("guardianPhone", input.guardianPhone, \ServedPerson.guardianPhone)] {
            guard let raw else { continue }
            let phone = raw.trimmingCharacters(in: .whitespaces).isEmpty ? nil : PhoneNumber.normalized(raw)
            guard raw.trimmingCharacters(in: .whitespaces).isEmpty || phone != nil else {
                throw HamletError.invalid(field, "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84).")
            }
            set(field, person[keyPath: keyPath], phone); person[keyPath: keyPath] = phone
        }
        if let code = input.unitCode?.trimmedFast, !code.isEmpty {
            guard let unit = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code == code).first() else {
                throw HamletError.invalid("unitCode", "Không có đơn vị hành chính mã “\(code)”.")
            }
            set("unit", person.$unitCode.value, unit.code); person.unitCode = unit.code; person.unitPath = unit.path
        } else if person.$unitCode.value == nil {
            throw HamletError.invalid("unitCode", "Cần xã/phường nơi ở (mã đơn vị).")
        }
        for (field, raw, keyPath) in [("address", input.address, \ServedPerson.address), ("guardianName", input.guardianName, \ServedPerson.guardianName),
                                      ("guardianRelation", input.guardianRelation, \ServedPerson.guardianRelation)] {
            guard let raw else { continue }
            let text = VietnameseText.normalized(raw)
            guard text.count <= 300 else { throw HamletError.invalid(field, "Tối đa 300 ký tự.") }
            set(field, person[keyPath: keyPath], text.nilIfEmpty); person[keyPath: keyPath] = text.nilIfEmpty
        }
        if let raw = input.poverty {
            guard raw.isEmpty || Self.povertyValues.contains(raw) else { throw HamletError.invalid("poverty", "Hoàn cảnh kinh tế: poor (nghèo), near-poor (cận nghèo) hoặc none.") }
            set("poverty", person.poverty, raw.nilIfEmpty); person.poverty = raw.nilIfEmpty
        }
        if let codes = input.categories {
            let known = try await CaseCatalogueItem.query(on: db).filter(\.$list == "category").all()
            if let unknown = codes.first(where: { c in !known.contains { $0.code == c } }) {
                throw HamletError.invalid("categories", "Không có nhóm đối tượng mã “\(unknown)” trong danh mục.")
            }
            let json = String(decoding: try JSONEncoder().encode(Array(Set(codes)).sorted()), as: UTF8.self)
            // A sensitive category is sensitive data: adding one needs the consent first.
            let current = person.$categoriesJSON.value.map { _ in person.categories } ?? []
            if codes.contains(where: { c in !current.contains(c) && known.contains { $0.code == c && $0.sensitive } }) {
                try await ConsentCheck(db: db).require(person, "sensitive", field: "categories")
            }
            set("categories", person.$categoriesJSON.value, json); person.categoriesJSON = json
        } else if person.$categoriesJSON.value == nil {
            person.categoriesJSON = "[]"
        }
    }

    /// The facilities of the province a facility is in: duplicates are looked for there only.
    package func provinceFacilities(of facility: Organisation) async throws -> [UUID] {
        let province = (facility.unitPath.split(separator: ".").first.map { $0 + "." }) ?? facility.unitPath
        return try await Organisation.query(on: db).filter(\.$kind == .facility).filter(\.$unitPath >= province)
            .filter(\.$unitPath < AccessScope.upperBound(province)).all(\.$id)
    }

    /// Same CCCD, or same folded name, birth date and commune, among the people of these facilities.
    package func duplicates(of person: ServedPerson, among facilities: [UUID]) async throws -> [DuplicateCandidate] {
        var found: [(ServedPerson, String)] = []
        if let cccd = person.cccd {
            for p in try await ServedPerson.query(on: db).filter(\.$cccd == cccd).filter(\.$facilityID ~~ facilities).all() where p.id != person.id { found.append((p, "cùng số CCCD")) }
        }
        if let birth = person.birthDate {
            for p in try await ServedPerson.query(on: db).filter(\.$searchName == person.searchName).filter(\.$birthDate == birth).filter(\.$facilityID ~~ facilities).all()
            where p.id != person.id && String(p.unitPath.prefix(9)) == String(person.unitPath.prefix(9)) && !found.contains(where: { $0.0.id == p.id }) {
                found.append((p, "cùng họ tên, ngày sinh và xã"))
            }
        }
        var out: [DuplicateCandidate] = []
        for (p, reason) in found {
            let facility = try await Organisation.find(p.facilityID, on: db)?.name ?? ""
            let visible = (try? await access.person(p.id)) != nil
            out.append(DuplicateCandidate(id: visible ? p.id : nil, fullName: visible ? p.fullName : nil, birthDate: visible ? p.birthDate : nil,
                                          facility: facility, reason: reason))
        }
        return out
    }

    package func register(_ input: ServedPersonInput) async throws -> ServedPerson {
        try access.requireCaseworker()
        let facility = try await facility(input.facilityId)
        let person = ServedPerson()
        person.facilityID = facility.id!; person.createdBy = user.id!
        var changes = AuditChanges()
        var checked = input
        let requested = input.categories ?? []
        checked.categories = []   // a sensitive category needs the person, and a consent, first
        try await apply(checked, to: person, changes: &changes)
        try await IntakeCheck(db: db, user: user, ip: ip).count(facility, fields: person)
        let candidates = try await duplicates(of: person, among: try await provinceFacilities(of: facility))
        // A CCCD is one person across the country, but another province's clients are its own business.
        if let cccd = person.cccd, candidates.isEmpty, try await ServedPerson.query(on: db).filter(\.$cccd == cccd).count() > 0 {
            throw HamletError.invalid("cccd", "Số CCCD này đã có trong hồ sơ của một cơ sở ở tỉnh khác: không lập hồ sơ mới; liên hệ quản trị hệ thống để được chuyển gửi.")
        }
        if candidates.contains(where: { $0.reason == "cùng số CCCD" }) {
            throw HamletError.invalid("cccd", "Số CCCD này đã có trong hồ sơ đối tượng (\(candidates[0].facility)). Đề nghị cơ sở đó chuyển gửi thay vì lập hồ sơ mới.")
        }
        if !candidates.isEmpty && input.confirmNew != true { throw LikelyDuplicates(candidates: candidates) }
        let basic = try await CaseCatalogueItem.query(on: db).filter(\.$list == "category").filter(\.$sensitive == false).all().map(\.code)
        if let bad = requested.first(where: { !basic.contains($0) }) {
            throw HamletError.invalid("categories", "Nhóm “\(bad)” là thông tin nhạy cảm hoặc không có trong danh mục: ghi sự đồng ý trước, rồi thêm nhóm này.")
        }
        person.categoriesJSON = String(decoding: try JSONEncoder().encode(Array(Set(requested)).sorted()), as: UTF8.self)
        let audit = changes, user = user, ip = ip
        try await db.writeTransaction { tx in
            try await person.create(on: tx)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "create", entity: "served_person", entityID: person.id?.uuidString,
                                   scopePath: facility.unitPath, changes: audit)
        }
        return person
    }

    package func correct(_ person: ServedPerson, _ input: ServedPersonInput) async throws -> ServedPerson {
        guard person.anonymisedAt == nil else { throw HamletError.conflict("Hồ sơ đã được ẩn danh: không sửa được.") }
        var changes = AuditChanges()
        try await apply(input, to: person, changes: &changes)
        if let cccd = person.cccd, try await ServedPerson.query(on: db).filter(\.$cccd == cccd).filter(\.$id != person.id!).count() > 0 {
            throw HamletError.invalid("cccd", "Số CCCD này đã có trong một hồ sơ khác.")
        }
        let audit = changes, user = user, ip = ip
        try await db.writeTransaction { tx in
            try await person.save(on: tx)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "correct", entity: "served_person", entityID: person.id?.uuidString,
                                   scopePath: person.unitPath, changes: audit)
        }
        return person
    }

    package static let consentScopes = ["basic", "sensitive", "share"]

    package func addConsent(_ person: ServedPerson, _ input: ConsentInput) async throws -> Consent {
        guard let day = DayDate(input.givenOn ?? ""), day <= .today() else { throw HamletError.invalid("givenOn", "Ngày đồng ý viết dd/MM/yyyy và không sau hôm nay.") }
        let by = VietnameseText.normalized(input.givenBy ?? "")
        guard !by.isEmpty else { throw HamletError.invalid("givenBy", "Cần họ tên người đồng ý.") }
        guard let relation = input.relation, ["self", "guardian"].contains(relation) else { throw HamletError.invalid("relation", "Người đồng ý là chính đối tượng (self) hoặc người giám hộ (guardian).") }
        let scopes = input.scope ?? []
        guard !scopes.isEmpty, scopes.allSatisfy(Self.consentScopes.contains) else { throw HamletError.invalid("scope", "Phạm vi đồng ý gồm: basic, sensitive, share.") }
        let need = ConsentRule.needed(born: person.birthDate.flatMap(DayDate.init), on: day)
        if need.guardian && relation != "guardian" { throw HamletError.invalid("relation", "Đối tượng là trẻ em: cần sự đồng ý của cha, mẹ hoặc người giám hộ.") }
        if need.child && input.childAgreed != true { throw HamletError.invalid("childAgreed", "Trẻ từ đủ 7 tuổi: cần cả sự đồng ý của chính trẻ.") }
        let consent = Consent()
        consent.personID = person.id!; consent.givenOn = day.iso; consent.givenBy = by; consent.relation = relation
        consent.scopeJSON = String(decoding: try JSONEncoder().encode(scopes.sorted()), as: UTF8.self)
        consent.childAgreed = input.childAgreed ?? false; consent.recordedBy = user.id!
        var changes = AuditChanges()
        changes.add("scope", nil, consent.scopeJSON)
        let audit = changes, user = user, ip = ip
        try await db.writeTransaction { tx in
            try await consent.create(on: tx)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "consent", entity: "served_person", entityID: person.id?.uuidString,
                                   scopePath: person.unitPath, changes: audit)
        }
        return consent
    }

    package func withdraw(_ consent: Consent, _ person: ServedPerson) async throws {
        guard consent.withdrawnOn == nil else { return }
        consent.withdrawnOn = DayDate.today().iso
        let user = user, ip = ip
        try await db.writeTransaction { tx in
            try await consent.save(on: tx)
            var changes = AuditChanges()
            changes.add("withdrawn_on", nil, consent.withdrawnOn)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "withdraw-consent", entity: "served_person", entityID: person.id?.uuidString,
                                   scopePath: person.unitPath, changes: changes)
        }
    }
}

/// Sensitive data and sharing need a consent in force that covers them.
package struct ConsentCheck {
    package let db: any Database

    package init(db: any Database) {
        self.db = db
    }

    package func require(_ person: ServedPerson, _ scope: String, field: String) async throws {
        guard let id = person.id else { throw HamletError.invalid(field, Self.message(scope)) }
        let consents = try await Consent.query(on: db).filter(\.$personID == id).filter(\.$withdrawnOn == nil).all()
        guard consents.contains(where: { $0.scopes.contains(scope) }) else { throw HamletError.invalid(field, Self.message(scope)) }
    }

    package static func message(_ scope: String) -> String {
        scope == "share" ? "Chưa có sự đồng ý chia sẻ thông tin (phạm vi “share”): ghi sự đồng ý trước khi chuyển gửi."
            : "Chưa có sự đồng ý xử lý thông tin nhạy cảm (phạm vi “sensitive”): ghi sự đồng ý trước khi lưu thông tin này."
    }
}
