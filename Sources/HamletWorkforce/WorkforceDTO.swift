import Vapor
import Fluent
import SQLKit
import HamletDatabase
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletOrganisations

package struct PersonDTO: Content {
    package var id: UUID?
    package var fullName: String
    package var sex: String?
    package var birthDate: String?
    package var cccd: String?
    package var phone: String?
    package var ethnicity: String?
    package var homeUnitCode: String
    package var homeUnitName: String?
    package var educationLevel: String?
    package var qualificationLevel: String
    package var qualificationField: String?
    package var qualifiedInSocialWork: Bool
    package var titleCode: String?
    package var notes: String?
    package var assignments: [AssignmentDTO]?

    /// The columns `init(row:)` reads, as text on both engines (ids, enums and flags cast).
    package static let columns = TextColumns([
        ("id", .text), ("full_name", .plain), ("sex", .text), ("birth_date", .plain), ("cccd", .plain), ("phone", .plain),
        ("ethnicity", .plain), ("home_unit_code", .plain), ("education_level", .plain), ("qualification_level", .text),
        ("qualification_field", .plain), ("qualified_in_social_work", .text), ("title_code", .plain), ("notes", .plain),
    ])

    /// Where each of `columns` is in a row, by its key.
    private static let at = Dictionary(uniqueKeysWithValues: columns.keys.enumerated().map { ($0.element, $0.offset) })

    /// A row of `columns`, as `init(_:)` makes it from the model (unit names added by the caller).
    /// Read directly, not through the model: Fluent's per-row reflection of twenty fields is what
    /// this read exists to avoid. `PeopleListRowsTests` holds it to `init(_:)`, field by field.
    package init?(row: [String?]) {
        guard row.count == Self.at.count else { return nil }
        func cell(_ key: String) -> String? { Self.at[key].flatMap { row[$0] } }
        guard let id = cell("id").flatMap(UUID.init(uuidString:)), let name = cell("full_name"), let home = cell("home_unit_code"),
              let level = cell("qualification_level") else { return nil }
        self.id = id; fullName = name; sex = cell("sex"); birthDate = cell("birth_date"); cccd = cell("cccd"); phone = cell("phone")
        ethnicity = cell("ethnicity"); homeUnitCode = home; homeUnitName = nil; educationLevel = cell("education_level")
        qualificationLevel = level; qualificationField = cell("qualification_field")
        qualifiedInSocialWork = ["1", "true", "t"].contains(cell("qualified_in_social_work") ?? ""); titleCode = cell("title_code"); notes = cell("notes")
        assignments = nil
    }

    package init(_ p: Person, unitNames: [String: String] = [:], assignments: [AssignmentDTO]? = nil) {
        id = p.id; fullName = p.fullName; sex = p.sex?.rawValue; birthDate = p.birthDate; cccd = p.cccd; phone = p.phone
        ethnicity = p.ethnicity; homeUnitCode = p.homeUnitCode; homeUnitName = unitNames[p.homeUnitCode]
        educationLevel = p.educationLevel; qualificationLevel = p.qualificationLevel.rawValue; qualificationField = p.qualificationField
        qualifiedInSocialWork = p.qualifiedInSocialWork; titleCode = p.titleCode; notes = p.notes; self.assignments = assignments
    }
}

