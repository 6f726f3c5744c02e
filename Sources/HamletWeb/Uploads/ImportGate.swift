import Vapor

/// At most a few imports at once per server: each reads a file of up to `Upload.limit` bytes and
/// checks it against the database, and three at once took 8 GB before limits were put on them.
/// One more is told to come back (503, Retry-After) instead of waiting with its file in hand.
package actor ImportGate {
    package let limit: Int
    private var running = 0

    package init(limit: Int) { self.limit = limit }

    package func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        guard running < limit else {
            var error = HamletError(status: .serviceUnavailable, code: "busy",
                                    message: "Máy chủ đang xử lý \(limit) tệp nhập khác. Vui lòng gửi lại sau ít phút.", field: "file")
            error.headers.replaceOrAdd(name: .retryAfter, value: "30")
            throw error
        }
        running += 1
        defer { running -= 1 }
        return try await work()
    }
}

extension Application {
    private struct ImportGateKey: StorageKey { typealias Value = ImportGate }

    /// Set once by `configure`. Unset, each caller would get a gate of its own that stops nobody
    /// (as it did until December 2026): that is a start-up mistake, stopped loudly.
    package var importGate: ImportGate {
        get {
            guard let gate = storage[ImportGateKey.self] else { preconditionFailure("configure sets app.importGate") }
            return gate
        }
        set { storage[ImportGateKey.self] = newValue }
    }
}
