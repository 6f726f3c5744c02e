import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletWorkforce
import HamletReporting

/// An account's whole list: what each feature finds for it, most urgent first.
extension MyWork {
    /// For a request: the signed-in account's list, in the request's language.
    static func list(for req: Request) async throws -> WorkList {
        let work = MyWork(db: req.db, user: try req.requireUser(), today: req.today, language: req.language)
        var list = try await work.list()
        if work.user.role == .caseworker { try await addCaseWork(to: &list, work, req) }
        list.sort()
        return list
    }

    func list() async throws -> WorkList {
        let scope = user.scope
        let unit = scope.isNation ? nil : try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$code == scope.code).first()
        let sets = try await DataSet.query(on: db).sort(\.$name).all()
            .filter { $0.ownerPath.isEmpty || scope.isNation || scope.path.hasPrefix($0.ownerPath) || $0.ownerPath.hasPrefix(scope.path) }
        var items: [WorkItem] = []
        for set in sets {
            if let unit, set.levels.contains(unit.level), user.role.canEnterReports {
                items += try await ownReports(set, unit)
            }
            if user.role.canApproveReports, let level = unit?.level, set.levels.contains(where: { Self.below($0, level) }) {
                items += try await below(set, unit!)
            }
        }
        if [.admin, .provinceOfficer, .communeOfficer].contains(user.role) { items += try await targetsAtRisk() }
        if [.viewer, .leader].contains(user.role) { items += try await targetsAtAGlance() }
        if [.admin, .provinceOfficer, .communeOfficer, .leader].contains(user.role) { items += try await planReports() }
        if user.role == .communeOfficer, let unit {
            items += try await hamletsWithoutCollaborator(unit)
            items += try await classesSoon(unit)
        }
        var list = WorkList(role: user.role.rawValue, asOf: today.iso, items: items)
        list.sort()
        return list
    }

}

/// GET /api/v1/me/work: the same list as the start page.
struct MyWorkAPI: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("me", "work", use: work)
    }

    func work(req: Request) async throws -> WorkList {
        try await MyWork.list(for: req)
    }
}
