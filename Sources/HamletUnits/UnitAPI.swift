import Vapor
import Fluent
import HamletWeb

/// /api/v1/units …: both structures, succession, and the hamlets a commune keeps.
package struct UnitAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        let units = routes.grouped("units")
        units.get(use: list)
        units.get(":structure", ":code", use: show)
        // GET routes use ":structure" throughout: the router does not backtrack from a constant.
        units.get(":structure", ":code", "hamlets", use: hamlets)
        // Writes take 2025 units only, under the same path shape as the reads, so a path has one
        // set of methods (a 405 lists them all).
        let current = units.grouped(OnlyCurrentUnits())
        current.post(":structure", ":code", "hamlets", use: createHamlet)
        current.patch(":structure", ":code", use: updateHamlet)
        current.post(":structure", ":code", "close", use: closeHamlet)
        current.post(":structure", ":code", "merge", use: mergeHamlet)
        routes.upload("hamlets", "import", use: importHamlets)
    }

    package func directory(_ req: Request) -> UnitDirectory { UnitDirectory(db: req.db, scope: req.scope) }

    package func structure(_ req: Request) throws -> UnitStructure {
        guard let value = req.parameters.get("structure"), let structure = UnitStructure(rawValue: value) else { throw HamletError.notFound }
        return structure
    }

    package func list(req: Request) async throws -> ListBody<UnitDTO> {
        let paging = try Paging(req)
        var filter = UnitDirectory.ListFilter(page: paging.page, per: paging.per)
        if let raw: String = req.query["structure"] {
            guard let s = UnitStructure(rawValue: raw) else { throw HamletError.invalid("structure", "Cơ cấu phải là 2025 hoặc legacy.") }
            filter.structure = s
        }
        if let raw: String = req.query["level"] {
            guard let level = UnitLevel(rawValue: raw) else { throw HamletError.invalid("level", "Cấp phải là province, district, commune hoặc hamlet.") }
            filter.level = level
        }
        filter.parent = req.query["parent"]
        filter.q = req.query["q"]
        filter.includeClosed = req.query["includeClosed"] == "true"
        let dir = directory(req)
        let (items, total) = try await dir.list(filter)
        let counts = try await dir.counts(for: items)
        return ListBody(items: items.map { UnitDTO($0, counts: counts[$0.code] ?? (0, 0)) }, total: total, page: paging.page, per: paging.per)
    }

    package func show(req: Request) async throws -> UnitDetailDTO {
        let dir = directory(req)
        let unit = try await dir.require(try structure(req), req.parameters.get("code") ?? "")
        return try await UnitDetail(directory: dir).load(unit)
    }

    package func commune(_ req: Request) async throws -> AdminUnit {
        let unit = try await directory(req).require(.current, req.parameters.get("code") ?? "")
        guard unit.level == .commune else { throw HamletError.notFound }
        return unit
    }

    package func hamlets(req: Request) async throws -> ListBody<UnitDTO> {
        guard try structure(req) == .current else { throw HamletError.notFound }
        let commune = try await commune(req)
        let all = try await directory(req).children(of: commune, includeClosed: req.query["includeClosed"] == "true")
        return ListBody(items: all.map { UnitDTO($0) }, total: all.count, page: 1, per: max(all.count, 1))
    }

    package func service(_ req: Request) throws -> HamletService {
        let user = try req.requireActing(\.canEditUnits)
        return HamletService(db: req.db, actor: user, ip: req.clientIP)
    }

    package func createHamlet(req: Request) async throws -> Response {
        let service = try service(req)
        let commune = try await commune(req)
        guard req.scope.contains(path: commune.path) else { throw HamletError.notFound }
        let hamlet = try await service.create(in: commune, try req.content.decode(HamletService.Input.self))
        let response = Response(status: .created)
        try response.content.encode(UnitDTO(hamlet))
        return response
    }

    package func hamlet(_ req: Request) async throws -> AdminUnit {
        let unit = try await directory(req).requireEditable(req.parameters.get("code") ?? "")
        guard unit.level == .hamlet else { throw HamletError.notFound }
        return unit
    }

    package func updateHamlet(req: Request) async throws -> UnitDTO {
        let service = try service(req)
        let hamlet = try await hamlet(req)
        try await service.update(hamlet, try req.content.decode(HamletService.Input.self))
        return UnitDTO(hamlet)
    }

    package struct CloseBody: Content {
        package var effectiveDate: String?
        package var note: String?
        package init(effectiveDate: String? = nil, note: String? = nil) {
            self.effectiveDate = effectiveDate
            self.note = note
        }
    }
    package struct MergeBody: Content {
        package var into: String?
        package var effectiveDate: String?
        package init(into: String? = nil, effectiveDate: String? = nil) {
            self.into = into
            self.effectiveDate = effectiveDate
        }
    }

    package func closeHamlet(req: Request) async throws -> UnitDTO {
        let service = try service(req)
        let hamlet = try await hamlet(req)
        let body = try req.content.decode(CloseBody.self)
        try await service.close(hamlet, date: body.effectiveDate, note: body.note)
        return UnitDTO(hamlet)
    }

    package func mergeHamlet(req: Request) async throws -> UnitDTO {
        let service = try service(req)
        let hamlet = try await hamlet(req)
        let body = try req.content.decode(MergeBody.self)
        guard let code = body.into, !code.isEmpty, let target = try await directory(req).find(.current, code), req.scope.contains(path: target.path) else {
            throw HamletError.invalid("into", "Không có thôn/tổ dân phố đích với mã này.")
        }
        try await service.merge(hamlet, into: target, date: body.effectiveDate)
        return UnitDTO(hamlet)
    }

    /// The file as the body (text/csv or the XLSX type) or as multipart field `file`.
    /// `?dryRun=true` checks without storing. Any bad row: 422 listing every problem, nothing stored.
    package func importHamlets(req: Request) async throws -> Response {
        let user = try req.requireActing(\.canEditUnits)
        let commit = req.query["dryRun"] != "true"
        let report = try await Upload.handle(req) { upload in
            try await HamletImporter(db: req.db, scope: req.scope, actor: user, ip: req.clientIP)
                .run(data: try upload.requireFile(), filename: upload.filename ?? "upload", commit: commit)
        }
        if !report.problems.isEmpty { throw ValidationFailure(problems: report.problems) }
        let response = Response(status: .ok)
        try response.content.encode(report)
        return response
    }
}

/// Hamlets are added, renamed, closed and merged in the 2025 structure only: another structure
/// in the path is a unit not found.
package struct OnlyCurrentUnits: AsyncMiddleware {
    package init() {}
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.parameters.get("structure") == UnitStructure.current.rawValue else { throw HamletError.notFound }
        return try await next.respond(to: request)
    }
}