package struct AssignmentDTO: Content {
    package var id: UUID?
    package var personId: UUID
    package var unitCode: String
    package var unitName: String?
    package var organisationId: UUID?
    package var organisationName: String?
    package var domains: [String]
    package var positionTitle: String
    package var employmentKind: String
    package var fullTime: Bool
    package var concurrent: Bool
    package var startDate: String
    package var endDate: String?
    package var endReason: String?
    package var allowanceAmount: Int?
    package var allowanceMultiple: Double?
    /// The allowance in đồng as it stands today (a multiple resolved against the base salary).
    package var allowanceToday: Int?
    package var active: Bool
    /// The legacy commune the post was held in before 01/07/2025, when recorded.
    package var legacyUnitCode: String? = nil
    package var legacyUnitName: String? = nil

    package init(id: UUID? = nil, personId: UUID, unitCode: String, unitName: String? = nil, organisationId: UUID? = nil,
                 organisationName: String? = nil, domains: [String], positionTitle: String, employmentKind: String,
                 fullTime: Bool, concurrent: Bool, startDate: String, endDate: String? = nil, endReason: String? = nil,
                 allowanceAmount: Int? = nil, allowanceMultiple: Double? = nil, allowanceToday: Int? = nil, active: Bool,
                 legacyUnitCode: String? = nil, legacyUnitName: String? = nil) {
        (self.id, self.personId, self.unitCode, self.unitName) = (id, personId, unitCode, unitName)
        (self.organisationId, self.organisationName, self.domains, self.positionTitle) = (organisationId, organisationName, domains, positionTitle)
        (self.employmentKind, self.fullTime, self.concurrent, self.startDate) = (employmentKind, fullTime, concurrent, startDate)
        (self.endDate, self.endReason, self.allowanceAmount, self.allowanceMultiple) = (endDate, endReason, allowanceAmount, allowanceMultiple)
        (self.allowanceToday, self.active, self.legacyUnitCode, self.legacyUnitName) = (allowanceToday, active, legacyUnitCode, legacyUnitName)
    }
}

/// Turns assignments into DTOs with their places' names and today's allowance, in few queries.
package struct AssignmentViews {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    package func make(_ assignments: [Assignment], today: String) async throws -> [AssignmentDTO] {
        let salaries = try await BaseSalary.decrees(on: db)
        let base = BaseSalary.amount(on: today, in: salaries)
        let units = try await names(ofUnits: assignments.map(\.unitCode))
        let legacy = try await LegacyMap(db: db).units(assignments.compactMap(\.legacyUnitCode))
        let orgIDs = assignments.compactMap { $0.$organisation.id }
        let orgs = try await OrganisationChoices(db: db).names(of: orgIDs)
        return assignments.sorted { ($0.startDate, $0.createdAt ?? .distantPast) > ($1.startDate, $1.createdAt ?? .distantPast) }.map { a in
            AssignmentDTO(id: a.id, personId: a.$person.id, unitCode: a.unitCode, unitName: units[a.unitCode], organisationId: a.$organisation.id,
                          organisationName: a.$organisation.id.flatMap { orgs[$0] }, domains: a.domains.map(\.rawValue), positionTitle: a.positionTitle,
                          employmentKind: a.employmentKind.rawValue, fullTime: a.fullTime, concurrent: a.concurrent, startDate: a.startDate,
                          endDate: a.endDate, endReason: a.endReason?.rawValue, allowanceAmount: a.allowanceAmount, allowanceMultiple: a.allowanceMultiple,
                          allowanceToday: a.allowanceAmount ?? a.allowanceMultiple.flatMap { m in base.map { Int((Double($0) * m).rounded()) } },
                          active: a.isActive(on: today), legacyUnitCode: a.legacyUnitCode, legacyUnitName: a.legacyUnitCode.flatMap { legacy[$0]?.name })
        }
    }

    package func names(ofUnits codes: [String]) async throws -> [String: String] {
        let unique = Array(Set(codes))
        guard !unique.isEmpty else { return [:] }
        // Two columns, not whole units through Fluent: on every page of a people search.
        guard let sql = db as? any SQLDatabase else { return [:] }
        let rows = try await sql.raw("SELECT code, name FROM units WHERE structure = \(bind: UnitStructure.current.rawValue) AND code IN (\(binds: unique))").all()
        return Dictionary(try rows.map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self)) }, uniquingKeysWith: { a, _ in a })
    }
}

extension Role {
    package var canEditWorkforce: Bool { [.admin, .provinceOfficer, .communeOfficer].contains(self) }
}

extension Request {
    package func people() -> PersonService { PersonService(db: db, scope: scope, actor: currentUser, ip: clientIP) }
    package func assignments() -> AssignmentService { AssignmentService(db: db, scope: scope, actor: currentUser, ip: clientIP) }

    /// An assignment the account may change: its post lies inside the account's subtree.
    package func editableAssignment(_ id: UUID?) async throws -> (Assignment, Person) {
        let scope = self.scope
        guard let id, let a = try await Assignment.query(on: db).filter(\.$id == id).with(\.$person).first(),
              scope.contains(path: a.unitPath) else { throw HamletError.notFound }
        return (a, a.person)
    }
}
