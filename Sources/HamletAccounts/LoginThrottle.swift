import Vapor
import Fluent
import SQLKit
import HamletWeb

/// Slows password guessing, in the database so every instance counts the same tries. Three
/// counters, each moved by compare-and-set so a burst of tries cannot slip past a limit:
/// - account and address together: 5 tries in 15 minutes, then that pair waits;
/// - the address alone: 30 tries in 15 minutes (one machine spraying many accounts);
/// - the account from addresses it has never signed in from: after 5, each try waits twice as
///   long as the one before, up to 15 minutes. An address the account has signed in from is
///   exempt, so a stranger's failures never lock the owner out of their usual place.
/// A try is counted before its password is checked; a correct password clears the counters.
package struct LoginThrottle {
    package static let pairLimit = 5
    package static let addressLimit = 30
    package static let accountFreeTries = 5
    package static let window: Int64 = 15 * 60
    package static let longestDelay: Int64 = 15 * 60

    package let db: any SQLDatabase
    package let now: Int64

    package init(db: any Database, now: Date) {
        self.db = db as! any SQLDatabase
        self.now = Int64(now.timeIntervalSince1970.rounded(.down))
    }

    package struct Keys {
        package var pair: String, address: String, account: String, known: String
        package init(username: String, ip: String) {
            let user = username.lowercased()
            pair = "pair:\(user)|\(ip)"; address = "ip:\(ip)"; account = "user:\(user)"; known = "known:\(user)|\(ip)"
        }
    }

    private typealias Counter = RateLimit.Counter
    private var counters: RateLimit { RateLimit(db: db, now: now) }

    /// Seconds to wait before another try, or nil when one may be made now. Counts nothing.
    package func wait(_ keys: Keys) async throws -> Int? {
        if let wait = try await windowed(keys.pair, limit: Self.pairLimit, dryRun: true) { return wait }
        if let wait = try await windowed(keys.address, limit: Self.addressLimit, dryRun: true) { return wait }
        if try await read(keys.known) == nil, let account = try await read(keys.account), account.nextAt > now { return Int(account.nextAt - now) }
        return nil
    }

    /// Counts a try, each limit checked again as it is raised: seconds to wait if one is reached.
    package func take(_ keys: Keys) async throws -> Int? {
        let known = try await read(keys.known) != nil
        if let wait = try await windowed(keys.pair, limit: Self.pairLimit, dryRun: false) { return wait }
        if let wait = try await windowed(keys.address, limit: Self.addressLimit, dryRun: false) { return wait }
        if !known, let wait = try await delayed(keys.account) { return wait }
        return nil
    }

    /// A correct password: the pair and the account start again, and the address becomes known.
    package func succeeded(_ keys: Keys) async throws {
        try await db.raw("DELETE FROM login_counters WHERE key IN (\(bind: keys.pair), \(bind: keys.account))").run()
        try await db.raw("""
            INSERT INTO login_counters (key, tries, since, next_at) VALUES (\(bind: keys.known), 0, \(bind: now), \(bind: now))
            ON CONFLICT (key) DO UPDATE SET next_at = excluded.next_at
            """).run()
        try await db.raw("DELETE FROM login_counters WHERE key NOT LIKE 'known:%' AND since < \(bind: now - 86_400) AND next_at < \(bind: now)").run()
    }

    private func read(_ key: String) async throws -> Counter? { try await counters.read(key) }

    private func windowed(_ key: String, limit: Int, dryRun: Bool) async throws -> Int? {
        dryRun ? try await counters.peek(key, limit: limit, window: Self.window) : try await counters.take(key, limit: limit, window: Self.window)
    }

    /// Tries beyond the free ones wait 1, 2, 4 … seconds after the one before, up to the longest delay.
    private func delayed(_ key: String) async throws -> Int? {
        for _ in 0..<4 {
            let old = try await read(key)
            if let old, old.nextAt > now { return Int(old.nextAt - now) }
            let tries = (old?.tries ?? 0) + 1
            let extra = tries - Int64(Self.accountFreeTries)
            let delay = extra <= 0 ? 0 : min(Self.longestDelay, Int64(1) << min(extra - 1, 20))
            if try await swap(key, from: old, to: Counter(tries: tries, since: old?.since ?? now, nextAt: now + delay)) { return nil }
        }
        return 1
    }

    private func swap(_ key: String, from old: Counter?, to new: Counter) async throws -> Bool {
        try await counters.swap(key, from: old, to: new)
    }
}

/// The counters' table; it replaces one row per failure, which could not be checked and raised
/// in one step.
package struct CreateLoginCounters: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE TABLE login_counters (key TEXT PRIMARY KEY, tries BIGINT NOT NULL, since BIGINT NOT NULL, next_at BIGINT NOT NULL)").run()
        try await database.schema("login_failures").delete()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema("login_counters").delete()
        try await CreateLoginFailures().prepare(on: database)
    }
}

/// The first, per-failure table (kept so older databases migrate in order).
package struct CreateLoginFailures: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema("login_failures")
            .id()
            .field("key", .string, .required)
            .field("at", .datetime, .required)
            .create()
    }
    package func revert(on database: any Database) async throws { try await database.schema("login_failures").delete() }
}
