import Foundation
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit

/// What an account does to itself from its own page: its API tokens (listed, made, revoked) and
/// its reminder emails. Each change is written with its audit entry in one transaction.
package struct OwnAccount {
    package let db: any Database
    package let user: User
    package let ip: String?

    package init(db: any Database, user: User, ip: String?) { (self.db, self.user, self.ip) = (db, user, ip) }

    /// The tokens that still open the API, newest first.
    package func tokens(at now: Date) async throws -> [APIToken] {
        try await APIToken.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all().filter { $0.isUsable(at: now, by: user) }
    }

    /// A named token without an end; the secret is returned to show once.
    package func issueToken(named raw: String?) async throws -> String {
        let name = VietnameseText.normalized(raw ?? "")
        guard !name.isEmpty, name.count <= 100 else { throw HamletError.invalid("name", "Đặt tên cho mã truy cập (tối đa 100 ký tự).") }
        let (user, ip) = (user, ip)
        return try await db.writeTransaction { tx in
            let (secret, token) = try await APIToken.issue(for: user, name: name, lifetime: nil, on: tx)
            var changes = AuditChanges(); changes.add("name", nil, name)
            try await Audit.record(on: tx, actor: user, ip: ip, action: "create", entity: "api_token", entityID: token.id?.uuidString,
                                   scopePath: user.scopePath, changes: changes)
            return secret
        }
    }

    /// One of the account's own tokens stops opening the API; 404 for anyone else's.
    package func revokeToken(_ id: UUID?) async throws {
        guard let id, let token = try await APIToken.query(on: db).filter(\.$id == id).filter(\.$user.$id == user.requireID()).first() else {
            throw HamletError.notFound
        }
        token.revokedAt = HamletClock.shared.now
        let (user, ip) = (user, ip)
        try await db.writeTransaction { tx in
            try await token.update(on: tx)
            var changes = AuditChanges(); changes.add("revoked", "false", "true")
            try await Audit.record(on: tx, actor: user, ip: ip, action: "revoke", entity: "api_token", entityID: token.id?.uuidString,
                                   scopePath: user.scopePath, changes: changes)
        }
    }

    /// Reminder emails off or on; nothing is written when nothing changes.
    package func setReminders(off: Bool) async throws {
        let before = user.emailRemindersOff ?? false
        guard before != off else { return }
        user.emailRemindersOff = off
        let (user, ip) = (user, ip)
        try await db.writeTransaction { tx in
            try await user.update(on: tx)
            var changes = AuditChanges(); changes.add("email_reminders_off", String(before), String(off))
            try await Audit.record(on: tx, actor: user, ip: ip, action: "update", entity: "user", entityID: user.id?.uuidString,
                                   scopePath: user.scopePath, changes: changes)
        }
    }
}
