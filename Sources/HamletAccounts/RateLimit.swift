import Foundation
import Fluent
import SQLKit
import HamletWeb

/// At most `limit` uses of a key in a window that starts at the first of them, counted in the
/// database (`login_counters`) so every instance shares the count, and raised by compare-and-set
/// so a burst cannot slip past the limit. Sign-in and the served-people check use it.
package struct RateLimit {
    package let db: any SQLDatabase
    package let now: Int64

    package struct Counter {
        package var tries: Int64
        package var since: Int64
        package var nextAt: Int64
        package init(tries: Int64, since: Int64, nextAt: Int64) {
            (self.tries, self.since, self.nextAt) = (tries, since, nextAt)
        }
    }

    package init(db: any SQLDatabase, now: Int64) { self.db = db; self.now = now }

    package init(db: any Database, now: Date) {
        self.db = db as! any SQLDatabase
        self.now = Int64(now.timeIntervalSince1970.rounded(.down))
    }

    /// Seconds to wait if the key is at its limit now; counts nothing.
    package func peek(_ key: String, limit: Int, window: Int64) async throws -> Int? {
        guard let old = try await read(key), old.since > now - window, old.tries >= Int64(limit) else { return nil }
        return max(1, Int(old.since + window - now))
    }

    /// Counts one use, or says how long to wait when the limit is reached.
    package func take(_ key: String, limit: Int, window: Int64) async throws -> Int? {
        for _ in 0..<4 {
            let old = try await read(key)
            let fresh = old.map { $0.since <= now - window } ?? true
            if let old, !fresh, old.tries >= Int64(limit) { return max(1, Int(old.since + window - now)) }
            let next = fresh ? Counter(tries: 1, since: now, nextAt: now) : Counter(tries: old!.tries + 1, since: old!.since, nextAt: now)
            if try await swap(key, from: old, to: next) { return nil }
        }
        return 1
    }

    package func read(_ key: String) async throws -> Counter? {
        guard let row = try await db.raw("SELECT tries, since, next_at FROM login_counters WHERE key = \(bind: key)").first() else { return nil }
        return Counter(tries: try row.decode(column: "tries", as: Int64.self), since: try row.decode(column: "since", as: Int64.self),
                       nextAt: try row.decode(column: "next_at", as: Int64.self))
    }

    /// Compare and set: writes only if the row is still as read. False when another use won.
    package func swap(_ key: String, from old: Counter?, to new: Counter) async throws -> Bool {
        if let old {
            return try await db.raw("""
                UPDATE login_counters SET tries = \(bind: new.tries), since = \(bind: new.since), next_at = \(bind: new.nextAt)
                WHERE key = \(bind: key) AND tries = \(bind: old.tries) AND since = \(bind: old.since) AND next_at = \(bind: old.nextAt) RETURNING key
                """).all().count == 1
        }
        return try await db.raw("""
            INSERT INTO login_counters (key, tries, since, next_at) VALUES (\(bind: key), \(bind: new.tries), \(bind: new.since), \(bind: new.nextAt))
            ON CONFLICT (key) DO NOTHING RETURNING key
            """).all().count == 1
    }
}
