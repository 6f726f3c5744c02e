import Foundation
import Fluent
import SQLKit
import Vapor
import NIOCore

extension Database {
    /// A transaction that takes SQLite's write lock before anything else. SQLite begins a
    /// transaction as a reader; one that read first and writes later cannot move up to writer
    /// when another connection wrote meanwhile, and fails at once ("database is locked") instead
    /// of waiting. PostgreSQL locks row by row and needs none of this.
    ///
    /// On SQLite the writers of this process queue in `SQLiteWrites`, then run on the writer's own
    /// loop and connection (`SQLiteWithWriter`) from `BEGIN IMMEDIATE` to `COMMIT`: SQLite writes
    /// one transaction at a time, so how many saves a second it takes is how short one is, and
    /// on the server's busy event loops each of its statements waited behind other requests' work.
    package func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let sql = self as? any SQLDatabase, SQLText.isSQLite(sql) else { return try await transaction { tx in try await body(tx) } }
        // Inside a transaction already: its lock (and its head, when it read one) serve.
        if inTransaction {
            if LockedHead.current != nil { return try await body(self) }
            try await sql.raw("UPDATE audit_head SET seq = seq WHERE 0").run()
            return try await body(self)
        }
        // Every SQLite database is set up by `DatabaseSetup`, with a writer of its own.
        guard let writer = sqliteWriter else { throw Abort(.internalServerError, reason: "SQLite without its writer (not set up by DatabaseSetup)") }
        // The turn is awaited on the writer's loop too: handed over, the next writer goes on at
        // once instead of waiting behind the server's other work for an event loop.
        return try await withTaskExecutorPreference(writer.executor) {
            let turn = await SQLiteWrites.shared.enter(on: writer.executor.loop)
            defer { SQLiteWrites.shared.leave(turn) }
            let tx = writer.db
            try await tx.raw("BEGIN IMMEDIATE").run()
            do {
                // The audit chain's head, read once: the entries this transaction appends follow
                // it, and no other writer can move it before COMMIT.
                let head = try await tx.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first()
                let read = try head.map { LockedHead(seq: try $0.decode(column: "seq", as: Int64.self), hash: try $0.decode(column: "hash", as: String.self)) }
                let result = try await LockedHead.$current.withValue(read) { try await body(tx) }
                try await tx.raw("COMMIT").run()
                return result
            } catch {
                try? await tx.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}

/// The audit chain's head as the SQLite write transaction under way read it when it took the
/// lock, kept up to date by the entries it appends (`AuditLog`), so appending needs no read.
package final class LockedHead: @unchecked Sendable {
    package var seq: Int64
    package var hash: String
    init(seq: Int64, hash: String) { (self.seq, self.hash) = (seq, hash) }

    @TaskLocal package static var current: LockedHead?
}

/// One SQLite writer at a time in this process, first come first served. A writer that waits
/// longer than the limit (10 s, SQLite's busy timeout) goes ahead without the turn and meets the
/// held connection or SQLite's lock, which fail it after their own timeouts: a mistake (a write
/// inside a write, on another handle) fails as it did before instead of hanging.
package final class SQLiteWrites: @unchecked Sendable {
    package static let shared = SQLiteWrites()

    private final class Waiter: @unchecked Sendable {
        let resume: CheckedContinuation<Bool, Never>
        var timer: Scheduled<Void>?
        init(_ resume: CheckedContinuation<Bool, Never>) { self.resume = resume }
    }

    private let lock = NSLock()
    private var busy = false
    private var waiting: [Waiter] = []

    /// Waits for the turn; the answer says whether this writer holds it (and must `leave`).
    /// The limit is a timer on `loop`, cancelled when the turn comes.
    package func enter(on loop: any EventLoop, timeout: TimeAmount = .seconds(10)) async -> Bool {
        let free = lock.withLock { () -> Bool in
            guard !busy else { return false }
            busy = true
            return true
        }
        if free { return true }
        return await withCheckedContinuation { (resume: CheckedContinuation<Bool, Never>) in
            let waiter = Waiter(resume)
            let free = lock.withLock {
                if !busy { busy = true; return true }
                waiting.append(waiter)
                return false
            }
            if free { return resume.resume(returning: true) }
            let timer = loop.scheduleTask(in: timeout) { self.giveUp(waiter) }
            lock.withLock { waiter.timer = timer }
        }
    }

    package func leave(_ held: Bool) {
        guard held else { return }
        let first: Waiter? = lock.withLock {
            guard !waiting.isEmpty else { busy = false; return nil }
            return waiting.removeFirst()
        }
        guard let first else { return }
        lock.withLock { first.timer }?.cancel()
        first.resume.resume(returning: true)
    }

    private func giveUp(_ waiter: Waiter) {
        let found = lock.withLock {
            guard let at = waiting.firstIndex(where: { $0 === waiter }) else { return false }
            waiting.remove(at: at)
            return true
        }
        if found { waiter.resume.resume(returning: false) }
    }
}

