import Vapor
import Fluent
import HamletWeb

package struct CurrentSessionKey: StorageKey { package typealias Value = UserSession }

extension Request {
    package var currentSession: UserSession? { storage[CurrentSessionKey.self] }
}

/// Signs a request in from its session cookie. Expired sessions are deleted on sight; the
/// last-seen time is written at most once a minute to keep reads cheap.
package struct SessionAuthenticator: AsyncMiddleware {
    package init() {}
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearCookie = false
        if let secret = request.cookies[UserSession.cookieName]?.string, !secret.isEmpty {
            // One statement with its account joined, read as text: this runs on every page.
            let session = try await SignInRows.session(digest: Token.digest(secret), on: request.db)
            let now = request.now
            if let session, !session.isExpired(at: now), !session.user.isDisabled, session.credentialVersion == session.user.credentialVersion {
                if now.timeIntervalSince(session.lastSeenAt) > 60 {
                    session.lastSeenAt = now
                    try await session.update(on: request.db)
                }
                request.auth.login(session.user)
                request.storage[CurrentSessionKey.self] = session
                request.storage[SessionCSRFKey.self] = session.csrfToken
            } else {
                if let session { try await session.delete(on: request.db) }
                clearCookie = true
            }
        }
        let response = try await next.respond(to: request)
        if clearCookie, response.cookies[UserSession.cookieName] == nil {
            response.cookies[UserSession.cookieName] = .expired
        }
        return response
    }
}

/// Signs an API request in from `Authorization: Bearer <token>` (also `ApiToken <token>`, the
/// form DHIS2 clients send).
package struct BearerAuthenticator: AsyncMiddleware {
    package init() {}
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let secret = Self.token(in: request) {
            let now = request.now
            // One statement with its account joined, read as text: this runs on every API call.
            let token = try await SignInRows.token(digest: Token.digest(secret), on: request.db)
            guard let token, token.isUsable(at: now, by: token.user)
            else {
                throw HamletError(status: .unauthorized, code: "unauthorized", message: "Mã truy cập không hợp lệ hoặc đã hết hạn.", field: nil)
            }
            if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
                token.lastUsedAt = now
                try await token.update(on: request.db)
            }
            request.auth.login(token.user)
        }
        return try await next.respond(to: request)
    }

    package static func token(in request: Request) -> String? {
        guard let header = request.headers.first(name: .authorization) else { return nil }
        for scheme in ["Bearer ", "ApiToken "] where header.hasPrefix(scheme) {
            return String(header.dropFirst(scheme.count)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}

/// Lets only signed-in requests through: pages redirect to the login form, the API answers 401.
package struct RequireUser: AsyncMiddleware {
    package init() {}
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.currentUser != nil else { throw HamletError.unauthorized }
        return try await next.respond(to: request)
    }
}
