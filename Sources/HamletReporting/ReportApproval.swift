import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts

/// The second level of approval (DHIS2's data approval, with its rule that a level approves only
/// after the levels below): the province approves a commune's data of a form for a period once
/// every report in the commune (its hamlets' and its own) is approved. Approved, the commune's
/// reports cannot be unlocked, returned or written until the province undoes its approval.
package final class ReportApproval: Model, @unchecked Sendable {
    package static let schema = "report_approvals"
    @ID(key: .id) package var id: UUID?
    @Field(key: "data_set") package var dataSet: String
    @Field(key: "unit_code") package var unitCode: String
    @Field(key: "unit_path") package var unitPath: String
    @Field(key: "period") package var period: String
    @Field(key: "approved_by") package var approvedBy: String
    @Field(key: "approved_on") package var approvedOn: String
    package init() {}
}

package struct CreateReportApprovals: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(ReportApproval.schema).id()
            .field("data_set", .string, .required).field("unit_code", .string, .required).field("unit_path", .string, .required)
            .field("period", .string, .required).field("approved_by", .string, .required).field("approved_on", .string, .required)
            .unique(on: "data_set", "period", "unit_path").create()
    }
    package func revert(on database: any Database) async throws { try await database.schema(ReportApproval.schema).delete() }
}

package struct UnitApprovalDTO: Content {
    package var unitCode: String
    package var unitName: String
    package var period: String
    /// Reports in the unit for the period, and how many of them are approved.
    package var reports: Int
    package var approvedReports: Int
    package var approved: Bool
    package var approvedBy: String?
    package var approvedOn: String?
    package var mayApprove: Bool
    package var mayUndo: Bool

    package init(unitCode: String, unitName: String, period: String, reports: Int, approvedReports: Int, approved: Bool,
                 approvedBy: String? = nil, approvedOn: String? = nil, mayApprove: Bool, mayUndo: Bool) {
        (self.unitCode, self.unitName, self.period, self.reports) = (unitCode, unitName, period, reports)
        (self.approvedReports, self.approved, self.approvedBy, self.approvedOn) = (approvedReports, approved, approvedBy, approvedOn)
        (self.mayApprove, self.mayUndo) = (mayApprove, mayUndo)
    }

}

