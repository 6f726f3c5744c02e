import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit
import HamletUnits
import HamletWorkforce

/// A person served, with consents and the numbers of their cases (each opened through its own
/// page, where the circle is checked again).
package struct PersonRecord: Content {
    package var person: CaseDetail.Person
    package var facilityId: UUID
    package var consents: [CaseDetail.ConsentRow]
    package var cases: [String]
    package var consentNeeded: String

    package init(person: CaseDetail.Person, facilityId: UUID, consents: [CaseDetail.ConsentRow], cases: [String], consentNeeded: String) {
        (self.person, self.facilityId, self.consents, self.cases) = (person, facilityId, consents, cases)
        self.consentNeeded = consentNeeded
    }

    package static func build(_ p: ServedPerson, on db: any Database) async throws -> PersonRecord {
        let catalogue = Dictionary(try await CaseCatalogueItem.query(on: db).filter(\.$list == "category").all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let unit = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code == p.unitCode).first()
        let consents = try await Consent.query(on: db).filter(\.$personID == p.id!).sort(\.$givenOn).all()
        let cases = try await CaseFile.query(on: db).filter(\.$personID == p.id!).sort(\.$openedOn).all()
        let born = p.birthDate.flatMap(DayDate.init)
        let need = ConsentRule.needed(born: born, on: .today())
        return PersonRecord(
            person: .init(id: p.id, fullName: p.fullName, birthDate: p.birthDate, age: born.map { ConsentRule.age(born: $0, on: .today()) }, sex: p.sex, cccd: p.cccd,
                          phone: p.phone, unitCode: p.unitCode, unitName: unit?.name ?? p.unitCode, address: p.address, guardianName: p.guardianName,
                          guardianRelation: p.guardianRelation, guardianPhone: p.guardianPhone, poverty: p.poverty,
                          categories: p.categories.map { .init(code: $0, name: catalogue[$0]?.name ?? $0, sensitive: catalogue[$0]?.sensitive ?? false) },
                          anonymised: p.anonymisedAt != nil),
            facilityId: p.facilityID,
            consents: consents.map { .init(id: $0.id, givenOn: $0.givenOn, givenBy: $0.givenBy, relation: $0.relation, scope: $0.scopes, childAgreed: $0.childAgreed, withdrawnOn: $0.withdrawnOn) },
            cases: cases.map(\.number),
            consentNeeded: need.guardian ? (need.child ? "Trẻ từ 7 tuổi: cần sự đồng ý của cha, mẹ hoặc người giám hộ và của chính trẻ." : "Trẻ dưới 7 tuổi: cần sự đồng ý của cha, mẹ hoặc người giám hộ.")
                : "Người thành niên: cần sự đồng ý của chính người đó.")
    }
}

/// Everything held about a person (a data-subject request, Decree 13/2023 Article 14): the
/// record, consents, every case with its records, and who read or exported them, when.
package struct SubjectExport: Content {
    package struct Access: Content {
        package var at: Date
        package var username: String
        package var action: String
        package var caseNumber: String?
        package init(at: Date, username: String, action: String, caseNumber: String? = nil) {
            (self.at, self.username, self.action, self.caseNumber) = (at, username, action, caseNumber)
        }
    }
    package var exportedAt: Date
    package var record: PersonRecord
    package var cases: [CaseDetail]
    package var accesses: [Access]

    package init(exportedAt: Date, record: PersonRecord, cases: [CaseDetail], accesses: [Access]) {
        (self.exportedAt, self.record, self.cases, self.accesses) = (exportedAt, record, cases, accesses)
    }

    package static func build(_ p: ServedPerson, on db: any Database) async throws -> SubjectExport {
        let record = try await PersonRecord.build(p, on: db)
        let cases = try await CaseFile.query(on: db).filter(\.$personID == p.id!).sort(\.$openedOn).all()
        var details: [CaseDetail] = []
        for c in cases { details.append(try await CaseDetail.build(c, level: .circle, on: db)) }
        let numbers = Dictionary(cases.map { ($0.id!.uuidString, $0.number) }, uniquingKeysWith: { a, _ in a })
        let ids = cases.map { $0.id!.uuidString } + [p.id!.uuidString]
        let entries = try await AuditEntry.query(on: db).filter(\.$entityID ~~ ids).filter(\.$action ~~ ["read", "export", "break-glass"]).sort(\.$at).all()
        return SubjectExport(exportedAt: HamletClock.shared.now, record: record, cases: details,
                             accesses: entries.map { Access(at: $0.at, username: $0.username, action: $0.action, caseNumber: $0.entityID.flatMap { numbers[$0] }) })
    }
}
