import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit

/// Reads a commune's list of hamlets from CSV or XLSX (commune code, hamlet name, type,
/// optional code), checks every row, and stores all of it or none of it. A hamlet already
/// there with the same name and type is left as it is, so importing a file twice changes nothing.
package struct HamletImporter {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
    }

    package struct Report: Content {
        package var rows = 0
        package var created = 0
        package var unchanged = 0
        package var problems: [ValidationFailure.Problem] = []
        package var preview: [PreviewRow] = []

        package init(problems: [ValidationFailure.Problem] = [], preview: [PreviewRow] = []) {
            self.problems = problems
            self.preview = preview
        }
    }

    package struct PreviewRow: Content {
        package var line: Int
        package var communeCode: String
        package var communeName: String
        package var name: String
        package var type: String
        package var code: String
        package var status: String

        package init(line: Int, communeCode: String, communeName: String, name: String, type: String, code: String,
                     status: String) {
            (self.line, self.communeCode, self.communeName, self.name) = (line, communeCode, communeName, name)
            (self.type, self.code, self.status) = (type, code, status)
        }
    }

    package struct Planned {
        package var line: Int
        package var commune: AdminUnit
        package var input: HamletService.Input
        package var name: String

        package init(line: Int, commune: AdminUnit, input: HamletService.Input, name: String) {
            (self.line, self.commune, self.input, self.name) = (line, commune, input, name)
        }
    }

    package func run(data: Data, filename: String, commit: Bool) async throws -> Report {
        let rows: [SheetRow]
        do {
            rows = try Self.isXLSX(data) ? XLSXReader.read(data) : CSVTable.parse(data)
        } catch let error as TableError {
            return Report(problems: [.init(line: nil, field: "file", message: error.description)])
        }
        var report = Report()
        let (columns, body) = Self.locateColumns(rows)
        guard let columns else {
            report.problems.append(.init(line: nil, field: "file",
                message: "Không tìm thấy dòng tiêu đề. Cần các cột: Mã xã, Tên thôn, Loại, Mã thôn (không bắt buộc)."))
            return report
        }
        let directory = UnitDirectory(db: db, scope: scope)
        var communes: [String: AdminUnit?] = [:]
        var planned: [Planned] = []
        var seenNames: Set<String> = []
        var seenCodes: Set<String> = []
        // Signatures, place and date under the table are not hamlets.
        let table = TableFooter.start(Array(body)).map { Array(body.prefix($0)) } ?? Array(body)
        for row in table where !row.isBlank {
            report.rows += 1
            func problem(_ field: String, _ message: String) {
                report.problems.append(.init(line: row.line, field: field, message: message))
            }
            let communeCode = HamletRules.communeCode(row[columns.commune])
            if communes[communeCode] == nil {
                let unit = try await directory.find(.current, communeCode)
                communes[communeCode] = unit.flatMap { $0.level == .commune && scope.contains(path: $0.path) ? $0 : nil }
            }
            guard let commune = communes[communeCode] ?? nil else {
                problem("commune", communeCode.isEmpty ? "Thiếu mã xã." : "Mã xã «\(communeCode)» không có hoặc ngoài phạm vi của bạn.")
                continue
            }
            var errors: [HamletError] = []
            let name = HamletRules.validName(row[columns.name]).get(into: &errors)
            let type = HamletRules.validType(row[columns.type]).get(into: &errors)
            let rawCode = columns.code.map { row[$0].trimmingCharacters(in: .whitespaces) } ?? ""
            let code = rawCode.isEmpty ? nil : HamletRules.validCode(rawCode).get(into: &errors)
            for error in errors { problem(error.field ?? "", error.message) }
            guard let name, let type, errors.isEmpty else { continue }
            let key = commune.code + "|" + VietnameseText.folded(name)
            if !seenNames.insert(key).inserted { problem("name", "Tên «\(name)» lặp lại trong tệp cho cùng xã."); continue }
            if let code, !seenCodes.insert(code).inserted { problem("code", "Mã «\(code)» lặp lại trong tệp."); continue }
            planned.append(Planned(line: row.line, commune: commune, input: .init(name: name, type: type, code: code), name: name))
        }
        // Compare with what is stored, one query per commune.
        var toCreate: [Planned] = []
        for (communeCode, group) in Dictionary(grouping: planned, by: { $0.commune.code }) {
            let existing = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
                .filter(\.$parentCode == communeCode).all()
            for plan in group.sorted(by: { $0.line < $1.line }) {
                let folded = VietnameseText.folded(plan.name)
                if let same = existing.first(where: { !$0.isClosed && $0.searchName == folded }) {
                    if same.type == plan.input.type && (plan.input.code == nil || plan.input.code == same.code) {
                        report.unchanged += 1
                        report.preview.append(preview(plan, code: same.code, status: "unchanged"))
                    } else {
                        report.problems.append(.init(line: plan.line, field: "name",
                            message: "Xã đã có «\(same.name)» (mã \(same.code), loại \(same.type)) khác với dòng này."))
                    }
                    continue
                }
                if let code = plan.input.code, try await codeTaken(code) {
                    report.problems.append(.init(line: plan.line, field: "code", message: "Mã «\(code)» đã được dùng; mã không được dùng lại."))
                    continue
                }
                toCreate.append(plan)
                report.preview.append(preview(plan, code: plan.input.code ?? "", status: "new"))
            }
        }
        report.problems.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        report.preview.sort { $0.line < $1.line }
        if !commit || !report.problems.isEmpty {
            var changes = AuditChanges()
            changes.add("rows", nil, String(report.preview.count + report.problems.count)); changes.add("problems", nil, String(report.problems.count))
            try await Audit.record(on: db, actor: actor, ip: ip, action: commit ? "import-refused" : "import-preview", entity: "hamlet",
                                   entityID: nil, scopePath: scope.path, changes: changes)
        }
        guard report.problems.isEmpty else { return report }
        report.created = toCreate.count
        guard commit, !toCreate.isEmpty else { return report }
        let creating = toCreate
        try await db.writeTransaction { tx in
            let service = HamletService(db: tx, actor: actor, ip: ip)
            for plan in creating.sorted(by: { $0.line < $1.line }) {
                _ = try await service.create(in: plan.commune, plan.input)
            }
        }
        return report
    }

    package func codeTaken(_ code: String) async throws -> Bool {
        try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code == code).count() > 0
    }

    package func preview(_ plan: Planned, code: String, status: String) -> PreviewRow {
        PreviewRow(line: plan.line, communeCode: plan.commune.code, communeName: plan.commune.name, name: plan.name,
                   type: plan.input.type ?? "", code: code, status: status)
    }

    package static func isXLSX(_ data: Data) -> Bool { data.prefix(2) == Data([0x50, 0x4B]) }

    package struct Columns {
        package var commune: Int
        package var name: Int
        package var type: Int
        package var code: Int?
        package init(commune: Int, name: Int, type: Int, code: Int? = nil) {
            (self.commune, self.name, self.type, self.code) = (commune, name, type, code)
        }
    }

    /// Finds the header row (it need not be the first: real files have titles above it).
    package static func locateColumns(_ rows: [SheetRow]) -> (Columns?, ArraySlice<SheetRow>) {
        for (index, row) in rows.prefix(20).enumerated() {
            let folded = row.cells.map { VietnameseText.folded($0) }
            func find(_ test: (String) -> Bool) -> Int? { folded.firstIndex(where: test) }
            guard let commune = find({ $0.contains("ma xa") || $0.contains("commune") || $0.contains("ma phuong") }),
                  let name = find({ ($0.contains("ten") || $0.contains("name")) && !$0.contains("xa") && !$0.contains("commune") }),
                  let type = find({ $0.contains("loai") || $0 == "type" })
            else { continue }
            let code = find({ ($0.contains("ma thon") || $0.contains("hamlet code") || $0.contains("hamlet_code") || $0.contains("ma to")) })
            return (Columns(commune: commune, name: name, type: type, code: code), rows[(index + 1)...])
        }
        return (nil, [])
    }
}
