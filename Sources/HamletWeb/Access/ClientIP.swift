import Vapor

extension Application {
    private struct TrustsProxyKey: StorageKey { typealias Value = Bool }

    /// Whether a reverse proxy in front writes X-Forwarded-For (HAMLET_TRUST_PROXY=1).
    package var trustsProxy: Bool {
        get { storage[TrustsProxyKey.self] ?? false }
        set { storage[TrustsProxyKey.self] = newValue }
    }
}

extension Request {
    /// The client's address; behind a reverse proxy (HAMLET_TRUST_PROXY=1) the last X-Forwarded-For,
    /// the one the proxy itself wrote (a client can put anything before it).
    package var clientIP: String {
        if application.trustsProxy,
           let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").last {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
