import Vapor
import Fluent
import HamletKit
import HamletWeb

/// The audit log, read-only, for administrators: entries about their own subtree.
package struct AuditQuery {
    package let db: any Database
    package let scope: AccessScope

    package init(db: any Database, scope: AccessScope) { self.db = db; self.scope = scope }

    package func entries(entity: String?, entityID: String?, username: String?, paging: Paging) async throws -> ([AuditEntry], Int) {
        let query = AuditEntry.query(on: db)
        if !scope.isNation {
            query.filter(\.$scopePath >= scope.path).filter(\.$scopePath < AccessScope.upperBound(scope.path))
        }
        if let entity, !entity.isEmpty { query.filter(\.$entity == entity) }
        if let entityID, !entityID.isEmpty { query.filter(\.$entityID == entityID) }
        if let username, !username.isEmpty { query.filter(\.$username == username.lowercased()) }
        let total = try await query.copy().count()
        let items = try await query.sort(\.$seq, .descending).offset(paging.offset).limit(paging.per).all()
        return (items, total)
    }
}

package struct AuditDTO: Content {
    package var id: UUID?
    package var at: Date
    package var username: String
    package var action: String
    package var entity: String
    package var entityID: String?
    package var changes: [String: [String?]]
    package var ip: String?

    package init(_ e: AuditEntry) {
        id = e.id; at = e.at; username = e.username; action = e.action; entity = e.entity; entityID = e.entityID; ip = e.ip
        changes = (try? JSONDecoder().decode([String: [String?]].self, from: Data(e.changes.utf8))) ?? [:]
    }
}

package struct AuditAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: list)
        routes.get("audit", "verify", use: verify)
    }

    /// The whole chain is checked, so only a whole-country administrator may ask.
    package func verify(req: Request) async throws -> AuditLog.Verdict {
        let admin = try req.requireActing(\.canManageUsers)
        guard admin.scope.isNation else { throw HamletError.forbidden }
        return try await AuditLog.verify(on: req.db)
    }

    package func list(req: Request) async throws -> ListBody<AuditDTO> {
        let admin = try req.requireActing(\.canManageUsers)
        let paging = try Paging(req)
        let (items, total) = try await AuditQuery(db: req.db, scope: admin.scope)
            .entries(entity: req.query["entity"], entityID: req.query["entityId"], username: req.query["username"], paging: paging)
        return ListBody(items: items.map(AuditDTO.init), total: total, page: paging.page, per: paging.per)
    }
}

package struct AuditPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: list)
    }

    package struct Row: Encodable { var at: String; var username: String; var action: String; var entity: String; var entityID: String; var changes: [Change]; var ip: String }
    package struct Change: Encodable { var field: String; var old: String; var new: String }
    package struct ListPage: Encodable { var rows: [Row]; var total: Int; var page: Int; var pages: Int; var entity: String; var username: String; var prev: Int?; var next: Int? }

    package func list(req: Request) async throws -> Response {
        let admin = try req.requireActing(\.canManageUsers)
        let paging = try Paging(req)
        let entity: String? = req.query["entity"], username: String? = req.query["username"]
        let (items, total) = try await AuditQuery(db: req.db, scope: admin.scope).entries(entity: entity, entityID: nil, username: username, paging: paging)
        let rows = items.map { e -> Row in
            let dto = AuditDTO(e)
            return Row(at: VietnameseFormat.dateTime(e.at), username: e.username, action: e.action, entity: e.entity, entityID: e.entityID ?? "",
                       changes: dto.changes.sorted { $0.key < $1.key }.map { Change(field: $0.key, old: ($0.value.first ?? nil) ?? "—", new: ($0.value.last ?? nil) ?? "—") },
                       ip: e.ip ?? "")
        }
        let pages = max(1, (total + paging.per - 1) / paging.per)
        return try await req.renderPage("audit/index", title: Strings.text("audit_title", req.language), nav: "audit",
                                        body: ListPage(rows: rows, total: total, page: paging.page, pages: pages, entity: entity ?? "", username: username ?? "",
                                                       prev: paging.page > 1 ? paging.page - 1 : nil, next: paging.page < pages ? paging.page + 1 : nil))
    }
}
