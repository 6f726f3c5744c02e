import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletAccounts
import HamletOrganisations

package struct CaseInput: Content {
    package var personId: UUID?
    package var facilityId: UUID?
    package var caseworkerId: UUID?
    package var supervisorId: UUID?
    package var openedOn: String?
    package var source: String?
    package var summary: String?

    package init(personId: UUID? = nil, facilityId: UUID? = nil, caseworkerId: UUID? = nil, supervisorId: UUID? = nil,
                 openedOn: String? = nil, source: String? = nil, summary: String? = nil) {
        (self.personId, self.facilityId, self.caseworkerId, self.supervisorId) = (personId, facilityId, caseworkerId, supervisorId)
        (self.openedOn, self.source, self.summary) = (openedOn, source, summary)
    }
}
package struct StepInput: Content {
    package var to: String?
    package var on: String?
    package var note: String?
    package var reason: String?
    package init(to: String? = nil, on: String? = nil, note: String? = nil, reason: String? = nil) {
        (self.to, self.on, self.note, self.reason) = (to, on, note, reason)
    }
}
package struct AssessmentInput: Content {
    package var on: String?
    package var needs: [String: String]?
    package var risk: String?
    package var note: String?
    package init(on: String? = nil, needs: [String: String]? = nil, risk: String? = nil, note: String? = nil) {
        (self.on, self.needs, self.risk, self.note) = (on, needs, risk, note)
    }
}
package struct EntryInput: Content {
    package var on: String?
    package var code: String?
    package var text: String?
    package var provider: String?
    package init(on: String? = nil, code: String? = nil, text: String? = nil, provider: String? = nil) {
        (self.on, self.code, self.text, self.provider) = (on, code, text, provider)
    }
}
package struct ReferralInput: Content {
    package var toOrganisationId: UUID?
    package var reason: String?
    package var on: String?
    package init(toOrganisationId: UUID? = nil, reason: String? = nil, on: String? = nil) {
        (self.toOrganisationId, self.reason, self.on) = (toOrganisationId, reason, on)
    }
}
package struct ReferralAnswer: Content {
    package var status: String?
    package var feedback: String?
    package var assigneeId: UUID?
    package var on: String?
    package init(status: String? = nil, feedback: String? = nil, assigneeId: UUID? = nil, on: String? = nil) {
        (self.status, self.feedback, self.assigneeId, self.on) = (status, feedback, assigneeId, on)
    }
}
package struct TransferInput: Content {
    package var caseworkerId: UUID?
    package var supervisorId: UUID?
    package var facilityId: UUID?
    package var note: String?
    package init(caseworkerId: UUID? = nil, supervisorId: UUID? = nil, facilityId: UUID? = nil, note: String? = nil) {
        (self.caseworkerId, self.supervisorId, self.facilityId, self.note) = (caseworkerId, supervisorId, facilityId, note)
    }
}
package struct BreakGlassInput: Content {
    package var reason: String?
    package var hours: Int?
    package init(reason: String? = nil, hours: Int? = nil) {
        self.reason = reason
        self.hours = hours
    }
}

