import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts

/// Imports people and their posts from XLSX or CSV. Every row is checked by the same services
/// the forms use, inside one transaction; any problem (or a preview) rolls all of it back, so a
/// file is stored whole or not at all. A person already in the register (same CCCD, else same
/// name, birth date and commune) is matched, not doubled, and a post already there is left as
/// it is: importing the same file twice changes nothing.
package struct PeopleImporter {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
    }

    package struct Report: Content {
        package var rows = 0
        package var newPeople = 0
        package var matchedPeople = 0
        package var newPosts = 0
        package var unchangedPosts = 0
        package var committed = false
        package var needsMapping = false
        package var headers: [String] = []
        package var mapping: [String: Int] = [:]
        package var problems: [ValidationFailure.Problem] = []
        package var preview: [Line] = []
    }

    package struct Line: Content {
        package var line: Int
        package var fullName: String
        package var unit: String
        package var status: String
        package init(line: Int, fullName: String, unit: String, status: String) {
            (self.line, self.fullName, self.unit, self.status) = (line, fullName, unit, status)
        }
    }

    private struct Rollback: Error { var report: Report }

    /// `defaultKind`: the kind of every post when the file has no kind column (asked once).
    package func run(data: Data, mapping override: ImportMapping?, defaultKind: EmploymentKind? = nil, commit: Bool) async throws -> Report {
        var report = Report()
        let rows: [SheetRow]
        do { rows = try HamletImporter.isXLSX(data) ? XLSXReader.read(data) : CSVTable.parse(data) } catch let error as TableError {
            report.problems.append(.init(line: nil, field: "file", message: error.description))
            return report
        }
        let detected = ImportMapping.detect(rows)
        let headerIndex = detected?.headerIndex ?? 0
        report.headers = rows.indices.contains(headerIndex) ? rows[headerIndex].cells.map { VietnameseText.normalized($0) } : []
        guard var chosen = override ?? detected?.0, chosen.isUsable else {
            report.needsMapping = true
            report.problems.append(.init(line: nil, field: "mapping",
                message: "Không nhận ra các cột. Cần ít nhất «Họ và tên» và «Mã đơn vị» (hoặc «Đơn vị»); hãy chọn cột tương ứng."))
            return report
        }
        if let defaultKind { chosen.defaultKind = defaultKind }
        let mapping = chosen
        report.mapping = Dictionary(uniqueKeysWithValues: mapping.columns.map { ($0.key.rawValue, $0.value) })
        let start = report
        do {
            report = try await db.writeTransaction { tx -> Report in
                var inner = start
                try await importRows(rows.dropFirst(headerIndex + 1), mapping: mapping, into: &inner, on: tx)
                inner.committed = commit && !inner.problems.contains(where: \.isError)
                if !inner.committed { throw Rollback(report: inner) }
                return inner
            }
        } catch let rollback as Rollback {
            report = rollback.report
        }
        // A preview reads the register as an import does: it is audited as one.
        if !report.committed {
            var changes = AuditChanges()
            changes.add("rows", nil, String(report.rows)); changes.add("matched", nil, String(report.matchedPeople))
            changes.add("new", nil, String(report.newPeople)); changes.add("problems", nil, String(report.problems.count))
            try await Audit.record(on: db, actor: actor, ip: ip, action: commit ? "import-refused" : "import-preview", entity: "people",
                                   entityID: nil, scopePath: scope.path, changes: changes)
        }
        return report
    }

    /// Whether a person the file matched is in the importer's subtree (home, or any post ever).
    private func inScope(_ person: Person, batch: ImportBatch) throws -> Bool {
        if scope.isNation || scope.contains(path: person.homeUnitPath) { return true }
        return (batch.postsByPerson[try person.requireID()] ?? []).contains { scope.contains(path: $0.unitPath) }
    }

    /// A row that names a stored person by CCCD must agree with them: a different name, birth
    /// date or sex is a mistake in the file or someone else's number, never an update.
    private func agrees(_ input: PersonInput, with person: Person) throws {
        var differ: [String] = []
        if VietnameseText.folded(input.fullName ?? "") != person.searchName { differ.append("họ tên") }
        if let birth = input.birthDate, let stored = person.birthDate, birth != stored { differ.append("ngày sinh") }
        if let sex = input.sex, let stored = person.sex?.rawValue, sex != stored { differ.append("giới tính") }
        guard differ.isEmpty else {
            throw HamletError.invalid("cccd", "Số CCCD này đã có trong sổ với \(differ.joined(separator: ", ")) khác dòng này: kiểm tra lại số CCCD hoặc sửa hồ sơ người đó trước; nhập không sửa người đã có.")
        }
    }

    /// Every row is checked whole: each problem of each row is reported (an error blocks the
    /// file, a warning is shown), and only a row with no error reaches the services.
    private func importRows(_ all: ArraySlice<SheetRow>, mapping: ImportMapping, into report: inout Report, on tx: any Database) async throws {
        // The lines under the table (signatures, place and date) are not records.
        let rows = TableFooter.start(Array(all)).map { all.prefix($0) } ?? all
        let batch = ImportBatch()
        let people = PersonService(db: tx, scope: scope, actor: actor, ip: ip, batch: batch)
        let posts = AssignmentService(db: tx, scope: scope, actor: actor, ip: ip, batch: batch)
        let directory = UnitDirectory(db: tx, scope: scope)
        var known = try await KnownPeople.load(rows, mapping: mapping, batch: batch, on: tx)
        var units: [String: AdminUnit?] = [:]
        for row in rows where !row.isBlank {
            report.rows += 1
            func cell(_ field: ImportField) -> String {
                mapping.columns[field].map { VietnameseText.normalized(row[$0]) } ?? ""
            }
            var errors = 0
            func problem(_ field: String?, _ message: String, warning: Bool = false) {
                let label = field.flatMap(Self.label(forField:)) ?? field
                report.problems.append(.init(line: row.line, field: label, message: message, severity: warning ? "warning" : "error"))
                if !warning { errors += 1 }
            }
            func check<T>(_ body: () async throws -> T) async -> T? {
                do { return try await body() } catch let error as HamletError { problem(error.field, error.message); return nil } catch { problem(nil, "\(error)"); return nil }
            }
            let unit = await check { try await resolveUnit(code: cell(.unitCode), name: cell(.unitName), directory: directory, cache: &units) }
            var input = PersonInput(fullName: cell(.fullName))
            if input.fullName?.isEmpty ?? true { problem("fullName", "Thiếu họ và tên.") }
            if !cell(.birthDate).isEmpty {
                if let d = ImportCell.date(cell(.birthDate)) { input.birthDate = d.iso } else { problem("birthDate", "Ngày sinh không đọc được: «\(cell(.birthDate))».") }
            }
            if !cell(.sex).isEmpty {
                if let sex = ImportCell.choice(cell(.sex), Sex.self, extra: ["nu": .female, "f": .female, "m": .male]) { input.sex = sex.rawValue } else { problem("sex", "Giới tính là Nam hoặc Nữ.") }
            }
            if !cell(.cccd).isEmpty {
                let storedAsNumber = mapping.columns[.cccd].map { row.numbers.contains($0) } ?? false
                switch CitizenID.read(cell(.cccd), storedAsNumber: storedAsNumber) {
                case .success(let id):
                    input.cccd = id
                    let differ = CitizenID.disagreements(id, sex: input.sex, birthYear: input.birthDate.flatMap(DayDate.init)?.year)
                    if !differ.isEmpty { problem("cccd", "Số CCCD không khớp với \(differ.joined(separator: ", ")) của dòng này: kiểm tra lại.", warning: true) }
                case .failure(let failure):
                    problem("cccd", failure.message + (storedAsNumber ? "" : " Ô được nhập dạng chữ nên không tự thêm số 0 ở đầu."))
                }
            }
            input.phone = cell(.phone).isEmpty ? nil : Self.restoreLeadingZero(cell(.phone), length: 10)
            input.ethnicity = cell(.ethnicity).isEmpty ? nil : cell(.ethnicity)
            input.homeUnitCode = cell(.homeUnitCode).isEmpty ? unit?.code : HamletRules.communeCode(cell(.homeUnitCode))
            if !cell(.qualification).isEmpty {
                if let level = ImportCell.choice(cell(.qualification), QualificationLevel.self) { input.qualificationLevel = level.rawValue } else {
                    problem("qualificationLevel", "Trình độ không đọc được: «\(cell(.qualification))».")
                }
            }
            let wantsPost = [cell(.position), cell(.kind), cell(.domains), cell(.startDate)].contains(where: { !$0.isEmpty })
            var post: AssignmentInput?
            if wantsPost, let unit { post = postInput(unit: unit, cell: cell, defaultKind: mapping.defaultKind, problem: { problem($0, $1) }) }
            guard errors == 0, let unit else { continue }
            do {
                let person: Person
                var isNew = false
                if let found = try await known.match(input, batch: batch, directory: directory) {
                    // Someone outside the subtree is neither named nor touched (finding 1).
                    guard try inScope(found, batch: batch) else {
                        throw input.cccd != nil
                            ? HamletError.invalid("cccd", "Số CCCD này đã thuộc một người ngoài phạm vi của bạn: không nhập được dòng này. Nếu người này chuyển đến, đề nghị đơn vị đang quản lý họ kết thúc nhiệm vụ cũ hoặc liên hệ cấp tỉnh.")
                            : HamletError.invalid("fullName", "Người cùng họ tên, ngày sinh và xã này thuộc phạm vi khác: không nhập được dòng này.")
                    }
                    if input.cccd != nil, found.cccd == input.cccd { try agrees(input, with: found) }
                    person = found
                } else {
                    person = try await people.create(input)
                    known.add(person)
                    isNew = true
                }
                if isNew { report.newPeople += 1 } else { report.matchedPeople += 1 }
                var status = isNew ? "Người mới" : "Đã có trong sổ"
                if let post {
                    if try samePostExists(person, post, batch: batch) {
                        report.unchangedPosts += 1
                        status += ", nhiệm vụ đã có"
                    } else {
                        _ = try await posts.create(for: person, post)
                        report.newPosts += 1
                        status += ", thêm nhiệm vụ"
                    }
                }
                report.preview.append(Line(line: row.line, fullName: person.fullName, unit: unit.name, status: status))
            } catch let error as HamletError {
                problem(error.field, error.message)
            }
        }
        if !report.problems.contains(where: \.isError) { try await batch.write(on: tx) }
    }

    package static func cccd(_ raw: String) -> String? {
        raw.isEmpty ? nil : restoreLeadingZero(raw, length: 12).filter { !$0.isWhitespace }
    }

    /// Excel turns "089190001234" typed as a number into 89190001234: put the zero back.
    package static func restoreLeadingZero(_ raw: String, length: Int) -> String {
        let text = raw.hasSuffix(".0") ? String(raw.dropLast(2)) : raw
        return text.count == length - 1 && text.allSatisfy(\.isNumber) ? "0" + text : text
    }

    package static func label(forField field: String) -> String? {
        let map: [String: ImportField] = ["fullName": .fullName, "birthDate": .birthDate, "sex": .sex, "cccd": .cccd, "phone": .phone,
                                          "homeUnitCode": .homeUnitCode, "unitCode": .unitCode, "positionTitle": .position, "domains": .domains,
                                          "employmentKind": .kind, "startDate": .startDate, "qualificationLevel": .qualification,
                                          "legacyUnitCode": .legacyUnit]
        return map[field]?.label
    }

    private func resolveUnit(code typedCode: String, name: String, directory: UnitDirectory, cache: inout [String: AdminUnit?]) async throws -> AdminUnit {
        // A unit column may hold codes or names, decided per cell: digits are a code.
        let rawCode = typedCode.isEmpty && !name.isEmpty && name.allSatisfy(\.isNumber) ? name : typedCode
        if !rawCode.isEmpty {
            let code = rawCode.allSatisfy(\.isNumber) && rawCode.count > 2 ? HamletRules.communeCode(rawCode) : rawCode
            if cache[code] == nil { cache[code] = try await directory.find(.current, code).flatMap { scope.contains(path: $0.path) ? $0 : nil } }
            guard let unit = cache[code] ?? nil else { throw HamletError.invalid("unitCode", "Mã đơn vị «\(code)» không có hoặc ngoài phạm vi của bạn.") }
            return unit
        }
        guard !name.isEmpty else { throw HamletError.invalid("unitCode", "Thiếu đơn vị (mã hoặc tên).") }
        let key = "name:" + VietnameseText.folded(name)
        if cache[key] == nil {
            let matches = try await directory.list(.init(structure: .current, q: name, per: 20)).items
                .filter { scope.contains(path: $0.path) && ($0.searchName == VietnameseText.folded(name) || VietnameseText.folded($0.shortName) == VietnameseText.folded(name)) }
            if matches.count > 1 {
                throw HamletError.invalid("unitCode", "Tên đơn vị «\(name)» trùng nhiều nơi (\(matches.map(\.code).joined(separator: ", "))): hãy ghi mã đơn vị.")
            }
            cache[key] = matches.first
        }
        guard let unit = cache[key] ?? nil else { throw HamletError.invalid("unitCode", "Không tìm thấy đơn vị «\(name)» trong phạm vi của bạn.") }
        return unit
    }

    /// The post of a row, each unreadable cell reported. Without a kind column, the kind comes
    /// from the position ("Cộng tác viên …") or the one default chosen for the file.
    private func postInput(unit: AdminUnit, cell: (ImportField) -> String, defaultKind: EmploymentKind?, problem: (String, String) -> Void) -> AssignmentInput? {
        var ok = true
        let domains = ImportCell.domains(cell(.domains))
        if domains == nil { ok = false; problem("domains", "Lĩnh vực không đọc được: «\(cell(.domains))» (Công tác xã hội, Gia đình, Dân số, Trẻ em).") }
        var kind: EmploymentKind?
        if !cell(.kind).isEmpty {
            kind = ImportCell.choice(cell(.kind), EmploymentKind.self, extra: ["ctv": .congTacVien, "nhan vien": .nhanVien, "hop dong": .nhanVien])
            if kind == nil { ok = false; problem("employmentKind", "Loại hình không đọc được: «\(cell(.kind))».") }
        } else {
            kind = ImportCell.impliedKind(position: cell(.position)) ?? defaultKind
            if kind == nil { ok = false; problem("employmentKind", "Thiếu loại hình (công chức, viên chức, nhân viên, cộng tác viên…): thêm cột «Loại hình» hoặc chọn một loại hình cho cả tệp.") }
        }
        let start = ImportCell.date(cell(.startDate))
        if start == nil { ok = false; problem("startDate", cell(.startDate).isEmpty ? "Thiếu ngày bắt đầu." : "Ngày bắt đầu không đọc được: «\(cell(.startDate))».") }
        guard ok, let domains, let kind, let start else { return nil }
        return AssignmentInput(unitCode: unit.code, domains: domains.map(\.rawValue), positionTitle: cell(.position), employmentKind: kind.rawValue,
                               fullTime: ImportCell.yes(cell(.fullTime)), concurrent: ImportCell.yes(cell(.concurrent)) || domains.count > 1,
                               startDate: start.iso, legacyUnitCode: cell(.legacyUnit).isEmpty ? nil : cell(.legacyUnit))
    }

    private func samePostExists(_ person: Person, _ input: AssignmentInput, batch: ImportBatch) throws -> Bool {
        guard let kind = input.employmentKind.flatMap(EmploymentKind.init(rawValue:)) else { return false }
        let wanted: Set<String> = Set(input.domains ?? [])
        let unit: String = input.unitCode ?? "", start: String = input.startDate ?? ""
        let posts: [Assignment] = batch.postsByPerson[try person.requireID()] ?? []
        return posts.contains { (post: Assignment) -> Bool in
            guard post.unitCode == unit, post.employmentKind == kind, post.startDate == start else { return false }
            return Set(post.domains.map(\.rawValue)) == wanted
        }
    }
}
