import Vapor
import Fluent
import SQLKit
import Crypto
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations

/// Who reports: a 2025 unit (by its code) or a facility (by its id), placed in the tree.
package struct ReportPlace: Sendable {
    package var kind: String
    package var code: String
    package var path: String
    package var name: String
    package var level: UnitLevel?
    package var facilityType: String?

    package init(kind: String, code: String, path: String, name: String, level: UnitLevel? = nil, facilityType: String? = nil) {
        (self.kind, self.code, self.path, self.name) = (kind, code, path, name)
        (self.level, self.facilityType) = (level, facilityType)
    }
    package var structure: String { kind == "facility" ? "facility" : UnitStructure.current.rawValue }
}

package struct ReportInput: Content {
    package struct Value: Content {
        package var dataElement: String
        package var categoryOptionCombo: String?
        package var value: String?
        package init(dataElement: String, categoryOptionCombo: String? = nil, value: String? = nil) {
            (self.dataElement, self.categoryOptionCombo, self.value) = (dataElement, categoryOptionCombo, value)
        }
    }
    package var version: Int?
    package var clientId: String?
    package var values: [Value]?
    package var submit: Bool?

    package init(version: Int? = nil, clientId: String? = nil, values: [Value]? = nil, submit: Bool? = nil) {
        (self.version, self.clientId, self.values, self.submit) = (version, clientId, values, submit)
    }
}

/// A save that named an old version: nothing was written; `current` is what is stored now.
package struct StaleReport: Error {
    package var current: ReportState
    package init(current: ReportState) {
        self.current = current
    }
}

/// A report as it stands: its header (absent before the first save) and its values by field.
package struct ReportState: Sendable {
    package var form: ReportForm
    package var place: ReportPlace
    package var period: Period
    package var report: Report?
    package var values: [String: DataValue]
    package var warnings: [ValidationRule.Violation] = []
    package var replayed = false
    /// The approval of a unit above (or of the place itself) that holds this report's data.
    package var heldBy: ReportApproval? = nil

    package init(form: ReportForm, place: ReportPlace, period: Period, report: Report? = nil, values: [String: DataValue],
                 warnings: [ValidationRule.Violation] = [], heldBy: ReportApproval? = nil) {
        (self.form, self.place, self.period, self.report) = (form, place, period, report)
        (self.values, self.warnings, self.heldBy) = (values, warnings, heldBy)
    }

    package var status: ReportStatus? { report?.state }
    package var version: Int { report?.version ?? 0 }
    package var due: DayDate { form.set.due(for: period) }
}

