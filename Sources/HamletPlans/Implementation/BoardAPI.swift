import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts

extension Request {
    package func boards() -> BoardService { BoardService(db: db, scope: scope, actor: currentUser, ip: clientIP, today: today) }
}

/// /api/v1/plans/:id/boards: a plan's steering boards, their dated members and meetings.
package struct BoardAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", ":id", "boards", use: list)
        routes.post("plans", ":id", "boards", use: create)
        routes.get("plans", ":id", "boards", ":board", use: show)
        routes.post("plans", ":id", "boards", ":board", "members", use: addMember)
        routes.post("plans", ":id", "boards", ":board", "members", ":member", "end", use: endMember)
    }

    package func list(req: Request) async throws -> [BoardDTO] {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        var out: [BoardDTO] = []
        for b in try await req.boards().boards(plan) { out.append(try await req.boards().dto(b)) }
        return out
    }

    package func create(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        _ = try req.boards().requireEditor()
        let b = try await req.boards().create(plan, try req.content.decode(BoardInput.self))
        return try Response.created(try await req.boards().dto(b))
    }

    package func board(_ req: Request) async throws -> SteeringBoard {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        return try await req.boards().find(plan, req.parameters.get("board", as: UUID.self))
    }

    package func show(req: Request) async throws -> BoardDTO { try await req.boards().dto(try await board(req)) }

    package func addMember(req: Request) async throws -> Response {
        let b = try await board(req)
        _ = try req.boards().requireEditor()
        _ = try await req.boards().addMember(b, try req.content.decode(MemberInput.self))
        return try Response.created(try await req.boards().dto(b))
    }

    package func endMember(req: Request) async throws -> BoardDTO {
        let b = try await board(req)
        _ = try req.boards().requireEditor()
        try await req.boards().endMember(b, req.parameters.get("member", as: UUID.self), try req.content.decode(MemberEnd.self))
        return try await req.boards().dto(b)
    }
}
