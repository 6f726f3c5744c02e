import Vapor

/// Every state-changing form carries a token tied to the session (or, before login, to a
/// cookie of its own); a POST without the right one is refused. The API uses bearer tokens
/// and no cookies, so it needs none.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "hamlet_csrf"
    static let field = "_csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var fresh: String? = nil
        if request.currentSession == nil, request.cookies[Self.cookieName] == nil {
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
    static var refused: HamletError {
        HamletError(status: .forbidden, code: "csrf", message: "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.", field: nil)
    }
}

struct AnonymousCSRFKey: StorageKey { typealias Value = String }

extension Request {
    var csrfToken: String {
        if let session = currentSession { return session.csrfToken }
        return storage[AnonymousCSRFKey.self] ?? cookies[CSRFMiddleware.cookieName]?.string ?? ""
    }
}