/// The rules of a case's life: who opens it, which step may follow which, what each record
/// needs (a consent for sensitive notes and assessments and for referrals), transfers and
/// break-glass. Everything is audited; values of personal fields are not copied into the log.
package struct CaseService {
    package let db: any Database
    package let user: User
    package let ip: String?

    package init(db: any Database, user: User, ip: String? = nil) {
        (self.db, self.user, self.ip) = (db, user, ip)
    }

    package var access: CaseAccess { CaseAccess(db: db, user: user) }

    package static let sources = ["self", "family", "community", "referral", "authority"]

    package func day(_ raw: String?, field: String, after opened: String? = nil, allowFuture: Bool = false) throws -> DayDate {
        guard let day = DayDate(raw ?? "") else { throw HamletError.invalid(field, "Ngày viết dd/MM/yyyy.") }
        if !allowFuture && day > .today() { throw HamletError.invalid(field, "Ngày không được sau hôm nay.") }
        if let opened, let start = DayDate(opened), day < start { throw HamletError.invalid(field, "Ngày không được trước ngày tiếp nhận (\(start.vietnamese)).") }
        return day
    }

    /// A staff member of the facility with one of these duties.
    package func staff(_ id: UUID?, at facility: UUID, _ duties: [String], field: String) async throws -> UUID {
        guard let id, try await FacilityStaff.active(on: db).filter(\.$facilityID == facility).filter(\.$userID == id).filter(\.$duty ~~ duties).count() > 0 else {
            throw HamletError.invalid(field, "Người này không phải \(duties.contains("caseworker") ? "nhân viên" : "người giám sát") của cơ sở.")
        }
        return id
    }

    func open(_ input: CaseInput) async throws -> CaseFile {
        try access.requireCaseworker()
        let people = ServedPeopleService(db: db, user: user, ip: ip)
        let facility = try await people.facility(input.facilityId)
        let person = try await access.person(input.personId)
        let opened = try day(input.openedOn ?? DayDate.today().iso, field: "openedOn")
        let source = input.source ?? "self"
        guard Self.sources.contains(source) else { throw HamletError.invalid("source", "Nguồn tiếp nhận: self, family, community, referral hoặc authority.") }
        let c = CaseFile()
        c.personID = person.id!; c.facilityID = facility.id!; c.facilityPath = facility.unitPath
        c.caseworkerID = try await staff(input.caseworkerId ?? user.id, at: facility.id!, ["caseworker", "supervisor", "manager"], field: "caseworkerId")
        c.supervisorID = try await input.supervisorId.asyncMap { try await staff($0, at: facility.id!, ["supervisor", "manager"], field: "supervisorId") }
        c.stage = CaseStage.intake.rawValue; c.openedOn = opened.iso; c.source = source
        c.summary = input.summary.map(VietnameseText.normalized)?.nilIfEmpty
        var changes = AuditChanges()
        changes.add("stage", nil, c.stage); changes.add("facility", nil, facility.name)
        try await save(c, creating: true, action: "open", changes: changes, entry: entry(c, "step", opened.iso, code: CaseStage.intake.rawValue, text: nil))
        return c
    }

    /// A case number: prefix, year of intake, running number in that year.
    package func number(_ year: Int, on db: any Database) async throws -> String {
        let taken = try await CaseFile.query(on: db).filter(\.$number >= "HS-\(year)-").filter(\.$number < "HS-\(year)-~").count()
        return String(format: "HS-%d-%04d", year, taken + 1)
    }

    package func entry(_ c: CaseFile, _ kind: String, _ on: String, code: String?, text: String?, detail: String? = nil, done: String? = nil) -> CaseEntry {
        let e = CaseEntry()
        e.kind = kind; e.onDate = on; e.code = code; e.text = text; e.detail = detail; e.doneOn = done
        e.byUser = user.id!; e.byName = user.displayName.isEmpty ? user.username : user.displayName
        return e
    }

    /// Saves the case (a new one gets its number) with an entry, in one transaction, audited.
    package func save(_ c: CaseFile, creating: Bool = false, action: String, changes: AuditChanges, entry: CaseEntry?) async throws {
        let user = user, ip = ip
        for attempt in 0..<3 {
            do {
                try await db.writeTransaction { tx in
                    if creating { c.number = try await number(DayDate(c.openedOn)!.year, on: tx) }
                    try await c.save(on: tx)
                    if let entry { entry.caseID = c.id!; try await entry.create(on: tx) }
                    try await Audit.record(on: tx, actor: user, ip: ip, action: action, entity: "case", entityID: c.id?.uuidString,
                                           scopePath: c.facilityPath, changes: changes)
                }
                return
            } catch where creating && attempt < 2 && "\(error)".lowercased().contains("unique") {
                c.id = nil; c.$id.exists = false
                continue   // two intakes took the same number at once: take the next
            }
        }
    }

    package func step(_ c: CaseFile, _ input: StepInput) async throws {
        guard let to = CaseStage(rawValue: input.to ?? "") else { throw HamletError.invalid("to", "Bước tiếp theo không hợp lệ.") }
        let from = c.currentStage
        guard from.allows(to) else {
            let allowed = from.next.map(\.label).joined(separator: ", ")
            throw HamletError(status: .conflict, code: "invalid_step", message: "Hồ sơ đang ở bước “\(from.label)”: không chuyển sang “\(to.label)” được"
                              + (allowed.isEmpty ? "." : "; chỉ có thể: \(allowed)."), field: "to")
        }
        let on = try day(input.on ?? DayDate.today().iso, field: "on", after: c.openedOn)
        let entries = try await CaseEntry.query(on: db).filter(\.$caseID == c.id!).all()
        if to == .plan, !entries.contains(where: { $0.kind == "assessment" }) {
            throw HamletError(status: .conflict, code: "invalid_step", message: "Chưa có bản đánh giá nhu cầu: hãy đánh giá trước khi lập kế hoạch.", field: "to")
        }
        if to == .service, !entries.contains(where: { $0.kind == "goal" }) {
            throw HamletError(status: .conflict, code: "invalid_step", message: "Kế hoạch chưa có mục tiêu nào: hãy thêm mục tiêu trước.", field: "to")
        }
        var changes = AuditChanges()
        changes.add("stage", from.rawValue, to.rawValue)
        if to == .closed {
            let reason = VietnameseText.normalized(input.reason ?? "")
            guard !reason.isEmpty else { throw HamletError.invalid("reason", "Cần lý do đóng hồ sơ.") }
            c.closedOn = on.iso; c.closeReason = reason
            changes.add("closed_on", nil, on.iso)
        }
        c.stage = to.rawValue
        try await save(c, action: "step", changes: changes, entry: entry(c, "step", on.iso, code: to.rawValue, text: input.note.map(VietnameseText.normalized)?.nilIfEmpty))
    }

    func open(_ c: CaseFile) throws {
        guard c.currentStage != .closed else { throw HamletError(status: .conflict, code: "closed", message: "Hồ sơ đã đóng: không ghi thêm được.", field: nil) }
    }

    package func person(of c: CaseFile) async throws -> ServedPerson {
        guard let p = try await ServedPerson.find(c.personID, on: db) else { throw HamletError.notFound }
        return p
    }

    package func assess(_ c: CaseFile, _ input: AssessmentInput) async throws {
        try open(c)
        try await ConsentCheck(db: db).require(try await person(of: c), "sensitive", field: "consent")
        let on = try day(input.on ?? DayDate.today().iso, field: "on", after: c.openedOn)
        guard let risk = RiskLevel(rawValue: input.risk ?? "") else { throw HamletError.invalid("risk", "Mức độ nguy cơ: low, medium hoặc high.") }
        var needs: [String: String] = [:]
        for (domain, level) in input.needs ?? [:] {
            guard NeedDomain(rawValue: domain) != nil else { throw HamletError.invalid("needs", "Lĩnh vực nhu cầu không hợp lệ: “\(domain)”.") }
            guard ["none", "some", "urgent"].contains(level) else { throw HamletError.invalid("needs", "Mức nhu cầu là none, some hoặc urgent.") }
            needs[domain] = level
        }
        guard !needs.isEmpty else { throw HamletError.invalid("needs", "Đánh giá ít nhất một lĩnh vực nhu cầu.") }
        c.risk = risk.rawValue
        var changes = AuditChanges()
        changes.add("assessment", nil, on.iso); changes.add("risk", nil, risk.rawValue)
        let detail = String(decoding: try JSONEncoder.sorted.encode(needs), as: UTF8.self)
        try await save(c, action: "assess", changes: changes, entry: entry(c, "assessment", on.iso, code: risk.rawValue, text: input.note.map(VietnameseText.normalized)?.nilIfEmpty, detail: detail))
    }

    /// A goal of the plan, a service delivered, a follow-up visit due, or a note.
    package func add(_ c: CaseFile, _ kind: String, _ input: EntryInput) async throws -> CaseEntry {
        try open(c)
        var code = input.code, text = input.text.map(VietnameseText.normalized)?.nilIfEmpty, detail: String? = nil
        let on: DayDate
        switch kind {
        case "goal":
            guard text != nil else { throw HamletError.invalid("text", "Cần nội dung mục tiêu.") }
            on = try day(input.on, field: "on", after: c.openedOn, allowFuture: true); code = "open"
        case "service":
            let types = try await CaseCatalogueItem.query(on: db).filter(\.$list == "service").all().map(\.code)
            guard let type = code, types.contains(type) else { throw HamletError.invalid("code", "Chọn loại dịch vụ trong danh mục.") }
            on = try day(input.on, field: "on", after: c.openedOn)
            detail = input.provider.map(VietnameseText.normalized)?.nilIfEmpty; code = type
        case "followup":
            on = try day(input.on, field: "on", after: c.openedOn, allowFuture: true); code = c.caseworkerID.uuidString
        default:
            try await ConsentCheck(db: db).require(try await person(of: c), "sensitive", field: "consent")
            guard text != nil else { throw HamletError.invalid("text", "Ghi chú trống.") }
            on = .today()
        }
        let e = entry(c, kind, on.iso, code: code, text: text, detail: detail)
        var changes = AuditChanges()
        changes.add(kind, nil, on.iso)
        try await save(c, action: "add-" + kind, changes: changes, entry: e)
        return e
    }

    /// A goal reached or dropped; a follow-up visit made.
    package func finish(_ c: CaseFile, _ e: CaseEntry, _ input: EntryInput) async throws {
        guard e.caseID == c.id, ["goal", "followup"].contains(e.kind), e.doneOn == nil else { throw HamletError.notFound }
        let on = try day(input.on ?? DayDate.today().iso, field: "on", after: c.openedOn)
        if e.kind == "goal" {
            guard let status = input.code, ["achieved", "dropped"].contains(status) else { throw HamletError.invalid("code", "Mục tiêu: achieved (đạt) hoặc dropped (bỏ).") }
            e.code = status
        }
        e.doneOn = on.iso
        if let note = input.text.map(VietnameseText.normalized)?.nilIfEmpty { e.text = [e.text, note].compactMap { $0 }.joined(separator: " — ") }
        var changes = AuditChanges()
        changes.add(e.kind + "_done", nil, on.iso)
        let user = user, ip = ip, audit = changes
        try await db.writeTransaction { tx in
            try await e.save(on: tx)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "finish-" + e.kind, entity: "case", entityID: c.id?.uuidString, scopePath: c.facilityPath, changes: audit)
        }
    }

    package func refer(_ c: CaseFile, _ input: ReferralInput) async throws -> CaseReferral {
        try open(c)
        guard let id = input.toOrganisationId, let to = try await Organisation.find(id, on: db) else {
            throw HamletError.invalid("toOrganisationId", "Không có cơ sở hoặc cơ quan nhận này.")
        }
        guard to.id != c.facilityID else { throw HamletError.invalid("toOrganisationId", "Không chuyển gửi cho chính cơ sở đang quản lý hồ sơ.") }
        try await ConsentCheck(db: db).require(try await person(of: c), "share", field: "consent")
        let reason = VietnameseText.normalized(input.reason ?? "")
        guard !reason.isEmpty else { throw HamletError.invalid("reason", "Cần lý do, nhu cầu chuyển gửi.") }
        let on = try day(input.on ?? DayDate.today().iso, field: "on", after: c.openedOn)
        let r = CaseReferral()
        r.caseID = c.id!; r.toOrganisationID = to.id!; r.toPath = to.unitPath; r.status = "sent"; r.reason = reason; r.sentOn = on.iso; r.sentBy = user.id!
        var changes = AuditChanges()
        changes.add("referral", nil, to.name)
        let user = user, ip = ip, audit = changes
        try await db.writeTransaction { tx in
            try await r.create(on: tx)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "refer", entity: "case", entityID: c.id?.uuidString, scopePath: c.facilityPath, changes: audit)
        }
        return r
    }

    /// The receiving side accepts, declines or completes; the sending side may also mark it completed.
    package func answer(_ r: CaseReferral, _ c: CaseFile, _ input: ReferralAnswer) async throws {
        guard let status = input.status, ["accepted", "declined", "completed"].contains(status) else {
            throw HamletError.invalid("status", "Trạng thái: accepted (nhận), declined (từ chối) hoặc completed (hoàn thành).")
        }
        let allowed: [String: [String]] = ["sent": ["accepted", "declined"], "accepted": ["completed"]]
        guard allowed[r.status]?.contains(status) == true else {
            throw HamletError(status: .conflict, code: "invalid_step", message: "Chuyển gửi đang ở trạng thái “\(r.status)”: không chuyển sang “\(status)” được.", field: "status")
        }
        if let assignee = input.assigneeId { r.assigneeID = try await staff(assignee, at: r.toOrganisationID, ["caseworker", "supervisor", "manager"], field: "assigneeId") }
        r.status = status
        r.answeredOn = try day(input.on ?? DayDate.today().iso, field: "on", after: r.sentOn).iso
        r.feedback = input.feedback.map(VietnameseText.normalized)?.nilIfEmpty ?? r.feedback
        var changes = AuditChanges()
        changes.add("referral_status", nil, status)
        let user = user, ip = ip, audit = changes
        try await db.writeTransaction { tx in
            try await r.save(on: tx)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "answer-referral", entity: "case", entityID: c.id?.uuidString, scopePath: c.facilityPath, changes: audit)
        }
    }

    package func transfer(_ c: CaseFile, _ input: TransferInput) async throws {
        try open(c)
        let duties = try await access.duties()
        guard duties[c.facilityID]?.contains("manager") == true || c.supervisorID == user.id else { throw HamletError.forbidden }
        var changes = AuditChanges()
        if let id = input.facilityId, id != c.facilityID {
            guard let to = try await Organisation.find(id, on: db), to.kind == .facility else { throw HamletError.invalid("facilityId", "Không có cơ sở này.") }
            c.facilityID = to.id!; c.facilityPath = to.unitPath; changes.add("facility", nil, to.name)
            c.supervisorID = nil
        }
        if let worker = input.caseworkerId ?? (changes.isEmpty ? nil : c.caseworkerID) {
            let id = try await staff(worker, at: c.facilityID, ["caseworker", "supervisor", "manager"], field: "caseworkerId")
            if id != c.caseworkerID { changes.add("caseworker", c.caseworkerID.uuidString, id.uuidString) }
            c.caseworkerID = id
        }
        if let supervisor = input.supervisorId {
            c.supervisorID = try await staff(supervisor, at: c.facilityID, ["supervisor", "manager"], field: "supervisorId")
            changes.add("supervisor", nil, supervisor.uuidString)
        }
        guard !changes.isEmpty else { throw HamletError.invalid("caseworkerId", "Chọn người nhận hoặc cơ sở nhận hồ sơ.") }
        // Open follow-ups go with the case to its new caseworker.
        for f in try await CaseEntry.query(on: db).filter(\.$caseID == c.id!).filter(\.$kind == "followup").filter(\.$doneOn == nil).all() {
            f.code = c.caseworkerID.uuidString; try await f.save(on: db)
        }
        try await save(c, action: "transfer", changes: changes, entry: entry(c, "step", DayDate.today().iso, code: "transfer", text: input.note.map(VietnameseText.normalized)?.nilIfEmpty))
    }

    package static let maxGlassHours = 24

    package func breakGlass(_ c: CaseFile, _ input: BreakGlassInput) async throws -> BreakGlass {
        guard try await access.level(c) == .none, try await access.mayBreakGlass(c) else { throw HamletError.notFound }
        let reason = VietnameseText.normalized(input.reason ?? "")
        guard reason.count >= 20 else { throw HamletError.invalid("reason", "Ghi rõ lý do cần xem hồ sơ (ít nhất 20 ký tự): việc này được ghi lại và báo cho quản lý cơ sở.") }
        let hours = input.hours ?? 4
        guard (1...Self.maxGlassHours).contains(hours) else { throw HamletError.invalid("hours", "Thời hạn từ 1 đến \(Self.maxGlassHours) giờ.") }
        let g = BreakGlass()
        g.caseID = c.id!; g.userID = user.id!; g.username = user.username; g.reason = reason; g.grantedAt = HamletClock.shared.now
        g.expiresAt = HamletClock.shared.now.addingTimeInterval(Double(hours) * 3600); g.ip = ip
        var changes = AuditChanges()
        changes.add("reason", nil, reason); changes.add("hours", nil, String(hours))
        let user = user, ip = ip, audit = changes
        try await db.writeTransaction { tx in
            try await g.create(on: tx)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "break-glass", entity: "case", entityID: c.id?.uuidString, scopePath: c.facilityPath, changes: audit)
        }
        return g
    }
}
