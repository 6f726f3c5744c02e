import Vapor
import Fluent
import HamletKit
import HamletWeb

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

    package struct Row: Encodable {
        package var at: String
        package var username: String
        package var action: String
        package var entity: String
        package var entityID: String
        package var changes: [Change]
        package var ip: String
        package init(at: String, username: String, action: String, entity: String, entityID: String, changes: [Change], ip: String) {
            (self.at, self.username, self.action, self.entity) = (at, username, action, entity)
            (self.entityID, self.changes, self.ip) = (entityID, changes, ip)
        }
    }
    package struct Change: Encodable {
        package var field: String
        package var old: String
        package var new: String
        package init(field: String, old: String, new: String) {
            (self.field, self.old, self.new) = (field, old, new)
        }
    }
    package struct ListPage: Encodable {
        package var rows: [Row]
        package var total: Int
        package var page: Int
        package var pages: Int
        package var entity: String
        package var username: String
        package var prev: Int?
        package var next: Int?
        package init(rows: [Row], total: Int, page: Int, pages: Int, entity: String, username: String, prev: Int? = nil, next: Int? = nil) {
            (self.rows, self.total, self.page, self.pages) = (rows, total, page, pages)
            (self.entity, self.username, self.prev, self.next) = (entity, username, prev, next)
        }
    }

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
