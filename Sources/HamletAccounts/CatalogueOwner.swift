import Vapor
import Fluent
import HamletWeb
import HamletDatabase
import HamletUnits

/// Who owns a shared catalogue item (a report form, data element, category or indicator): the
/// province whose officer made it (its path, "91."), or the whole country (""). Everyone uses an
/// item; only accounts whose scope holds its owner change it, so one province cannot rewrite the
/// forms and indicators behind another's reports and targets.
package enum CatalogueOwner {
    /// The owner a new item gets: the creator's province, or the country for a national account
    /// and for the system itself (commands, demo).
    package static func path(for user: (any ActingAccount)?) -> String {
        guard let user, !user.scope.isNation, let province = user.scope.path.split(separator: ".").first else { return "" }
        return province + "."
    }

    package static func mayEdit(_ ownerPath: String, _ user: (any ActingAccount)?) -> Bool {
        guard let user else { return true }
        return user.role.canEditCatalogues && user.scope.contains(path: ownerPath)
    }

    /// Refuses a change by anyone outside the owner's scope, naming the owner.
    package static func requireEditable(_ ownerPath: String, by user: (any ActingAccount)?, on db: any Database) async throws {
        guard !mayEdit(ownerPath, user) else { return }
        throw HamletError(status: .forbidden, code: "not_owner",
                          message: "Mục này thuộc danh mục của \(try await label(ownerPath, on: db)): chỉ cán bộ của đơn vị đó được sửa; đơn vị khác dùng mà không sửa.",
                          field: nil)
    }

    /// "VN" or the owning province's code, for the API.
    package static func code(_ ownerPath: String) -> String {
        ownerPath.isEmpty ? AccessScope.nationCode : String(ownerPath.dropLast())
    }

    package static func label(_ ownerPath: String, on db: any Database) async throws -> String {
        if ownerPath.isEmpty { return "cả nước" }
        let unit = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$path == ownerPath).first()
        return unit?.name ?? code(ownerPath)
    }
}