package struct ReportApprovals {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?
    package let today: DayDate

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil, today: DayDate) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
        self.today = today
    }

    /// The approval that holds a place's data: its own unit's or any unit's above it.
    package static func covering(set: String, path: String, period: String, on db: any Database) async throws -> ReportApproval? {
        let paths = UnitDirectory.ancestorPaths(of: path) + [path]
        return try await ReportApproval.query(on: db).filter(\.$dataSet == set).filter(\.$period == period).filter(\.$unitPath ~~ paths).first()
    }

    /// Refuses a change to data an approval holds.
    package static func requireOpen(set: String, path: String, period: String, on db: any Database) async throws {
        if let a = try await covering(set: set, path: path, period: period, on: db) {
            throw HamletError.conflict("Số liệu của \(a.unitCode) kỳ này đã được cấp trên duyệt ngày \(DayDate(a.approvedOn)?.vietnamese ?? a.approvedOn); cần hủy duyệt trước.", field: "status")
        }
    }

    /// The account approves the units just below its own (a province its communes).
    package func isLevelAbove(_ unit: AdminUnit) -> Bool {
        guard let user = actor, user.role.canApproveReports, unit.level != .hamlet else { return false }
        return (UnitDirectory.ancestorPaths(of: unit.path).last ?? "") == scope.path
    }

    package func reports(_ set: DataSet, _ unit: AdminUnit, _ period: Period) async throws -> [Report] {
        try await Report.query(on: db).filter(\.$dataSet.$id == set.requireID()).filter(\.$period == period.id)
            .filter(\.$orgPath >= unit.path).filter(\.$orgPath < AccessScope.upperBound(unit.path)).all()
    }

    package func status(_ set: DataSet, _ unit: AdminUnit, _ period: Period) async throws -> UnitApprovalDTO {
        let rows = try await reports(set, unit, period)
        let own = try await ReportApproval.query(on: db).filter(\.$dataSet == set.code).filter(\.$period == period.id).filter(\.$unitPath == unit.path).first()
        let above = try await Self.covering(set: set.code, path: UnitDirectory.ancestorPaths(of: unit.path).last ?? "", period: period.id, on: db)
        let approvedReports = rows.filter { $0.state == .approved }.count
        let level = isLevelAbove(unit)
        return UnitApprovalDTO(unitCode: unit.code, unitName: unit.name, period: period.id, reports: rows.count, approvedReports: approvedReports,
                               approved: own != nil, approvedBy: own?.approvedBy, approvedOn: own?.approvedOn,
                               mayApprove: level && own == nil && !rows.isEmpty && approvedReports == rows.count,
                               mayUndo: level && own != nil && above == nil)
    }

    package func approve(_ set: DataSet, _ unit: AdminUnit, _ period: Period) async throws {
        guard let user = actor, isLevelAbove(unit) else { throw HamletError.forbidden }
        let rows = try await reports(set, unit, period)
        // Before the reform the province's data is also its legacy districts' values: each approved first.
        let legacy = LegacyApprovals(db: db, scope: scope, actor: actor, ip: ip, today: today)
        var legacyData = false
        if LegacyApprovals.applies(period), unit.level == .province {
            let places = try await LegacyMap(db: db).places(under: unit.path)
            legacyData = !(try await legacy.withValues(set, places.map(\.code), period)).isEmpty
            let waiting = try await legacy.districtsWaiting(set, province: unit, period)
            guard waiting == 0 else {
                throw HamletError.conflict("Còn \(waiting) huyện (trước sắp xếp) của \(unit.name) chưa được duyệt; duyệt tỉnh sau khi mọi huyện đã duyệt.", field: "status")
            }
        }
        guard !rows.isEmpty || legacyData else { throw HamletError.conflict("\(unit.name) chưa có báo cáo nào kỳ này để duyệt.", field: "status") }
        let waiting = rows.filter { $0.state != .approved }
        guard waiting.isEmpty else {
            throw HamletError.conflict("Còn \(waiting.count) báo cáo của \(unit.name) chưa được cấp dưới duyệt; duyệt sau khi mọi cấp dưới đã duyệt.", field: "status")
        }
        guard try await Self.covering(set: set.code, path: unit.path, period: period.id, on: db) == nil else {
            throw HamletError.conflict("Số liệu của \(unit.name) kỳ này đã được duyệt.", field: "status")
        }
        let a = ReportApproval()
        a.dataSet = set.code; a.unitCode = unit.code; a.unitPath = unit.path; a.period = period.id; a.approvedBy = user.username; a.approvedOn = today.iso
        try await db.writeTransaction { tx in
            try await a.create(on: tx)
            var changes = AuditChanges()
            changes.add("dataSet", nil, set.code); changes.add("period", nil, period.id); changes.add("reports", nil, String(rows.count))
            try await Audit.record(on: tx, actor: user, ip: ip, action: "approve-unit", entity: "report", entityID: unit.code, scopePath: unit.path, changes: changes)
        }
    }

    /// The level that approved undoes it, while the level above has not approved.
    package func undo(_ set: DataSet, _ unit: AdminUnit, _ period: Period) async throws {
        guard let user = actor, isLevelAbove(unit) else { throw HamletError.forbidden }
        guard let a = try await ReportApproval.query(on: db).filter(\.$dataSet == set.code).filter(\.$period == period.id).filter(\.$unitPath == unit.path).first() else {
            throw HamletError.conflict("Số liệu của \(unit.name) kỳ này chưa được duyệt.", field: "status")
        }
        if let above = try await Self.covering(set: set.code, path: UnitDirectory.ancestorPaths(of: unit.path).last ?? "-", period: period.id, on: db) {
            throw HamletError.conflict("Cấp trên đã duyệt số liệu của \(above.unitCode) ngày \(DayDate(above.approvedOn)?.vietnamese ?? above.approvedOn): không hủy duyệt được.", field: "status")
        }
        try await db.writeTransaction { tx in
            try await a.delete(on: tx)
            var changes = AuditChanges()
            changes.add("dataSet", set.code, nil); changes.add("period", period.id, nil)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "undo-approve-unit", entity: "report", entityID: unit.code, scopePath: unit.path, changes: changes)
        }
    }
}
