import Vapor
import Fluent
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletOrganisations

struct PersonDTO: Content {
    var id: UUID?
    var fullName: String
    var sex: String?
    var birthDate: String?
    var cccd: String?
    var phone: String?
    var ethnicity: String?
    var homeUnitCode: String
    var homeUnitName: String?
    var educationLevel: String?
    var qualificationLevel: String
    var qualificationField: String?
    var qualifiedInSocialWork: Bool
    var titleCode: String?
    var notes: String?
    var assignments: [AssignmentDTO]?

    init(_ p: Person, unitNames: [String: String] = [:], assignments: [AssignmentDTO]? = nil) {
        id = p.id; fullName = p.fullName; sex = p.sex?.rawValue; birthDate = p.birthDate; cccd = p.cccd; phone = p.phone
        ethnicity = p.ethnicity; homeUnitCode = p.homeUnitCode; homeUnitName = unitNames[p.homeUnitCode]
        educationLevel = p.educationLevel; qualificationLevel = p.qualificationLevel.rawValue; qualificationField = p.qualificationField
        qualifiedInSocialWork = p.qualifiedInSocialWork; titleCode = p.titleCode; notes = p.notes; self.assignments = assignments
    }
}

struct AssignmentDTO: Content {
    var id: UUID?
    var personId: UUID
    var unitCode: String
    var unitName: String?
    var organisationId: UUID?
    var organisationName: String?
    var domains: [String]
    var positionTitle: String
    var employmentKind: String
    var fullTime: Bool
    var concurrent: Bool
    var startDate: String
    var endDate: String?
    var endReason: String?
    var allowanceAmount: Int?
    var allowanceMultiple: Double?
    /// The allowance in đồng as it stands today (a multiple resolved against the base salary).
    var allowanceToday: Int?
    var active: Bool
    /// The legacy commune the post was held in before 01/07/2025, when recorded.
    var legacyUnitCode: String? = nil
    var legacyUnitName: String? = nil
}

/// Turns assignments into DTOs with their places' names and today's allowance, in few queries.
struct AssignmentViews {
    let db: any Database

    func make(_ assignments: [Assignment], today: String) async throws -> [AssignmentDTO] {
        let salaries = try await BaseSalary.query(on: db).all()
        let base = BaseSalary.amount(on: today, in: salaries)
        let units = try await names(ofUnits: assignments.map(\.unitCode))
        let legacy = try await LegacyMap(db: db).units(assignments.compactMap(\.legacyUnitCode))
        let orgIDs = assignments.compactMap { $0.$organisation.id }
        let orgs = orgIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$id ~~ orgIDs).all().map { ($0.id!, $0.name) })
        return assignments.sorted { ($0.startDate, $0.createdAt ?? .distantPast) > ($1.startDate, $1.createdAt ?? .distantPast) }.map { a in
            AssignmentDTO(id: a.id, personId: a.$person.id, unitCode: a.unitCode, unitName: units[a.unitCode], organisationId: a.$organisation.id,
                          organisationName: a.$organisation.id.flatMap { orgs[$0] }, domains: a.domains.map(\.rawValue), positionTitle: a.positionTitle,
                          employmentKind: a.employmentKind.rawValue, fullTime: a.fullTime, concurrent: a.concurrent, startDate: a.startDate,
                          endDate: a.endDate, endReason: a.endReason?.rawValue, allowanceAmount: a.allowanceAmount, allowanceMultiple: a.allowanceMultiple,
                          allowanceToday: a.allowanceAmount ?? a.allowanceMultiple.flatMap { m in base.map { Int((Double($0) * m).rounded()) } },
                          active: a.isActive(on: today), legacyUnitCode: a.legacyUnitCode, legacyUnitName: a.legacyUnitCode.flatMap { legacy[$0]?.name })
        }
    }

    func names(ofUnits codes: [String]) async throws -> [String: String] {
        let unique = Array(Set(codes))
        guard !unique.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$code ~~ unique).all().map { ($0.code, $0.name) })
    }
}

extension Role {
    var canEditWorkforce: Bool { [.admin, .provinceOfficer, .communeOfficer].contains(self) }
}

extension Request {
    func people() -> PersonService { PersonService(db: db, scope: scope, actor: currentUser, ip: clientIP) }
    func assignments() -> AssignmentService { AssignmentService(db: db, scope: scope, actor: currentUser, ip: clientIP) }

    /// An assignment the account may change: its post lies inside the account's subtree.
    func editableAssignment(_ id: UUID?) async throws -> (Assignment, Person) {
        let scope = self.scope
        guard let id, let a = try await Assignment.query(on: db).filter(\.$id == id).with(\.$person).first(),
              scope.contains(path: a.unitPath) else { throw HamletError.notFound }
        return (a, a.person)
    }
}
