import Foundation
import Vapor
import Fluent
import HamletDatabase

/// Read-mostly answers (dashboards, indicator values, report totals) kept by each app instance
/// under the data versions they were computed at (`DataVersions`): asked again while nothing they
/// read has changed, they cost one small query; after any change to what they read, the next
/// read computes afresh, as before. The versions live in the database, so every instance sees
/// every writer's change; the answers themselves are per instance, at most `limit` of them.
package final class KeptAnswers: @unchecked Sendable {
    private struct Entry {
        var value: any Sendable
        var versions: [String: Int64]
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    /// Questions being computed now, with who waits for them: twenty clients opening the same
    /// dashboard after a change make one computation, not twenty.
    private var flights: [String: [CheckedContinuation<(any Sendable)?, Never>]] = [:]
    private var order: [String] = []
    package let limit: Int
    /// Reads answered from what was kept, and computed; for tests and the load benchmark.
    package private(set) var hits = 0
    package private(set) var misses = 0
    package private(set) var computed = 0

    package init(limit: Int) { self.limit = limit }

    /// The groups the kept answer to `question` was computed under, if one is kept.
    fileprivate func groups(_ question: String) -> [String]? {
        lock.withLock { entries[question].map { Array($0.versions.keys) } }
    }

    fileprivate func lookup<T>(_ question: String, versions now: [String: Int64]) -> T? {
        lock.withLock {
            guard let entry = entries[question], entry.versions.allSatisfy({ (now[$0.key] ?? 0) == $0.value }), let value = entry.value as? T else {
                misses += 1
                return nil
            }
            hits += 1
            return value
        }
    }

    /// Whether this request computes the answer (true), or waited for another that did: then
    /// its answer, or nil when that computation failed (and this request computes its own).
    fileprivate func join(_ flight: String) async -> (leads: Bool, answer: (any Sendable)?) {
        let leads = lock.withLock { () -> Bool in
            if flights[flight] == nil { flights[flight] = []; return true }
            return false
        }
        if leads { return (true, nil) }
        let answer = await withCheckedContinuation { (waiter: CheckedContinuation<(any Sendable)?, Never>) in
            let queued = lock.withLock { () -> Bool in
                guard flights[flight] != nil else { return false }
                flights[flight]!.append(waiter)
                return true
            }
            // The computation ended between the two locks: compute again rather than wait forever.
            if !queued { waiter.resume(returning: nil) }
        }
        return (false, answer)
    }

    /// Ends a computation, handing its answer (nil: it failed) to whoever waited for it.
    fileprivate func land(_ flight: String, _ answer: (any Sendable)?) {
        let waiters = lock.withLock { flights.removeValue(forKey: flight) ?? [] }
        for waiter in waiters { waiter.resume(returning: answer) }
    }

    fileprivate func keep(_ question: String, _ value: any Sendable, versions: [String: Int64]) {
        guard limit > 0 else { return }
        lock.withLock {
            computed += 1
            if entries.updateValue(Entry(value: value, versions: versions), forKey: question) == nil { order.append(question) }
            // First asked, first to go: a question recomputed keeps its place in the queue.
            while order.count > limit { entries[order.removeFirst()] = nil }
        }
    }
}

extension Application {
    private struct KeptAnswersKey: StorageKey { typealias Value = KeptAnswers }

    /// The instance's kept answers; none kept until the app sets them.
    package var keptAnswers: KeptAnswers {
        get { storage[KeptAnswersKey.self] ?? KeptAnswers(limit: 0) }
        set { storage[KeptAnswersKey.self] = newValue }
    }
}

extension Request {
    /// The answer to `question` (everything it depends on besides the data: what is asked, the
    /// account's scope, the day, the language), kept while the data groups it reads have not
    /// changed. `reads` says which groups (`DataVersions.figures`, `.reports`, a keyed group such
    /// as one element's values); it is asked before computing, and the versions are read before
    /// computing too: a change committed meanwhile leaves the answer under the older versions,
    /// where the next read no longer finds them current. A kept answer is checked against the
    /// groups it was kept under, without asking `reads` again.
    package func kept<T: Sendable>(_ question: Question, on db: any Database, reads: () async throws -> [String],
                                   _ compute: () async throws -> T) async throws -> T {
        let answers = application.keptAnswers
        guard answers.limit > 0 else { return try await compute() }
        let asked = question.description + "|" + language.rawValue
        var checked: (groups: Set<String>, now: [String: Int64])?
        if let groups = answers.groups(asked) {
            let now = try await DataVersions.versions(of: groups, on: db)
            if let kept: T = answers.lookup(asked, versions: now) { return kept }
            checked = (Set(groups), now)
        }
        let groups = Set(try await reads())
        let now = checked?.groups == groups ? checked!.now : try await DataVersions.versions(of: groups, on: db)
        var versions: [String: Int64] = [:]
        for group in groups { versions[group] = now[group] ?? 0 }
        // One computation per question and data state; the others asking meanwhile wait for it.
        let flight = asked + "|" + versions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
        let (leads, answer) = await answers.join(flight)
        if !leads, let value = answer as? T { return value }
        // A computation that ended while this request read its groups has kept the answer already.
        if leads, let value: T = answers.lookup(asked, versions: versions) {
            answers.land(flight, value)
            return value
        }
        do {
            let value = try await compute()
            answers.keep(asked, value, versions: versions)
            if leads { answers.land(flight, value) }
            return value
        } catch {
            if leads { answers.land(flight, nil) }
            throw error
        }
    }
}
