import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletWorkforce

/// A class's roster as XLSX or CSV, and back: the exported file can be filled in (results,
/// scores, certificate numbers) and imported. The import finds each learner (CCCD, else name and
/// birth date among the account's people), enrols those not yet enrolled, records their results,
/// and stores everything or nothing, listing every bad line.
package enum RosterRoutes {
    package static let header = ["Họ và tên", "Ngày sinh", "Số CCCD", "Mã nơi ở", "Số buổi có mặt", "Kết quả", "Điểm", "Số giấy chứng nhận", "Ngày cấp", "Lý do xét hoàn thành"]

    package static func export(req: Request) async throws -> Response {
        let klass = try await req.trainingQuery.findClass(req.parameters.get("id", as: UUID.self))
        let format = try TableDownload.format(req)
        var rows: [[XLSXCell]] = [header.map { .text($0) }]
        for (row, person) in try await req.trainingQuery.participants(of: klass) {
            rows.append([.text(person.fullName), PeopleExport.date(person.birthDate), .text(person.cccd ?? ""), .text(person.homeUnitCode),
                         row.attended.map { .number(Double($0)) } ?? .empty, .text(row.trainingResult?.label ?? ""),
                         row.score.map { .number($0) } ?? .empty, .text(row.certificateNumber ?? ""), PeopleExport.date(row.certificateDate),
                         .text(row.completionReason ?? "")])
        }
        var changes = AuditChanges()
        changes.add("rows", nil, String(rows.count - 1))
        try await Audit.record(on: req, action: "export", entity: "training_class", entityID: klass.id?.uuidString, scopePath: req.scope.path, changes: changes)
        return try TableDownload.response(rows, format: format, name: "danh-sach-hoc-vien", asTemplate: true)
    }

    package struct Report: Content {
        package var rows = 0
        package var enrolled = 0
        package var updated = 0
        package var committed = false
        package var problems: [ValidationFailure.Problem] = []

        package init(problems: [ValidationFailure.Problem] = []) { self.problems = problems }
    }

    private struct Rollback: Error { var report: Report }

    package static func importAPI(req: Request) async throws -> Report {
        let klass = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        let commit = req.query["dryRun"] != "true"
        let report = try await Upload.handle(req) { upload in try await run(req, klass, data: try upload.requireFile(), commit: commit) }
        if !report.problems.isEmpty { throw ValidationFailure(problems: report.problems) }
        return report
    }

    package static func run(_ req: Request, _ klass: TrainingClass, data: Data, commit: Bool) async throws -> Report {
        let sheet: [SheetRow]
        do { sheet = try HamletImporter.isXLSX(data) ? XLSXReader.read(data) : CSVTable.parse(data) } catch let error as TableError {
            return Report(problems: [.init(line: nil, field: "file", message: error.description)])
        }
        guard let head = sheet.first(where: { !$0.isBlank }) else {
            return Report(problems: [.init(line: nil, field: "file", message: "Tệp không có dòng nào.")])
        }
        let folded = head.cells.map { VietnameseText.folded($0) }
        var columns: [String: Int] = [:]
        for name in header { if let i = folded.firstIndex(of: VietnameseText.folded(name)) { columns[name] = i } }
        guard let nameColumn = columns["Họ và tên"] else {
            return Report(problems: [.init(line: head.line, field: "Họ và tên", message: "Thiếu cột «Họ và tên» ở dòng tiêu đề.")])
        }
        let start = Report(), found = columns
        do {
            return try await req.db.writeTransaction { tx -> Report in
                var report = start
                let people = PeopleQuery(db: tx, scope: req.scope)
                let enrolments = EnrolmentService(db: tx, scope: req.scope, actor: req.currentUser, ip: req.clientIP)
                let body = Array(sheet.drop(while: { $0.line <= head.line }))
                // Signatures, place and date under the table are not learners.
                for row in body.prefix(TableFooter.start(body) ?? body.count) where !row.isBlank {
                    report.rows += 1
                    func cell(_ name: String) -> String { found[name].map { VietnameseText.normalized(row[$0]) } ?? "" }
                    // Every problem of the row together: the learner not found, unreadable cells, the course's rules.
                    var (input, problems) = Self.read(cell, line: row.line)
                    do {
                        let person = try await find(name: row[nameColumn], birth: cell("Ngày sinh"), cccd: cell("Số CCCD"), in: people)
                        let personID = try person.requireID()
                        if try await !enrolments.isListed(personID, in: klass) {
                            _ = try await enrolments.enrol(personID, in: klass)
                            report.enrolled += 1
                        }
                        input.personId = personID
                        // The rules on the cells that did read (a refused file stores nothing anyway).
                        do {
                            if !(try await enrolments.record([input], in: klass)).isEmpty { report.updated += 1 }
                        } catch let failure as ValidationFailure {
                            problems += failure.problems.map { .init(line: row.line, field: $0.field.map(label), message: $0.message) }
                        }
                    } catch let error as HamletError {
                        problems.insert(.init(line: row.line, field: error.field.map(label) ?? nil, message: error.message), at: 0)
                    }
                    report.problems += problems
                }
                report.committed = commit && report.problems.isEmpty
                if !report.committed { throw Rollback(report: report) }
                return report
            }
        } catch let rollback as Rollback {
            // A preview or a refused file read the register as an import does: audited as one.
            var changes = AuditChanges()
            changes.add("rows", nil, String(rollback.report.rows)); changes.add("problems", nil, String(rollback.report.problems.count))
            try await Audit.record(on: req, action: commit ? "import-refused" : "import-preview", entity: "training_class",
                                   entityID: klass.id?.uuidString, scopePath: klass.unitPath, changes: changes)
            return rollback.report
        }
    }

    /// A row's result cells, read; every unreadable one reported by its column.
    package static func read(_ cell: (String) -> String, line: Int) -> (ResultInput, [ValidationFailure.Problem]) {
        var input = ResultInput()
        var problems: [ValidationFailure.Problem] = []
        func refuse(_ field: String, _ message: String) { problems.append(.init(line: line, field: field, message: message)) }
        if !cell("Số buổi có mặt").isEmpty {
            if let n = Double(cell("Số buổi có mặt")), n == n.rounded() { input.attended = Int(n) } else { refuse("Số buổi có mặt", "Số buổi có mặt phải là số nguyên.") }
        }
        if !cell("Kết quả").isEmpty {
            if let result = ImportCell.choice(cell("Kết quả"), TrainingResult.self, extra: ["dat": .completed, "khong dat": .notCompleted]) {
                input.result = result.rawValue
            } else {
                refuse("Kết quả", "Kết quả không đọc được: «\(cell("Kết quả"))» (Hoàn thành, Không hoàn thành, Vắng).")
            }
        }
        if !cell("Điểm").isEmpty {
            if let score = Double(cell("Điểm").replacingOccurrences(of: ",", with: ".")) { input.score = score } else { refuse("Điểm", "Điểm phải là số.") }
        }
        if !cell("Số giấy chứng nhận").isEmpty { input.certificateNumber = cell("Số giấy chứng nhận") }
        if !cell("Ngày cấp").isEmpty {
            if let day = ImportCell.date(cell("Ngày cấp")) { input.certificateDate = day.iso } else { refuse("Ngày cấp", "Ngày cấp không đọc được.") }
        }
        if !cell("Lý do xét hoàn thành").isEmpty { input.completionReason = cell("Lý do xét hoàn thành") }
        return (input, problems)
    }

    package static func label(_ field: String) -> String {
        ["personId": "Họ và tên", "attended": "Số buổi có mặt", "result": "Kết quả", "score": "Điểm", "certificateNumber": "Số giấy chứng nhận",
         "certificateDate": "Ngày cấp", "capacity": "Sĩ số", "status": "Trạng thái lớp",
         "completionReason": "Lý do xét hoàn thành"][field] ?? field
    }

    /// What a form's single box holds: a CCCD (digits only) or a name.
    package static func find(typed raw: String, birth: String, in people: PeopleQuery) async throws -> Person {
        let text = VietnameseText.normalized(raw)
        let digits = text.filter(\.isNumber)
        let isCCCD = digits.count >= 11 && digits.count == text.filter { !$0.isWhitespace }.count
        return try await find(name: isCCCD ? "" : text, birth: birth, cccd: isCCCD ? digits : "", in: people)
    }

    /// CCCD first; else the name with the birth date, which must point at exactly one person.
    package static func find(name: String, birth: String, cccd: String, in people: PeopleQuery) async throws -> Person {
        if let id = PeopleImporter.cccd(cccd) {
            guard let person = try await people.person(cccd: id) else {
                throw HamletError.invalid("personId", "Không có ai mang số CCCD \(id) trong phạm vi của bạn.")
            }
            // The row's name and birth date must be the person's: another's number is a mistake, not a match.
            let named = VietnameseText.normalized(name)
            var differ: [String] = []
            if !named.isEmpty, VietnameseText.folded(named) != person.searchName { differ.append("họ tên") }
            if !birth.isEmpty, let day = ImportCell.date(birth), let stored = person.birthDate, day.iso != stored { differ.append("ngày sinh") }
            guard differ.isEmpty else {
                throw HamletError.invalid("personId", "Số CCCD \(id) trong sổ là của người có \(differ.joined(separator: ", ")) khác dòng này: kiểm tra lại.")
            }
            return person
        }
        var born: String? = nil
        if !birth.isEmpty {
            guard let day = ImportCell.date(birth) else { throw HamletError.invalid("personId", "Ngày sinh không đọc được: «\(birth)».") }
            born = day.iso
        }
        let found = try await people.people(named: name, born: born, limit: 2)
        guard let person = found.first else { throw HamletError.invalid("personId", "Không tìm thấy «\(VietnameseText.normalized(name))» trong sổ (trong phạm vi của bạn).") }
        guard found.count == 1 else { throw HamletError.invalid("personId", "Có nhiều người tên «\(person.fullName)»: hãy ghi số CCCD hoặc ngày sinh.") }
        return person
    }
}
