import Vapor
import NIOConcurrencyHelpers

/// The time the application runs on. Production reads the system clock; a test sets or moves it,
/// so nothing a test checks depends on the day or the second it runs.
final class AppClock: @unchecked Sendable {
    private let lock = NIOLock()
    private var fixed: Date?

    var now: Date { lock.withLock { fixed } ?? Date() }

    /// Stops the clock at a moment (tests).
    func set(_ date: Date) { lock.withLock { fixed = date } }

    /// Moves a stopped clock on, or stops a running one that far ahead (tests).
    func advance(by seconds: TimeInterval) { lock.withLock { fixed = (fixed ?? Date()).addingTimeInterval(seconds) } }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = AppClock }

    var clock: AppClock {
        if let clock = storage[ClockKey.self] { return clock }
        let clock = AppClock()
        storage[ClockKey.self] = clock
        return clock
    }
}

extension Request {
    var now: Date { application.clock.now }
}
