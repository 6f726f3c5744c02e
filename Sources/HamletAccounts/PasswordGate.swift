import Vapor
import HamletWeb

/// Bounds bcrypt work. A password check costs a core for a third of a second; a flood of
/// sign-ins would take every core and starve the rest of the server. At most `running` checks
/// run at once and `waiting` wait their turn; anyone beyond that is told to come back (429).
package actor PasswordGate {
    package let running: Int
    package let waiting: Int
    private var busy = 0
    private var queue: [CheckedContinuation<Bool, Never>] = []

    package init(running: Int = max(1, System.coreCount - 1), waiting: Int = 8) {
        self.running = running
        self.waiting = waiting
    }

    /// Runs the work when a place is free; throws 429 at once when the queue is full.
    package func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        if busy >= running {
            guard queue.count < waiting else { throw Self.busyError }
            let admitted = await withCheckedContinuation { queue.append($0) }
            guard admitted else { throw Self.busyError }
        } else {
            busy += 1
        }
        defer { release() }
        return try await work()
    }

    private func release() {
        if queue.isEmpty { busy -= 1 } else { queue.removeFirst().resume(returning: true) }
    }

    package static var busyError: HamletError {
        var error = HamletError(status: .tooManyRequests, code: "busy",
                                message: "Hệ thống đang xử lý nhiều lượt đăng nhập. Vui lòng thử lại sau ít giây.", field: "password")
        error.headers.replaceOrAdd(name: .retryAfter, value: "5")
        return error
    }
}

extension Application {
    private struct PasswordGateKey: StorageKey { typealias Value = PasswordGate }

    package var passwordGate: PasswordGate {
        get {
            if let gate = storage[PasswordGateKey.self] { return gate }
            let gate = PasswordGate()
            storage[PasswordGateKey.self] = gate
            return gate
        }
        set { storage[PasswordGateKey.self] = newValue }
    }
}
