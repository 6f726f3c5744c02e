import Vapor
import Leaf
import Fluent

/// What every page template receives: the body's own data plus the frame around it
/// (strings in the chosen language, the signed-in user, the CSRF token).
package struct Page<Body: Encodable>: Encodable {
    package var title: String
    package var lang: String
    package var t: [String: String]
    package var user: UserSummary?
    package var csrf: String
    package var nav: String
    package var path: String
    package var notice: String?
    /// The version of the site's files, in their addresses (`StaticAssets`).
    package var asset: String
    package var body: Body

    package init(title: String, lang: String, t: [String: String], user: UserSummary? = nil, csrf: String, nav: String,
                 path: String, notice: String? = nil, asset: String, body: Body) {
        (self.title, self.lang, self.t, self.user) = (title, lang, t, user)
        (self.csrf, self.nav, self.path, self.notice) = (csrf, nav, path, notice)
        (self.asset, self.body) = (asset, body)
    }
}

/// Who is signed in, as the frame shows them. The frame knows no accounts: the feature that
/// does sets `Application.pageViewer` when the app is put together.
package struct UserSummary: Encodable, Sendable {
    /// The menu entries this role uses (`Role.menu`), by key.
    package var menu: [String: Bool] = [:]
    package var username: String
    package var displayName: String
    package var role: String
    package var roleLabel: String
    package var scopeName: String
    package var isAdmin: Bool
    package var canEditUnits: Bool
    package var canEditOrganisations: Bool
    package var canEditCatalogues: Bool

    package init(username: String, displayName: String, role: String, roleLabel: String, scopeName: String,
                 isAdmin: Bool, canEditUnits: Bool, canEditOrganisations: Bool, canEditCatalogues: Bool) {
        (self.username, self.displayName, self.role, self.roleLabel, self.scopeName) = (username, displayName, role, roleLabel, scopeName)
        (self.isAdmin, self.canEditUnits, self.canEditOrganisations, self.canEditCatalogues) = (isAdmin, canEditUnits, canEditOrganisations, canEditCatalogues)
    }
}

extension Request {
    package func renderPage<Body: Encodable>(_ template: String, title: String, status: HTTPResponseStatus = .ok,
                                     nav: String = "", notice: String? = nil, body: Body) async throws -> Response {
        let language = self.language
        let summary = try await application.pageViewer(self)
        let page = Page(title: language == .en ? English.title(title) : title, lang: language.rawValue, t: Strings.table(language), user: summary,
                        csrf: csrfToken, nav: nav, path: url.path, notice: notice ?? query[String.self, at: "notice"].flatMap { Strings.notice($0, language) },
                        asset: application.assetVersion, body: body)
        let view = try await self.view.render(template, page)
        let response = try await view.encodeResponse(status: status, for: self)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// After a successful POST: back to a page, with a short notice key the next page shows.
    package func redirect(to path: String, notice: String) -> Response {
        let separator = path.contains("?") ? "&" : "?"
        return redirect(to: path + separator + "notice=" + notice, redirectType: .normal)
    }
}

extension Application {
    private struct PageViewerKey: StorageKey {
        typealias Value = @Sendable (Request) async throws -> UserSummary?
    }

    /// The signed-in user of a request as the frame shows them; nobody until the app sets it.
    package var pageViewer: @Sendable (Request) async throws -> UserSummary? {
        get { storage[PageViewerKey.self] ?? { _ in nil } }
        set { storage[PageViewerKey.self] = newValue }
    }
}
