import Vapor
import Fluent
import HamletWeb
import HamletUnits

/// The signed-in user as the page frame shows them: name, role, the unit of their scope and the
/// menu entries their role uses. Set as `Application.pageViewer` when the app is put together.
package enum PageViewer {
    @Sendable package static func summary(_ req: Request) async throws -> UserSummary? {
        guard let user = req.currentUser else { return nil }
        let language = req.language
        let scopeName = user.scope.isNation ? Strings.text("nation", language)
            : try await AdminUnit.query(on: req.db).filter(\.$structure == UnitStructure.current.rawValue)
                .filter(\.$code == user.scopeCode).first()?.name ?? user.scopeCode
        var summary = UserSummary(
            username: user.username, displayName: user.displayName, role: user.role.rawValue,
            roleLabel: user.role.label(language), scopeName: scopeName,
            isAdmin: user.role == .admin, canEditUnits: user.role.canEditUnits,
            canEditOrganisations: user.role.canEditOrganisations, canEditCatalogues: user.role.canEditCatalogues)
        summary.menu = Dictionary(uniqueKeysWithValues: user.role.menu.map { ($0, true) })
        return summary
    }
}
