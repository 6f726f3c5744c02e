import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit

/// Creating, renaming, merging and closing hamlets: the rules, the history and the audit, for
/// pages, the API and the command line alike.
package struct HamletService {
    package let db: any Database
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, actor: (any ActingAccount)? = nil, ip: String? = nil) { self.db = db; self.actor = actor; self.ip = ip }

    package struct Input: Content {
        package var name: String?
        package var type: String?
        package var code: String?
        package var effectiveDate: String?

        package init(name: String? = nil, type: String? = nil, code: String? = nil, effectiveDate: String? = nil) {
            (self.name, self.type, self.code, self.effectiveDate) = (name, type, code, effectiveDate)
        }
    }

    package func create(in commune: AdminUnit, _ input: Input) async throws -> AdminUnit {
        guard commune.structure == UnitStructure.current.rawValue, commune.level == .commune else {
            throw HamletError.invalid("commune", "Thôn/tổ dân phố chỉ thuộc xã, phường hoặc đặc khu (cơ cấu 2025).")
        }
        var problems: [HamletError] = []
        let name = HamletRules.validName(input.name ?? "").get(into: &problems)
        let type = HamletRules.validType(input.type ?? "").get(into: &problems)
        let code = try input.code.flatMap { $0.isEmpty ? nil : $0 }.map { try HamletRules.validCode($0).get() }
        let date = try effectiveDate(input.effectiveDate)
        if let first = problems.first { throw first }
        return try await db.writeTransaction { tx in
            // Two officers adding hamlets to one commune at once would pick the same next code.
            try await SQLText.lockRow(AdminUnit.schema, id: commune.requireID(), on: tx)
            let siblings = try await AdminUnit.query(on: tx).filter(\.$structure == commune.structure)
                .filter(\.$parentCode == commune.code).all()
            if siblings.contains(where: { !$0.isClosed && $0.searchName == VietnameseText.folded(name!) }) {
                throw HamletError.invalid("name", "Xã đã có thôn/tổ dân phố tên «\(name!)».")
            }
            let finalCode = code ?? HamletRules.nextCode(commune: commune.code, existing: siblings.map(\.code))
            if try await AdminUnit.query(on: tx).filter(\.$structure == commune.structure).filter(\.$code == finalCode).count() > 0 {
                throw HamletError.invalid("code", "Mã «\(finalCode)» đã được dùng; mã không bao giờ được dùng lại.")
            }
            let hamlet = AdminUnit()
            hamlet.structure = commune.structure
            hamlet.code = finalCode
            hamlet.name = name!
            hamlet.shortName = name!
            hamlet.type = type!
            hamlet.level = .hamlet
            hamlet.parentCode = commune.code
            hamlet.path = commune.path + finalCode + "."
            hamlet.searchName = VietnameseText.folded(name!)
            hamlet.validFrom = date
            try await hamlet.create(on: tx)
            try await UnitEvent(unitCode: finalCode, kind: "created", effectiveDate: date, new: name, username: actor?.username ?? "system").create(on: tx)
            var changes = AuditChanges()
            changes.add("name", nil, name)
            changes.add("type", nil, type)
            changes.add("parent", nil, commune.code)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "create", entity: "hamlet", entityID: finalCode,
                                   scopePath: hamlet.path, changes: changes)
            return hamlet
        }
    }

    package func update(_ hamlet: AdminUnit, _ input: Input) async throws {
        try requireOpenHamlet(hamlet)
        var problems: [HamletError] = []
        let name = input.name.map { HamletRules.validName($0).get(into: &problems) } ?? hamlet.name
        let type = input.type.map { HamletRules.validType($0).get(into: &problems) } ?? hamlet.type
        let date = try effectiveDate(input.effectiveDate)
        if let first = problems.first { throw first }
        guard let name, let type else { return }
        try await db.writeTransaction { tx in
            if name != hamlet.name {
                let clash = try await AdminUnit.query(on: tx).filter(\.$structure == hamlet.structure)
                    .filter(\.$parentCode == hamlet.parentCode).filter(\.$closedOn == nil)
                    .filter(\.$searchName == VietnameseText.folded(name)).filter(\.$code != hamlet.code).count()
                if clash > 0 { throw HamletError.invalid("name", "Xã đã có thôn/tổ dân phố tên «\(name)».") }
            }
            var changes = AuditChanges()
            changes.add("name", hamlet.name, name)
            changes.add("type", hamlet.type, type)
            guard !changes.isEmpty else { return }
            if name != hamlet.name {
                try await UnitEvent(unitCode: hamlet.code, kind: "renamed", effectiveDate: date, old: hamlet.name, new: name,
                                    username: actor?.username ?? "system").create(on: tx)
            }
            if type != hamlet.type {
                try await UnitEvent(unitCode: hamlet.code, kind: "retyped", effectiveDate: date, old: hamlet.type, new: type,
                                    username: actor?.username ?? "system").create(on: tx)
            }
            hamlet.name = name
            hamlet.shortName = name
            hamlet.searchName = VietnameseText.folded(name)
            hamlet.type = type
            try await hamlet.update(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "update", entity: "hamlet", entityID: hamlet.code,
                                   scopePath: hamlet.path, changes: changes)
        }
    }

    package func close(_ hamlet: AdminUnit, date rawDate: String?, note: String?) async throws {
        try requireOpenHamlet(hamlet)
        let date = try effectiveDate(rawDate)
        try await db.writeTransaction { tx in
            try await closeRow(hamlet, date: date, into: nil, note: note, on: tx)
        }
    }

    package func merge(_ hamlet: AdminUnit, into target: AdminUnit, date rawDate: String?) async throws {
        try requireOpenHamlet(hamlet)
        guard target.level == .hamlet, !target.isClosed, target.parentCode == hamlet.parentCode, target.code != hamlet.code else {
            throw HamletError.invalid("into", "Chỉ sáp nhập vào một thôn/tổ dân phố khác đang hoạt động của cùng xã.")
        }
        let date = try effectiveDate(rawDate)
        try await db.writeTransaction { tx in
            try await closeRow(hamlet, date: date, into: target.code, note: nil, on: tx)
            try await UnitEvent(unitCode: target.code, kind: "absorbed", effectiveDate: date, related: hamlet.code,
                                note: hamlet.name, username: actor?.username ?? "system").create(on: tx)
        }
    }

    private func closeRow(_ hamlet: AdminUnit, date: String, into: String?, note: String?, on tx: any Database) async throws {
        hamlet.closedOn = date
        hamlet.validTo = date
        hamlet.mergedInto = into
        try await hamlet.update(on: tx)
        try await UnitEvent(unitCode: hamlet.code, kind: into == nil ? "closed" : "merged", effectiveDate: date,
                            related: into, note: note, username: actor?.username ?? "system").create(on: tx)
        var changes = AuditChanges()
        changes.add("closed_on", nil, date)
        changes.add("merged_into", nil, into)
        try await Audit.record(on: tx, actor: actor, ip: ip, action: into == nil ? "close" : "merge", entity: "hamlet",
                               entityID: hamlet.code, scopePath: hamlet.path, changes: changes)
    }

    private func requireOpenHamlet(_ hamlet: AdminUnit) throws {
        guard hamlet.level == .hamlet else { throw HamletError.invalid("code", "Chỉ thôn/tổ dân phố mới sửa được ở đây; danh mục xã, tỉnh là danh mục quốc gia.") }
        guard !hamlet.isClosed else { throw HamletError.conflict("Thôn/tổ dân phố này đã đóng; lịch sử được giữ nguyên.") }
    }

    private func effectiveDate(_ raw: String?) throws -> String {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return DayDate.today().iso }
        guard let date = DayDate(raw) else { throw HamletError.invalid("effectiveDate", "Ngày hiệu lực không hợp lệ (dd/MM/yyyy).") }
        if date > DayDate.today() { throw HamletError.invalid("effectiveDate", "Ngày hiệu lực không được ở tương lai.") }
        return date.iso
    }
}
