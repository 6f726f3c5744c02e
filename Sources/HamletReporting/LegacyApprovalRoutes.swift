import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts

extension Request {
    package func legacyApprovals() -> LegacyApprovals { LegacyApprovals(db: db, scope: scope, actor: currentUser, ip: clientIP, today: today) }
}

/// The chain of the time for periods before 01/07/2025:
/// `GET /api/v1/reports/:set/approvals/legacy?period=&district=` (the province's legacy districts,
/// or one district's communes, with where each stands), `POST|DELETE
/// /api/v1/reports/:set/approvals/legacy/:code/:period`.
package struct LegacyApprovalRoutes: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", ":set", "approvals", "legacy", use: list)
        routes.post("reports", ":set", "approvals", "legacy", ":code", ":period", use: { try await Self.change($0, approve: true) })
        routes.delete("reports", ":set", "approvals", "legacy", ":code", ":period", use: { try await Self.change($0, approve: false) })
    }

    /// The districts of the time whose communes went into the account's unit, or one district's communes.
    package static func units(_ req: Request, _ set: DataSet, _ period: Period, district: String?) async throws -> [UnitApprovalDTO] {
        guard LegacyApprovals.applies(period) else { throw HamletError.invalid("period", "Chỉ kỳ kết thúc trước 01/07/2025 được duyệt theo đơn vị cũ.") }
        let service = req.legacyApprovals()
        let units: [AdminUnit]
        if let district, !district.isEmpty {
            let d = try await service.unit(district)
            guard d.level == .district else { throw HamletError.notFound }
            let inside = Set(try await LegacyMap(db: req.db).places(under: req.scope.path).map(\.code))
            units = try await service.communes(of: d).filter { inside.contains($0.code) }
        } else {
            let codes = Set(try await LegacyMap(db: req.db).places(under: req.scope.path).map(\.district))
            units = try await LegacyMap(db: req.db).units(Array(codes)).values.sorted { $0.code < $1.code }
        }
        var out: [UnitApprovalDTO] = []
        for unit in units.prefix(500) { out.append(try await service.status(set, unit, period)) }
        return out
    }

    package func list(req: Request) async throws -> [UnitApprovalDTO] {
        let set = try await req.reports().dataSet(req.parameters.get("set"))
        return try await Self.units(req, set, try req.reports().period(req.query["period"], for: set, today: req.today), district: req.query["district"])
    }

    package static func change(_ req: Request, approve: Bool) async throws -> UnitApprovalDTO {
        let set = try await req.reports().dataSet(req.parameters.get("set"))
        let period = try req.reports().period(req.parameters.get("period"), for: set, today: req.today)
        let service = req.legacyApprovals()
        let unit = try await service.unit(req.parameters.get("code") ?? "")
        if approve { try await service.approve(set, unit, period) } else { try await service.undo(set, unit, period) }
        return try await service.status(set, unit, period)
    }
}
