import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletWorkforce

package struct BulkEnrolInput: Content {
    package var unitCode: String?
    package var domains: [String]?
    package var kinds: [String]?

    package init(unitCode: String? = nil, domains: [String]? = nil, kinds: [String]? = nil) {
        (self.unitCode, self.domains, self.kinds) = (unitCode, domains, kinds)
    }
}

package struct ResultInput: Content {
    package var personId: UUID?
    package var attended: Int?
    package var result: String?
    package var score: Double?
    package var certificateNumber: String?
    package var certificateDate: String?
    /// Number the certificate from the organiser's series when none is given.
    package var issueCertificate: Bool?
    /// Why "completed" stands below the course's minimum attendance.
    package var completionReason: String?

    package init(personId: UUID? = nil, attended: Int? = nil, result: String? = nil, score: Double? = nil,
                 certificateNumber: String? = nil, certificateDate: String? = nil, issueCertificate: Bool? = nil,
                 completionReason: String? = nil) {
        (self.personId, self.attended, self.result, self.score) = (personId, attended, result, score)
        (self.certificateNumber, self.certificateDate, self.issueCertificate, self.completionReason) = (certificateNumber, certificateDate, issueCertificate, completionReason)
    }
}

/// Enrolments and results. A learner must be in the account's subtree and hold a post during
/// the class; results are only for people enrolled; certificate numbers are unique per organiser.
package struct EnrolmentService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
    }

    package func enrol(_ personID: UUID?, in klass: TrainingClass) async throws -> Participation {
        try checkOpen(klass)
        guard let personID, let person = try await PeopleQuery(db: db, scope: scope).visible().filter(\.$id == personID).first() else {
            throw HamletError.invalid("personId", "Người này không có trong sổ hoặc nằm ngoài phạm vi của bạn.")
        }
        guard try await activeIDs([personID], during: klass).contains(personID) else {
            throw HamletError.invalid("personId", "\(person.fullName) không có nhiệm vụ nào trong thời gian của lớp (đã nghỉ hoặc chưa bắt đầu).")
        }
        let classID = try klass.requireID()
        if try await Participation.query(on: db).filter(\.$classID == classID).filter(\.$personID == personID).count() > 0 {
            throw HamletError.invalid("personId", "\(person.fullName) đã có tên trong lớp này.")
        }
        try await checkCapacity(klass, adding: 1)
        let row = participation(personID, klass)
        try await db.writeTransaction { tx in
            try await row.create(on: tx)
            var changes = AuditChanges()
            changes.add("class", nil, classID.uuidString)
            changes.add("person", nil, personID.uuidString)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "enrol", entity: "participation", entityID: row.id?.uuidString,
                                   scopePath: person.homeUnitPath, changes: changes)
        }
        return row
    }

    /// Everyone active during the class with a post of the chosen fields and kinds in a subtree,
    /// except those already enrolled. Returns (added, already there).
    package func enrolAll(_ input: BulkEnrolInput, in klass: TrainingClass) async throws -> (Int, Int) {
        try checkOpen(klass)
        guard let typed = input.unitCode, let unit = try await UnitDirectory(db: db, scope: scope).pick(typed, field: "unitCode"),
              scope.contains(path: unit.path) else {
            throw HamletError.invalid("unitCode", "Đơn vị không có hoặc nằm ngoài phạm vi của bạn (gõ tên hoặc mã).")
        }
        let domains = try (input.domains ?? []).filter { !$0.isEmpty }.map { raw -> WorkDomain in
            guard let d = WorkDomain(rawValue: raw) else { throw HamletError.invalid("domains", "Lĩnh vực không hợp lệ: «\(raw)».") }
            return d
        }
        let kinds = try (input.kinds ?? []).filter { !$0.isEmpty }.map { raw -> EmploymentKind in
            guard let k = EmploymentKind(rawValue: raw) else { throw HamletError.invalid("kinds", "Loại hình không hợp lệ: «\(raw)».") }
            return k
        }
        guard let sql = db as? any SQLDatabase else { return (0, 0) }
        var where_: SQLQueryString = """
            a.unit_path >= \(bind: unit.path) AND a.unit_path < \(bind: AccessScope.upperBound(unit.path))
             AND a.start_date <= \(bind: klass.endDate) AND (a.end_date IS NULL OR a.end_date >= \(bind: klass.startDate))
            """
        if !domains.isEmpty {
            where_ += " AND (" + domains.map { "a.\(unsafeRaw: $0.column) = \(true)" as SQLQueryString }.joined(separator: " OR ") + ")"
        }
        if !kinds.isEmpty { where_ += " AND CAST(a.employment_kind AS TEXT) IN (\(binds: kinds.map(\.rawValue)))" }
        let ids = try await sql.raw("SELECT DISTINCT a.person_id AS id FROM assignments a WHERE " + where_).all()
            .map { try $0.decode(column: "id", as: UUID.self) }
        let classID = try klass.requireID()
        let already = Set(try await Participation.query(on: db).filter(\.$classID == classID).all().map(\.personID))
        let fresh = ids.filter { !already.contains($0) }
        try await checkCapacity(klass, adding: fresh.count)
        let rows = fresh.map { participation($0, klass) }
        try await db.writeTransaction { tx in
            for chunk in rows.chunks(of: 500) { try await Array(chunk).create(on: tx) }
            var changes = AuditChanges()
            changes.add("class", nil, classID.uuidString)
            changes.add("unit", nil, unit.code)
            changes.add("domains", nil, domains.map(\.rawValue).joined(separator: ","))
            changes.add("kinds", nil, kinds.map(\.rawValue).joined(separator: ","))
            changes.add("enrolled", nil, String(rows.count))
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "enrol", entity: "training_class", entityID: classID.uuidString,
                                   scopePath: unit.path, changes: changes)
        }
        return (rows.count, ids.count - fresh.count)
    }

    /// Records results for several learners at once: all of them are stored, or none.
    package func record(_ inputs: [ResultInput], in klass: TrainingClass) async throws -> [Participation] {
        guard klass.classStatus != .cancelled else { throw HamletError.conflict("Lớp đã huỷ: không ghi kết quả.", field: "status") }
        let classID = try klass.requireID()
        let enrolled = try await Participation.query(on: db).filter(\.$classID == classID).all()
        var byPerson = Dictionary(uniqueKeysWithValues: enrolled.map { ($0.personID, $0) })
        let visible = Set(try await PeopleQuery(db: db, scope: scope).visible().filter(\.$id ~~ inputs.compactMap(\.personId)).all().compactMap(\.id))
        var changed: [(Participation, AuditChanges)] = []
        var numbersInBatch = Set<String>()
        // Who already holds each number of this organiser the batch may use: one query, not one a row.
        let wanted = Set(inputs.compactMap { $0.certificateNumber.map(VietnameseText.normalized) }.filter { !$0.isEmpty }
                         + enrolled.compactMap(\.certificateNumber))
        var holders: [String: UUID] = [:]
        for chunk in Array(wanted).chunks(of: 500) {
            for held in try await Participation.query(on: db).filter(\.$organiserID == klass.organiserID).filter(\.$certificateNumber ~~ Array(chunk)).all() {
                if let number = held.certificateNumber { holders[number] = held.id }
            }
        }
        guard let course = try await Course.find(klass.$course.id, on: db) else { throw HamletError.notFound }
        let rules = course.resultRules
        var problems: [ValidationFailure.Problem] = []
        for (index, input) in inputs.enumerated() {
            guard let personID = input.personId, visible.contains(personID), let row = byPerson[personID] else {
                problems.append(.init(line: index + 1, field: "personId", message: "Người \(input.personId?.uuidString ?? "(trống)") không có tên trong lớp này."))
                continue
            }
            var found: [(String, String)] = []
            var changes = AuditChanges()
            if let attended = input.attended {
                changes.add("attended", row.attended.map(String.init), String(attended))
                row.attended = attended
            }
            if let raw = input.result {
                let result = raw.isEmpty ? nil : TrainingResult(rawValue: raw)
                if !raw.isEmpty, result == nil {
                    found.append(("result", "Kết quả không hợp lệ: \(TrainingResult.allCases.map(\.rawValue).joined(separator: ", "))."))
                } else if result != nil, DayDate(klass.startDate).map({ $0 > DayDate.today() }) ?? false {
                    found.append(("result", "Lớp chưa khai giảng: chưa thể ghi kết quả."))
                } else {
                    changes.add("result", row.result, result?.rawValue)
                    row.result = result?.rawValue
                }
            }
            if let score = input.score {
                changes.add("score", row.score.map { String($0) }, String(score))
                row.score = score
            }
            if let raw = input.completionReason {
                let reason = VietnameseText.normalized(raw)
                if reason.count > 500 { found.append(("completionReason", "Lý do xét hoàn thành quá dài (tối đa 500 ký tự).")) }
                changes.add("completion_reason", row.completionReason, reason.nilIfEmpty)
                row.completionReason = reason.nilIfEmpty
            }
            // A learner whose result this batch changes is held to the course's rules; one left as
            // it was (the page posts every row) is not re-judged.
            if !changes.isEmpty {
                for problem in rules.problems(attended: row.attended, score: row.score, completed: row.trainingResult == .completed,
                                              reason: row.completionReason) {
                    found.append((problem.field, problem.message))
                }
            }
            if let raw = input.certificateDate, !raw.isEmpty {
                if let day = DayDate(raw) {
                    if day.iso >= klass.startDate {
                        changes.add("certificate_date", row.certificateDate, day.iso)
                        row.certificateDate = day.iso
                    } else {
                        found.append(("certificateDate", "Ngày cấp không được trước ngày khai giảng."))
                    }
                } else {
                    found.append(("certificateDate", "Ngày cấp không hợp lệ (dd/MM/yyyy)."))
                }
            }
            if let raw = input.certificateNumber {
                let number = VietnameseText.normalized(raw)
                if number.count > 60 {
                    found.append(("certificateNumber", "Số giấy chứng nhận quá dài."))
                } else if !number.isEmpty {
                    changes.add("certificate_number", row.certificateNumber, number)
                    row.certificateNumber = number
                }
            }
            if row.certificateNumber != nil, row.trainingResult != .completed {
                found.append(("certificateNumber", "Chỉ cấp giấy chứng nhận cho người hoàn thành lớp."))
            }
            if let number = row.certificateNumber {
                if !numbersInBatch.insert(number).inserted {
                    found.append(("certificateNumber", "Số giấy chứng nhận «\(number)» ghi hai lần."))
                } else if let holder = holders[number], holder != row.id {
                    found.append(("certificateNumber", "Số giấy chứng nhận «\(number)» đã cấp cho người khác."))
                }
            }
            problems += found.map { .init(line: index + 1, field: $0.0, message: $0.1) }
            byPerson[personID] = row
            if !changes.isEmpty || input.issueCertificate == true { changed.append((row, changes)) }
        }
        // Every problem of every learner at once; nothing is stored while one remains.
        if !problems.isEmpty { throw ValidationFailure(problems: problems) }
        let toSave = changed
        let typed = numbersInBatch
        let issuing = Set(inputs.filter { $0.issueCertificate == true }.compactMap(\.personId))
        try await db.writeTransaction { tx in
            var reserved = typed
            var entries: [AuditEntry] = []
            // Rows given the same values are written by one UPDATE (a whole class "completed").
            var groups: [String: [Participation]] = [:]
            for (row, var changes) in toSave {
                if issuing.contains(row.personID), row.certificateNumber == nil {
                    guard row.trainingResult == .completed else {
                        throw HamletError.invalid("certificateNumber", "Chỉ cấp giấy chứng nhận cho người hoàn thành lớp.")
                    }
                    let number = try await nextCertificateNumber(klass, avoiding: reserved, on: tx)
                    reserved.insert(number)
                    row.certificateNumber = number
                    row.certificateDate = row.certificateDate ?? klass.endDate
                    changes.add("certificate_number", nil, row.certificateNumber)
                }
                entries.append(Audit.entry(actor: actor, ip: ip, action: "result", entity: "participation", entityID: row.id?.uuidString,
                                           scopePath: klass.unitPath, changes: changes))
                let key = [row.attended.map(String.init), row.result, row.score.map { String($0) }, row.certificateNumber, row.certificateDate,
                           row.completionReason].map { $0 ?? "∅" }.joined(separator: "|")
                groups[key, default: []].append(row)
            }
            for rows in groups.values {
                let first = rows[0]
                for chunk in rows.compactMap(\.id).chunks(of: 500) {
                    try await Participation.query(on: tx).filter(\.$id ~~ Array(chunk))
                        .set(\.$attended, to: first.attended).set(\.$result, to: first.result).set(\.$score, to: first.score)
                        .set(\.$certificateNumber, to: first.certificateNumber).set(\.$certificateDate, to: first.certificateDate)
                        .set(\.$completionReason, to: first.completionReason).update()
                }
            }
            try await AuditLog.append(entries, on: tx)
        }
        return toSave.map(\.0)
    }

    /// The organiser's next number: its pattern with {n} (4 digits) and {year}; "{n}/GCN" if none set.
    /// `avoiding`: numbers typed in the same batch, not yet stored.
    package func nextCertificateNumber(_ klass: TrainingClass, avoiding reserved: Set<String> = [], on tx: any Database) async throws -> String {
        let series = try await CertificateSeries.query(on: tx).filter(\.$organiserID == klass.organiserID).first() ?? {
            let s = CertificateSeries()
            s.organiserID = klass.organiserID
            s.pattern = "{n}/{year}/GCN"
            s.nextNumber = 1
            return s
        }()
        let year = String(klass.endDate.prefix(4))
        while true {
            let number = Self.format(series.pattern, n: series.nextNumber, year: year)
            series.nextNumber += 1
            let taken = try await Participation.query(on: tx).filter(\.$organiserID == klass.organiserID).filter(\.$certificateNumber == number).count()
            if taken == 0, !reserved.contains(number) {
                try await series.save(on: tx)
                return number
            }
        }
    }

    package static func format(_ pattern: String, n: Int, year: String) -> String {
        pattern.replacingOccurrences(of: "{n}", with: String(format: "%04d", n)).replacingOccurrences(of: "{year}", with: year)
    }

    package func withdraw(_ personID: UUID?, from klass: TrainingClass) async throws {
        let classID = try klass.requireID()
        guard let personID, let row = try await Participation.query(on: db).filter(\.$classID == classID).filter(\.$personID == personID).first(),
              try await PeopleQuery(db: db, scope: scope).visible().filter(\.$id == personID).count() > 0 else { throw HamletError.notFound }
        guard row.result == nil else { throw HamletError.conflict("Đã có kết quả: không thể rút tên.", field: "personId") }
        try await db.writeTransaction { tx in
            try await row.delete(on: tx)
            var changes = AuditChanges()
            changes.add("person", personID.uuidString, nil)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "withdraw", entity: "participation", entityID: row.id?.uuidString,
                                   scopePath: klass.unitPath, changes: changes)
        }
    }

    private func participation(_ personID: UUID, _ klass: TrainingClass) -> Participation {
        let row = Participation()
        row.classID = klass.id!
        row.personID = personID
        row.organiserID = klass.organiserID
        row.courseID = klass.$course.id
        row.classEnd = klass.endDate
        row.classCancelled = klass.classStatus == .cancelled
        return row
    }

    private func checkOpen(_ klass: TrainingClass) throws {
        guard klass.classStatus != .cancelled else { throw HamletError.conflict("Lớp đã huỷ: không ghi danh thêm.", field: "status") }
    }

    private func checkCapacity(_ klass: TrainingClass, adding: Int) async throws {
        guard let capacity = klass.capacity else { return }
        let now = try await Participation.query(on: db).filter(\.$classID == klass.requireID()).count()
        if now + adding > capacity {
            throw HamletError.invalid("capacity", "Lớp nhận tối đa \(capacity) học viên; đã có \(now), thêm \(adding) sẽ vượt.")
        }
    }

    /// Whether the person is already on the class's list (enrolled, passed or withdrawn).
    package func isListed(_ personID: UUID, in klass: TrainingClass) async throws -> Bool {
        try await Participation.query(on: db).filter(\.$classID == klass.requireID()).filter(\.$personID == personID).count() > 0
    }

    /// Of `ids`, those holding a post at some time during the class.
    package func activeIDs(_ ids: [UUID], during klass: TrainingClass) async throws -> Set<UUID> {
        var found = Set<UUID>()
        for chunk in ids.chunks(of: 500) {
            let posts = try await Assignment.query(on: db).filter(\.$person.$id ~~ Array(chunk))
                .filter(\.$startDate <= klass.endDate).group(.or) { $0.filter(\.$endDate == nil).filter(\.$endDate >= klass.startDate) }.all()
            found.formUnion(posts.map { $0.$person.id })
        }
        return found
    }
}
