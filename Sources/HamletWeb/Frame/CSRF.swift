import Vapor

/// Every state-changing form carries a token tied to the session (or, before login, to a
/// cookie of its own); a POST without the right one is refused. The API uses bearer tokens
/// and no cookies, so it needs none.
package struct CSRFMiddleware: AsyncMiddleware {
    package init() {}
    package static let cookieName = "hamlet_csrf"
    package static let field = "_csrf"

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var fresh: String? = nil
        if request.storage[SessionCSRFKey.self] == nil, request.cookies[Self.cookieName] == nil {
            fresh = Token.random(bytes: 24)
            request.storage[AnonymousCSRFKey.self] = fresh
        }
        // A form is small (64 KB, before anyone has signed in too); a file upload is read, and its
        // token checked, by `Upload` once the route's own checks have passed.
        if request.method != .GET, request.method != .HEAD, !request.isAPI, !request.isUploadRoute {
            if request.body.data == nil {
                do { _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get() }
                catch { throw Upload.tooLarge(request.application.routes.defaultMaxBodySize.value) }
            }
            let sent = (try? request.content.get(String.self, at: Self.field)) ?? request.headers.first(name: "X-CSRF-Token")
            guard let sent, Token.equal(sent, request.csrfToken) else { throw Self.refused }
        }
        let response = try await next.respond(to: request)
        if let fresh {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: fresh, path: "/", isSecure: request.isSecure, isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }
}

extension CSRFMiddleware {
    package static var refused: HamletError {
        HamletError(status: .forbidden, code: "csrf", message: "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.", field: nil)
    }
}

package struct AnonymousCSRFKey: StorageKey { package typealias Value = String }
/// The signed-in session's token, put here by whoever signs the request in from its cookie.
package struct SessionCSRFKey: StorageKey { package typealias Value = String }

extension Request {
    package var csrfToken: String {
        if let token = storage[SessionCSRFKey.self] { return token }
        return storage[AnonymousCSRFKey.self] ?? cookies[CSRFMiddleware.cookieName]?.string ?? ""
    }
}
