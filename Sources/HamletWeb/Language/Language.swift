import Vapor
import HamletKit

package enum Language: String, Sendable, CaseIterable {
    case vi, en

    /// The language of the request being answered (`LanguageScope`), for sentences made far
    /// from the request, such as a service's refusal.
    @TaskLocal package static var current: Language = .vi
}

/// Runs each request with its language as `Language.current`.
package struct LanguageScope: AsyncMiddleware {
    package init() {}
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await Language.$current.withValue(request.language) { try await next.respond(to: request) }
    }
}

extension Request {
    /// Vietnamese unless the visitor chose English (a cookie, so it works before login too). An API
    /// client may ask with `Accept-Language: en`; a browser's own Accept-Language is not taken,
    /// since many Vietnamese users run an English browser and Vietnamese is the default.
    package var language: Language {
        if let cookie = cookies["hamlet_lang"]?.string, let lang = Language(rawValue: cookie) { return lang }
        if isAPI, let asked = headers.first(name: .acceptLanguage)?.lowercased(),
           asked.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).hasPrefix("en") == true { return .en }
        return .vi
    }
}

package struct LanguageRoutes: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.post("language", use: choose)
    }

    package struct Form: Content {
        package var lang: String
        package var back: String?
        package init(lang: String, back: String? = nil) {
            self.lang = lang
            self.back = back
        }
    }

    package func choose(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let lang = Language(rawValue: form.lang) ?? .vi
        let back = SafeRedirect.path(form.back)
        let response = req.redirect(to: back)
        response.cookies["hamlet_lang"] = HTTPCookies.Value(
            string: lang.rawValue, maxAge: 365 * 24 * 3600, path: "/", isSecure: req.isSecure, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}

extension Request {
    /// HTTPS directly, or behind a reverse proxy that says so.
    package var isSecure: Bool {
        url.scheme == "https" || headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }
}

extension Period {
    /// The period as the request's reader writes it: "Tháng 11/2026" or "November 2026".
    package var shown: String { Language.current == .en ? englishLabel : label }
}
