import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations

package struct AssignmentInput: Content {
    package var unitCode: String?
    package var organisationId: UUID?
    package var domains: [String]?
    package var positionTitle: String?
    package var employmentKind: String?
    package var fullTime: Bool?
    package var concurrent: Bool?
    package var startDate: String?
    package var endDate: String?
    package var allowanceAmount: Int?
    package var allowanceMultiple: Double?
    /// For a post held before 01/07/2025: the legacy commune it was in (code or name).
    package var legacyUnitCode: String? = nil

    package init(unitCode: String? = nil, organisationId: UUID? = nil, domains: [String]? = nil, positionTitle: String? = nil,
                 employmentKind: String? = nil, fullTime: Bool? = nil, concurrent: Bool? = nil, startDate: String? = nil,
                 endDate: String? = nil, allowanceAmount: Int? = nil, allowanceMultiple: Double? = nil,
                 legacyUnitCode: String? = nil) {
        (self.unitCode, self.organisationId, self.domains, self.positionTitle) = (unitCode, organisationId, domains, positionTitle)
        (self.employmentKind, self.fullTime, self.concurrent, self.startDate) = (employmentKind, fullTime, concurrent, startDate)
        (self.endDate, self.allowanceAmount, self.allowanceMultiple, self.legacyUnitCode) = (endDate, allowanceAmount, allowanceMultiple, legacyUnitCode)
    }
}

package struct EndInput: Content {
    package var endDate: String?
    package var endReason: String?

    package init(endDate: String? = nil, endReason: String? = nil) { self.endDate = endDate; self.endReason = endReason }
}

