import Vapor
import Leaf
import Fluent

/// What every page template receives: the body's own data plus the frame around it
/// (strings in the chosen language, the signed-in user, the CSRF token).
struct Page<Body: Encodable>: Encodable {
    var title: String
    var lang: String
    var t: [String: String]
    var user: UserSummary?
    var csrf: String
    var nav: String
    var path: String
    var notice: String?
    /// The version of the site's files, in their addresses (`StaticAssets`).
    var asset: String
    var body: Body
}

struct UserSummary: Encodable {
    /// The menu entries this role uses (`Role.menu`), by key.
    var menu: [String: Bool] = [:]
    var username: String
    var displayName: String
    var role: String
    var roleLabel: String
    var scopeName: String
    var isAdmin: Bool
    var canEditUnits: Bool
    var canEditOrganisations: Bool
    var canEditCatalogues: Bool
}

extension Request {
    func renderPage<Body: Encodable>(_ template: String, title: String, status: HTTPResponseStatus = .ok,
                                     nav: String = "", notice: String? = nil, body: Body) async throws -> Response {
        let language = self.language
        var summary: UserSummary? = nil
        if let user = currentUser {
            let scopeName = user.scope.isNation ? Strings.text("nation", language)
                : try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
                    .filter(\.$code == user.scopeCode).first()?.name ?? user.scopeCode
            summary = UserSummary(
                username: user.username, displayName: user.displayName, role: user.role.rawValue,
                roleLabel: user.role.label(language), scopeName: scopeName,
                isAdmin: user.role == .admin, canEditUnits: user.role.canEditUnits,
                canEditOrganisations: user.role.canEditOrganisations, canEditCatalogues: user.role.canEditCatalogues)
            summary?.menu = Dictionary(uniqueKeysWithValues: user.role.menu.map { ($0, true) })
        }
        let page = Page(title: language == .en ? English.title(title) : title, lang: language.rawValue, t: Strings.table(language), user: summary,
                        csrf: csrfToken, nav: nav, path: url.path, notice: notice ?? query[String.self, at: "notice"].flatMap { Strings.notice($0, language) },
                        asset: application.assetVersion, body: body)
        let view = try await self.view.render(template, page)
        let response = try await view.encodeResponse(status: status, for: self)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// After a successful POST: back to a page, with a short notice key the next page shows.
    func redirect(to path: String, notice: String) -> Response {
        let separator = path.contains("?") ? "&" : "?"
        return redirect(to: path + separator + "notice=" + notice, redirectType: .normal)
    }
}
