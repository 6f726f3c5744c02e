import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts

/// Before 01/07/2025 data went up commune → district → province. A period of those days is
/// approved as the chain of the time had it, over the legacy units whose values it holds (DHIS2
/// and ADX imports keep them under their legacy codes): a legacy commune's data is approved at the
/// district level, a district's once every commune of it with values is, and the province's (by
/// the country, `ReportApprovals`) once every district of it with values is. The districts are
/// gone, so the province's officers act for them. Approvals are kept at the legacy units' own
/// paths; approved data is refused on import, and an approval is undone only while the level
/// above has not approved.
package struct LegacyApprovals {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?
    package let today: DayDate

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil, today: DayDate) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
        self.today = today
    }

    package static func applies(_ period: Period) -> Bool { period.end.iso <= UnitLoader.legacyEnd }

    /// The province's officers (or an administrator) act for the districts of their province.
    package var mayAct: Bool {
        guard let user = actor, [.admin, .provinceOfficer].contains(user.role) else { return false }
        return scope.path.split(separator: ".").count <= 1
    }

    /// A legacy commune or district the account sees (its communes went into the account's subtree).
    package func unit(_ code: String) async throws -> AdminUnit {
        guard let unit = try await UnitDirectory(db: db, scope: scope).find(.legacy, code), [.district, .commune].contains(unit.level) else { throw HamletError.notFound }
        let places = try await LegacyMap(db: db).places(under: scope.path)
        guard places.contains(where: { $0.code == unit.code || $0.district == unit.code }) else { throw HamletError.notFound }
        return unit
    }

    /// Of these legacy codes, those holding values of the form for the period.
    package func withValues(_ set: DataSet, _ codes: [String], _ period: Period) async throws -> Set<String> {
        Set(try await LegacyCompleteness(db: db).reported(set, codes: codes, periods: [period]).keys)
    }

    package func approvals(_ set: DataSet, _ paths: [String], _ period: Period) async throws -> [String: ReportApproval] {
        var out: [String: ReportApproval] = [:]
        for chunk in paths.chunks(of: 500) {
            for a in try await ReportApproval.query(on: db).filter(\.$dataSet == set.code).filter(\.$period == period.id).filter(\.$unitPath ~~ Array(chunk)).all() { out[a.unitPath] = a }
        }
        return out
    }

    /// The 2025 province a legacy unit's communes went into (by their default successors).
    package func provincePath(of unit: AdminUnit) async throws -> String? {
        guard let sql = db as? any SQLDatabase else { return nil }
        let row = try await sql.raw("""
            SELECT c.path AS path FROM units l
              JOIN unit_successions s ON s.from_structure = 'legacy' AND s.from_code = l.code AND s.is_default = \(true)
              JOIN units c ON c.structure = '2025' AND c.code = s.to_code
            WHERE l.structure = 'legacy' AND l.path >= \(bind: unit.path) AND l.path < \(bind: AccessScope.upperBound(unit.path)) ORDER BY l.path LIMIT 1
            """).first()
        return try row.map { String(try $0.decode(column: "path", as: String.self).prefix(3)) }
    }

    /// The legacy communes of a district, by code.
    package func communes(of district: AdminUnit) async throws -> [AdminUnit] {
        try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.legacy.rawValue).filter(\.$level == .commune)
            .filter(\.$parentCode == district.code).all().sorted { $0.code < $1.code }
    }

    /// Where a legacy unit's data stands: for a district, its communes with values and how many of
    /// them are approved; for a commune, itself.
    package func status(_ set: DataSet, _ unit: AdminUnit, _ period: Period) async throws -> UnitApprovalDTO {
        let below = unit.level == .district ? try await communes(of: unit) : [unit]
        let having = try await withValues(set, below.map(\.code), period)
        let above = unit.level == .district ? nil : try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.legacy.rawValue).filter(\.$code == (unit.parentCode ?? "")).first()
        let province = try await provincePath(of: unit)
        let known = try await approvals(set, [unit.path] + below.map(\.path) + [above?.path, province].compactMap { $0 }, period)
        let own = known[unit.path]
        let approvedBelow = unit.level == .district ? below.filter { having.contains($0.code) && known[$0.path] != nil }.count : (own == nil ? 0 : 1)
        // A commune is held by its district; a district by the 2025 province its communes went into.
        let heldAbove = (unit.level == .commune ? above.flatMap { known[$0.path] } : province.flatMap { known[$0] }) != nil
        let count = unit.level == .district ? having.count : (having.isEmpty ? 0 : 1)
        return UnitApprovalDTO(unitCode: unit.code, unitName: unit.name, period: period.id, reports: count, approvedReports: approvedBelow,
                               approved: own != nil, approvedBy: own?.approvedBy, approvedOn: own?.approvedOn,
                               mayApprove: mayAct && own == nil && count > 0 && (unit.level == .commune || approvedBelow == count) && !heldAbove,
                               mayUndo: mayAct && own != nil && !heldAbove)
    }

    package func approve(_ set: DataSet, _ unit: AdminUnit, _ period: Period) async throws {
        guard let user = actor, mayAct else { throw HamletError.forbidden }
        guard Self.applies(period) else { throw HamletError.invalid("period", "Chỉ kỳ kết thúc trước 01/07/2025 được duyệt theo đơn vị cũ.") }
        let s = try await status(set, unit, period)
        guard !s.approved else { throw HamletError.conflict("Số liệu của \(unit.name) kỳ này đã được duyệt.", field: "status") }
        guard s.reports > 0 else { throw HamletError.conflict("\(unit.name) chưa có số liệu kỳ này để duyệt.", field: "status") }
        if unit.level == .district, s.approvedReports < s.reports {
            throw HamletError.conflict("Còn \(s.reports - s.approvedReports) xã của \(unit.name) chưa được duyệt; duyệt huyện sau khi mọi xã đã duyệt.", field: "status")
        }
        guard s.mayApprove else { throw HamletError.conflict("Cấp trên đã duyệt số liệu kỳ này.", field: "status") }
        let a = ReportApproval()
        a.dataSet = set.code; a.unitCode = unit.code; a.unitPath = unit.path; a.period = period.id; a.approvedBy = user.username; a.approvedOn = today.iso
        try await db.writeTransaction { tx in
            try await a.create(on: tx)
            var changes = AuditChanges()
            changes.add("dataSet", nil, set.code); changes.add("period", nil, period.id); changes.add("structure", nil, UnitStructure.legacy.rawValue)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "approve-unit", entity: "report", entityID: unit.code, scopePath: scope.path, changes: changes)
        }
    }

    package func undo(_ set: DataSet, _ unit: AdminUnit, _ period: Period) async throws {
        guard let user = actor, mayAct else { throw HamletError.forbidden }
        let s = try await status(set, unit, period)
        guard s.approved, let a = try await approvals(set, [unit.path], period)[unit.path] else {
            throw HamletError.conflict("Số liệu của \(unit.name) kỳ này chưa được duyệt.", field: "status")
        }
        guard s.mayUndo else { throw HamletError.conflict("Cấp trên đã duyệt số liệu kỳ này: không hủy duyệt được.", field: "status") }
        try await db.writeTransaction { tx in
            try await a.delete(on: tx)
            var changes = AuditChanges()
            changes.add("dataSet", set.code, nil); changes.add("period", period.id, nil); changes.add("structure", UnitStructure.legacy.rawValue, nil)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "undo-approve-unit", entity: "report", entityID: unit.code, scopePath: scope.path, changes: changes)
        }
    }

    /// The legacy districts whose communes went into a 2025 province, with values of the form in
    /// the period and not yet approved: what holds the province's own approval back.
    package func districtsWaiting(_ set: DataSet, province: AdminUnit, _ period: Period) async throws -> Int {
        let places = try await LegacyMap(db: db).places(under: province.path)
        let having = try await withValues(set, places.map(\.code), period)
        let districts = Set(places.filter { having.contains($0.code) }.map(\.district))
        guard !districts.isEmpty else { return 0 }
        let units = try await LegacyMap(db: db).units(Array(districts))
        let approved = try await approvals(set, units.values.map(\.path), period)
        return units.values.filter { approved[$0.path] == nil }.count
    }
}