/// Reads and writes reports: the scope and form checks, the version check, the rules, the
/// client id, the approval steps, and an audit entry for every change.
package struct ReportService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
    }

    package func dataSet(_ code: String?) async throws -> DataSet {
        guard let code, let set = try await DataSet.query(on: db).filter(\.$code == code.uppercased()).first() else { throw HamletError.notFound }
        return set
    }

    /// A unit or facility inside the account's subtree; anything else is not found.
    package func place(_ raw: String?) async throws -> ReportPlace {
        let code = (raw ?? "").trimmingCharacters(in: .whitespaces)
        if let id = UUID(uuidString: code) {
            guard let org = try await Organisation.query(on: db).filter(\.$id == id).filter(\.$kind == .facility).with(\.$type).first(),
                  scope.contains(path: org.unitPath) else { throw HamletError.notFound }
            return ReportPlace(kind: "facility", code: id.uuidString, path: org.unitPath, name: org.name, level: nil, facilityType: org.type.code)
        }
        guard let unit = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code == code).first(),
              scope.contains(path: unit.path) else { throw HamletError.notFound }
        return ReportPlace(kind: "unit", code: unit.code, path: unit.path, name: unit.name, level: unit.level, facilityType: nil)
    }

    package func check(_ set: DataSet, reportedBy place: ReportPlace) throws {
        let reports = place.level.map { set.levels.contains($0) } ?? place.facilityType.map { set.facilityTypes.contains($0) } ?? false
        guard reports else { throw HamletError.invalid("orgUnit", "\(place.name) không phải báo cáo biểu “\(set.name)”.") }
    }

    package func period(_ raw: String?, for set: DataSet, today: DayDate = .today()) throws -> Period {
        guard let period = Period(typed: raw ?? "") else {
            throw HamletError.invalid("period", "Kỳ báo cáo viết như 11/2026 (tháng), Quý 3/2026, 6 tháng đầu năm 2026 hoặc 2026 (năm); hoặc 202611, 2026Q3, 2026S1.")
        }
        guard period.periodicity == set.frequency else {
            throw HamletError.invalid("period", "Biểu “\(set.name)” báo cáo theo \(set.frequency.label.lowercased()); \(period.label) không phải kỳ như vậy.")
        }
        guard set.window(period).lowerBound <= today else { throw HamletError.invalid("period", "\(period.label) chưa bắt đầu: chưa báo cáo được.") }
        return period
    }

    /// The form, unit and period a request names, each checked (shared by the pages and the API).
    package func target(form: String?, unit: String?, period: String?) async throws -> (DataSet, ReportPlace, Period) {
        let set = try await dataSet(form)
        let place = try await place(unit)
        try check(set, reportedBy: place)
        return (set, place, try self.period(period, for: set))
    }

    package func state(_ set: DataSet, _ place: ReportPlace, _ period: Period) async throws -> ReportState {
        let form = try await ReportForm.load(set, on: db)
        let report = try await Report.query(on: db).filter(\.$dataSet.$id == set.id!).filter(\.$orgKind == place.kind)
            .filter(\.$orgCode == place.code).filter(\.$period == period.id).first()
        let ids = form.elements.compactMap(\.id)
        var values: [String: DataValue] = [:]
        if !ids.isEmpty {
            let rows = try await DataValue.query(on: db).filter(\.$elementID ~~ ids).filter(\.$period == period.id)
                .filter(\.$orgStructure == place.structure).filter(\.$orgCode == place.code).all()
            let fields = Dictionary(form.cells.map { ($0.element.id!.uuidString + "|" + $0.combo, $0.field) }, uniquingKeysWith: { a, _ in a })
            for row in rows { if let field = fields[row.elementID.uuidString + "|" + row.combo] { values[field] = row } }
        }
        let held = try await ReportApprovals.covering(set: set.code, path: place.path, period: period.id, on: db)
        return ReportState(form: form, place: place, period: period, report: report, values: values, heldBy: held)
    }

    /// Saves a draft or submits. `typed`: values as an officer typed them (Vietnamese notation).
    package func save(_ set: DataSet, _ place: ReportPlace, _ period: Period, _ input: ReportInput, typed: Bool) async throws -> ReportState {
        guard let user = actor, user.role.canEnterReports else { throw HamletError.forbidden }
        try check(set, reportedBy: place)
        guard let version = input.version, version >= 0 else {
            throw HamletError.invalid("version", "Thiếu phiên bản của báo cáo đang sửa (0 nếu chưa có).")
        }
        if let closes = set.closes(period), DayDate.today() > closes {
            throw HamletError.invalid("period", "\(period.label) đã khóa nhập từ ngày \(closes.adding(days: 1).vietnamese): biểu “\(set.name)” cho nhập đến \(set.closeDays ?? 0) ngày sau kỳ.")
        }
        let current = try await state(set, place, period)
        let form = current.form
        // Every value read against its cell; all bad ones reported at once.
        var problems: [ValidationFailure.Problem] = []
        var changes: [(ReportForm.Cell, ValueType.Parsed?)] = []
        for (i, v) in (input.values ?? []).enumerated() {
            guard let cell = form.cell(element: v.dataElement, combo: v.categoryOptionCombo) else {
                problems.append(.init(line: nil, field: "values[\(i)].dataElement", message: "Biểu không có ô \(v.dataElement) \(v.categoryOptionCombo ?? "")."))
                continue
            }
            let raw = v.value ?? ""
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { changes.append((cell, nil)); continue }
            switch cell.element.read(raw, typed: typed) {
            case .success(let parsed): changes.append((cell, parsed))
            case .failure(let error): problems.append(.init(line: nil, field: cell.field, message: cell.element.name + ": " + English.say(error.message)))
            }
        }
        let submit = input.submit ?? false
        // The rules too, on the values that read, so one try shows every problem of the form.
        if !problems.isEmpty {
            var merged: [String: ValueType.Parsed?] = current.values.mapValues { ValueType.Parsed(text: $0.value, number: $0.number) }
            for (cell, parsed) in changes { merged[cell.field] = parsed }
            let unread = Set(problems.compactMap { p in form.cells.first { $0.field == p.field }?.element.code })
            problems += Self.blocking(form, merged.compactMapValues { $0 }, submit: submit)
                .filter { !unread.contains($0.field) }.map { .init(line: nil, field: $0.field, message: $0.message) }
            throw ValidationFailure(problems: problems)
        }
        let digest = Self.digest(set.code, place.code, period.id, changes.map { ($0.0.field, $0.1?.text ?? "") }, submit)
        let clientID = input.clientId.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let clientID {
            guard clientID.count <= 100 else { throw HamletError.invalid("clientId", "Mã gửi tối đa 100 ký tự.") }
            // The digest names the form, unit and period too, so an equal digest is the same
            // report whatever was read before: a retry racing its own first try replays it.
            if let earlier = try await ClientSubmission.query(on: db).filter(\.$clientID == clientID).first() {
                guard earlier.digest == digest else {
                    throw HamletError.conflict("Mã gửi \(clientID) đã dùng cho một lần gửi khác nội dung.", field: "clientId")
                }
                var now = try await state(set, place, period)
                now.replayed = true
                return now
            }
        }
        try await ReportApprovals.requireOpen(set: set.code, path: place.path, period: period.id, on: db)
        if let report = current.report {
            guard report.state.isEditable else {
                throw HamletError.conflict("Báo cáo đã được duyệt nên bị khóa; cần cấp duyệt mở khóa trước khi sửa.", field: "status")
            }
            guard report.version == version else { throw StaleReport(current: current) }
        } else if version != 0 {
            throw StaleReport(current: current)
        }
        // The rules judge the report as it will stand: stored values with these changes.
        var merged: [String: ValueType.Parsed?] = current.values.mapValues { ValueType.Parsed(text: $0.value, number: $0.number) }
        for (cell, parsed) in changes { merged[cell.field] = parsed }
        let violations = Self.violations(form, merged.compactMapValues { $0 })
        let blocking = Self.blocking(form, merged.compactMapValues { $0 }, submit: submit)
        if !blocking.isEmpty { throw ValidationFailure(problems: blocking.map { .init(line: nil, field: $0.field, message: $0.message) }) }

        do {
            try await write(set, place, period, current, changes, version: version, submit: submit, clientID: clientID, digest: digest, user: user)
        } catch {
            // A concurrent save won: the same client id is a replay, anything else is stale.
            var now = try await state(set, place, period)
            if let clientID, let earlier = try await ClientSubmission.query(on: db).filter(\.$clientID == clientID).first(), earlier.digest == digest {
                now.replayed = true
                return now
            }
            if error is StaleReport || now.version != version { throw StaleReport(current: now) }
            throw error
        }
        var saved = try await state(set, place, period)
        saved.warnings = violations
        return saved
    }

    private func write(_ set: DataSet, _ place: ReportPlace, _ period: Period, _ current: ReportState, _ changes: [(ReportForm.Cell, ValueType.Parsed?)],
                       version: Int, submit: Bool, clientID: String?, digest: String, user: any ActingAccount) async throws {
        let ip = ip
        try await db.writeTransaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            // The version moves first, so this transaction writes before it reads anything else.
            let report: Report
            if let existing = current.report {
                let moved = try await sql.raw("UPDATE reports SET version = version + 1 WHERE id = \(bind: existing.id!) AND version = \(bind: version) RETURNING version").all()
                guard moved.count == 1 else { throw StaleReport(current: current) }
                report = try await Report.find(existing.id!, on: tx)!
            } else {
                report = Report()
                report.$dataSet.id = set.id!; report.orgKind = place.kind; report.orgCode = place.code; report.orgPath = place.path
                report.period = period.id; report.status = ReportStatus.draft.rawValue; report.version = 1
                try await report.create(on: tx)
            }
            var audit = AuditChanges()
            for (cell, parsed) in changes {
                let old = current.values[cell.field]
                audit.add(cell.field, old?.value, parsed?.text)
                if let parsed {
                    let row = old ?? DataValue()
                    if old == nil {
                        row.elementID = cell.element.id!; row.combo = cell.combo; row.period = period.id
                        row.periodStart = period.start.iso; row.periodEnd = period.end.iso
                        row.orgStructure = place.structure; row.orgCode = place.code; row.unitPath = place.path
                    }
                    guard old == nil || row.value != parsed.text else { continue }
                    row.value = parsed.text; row.number = parsed.number; row.storedBy = user.id
                    try await row.save(on: tx)
                } else if let old {
                    try await old.delete(on: tx)
                }
            }
            if submit {
                audit.add("status", report.status, ReportStatus.submitted.rawValue)
                report.status = ReportStatus.submitted.rawValue
                if report.firstSubmittedOn == nil { report.firstSubmittedOn = DayDate.today().iso }
                report.submittedAt = HamletClock.shared.now; report.submittedBy = user.id
            }
            try await report.save(on: tx)
            if let clientID {
                let row = ClientSubmission()
                row.clientID = clientID; row.reportID = report.id!; row.digest = digest
                try await row.create(on: tx)
            }
            try await Audit.record(on: tx, actor: user, ip: ip, action: submit ? "submit" : "update", entity: "report",
                                   entityID: report.id?.uuidString, scopePath: place.path, changes: audit)
        }
    }

    /// Every rule broken by these values (fields are cell fields; rules judge element totals).
    /// What stops a save: on submit every broken rule; on a draft only a value out of its range
    /// (a draft may be incomplete: required fields and comparisons wait for the submit).
    package static func blocking(_ form: ReportForm, _ values: [String: ValueType.Parsed], submit: Bool) -> [ValidationRule.Violation] {
        violations(form, values).filter { v in submit || form.set.rules.contains { $0.kind == .range && $0.left == v.field.split(separator: ".").first.map(String.init) } }
    }

    package static func violations(_ form: ReportForm, _ values: [String: ValueType.Parsed]) -> [ValidationRule.Violation] {
        var totals: [String: Double] = [:]
        var missing = Set<String>()
        for cell in form.cells {
            if let v = values[cell.field] {
                if let n = v.number { totals[cell.element.code, default: 0] += n }
            } else {
                missing.insert(cell.element.code)
            }
        }
        let names = Dictionary(form.elements.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        return ValidationRule.check(form.set.rules, totals: totals, missing: missing) { names[$0] ?? $0 }
    }

    package static func digest(_ set: String, _ place: String, _ period: String, _ values: [(String, String)], _ submit: Bool) -> String {
        let text = ([set, place, period, submit ? "submit" : "draft"] + values.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }).joined(separator: "\n")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    package enum Decision: String { case approve, `return`, unlock }

    /// Whether a sent report waits for a decision by an account of this scope: the level just
    /// below it (a commune's hamlets, a province's communes) and facilities in its own unit.
    package static func waits(_ r: Report, for scopePath: String) -> Bool {
        (r.orgKind == "facility" && r.orgPath == scopePath) || (UnitDirectory.ancestorPaths(of: r.orgPath).last ?? "") == scopePath
    }

    /// The level above approves, returns with a comment, or unlocks approved data.
    package func decide(_ set: DataSet, _ place: ReportPlace, _ period: Period, _ decision: Decision, comment raw: String?) async throws -> ReportState {
        guard let user = actor, user.role.canApproveReports else { throw HamletError.forbidden }
        guard place.kind == "facility" || scope.path != place.path else {
            throw HamletError(status: .forbidden, code: "forbidden", message: "Báo cáo do cấp trên trực tiếp duyệt, không tự duyệt.", field: nil)
        }
        let current = try await state(set, place, period)
        guard let report = current.report else { throw HamletError.conflict("Chưa có báo cáo để duyệt.", field: "status") }
        let comment = VietnameseText.normalized(raw ?? "")
        let next: ReportStatus
        switch decision {
        case .approve: next = .approved
        case .return:
            next = .returned
            guard !comment.isEmpty else { throw HamletError.invalid("comment", "Khi trả lại, ghi rõ cần sửa gì.") }
        case .unlock: next = .submitted
        }
        try await ReportApprovals.requireOpen(set: set.code, path: place.path, period: period.id, on: db)
        guard report.state.allows(next), decision != .unlock || report.state == .approved else {
            throw HamletError.conflict("Báo cáo đang ở trạng thái “\(report.state.label)”: không thể \(Self.verb(decision)).", field: "status")
        }
        let ip = ip
        try await db.writeTransaction { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            let moved = try await sql.raw("""
                UPDATE reports SET status = \(bind: next.rawValue), version = version + 1, decided_by = \(bind: user.id!), comment = \(bind: comment.isEmpty ? nil : comment)
                WHERE id = \(bind: report.id!) AND status = \(bind: report.status) RETURNING version
                """).all()
            guard moved.count == 1 else { throw HamletError.conflict("Báo cáo vừa được người khác xử lý; tải lại trang.", field: "status") }
            try await Report.query(on: tx).filter(\.$id == report.id!).set(\.$decidedAt, to: HamletClock.shared.now).update()
            var audit = AuditChanges()
            audit.add("status", report.status, next.rawValue)
            audit.add("comment", report.comment, comment.isEmpty ? nil : comment)
            try await Audit.record(on: tx, actor: user, ip: ip, action: decision.rawValue, entity: "report",
                                   entityID: report.id?.uuidString, scopePath: place.path, changes: audit)
        }
        return try await state(set, place, period)
    }

    package static func verb(_ d: Decision) -> String {
        switch d { case .approve: "duyệt"; case .return: "trả lại"; case .unlock: "mở khóa" }
    }
}
