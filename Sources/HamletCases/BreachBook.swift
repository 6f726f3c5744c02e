import Foundation
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletAccounts
import HamletReporting

/// The breach register's rules, shared by page and API.
package enum BreachBook {
    package static func make(_ input: BreachInput, by user: User) throws -> DataBreach {
        let text = VietnameseText.normalized(input.description ?? "")
        guard !text.isEmpty else { throw HamletError.invalid("description", "Mô tả sự cố: chuyện gì đã xảy ra, dữ liệu nào bị ảnh hưởng.") }
        let discovered = input.discoveredAt ?? HamletClock.shared.now
        guard discovered <= HamletClock.shared.now.addingTimeInterval(60) else { throw HamletError.invalid("discoveredAt", "Thời điểm phát hiện không được ở tương lai.") }
        guard let n = input.peopleAffected, n >= 0 else { throw HamletError.invalid("peopleAffected", "Số người bị ảnh hưởng là số không âm (ước tính nếu chưa rõ).") }
        let kinds = VietnameseText.normalized(input.dataKinds ?? "")
        guard !kinds.isEmpty else { throw HamletError.invalid("dataKinds", "Loại dữ liệu bị ảnh hưởng (ví dụ: họ tên, CCCD, tình trạng sức khỏe).") }
        let b = DataBreach()
        b.discoveredAt = discovered; b.details = text; b.peopleAffected = n; b.dataKinds = kinds
        b.measures = input.measures.map(VietnameseText.normalized)?.nilIfEmpty; b.scopePath = user.scopePath; b.recordedBy = user.id!
        return b
    }

    /// Writes the breach with its audit entry.
    package static func save(_ b: DataBreach, action: String, by actor: (any ActingAccount)?, ip: String?, on db: any Database) async throws {
        var changes = AuditChanges()
        changes.add("notified_at", nil, b.notifiedAt.map(DHIS2API.iso)); changes.add("people_affected", nil, String(b.peopleAffected))
        let audit = changes
        try await db.writeTransaction { tx in
            try await b.save(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: action, entity: "data_breach", entityID: b.id?.uuidString, scopePath: b.scopePath, changes: audit)
        }
    }

    /// The breaches recorded inside the keeper's scope, newest first.
    package static func list(within scope: AccessScope, on db: any Database) async throws -> [DataBreach] {
        try await DataBreach.query(on: db).filter(\.$scopePath >= scope.path).filter(\.$scopePath < AccessScope.upperBound(scope.path))
            .sort(\.$discoveredAt, .descending).all()
    }

    /// One breach inside the keeper's scope; 404 otherwise.
    package static func find(_ id: UUID?, within scope: AccessScope, on db: any Database) async throws -> DataBreach {
        guard let id, let b = try await DataBreach.find(id, on: db), scope.contains(path: b.scopePath) else { throw HamletError.notFound }
        return b
    }
}
