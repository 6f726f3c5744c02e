import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletAccounts
import HamletOrganisations

/// Who may join a facility's case circle, and how. Staff are added and removed by an
/// administrator whose scope holds the facility or by one of the facility's own managers, never
/// by the person concerned; only caseworker accounts can hold a duty (officers and viewers see
/// counts, and reach a case only by breaking the glass, with a reason and an expiry). Every
/// addition says why; a removal ends the duty and keeps its record.
package struct StaffService {
    package let db: any Database
    package let actor: User
    package let ip: String?

    package init(db: any Database, actor: User, ip: String? = nil) {
        (self.db, self.actor, self.ip) = (db, actor, ip)
    }

    package static let duties = ["caseworker", "supervisor", "manager"]

    /// Whether the actor may change who works at this facility.
    package func mayManage(_ facility: Organisation) async throws -> Bool {
        if actor.role == .admin && actor.scope.contains(path: facility.unitPath) { return true }
        return try await CaseAccess(db: db, user: actor).duties()[facility.id!]?.contains("manager") == true
    }

    package func requireManager(_ facility: Organisation) async throws {
        guard try await mayManage(facility) else {
            throw HamletError(status: .forbidden, code: "forbidden",
                              message: "Chỉ quản trị hệ thống hoặc người quản lý của cơ sở mới thay đổi nhân sự của cơ sở.", field: nil)
        }
    }

    package func add(to facility: Organisation, username rawUsername: String?, duty rawDuty: String?, reason rawReason: String?) async throws -> FacilityStaff {
        try await requireManager(facility)
        guard let duty = rawDuty, Self.duties.contains(duty) else { throw HamletError.invalid("duty", "Nhiệm vụ: caseworker, supervisor hoặc manager.") }
        let username = (rawUsername ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard let user = try await User.query(on: db).filter(\.$username == username).first(), user.disabledAt == nil else {
            throw HamletError.invalid("username", "Không có tài khoản “\(rawUsername ?? "")”.")
        }
        guard user.id != actor.id else { throw HamletError.invalid("username", "Không thể tự thêm mình vào nhân sự xử lý hồ sơ; người quản lý khác hoặc quản trị hệ thống thêm giúp.") }
        guard user.role == .caseworker else {
            throw HamletError.invalid("username", "Chỉ tài khoản nhân viên công tác xã hội mới xử lý hồ sơ; tài khoản \(user.role.label(.vi).lowercased()) chỉ xem số liệu tổng hợp.")
        }
        guard user.scope.contains(path: facility.unitPath) else { throw HamletError.invalid("username", "Phạm vi của tài khoản này không bao gồm cơ sở.") }
        let reason = VietnameseText.normalized(rawReason ?? "")
        guard reason.count >= 10, reason.count <= 500 else {
            throw HamletError.invalid("reason", "Ghi lý do (10–500 ký tự), ví dụ: “Nhân viên mới được phân công từ 01/12/2026”.")
        }
        if try await FacilityStaff.active(on: db).filter(\.$facilityID == facility.id!).filter(\.$userID == user.id!).filter(\.$duty == duty).count() > 0 {
            throw HamletError.invalid("username", "Người này đã có nhiệm vụ đó ở cơ sở.")
        }
        let row = FacilityStaff()
        row.facilityID = facility.id!; row.userID = user.id!; row.duty = duty; row.addedBy = actor.id; row.reason = reason
        var changes = AuditChanges()
        changes.add(duty, nil, user.username)
        changes.add("reason", nil, reason)
        let audit = changes, actor = actor, ip = ip
        try await db.writeTransaction { tx in
            try await row.create(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "add-staff", entity: "facility", entityID: facility.id?.uuidString,
                                   scopePath: facility.unitPath, changes: audit)
        }
        return row
    }

    package func remove(_ row: FacilityStaff, from facility: Organisation, reason rawReason: String?) async throws {
        try await requireManager(facility)
        guard row.removedAt == nil else { throw HamletError.notFound }
        let reason = VietnameseText.normalized(rawReason ?? "").nilIfEmpty
        if let reason, reason.count > 500 { throw HamletError.invalid("reason", "Lý do tối đa 500 ký tự.") }
        let user = try await User.find(row.userID, on: db)
        row.removedAt = HamletClock.shared.now; row.removedBy = actor.id; row.removalReason = reason
        var changes = AuditChanges()
        changes.add(row.duty, user?.username ?? row.userID.uuidString, nil)
        changes.add("reason", nil, reason)
        let audit = changes, actor = actor, ip = ip
        try await db.writeTransaction { tx in
            try await row.update(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "remove-staff", entity: "facility", entityID: facility.id?.uuidString,
                                   scopePath: facility.unitPath, changes: audit)
        }
    }

    /// Every duty the facility ever gave, newest first, with who added and removed it and why.
    package struct HistoryRow: Content {
        package var id: UUID?
        package var username: String
        package var name: String
        package var duty: String
        package var addedAt: Date?
        package var addedBy: String?
        package var reason: String?
        package var removedAt: Date?
        package var removedBy: String?
        package var removalReason: String?

        package init(id: UUID? = nil, username: String, name: String, duty: String, addedAt: Date? = nil, addedBy: String? = nil,
                     reason: String? = nil, removedAt: Date? = nil, removedBy: String? = nil, removalReason: String? = nil) {
            (self.id, self.username, self.name, self.duty) = (id, username, name, duty)
            (self.addedAt, self.addedBy, self.reason, self.removedAt) = (addedAt, addedBy, reason, removedAt)
            (self.removedBy, self.removalReason) = (removedBy, removalReason)
        }
    }

    /// The duties held now at these facilities.
    package static func active(at facilities: [UUID], on db: any Database) async throws -> [FacilityStaff] {
        guard !facilities.isEmpty else { return [] }
        return try await FacilityStaff.active(on: db).filter(\.$facilityID ~~ facilities).all()
    }

    package static func history(of facility: Organisation, on db: any Database) async throws -> [HistoryRow] {
        let rows = try await FacilityStaff.query(on: db).filter(\.$facilityID == facility.id!).sort(\.$createdAt, .descending).all()
        let users = try await Accounts(db: db).byID(rows.flatMap { [$0.userID] + [$0.addedBy, $0.removedBy].compactMap { $0 } })
        return rows.map { r in
            HistoryRow(id: r.id, username: users[r.userID]?.username ?? "", name: users[r.userID]?.displayName ?? "", duty: r.duty,
                       addedAt: r.createdAt, addedBy: r.addedBy.flatMap { users[$0]?.username } ?? (r.addedBy == nil ? "system" : nil), reason: r.reason,
                       removedAt: r.removedAt, removedBy: r.removedBy.flatMap { users[$0]?.username }, removalReason: r.removalReason)
        }
    }
}

/// The staff table keeps its history: who added, why, and the end of a duty. The table is made
/// anew because its unique key (facility, user, duty) would forbid giving back a duty that
/// ended; the key now holds for duties held now only.
package struct KeepStaffHistory: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await database.schema("facility_staff_new")
            .id()
            .field("facility_id", .uuid, .required, .references(Organisation.schema, "id"))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("duty", .string, .required).field("created_at", .datetime)
            .field("added_by", .uuid).field("reason", .string)
            .field("removed_at", .datetime).field("removed_by", .uuid).field("removal_reason", .string)
            .create()
        try await sql.raw("INSERT INTO facility_staff_new (id, facility_id, user_id, duty, created_at) SELECT id, facility_id, user_id, duty, created_at FROM facility_staff").run()
        try await sql.raw("DROP TABLE facility_staff").run()
        try await sql.raw("ALTER TABLE facility_staff_new RENAME TO facility_staff").run()
        try await sql.raw("CREATE UNIQUE INDEX facility_staff_held ON facility_staff (facility_id, user_id, duty) WHERE removed_at IS NULL").run()
        try await sql.raw("CREATE INDEX facility_staff_user ON facility_staff (user_id)").run()
    }

    package func revert(on database: any Database) async throws {}
}
