import Vapor
import Fluent
import SQLKit
import Crypto
import HamletWeb
import HamletDatabase

/// The audit log as a hash chain. Every entry carries the next number (`seq`), the hash of the
/// entry before it and its own hash over all its fields, so an entry changed, removed, reordered
/// or slipped in breaks the chain, and `hamlet audit verify` finds where. The last number and
/// hash live in a one-row head (`audit_head`) that every writer takes first.
package enum AuditLog {
    package static let genesis = String(repeating: "0", count: 64)

    /// Appends entries in their order. The head row is locked until the caller's transaction
    /// ends, so writers on every instance queue there: call it as the last write of a transaction.
    package static func append(_ entries: [AuditEntry], on db: any Database) async throws {
        guard !entries.isEmpty else { return }
        if db.inTransaction { return try await link(entries, on: db) }
        try await db.writeTransaction { tx in try await link(entries, on: tx) }
    }

    private static func link(_ entries: [AuditEntry], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let count = Int64(entries.count)
        // A SQLite write transaction read the head when it took the lock (`writeTransaction`).
        let locked = LockedHead.current
        var seq: Int64, previous: String
        if let locked {
            (seq, previous) = (locked.seq, locked.hash)
        } else {
            guard let head = try await sql.raw("UPDATE audit_head SET seq = seq + \(bind: count) WHERE id = 1 RETURNING seq, hash").first() else {
                throw Abort(.internalServerError, reason: "audit_head is missing")
            }
            seq = try head.decode(column: "seq", as: Int64.self) - count
            previous = try head.decode(column: "hash", as: String.self)
        }
        for entry in entries {
            seq += 1
            if entry.id == nil { entry.id = UUID() }
            entry.at = Self.wholeMilliseconds(entry.at)
            entry.seq = seq
            entry.previousHash = previous
            entry.hash = digest(entry)
            previous = entry.hash!
        }
        for chunk in entries.chunks(of: 500) { try await Array(chunk).create(on: db) }
        if let locked {
            try await sql.raw("UPDATE audit_head SET seq = \(bind: seq), hash = \(bind: previous) WHERE id = 1").run()
            (locked.seq, locked.hash) = (seq, previous)
        } else {
            try await sql.raw("UPDATE audit_head SET hash = \(bind: previous) WHERE id = 1").run()
        }
    }

    /// Stored dates come back from either engine exactly when they hold whole milliseconds.
    package static func wholeMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    package static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// SHA-256 over every field, each written as its length and text (nil as "~"), so no two
    /// different entries share a text.
    package static func digest(_ e: AuditEntry) -> String {
        var text = ""
        for field in [e.seq.map(String.init), e.previousHash, e.id?.uuidString, String(milliseconds(e.at)), e.userID?.uuidString,
                      e.username, e.action, e.entity, e.entityID, e.scopePath, e.changes, e.ip] {
            if let field { text += "\(field.utf8.count):\(field);" } else { text += "~;" }
        }
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    package struct Verdict: Content {
        package var entries: Int
        package var intact: Bool
        package var headSeq: Int64
        package var headHash: String
        /// The first entry where the chain breaks, and why.
        package var brokenAt: Int64?
        package var problem: String?

        package init(entries: Int, intact: Bool, headSeq: Int64, headHash: String, brokenAt: Int64? = nil, problem: String? = nil) {
            (self.entries, self.intact, self.headSeq, self.headHash) = (entries, intact, headSeq, headHash)
            (self.brokenAt, self.problem) = (brokenAt, problem)
        }
    }

    /// Walks the whole log in number order, a page at a time, recomputing every hash.
    package static func verify(on db: any Database) async throws -> Verdict {
        guard let sql = db as? any SQLDatabase, let head = try await sql.raw("SELECT seq, hash FROM audit_head WHERE id = 1").first() else {
            return Verdict(entries: 0, intact: false, headSeq: 0, headHash: "", brokenAt: nil, problem: "Không có đầu chuỗi (audit_head).")
        }
        let headSeq = try head.decode(column: "seq", as: Int64.self), headHash = try head.decode(column: "hash", as: String.self)
        var verdict = Verdict(entries: 0, intact: true, headSeq: headSeq, headHash: headHash)
        func broken(_ seq: Int64, _ problem: String) -> Verdict {
            var v = verdict; v.intact = false; v.brokenAt = seq; v.problem = problem; return v
        }
        var expected: Int64 = 1, previous = genesis
        while true {
            let page = try await AuditEntry.query(on: db).filter(\.$seq >= expected).sort(\.$seq).limit(2_000).all()
            for entry in page {
                guard let seq = entry.seq else { continue }
                if seq != expected { return broken(expected, "Thiếu mục số \(expected) (mục tiếp theo là số \(seq)).") }
                if entry.previousHash != previous { return broken(seq, "Mục số \(seq) không nối với mục trước (mã băm trước không khớp).") }
                if entry.hash != digest(entry) { return broken(seq, "Mục số \(seq) đã bị sửa (mã băm không khớp nội dung).") }
                previous = entry.hash!
                expected += 1
                verdict.entries += 1
            }
            if page.count < 2_000 { break }
        }
        let unnumbered = try await AuditEntry.query(on: db).filter(\.$seq == nil).count()
        if unnumbered > 0 { return broken(expected, "Có \(unnumbered) mục không thuộc chuỗi (không có số thứ tự).") }
        if expected - 1 != headSeq { return broken(expected, "Đầu chuỗi ghi số \(headSeq) nhưng nhật ký có \(expected - 1) mục: mục cuối đã bị xóa hoặc thêm ngoài ứng dụng.") }
        if previous != headHash { return broken(headSeq, "Mã băm của mục cuối không khớp đầu chuỗi.") }
        return verdict
    }
}
