import Vapor
import Fluent
import HamletKit
import HamletWeb

/// The audit log, read-only, for administrators: entries about their own subtree.
struct AuditQuery {
    let db: any Database
    let scope: AccessScope

    func entries(entity: String?, entityID: String?, username: String?, paging: Paging) async throws -> ([AuditEntry], Int) {
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

struct AuditDTO: Content {
    var id: UUID?
    var at: Date
    var username: String
    var action: String
    var entity: String
    var entityID: String?
    var changes: [String: [String?]]
    var ip: String?

    init(_ e: AuditEntry) {
        id = e.id; at = e.at; username = e.username; action = e.action; entity = e.entity; entityID = e.entityID; ip = e.ip
        changes = (try? JSONDecoder().decode([String: [String?]].self, from: Data(e.changes.utf8))) ?? [:]
    }
}

struct AuditAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: list)
        routes.get("audit", "verify", use: verify)
    }

    /// The whole chain is checked, so only a whole-country administrator may ask.
    func verify(req: Request) async throws -> AuditLog.Verdict {
        let admin = try req.requireAdmin()
        guard admin.scope.isNation else { throw HamletError.forbidden }
        return try await AuditLog.verify(on: req.db)
    }

    func list(req: Request) async throws -> ListBody<AuditDTO> {
        let admin = try req.requireAdmin()
        let paging = try Paging(req)
        let (items, total) = try await AuditQuery(db: req.db, scope: admin.scope)
            .entries(entity: req.query["entity"], entityID: req.query["entityId"], username: req.query["username"], paging: paging)
        return ListBody(items: items.map(AuditDTO.init), total: total, page: paging.page, per: paging.per)
    }
}

struct AuditPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("audit", use: list)
    }

    struct Row: Encodable { var at: String; var username: String; var action: String; var entity: String; var entityID: String; var changes: [Change]; var ip: String }
    struct Change: Encodable { var field: String; var old: String; var new: String }
    struct ListPage: Encodable { var rows: [Row]; var total: Int; var page: Int; var pages: Int; var entity: String; var username: String; var prev: Int?; var next: Int? }

    func list(req: Request) async throws -> Response {
        let admin = try req.requireAdmin()
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
