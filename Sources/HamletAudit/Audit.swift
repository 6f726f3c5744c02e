import Vapor
import Fluent
import HamletWeb

/// Field-by-field changes of one record, written as {"field": [old, new]}.
package struct AuditChanges {
    package init() {}
    package private(set) var pairs: [(String, String?, String?)] = []

    package mutating func add(_ field: String, _ old: String?, _ new: String?) {
        if old != new { pairs.append((field, old, new)) }
    }

    package var isEmpty: Bool { pairs.isEmpty }

    package var json: String {
        var object: [String: [String?]] = [:]
        for (field, old, new) in pairs { object[field] = [old, new] }
        let data = (try? JSONEncoder.sorted.encode(object)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

extension JSONEncoder {
    package static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

package enum Audit {
    package static func record(on req: Request, actor: (any ActingAccount)? = nil, action: String, entity: String, entityID: String?,
                       scopePath: String, changes: AuditChanges = AuditChanges()) async throws {
        try await record(on: req.db, actor: actor ?? req.acting, ip: req.clientIP, action: action, entity: entity,
                         entityID: entityID, scopePath: scopePath, changes: changes)
    }

    /// For commands run from the shell: the actor is the system account.
    package static func record(on db: any Database, actor: (any ActingAccount)?, ip: String?, action: String, entity: String, entityID: String?,
                       scopePath: String, changes: AuditChanges = AuditChanges()) async throws {
        try await AuditLog.append([entry(actor: actor, ip: ip, action: action, entity: entity, entityID: entityID, scopePath: scopePath, changes: changes)],
                                  on: db)
    }

    /// An entry not yet saved, for imports that write their audit lines in bulk.
    package static func entry(actor: (any ActingAccount)?, ip: String?, action: String, entity: String, entityID: String?,
                      scopePath: String, changes: AuditChanges) -> AuditEntry {
        let entry = AuditEntry()
        entry.at = Date()
        entry.userID = actor?.id
        entry.username = actor?.username ?? "system"
        entry.action = action
        entry.entity = entity
        entry.entityID = entityID
        entry.scopePath = scopePath
        entry.changes = changes.json
        entry.ip = ip
        return entry
    }
}
