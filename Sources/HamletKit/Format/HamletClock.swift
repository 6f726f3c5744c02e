import Foundation

/// The one clock every "now" and "today" of Hamlet reads: the system's, unless a test stops or
/// moves it. One per process, so code far from a request (a service, a migration, the demo)
/// reads the same time as the request; the test harness stops it at a fixed moment for every
/// test, so no test depends on the day it runs. Log timestamps (the audit's `at`, start-up
/// timing) keep the wall clock: they say when something was written, not what day it is.
public final class HamletClock: @unchecked Sendable {
    public static let shared = HamletClock()

    private let lock = NSLock()
    private var fixed: Date?

    public var now: Date { lock.lock(); defer { lock.unlock() }; return fixed ?? Date() }

    /// Stops the clock at a moment (tests); nil lets it run again.
    public func set(_ date: Date?) { lock.lock(); fixed = date; lock.unlock() }

    /// Moves a stopped clock on, or stops a running one that far ahead (tests).
    public func advance(by seconds: TimeInterval) { lock.lock(); fixed = (fixed ?? Date()).addingTimeInterval(seconds); lock.unlock() }
}