/// Posts: start, end, transfer. History is kept: ending sets a date and a reason, a transfer
/// ends one post the day before the new one starts.
package struct AssignmentService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?
    /// Set by an import: units come from its cache, and posts wait in it to be written in bulk.
    package var batch: ImportBatch? = nil

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil,
                 batch: ImportBatch? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
        self.batch = batch
    }

    package func create(for person: Person, _ input: AssignmentInput) async throws -> Assignment {
        let assignment = try await build(for: person, input)
        if let batch {
            assignment.id = UUID()
            batch.add(assignment, Audit.entry(actor: actor, ip: ip, action: "create", entity: "assignment", entityID: assignment.id?.uuidString,
                                              scopePath: assignment.unitPath, changes: creationChanges(assignment)))
            return assignment
        }
        try await db.writeTransaction { tx in try await save(assignment, on: tx) }
        return assignment
    }

    private func save(_ assignment: Assignment, on tx: any Database) async throws {
        try await assignment.create(on: tx)
        try await Audit.record(on: tx, actor: actor, ip: ip, action: "create", entity: "assignment", entityID: assignment.id?.uuidString,
                               scopePath: assignment.unitPath, changes: creationChanges(assignment))
    }

    private func creationChanges(_ assignment: Assignment) -> AuditChanges {
        var changes = AuditChanges()
        changes.add("unit", nil, assignment.unitCode)
        changes.add("domains", nil, assignment.domains.map(\.rawValue).joined(separator: ","))
        changes.add("employment_kind", nil, assignment.employmentKind.rawValue)
        changes.add("position_title", nil, assignment.positionTitle)
        changes.add("start_date", nil, assignment.startDate)
        changes.add("end_date", nil, assignment.endDate)
        changes.add("legacy_unit_code", nil, assignment.legacyUnitCode)
        return changes
    }

    package func build(for person: Person, _ input: AssignmentInput) async throws -> Assignment {
        let a = Assignment()
        a.$person.id = try person.requireID()
        if let orgID = input.organisationId {
            let organisations = OrganisationService(db: db, scope: scope, actor: actor, ip: ip)
            var found = try await organisations.query(.agency).filter(\.$id == orgID).first()
            if found == nil { found = try await organisations.query(.facility).filter(\.$id == orgID).first() }
            guard let org = found else { throw HamletError.invalid("organisationId", "Cơ quan/cơ sở không có hoặc nằm ngoài phạm vi của bạn.") }
            a.$organisation.id = orgID
            a.unitCode = org.unitCode
            a.unitPath = org.unitPath
        } else {
            let directory = UnitDirectory(db: db, scope: scope)
            guard let code = input.unitCode, !code.isEmpty,
                  let unit = try await findUnit(code, directory),
                  scope.contains(path: unit.path), !unit.isClosed
            else { throw HamletError.invalid("unitCode", "Nơi làm việc: đơn vị không có, đã đóng hoặc nằm ngoài phạm vi của bạn.") }
            a.unitCode = unit.code
            a.unitPath = unit.path
        }
        let domains = try (input.domains ?? []).map { raw -> WorkDomain in
            guard let d = WorkDomain(rawValue: raw) else {
                throw HamletError.invalid("domains", "Lĩnh vực không hợp lệ: «\(raw)». Chọn trong: \(WorkDomain.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return d
        }
        guard !domains.isEmpty else { throw HamletError.invalid("domains", "Chọn ít nhất một lĩnh vực.") }
        a.socialWork = domains.contains(.socialWork)
        a.family = domains.contains(.family)
        a.population = domains.contains(.population)
        a.children = domains.contains(.children)
        let title = VietnameseText.normalized(input.positionTitle ?? "")
        guard !title.isEmpty, title.count <= 200 else { throw HamletError.invalid("positionTitle", "Cần ghi chức danh/vị trí (tối đa 200 ký tự).") }
        a.positionTitle = title
        guard let kind = input.employmentKind.flatMap(EmploymentKind.init(rawValue:)) else {
            throw HamletError.invalid("employmentKind", "Loại hình không hợp lệ: \(EmploymentKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        a.employmentKind = kind
        a.fullTime = input.fullTime ?? false
        a.concurrent = input.concurrent ?? false
        guard let start = input.startDate.flatMap(DayDate.init) else { throw HamletError.invalid("startDate", "Ngày bắt đầu không hợp lệ (dd/MM/yyyy).") }
        a.startDate = start.iso
        if let raw = input.endDate, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let end = DayDate(raw) else { throw HamletError.invalid("endDate", "Ngày kết thúc không hợp lệ (dd/MM/yyyy).") }
            guard end >= start else { throw HamletError.invalid("endDate", "Ngày kết thúc phải sau ngày bắt đầu.") }
            a.endDate = end.iso
            a.endReason = .other
        }
        if let birth = person.birthDate, a.startDate < birth {
            throw HamletError.invalid("startDate", "Ngày bắt đầu trước ngày sinh.")
        }
        if input.allowanceAmount != nil && input.allowanceMultiple != nil {
            throw HamletError.invalid("allowanceMultiple", "Phụ cấp ghi một trong hai: số tiền, hoặc hệ số so với lương cơ sở.")
        }
        if let amount = input.allowanceAmount {
            guard amount >= 0, amount <= 100_000_000 else { throw HamletError.invalid("allowanceAmount", "Số tiền phụ cấp không hợp lệ.") }
            a.allowanceAmount = amount
        }
        if let multiple = input.allowanceMultiple {
            guard multiple >= 0, multiple <= 10 else { throw HamletError.invalid("allowanceMultiple", "Hệ số phụ cấp phải từ 0 đến 10.") }
            a.allowanceMultiple = multiple
        }
        a.legacyUnitCode = try await legacyCode(for: a, typed: input.legacyUnitCode)
        // The same post twice at the same time is a mistake, not two posts.
        let twins: [Assignment]
        if let batch {
            twins = batch.postsByPerson[try person.requireID()] ?? []
        } else {
            twins = try await Assignment.query(on: db).filter(\.$person.$id == person.requireID()).filter(\.$unitCode == a.unitCode)
                .filter(\.$employmentKind == a.employmentKind).all()
        }
        if twins.contains(where: { $0.unitCode == a.unitCode && $0.employmentKind == a.employmentKind
                                   && $0.$organisation.id == a.$organisation.id && $0.domains == a.domains && overlaps($0, a) }) {
            throw HamletError.invalid("unitCode", "Người này đã có nhiệm vụ giống hệt (cùng nơi, lĩnh vực, loại hình) trong cùng thời gian.")
        }
        return a
    }

    /// A code, or a name typed on a form (imports read their own way, in batches).
    private func findUnit(_ code: String, _ directory: UnitDirectory) async throws -> AdminUnit? {
        if let batch { return try await batch.unit(code, in: directory) }
        return try await directory.pick(code, field: "unitCode")
    }

    private func overlaps(_ x: Assignment, _ y: Assignment) -> Bool {
        x.startDate <= (y.endDate ?? "9999") && y.startDate <= (x.endDate ?? "9999")
    }

    package func end(_ assignment: Assignment, _ input: EndInput) async throws {
        guard assignment.endDate == nil else { throw HamletError.conflict("Nhiệm vụ này đã kết thúc.") }
        guard let end = input.endDate.flatMap(DayDate.init) else { throw HamletError.invalid("endDate", "Ngày kết thúc không hợp lệ (dd/MM/yyyy).") }
        guard end.iso >= assignment.startDate else { throw HamletError.invalid("endDate", "Ngày kết thúc phải sau ngày bắt đầu.") }
        guard let reason = input.endReason.flatMap(EndReason.init(rawValue:)) else {
            throw HamletError.invalid("endReason", "Lý do kết thúc không hợp lệ: \(EndReason.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        try await db.writeTransaction { tx in try await close(assignment, on: end.iso, reason: reason, tx: tx) }
    }

    private func close(_ assignment: Assignment, on day: String, reason: EndReason, tx: any Database) async throws {
        assignment.endDate = day
        assignment.endReason = reason
        try await assignment.update(on: tx)
        var changes = AuditChanges()
        changes.add("end_date", nil, day)
        changes.add("end_reason", nil, reason.rawValue)
        try await Audit.record(on: tx, actor: actor, ip: ip, action: "end", entity: "assignment", entityID: assignment.id?.uuidString,
                               scopePath: assignment.unitPath, changes: changes)
    }

    /// Ends `old` the day before `input.startDate` (reason: transferred) and starts the new post.
    package func transfer(_ old: Assignment, person: Person, _ input: AssignmentInput) async throws -> Assignment {
        guard old.endDate == nil else { throw HamletError.conflict("Nhiệm vụ này đã kết thúc; hãy thêm nhiệm vụ mới.") }
        guard let start = input.startDate.flatMap(DayDate.init) else { throw HamletError.invalid("startDate", "Ngày bắt đầu không hợp lệ (dd/MM/yyyy).") }
        let lastDay = start.adding(days: -1)
        guard lastDay.iso >= old.startDate else { throw HamletError.invalid("startDate", "Ngày điều chuyển phải sau ngày bắt đầu nhiệm vụ cũ.") }
        let oldEnd = (old.endDate, old.endReason)
        old.endDate = lastDay.iso   // so the new post does not count as overlapping the old one
        let new: Assignment
        do { new = try await build(for: person, input) } catch { (old.endDate, old.endReason) = oldEnd; throw error }
        old.endDate = nil
        try await db.writeTransaction { tx in
            try await close(old, on: lastDay.iso, reason: .transferred, tx: tx)
            try await save(new, on: tx)
        }
        return new
    }
}
