import Vapor

/// What makes Hamlet an installable app that opens with no connection: the manifest (names in
/// the chosen language) and the page the service worker (Public/sw.js) shows for a page it
/// has not kept. Both are open to anyone: they hold nothing of an account.
package struct AppShellRoutes: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("manifest.webmanifest", use: manifest)
        routes.get("offline", use: offline)
    }

    package struct Manifest: Encodable {
        package struct Icon: Encodable {
            package var src: String
            package var sizes: String
            package var type: String
            package var purpose: String
            package init(src: String, sizes: String, type: String, purpose: String) {
                (self.src, self.sizes, self.type, self.purpose) = (src, sizes, type, purpose)
            }
        }
        package var name: String; package var short_name: String; package var description: String; package var lang: String
        package var start_url: String; package var scope: String; package var display: String; package var background_color: String; package var theme_color: String
        package var icons: [Icon]

    }

    package func manifest(req: Request) async throws -> Response {
        let lang = req.language
        let body = Manifest(name: "Hamlet — " + Strings.text("app_tagline", lang), short_name: "Hamlet", description: Strings.text("app_tagline", lang),
                            lang: lang.rawValue, start_url: "/", scope: "/", display: "standalone", background_color: "#ffffff", theme_color: "#1849a9",
                            icons: [.init(src: "/favicon.svg?v=" + req.application.assetVersion, sizes: "any", type: "image/svg+xml", purpose: "any")])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let response = Response(status: .ok, body: .init(data: try encoder.encode(body)))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "manifest+json")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return response
    }

    package struct OfflinePage: Encodable {}

    package func offline(req: Request) async throws -> Response {
        try await req.renderPage("errors/offline", title: Strings.text("offline_title", req.language), body: OfflinePage())
    }
}
