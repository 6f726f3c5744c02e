import Vapor
import Fluent
import HamletKit
import HamletDatabase

extension Request {
    private struct ChosenReplicaKey: StorageKey { typealias Value = DatabaseID? }

    /// Runs a read that may lag a moment (a dashboard, a figure, an export, a DHIS2 pull) on a
    /// read replica when one may serve this request, else on the primary. A replica that cannot
    /// answer (the read wanted to write, replay cancelled it, the replica is down) hands the
    /// read to the primary, which answers as it would without replicas.
    package func readingMayLag<T>(_ read: (any Database) async throws -> T) async throws -> T {
        guard let replica = try await replicaForReading() else { return try await read(db) }
        do {
            return try await read(db(replica))
        } catch where ReadReplicas.asksPrimary(error) {
            logger.debug("read replica \(replica.string) handed a read to the primary: \(String(reflecting: error))")
            return try await read(db)
        }
    }

    /// The replica this request reads from, chosen once: only for GET and HEAD, and for a signed-in
    /// account only a replica that has replayed the account's last write.
    private func replicaForReading() async throws -> DatabaseID? {
        let replicas = application.readReplicas
        guard !replicas.isEmpty, method == .GET || method == .HEAD else { return nil }
        if let chosen = storage[ChosenReplicaKey.self] { return chosen }
        var chosen: DatabaseID? = nil
        let mark = try await acting?.id.asyncMap { try await WriteMarks.mark(of: $0, on: db) } ?? nil
        let first = Int.random(in: 0..<replicas.count)
        for k in 0..<replicas.count {
            let replica = replicas[(first + k) % replicas.count]
            if let mark, !((try? await WriteMarks.replayed(mark, on: db(replica))) ?? false) { continue }
            chosen = replica
            break
        }
        storage[ChosenReplicaKey.self] = .some(chosen)
        return chosen
    }
}

/// After every request that may have written (anything but GET, HEAD and OPTIONS) by a signed-in
/// account, notes where the primary's log stands as the account's mark, so the account's next
/// reads wait for a replica that has it. Only with replicas; a failed write is marked too, since
/// part of it may have landed.
package struct WriteMarking: AsyncMiddleware {
    package init() {}

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !request.application.readReplicas.isEmpty, ![.GET, .HEAD, .OPTIONS].contains(request.method) else {
            return try await next.respond(to: request)
        }
        do {
            let response = try await next.respond(to: request)
            try await mark(request)
            return response
        } catch {
            try? await mark(request)
            throw error
        }
    }

    private func mark(_ request: Request) async throws {
        guard let account = request.acting?.id else { return }
        try await WriteMarks.note(account, on: request.db)
    }
}
