import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts

/// Where a post was held in the units before the 2025 reform.
package struct AddAssignmentLegacyUnits: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(Assignment.schema).field("legacy_unit_code", .string).update()
    }
    package func revert(on database: any Database) async throws {
        try await database.schema(Assignment.schema).deleteField("legacy_unit_code").update()
    }
}

package struct LegacyUnitInput: Content {
    package var legacyUnitCode: String?
    package init(legacyUnitCode: String? = nil) {
        self.legacyUnitCode = legacyUnitCode
    }
}

extension AssignmentService {
    /// The legacy commune typed for a post held before 01/07/2025 (code or name): one of those
    /// that went into the post's 2025 commune; nil when nothing is typed.
    package func legacyCode(for a: Assignment, typed: String?) async throws -> String? {
        let raw = VietnameseText.normalized(typed ?? "")
        guard !raw.isEmpty else { return nil }
        guard a.unitPath.split(separator: ".").count >= 2 else {
            throw HamletError.invalid("legacyUnitCode", "Nhiệm vụ ở cấp tỉnh không cần xã trước sắp xếp.")
        }
        guard a.startDate < UnitLoader.reform2025Date else {
            throw HamletError.invalid("legacyUnitCode", "Chỉ ghi xã trước sắp xếp cho nhiệm vụ bắt đầu trước 01/07/2025.")
        }
        let choices = try await LegacyMap(db: db).predecessors(ofPlaceAt: a.unitPath)
        let folded = VietnameseText.folded(raw)
        guard let found = choices.first(where: { $0.code == raw || $0.searchName == folded || VietnameseText.folded($0.shortName) == folded }) else {
            throw HamletError.invalid("legacyUnitCode", choices.isEmpty ? "Xã này không có xã nào trước sắp xếp."
                : "Xã trước sắp xếp phải là một trong: " + choices.map { "\($0.name) (\($0.code))" }.joined(separator: ", ") + ".")
        }
        return found.code
    }

    /// Records (or clears, with none) where a post was held before the reform.
    package func placeBeforeReform(_ a: Assignment, _ typed: String?) async throws {
        let code = try await legacyCode(for: a, typed: typed)
        let before = a.legacyUnitCode
        a.legacyUnitCode = code
        try await db.writeTransaction { tx in
            try await a.save(on: tx)
            var changes = AuditChanges()
            changes.add("legacy_unit_code", before, code)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "update", entity: "assignment", entityID: a.id?.uuidString, scopePath: a.unitPath, changes: changes)
        }
    }
}

/// PUT /api/v1/assignments/:id/legacy-unit and the person page's form: where a post was before the reform.
package struct LegacyPostRoutes: RouteCollection {
    package let api: Bool

    package init(api: Bool) { self.api = api }

    package func boot(routes: any RoutesBuilder) throws {
        if api { routes.put("assignments", ":id", "legacy-unit", use: place) } else { routes.post("assignments", ":id", "legacy-unit", use: place) }
    }

    package func place(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let (a, person) = try await req.editableAssignment(req.parameters.get("id", as: UUID.self))
        let input = try req.content.decode(LegacyUnitInput.self)
        guard api else { return try await PeoplePages().act(req, person: person.id) { try await req.assignments().placeBeforeReform(a, input.legacyUnitCode) } }
        try await req.assignments().placeBeforeReform(a, input.legacyUnitCode)
        return try await AssignmentViews(db: req.db).make([a], today: req.today.iso)[0].encodeResponse(for: req)
    }
}
