import XCTest
import XCTVapor
import Fluent
import SQLKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit

/// The audit log is append-only against every statement that could change a row, and a hash
/// chain shows anything changed, removed or slipped in by someone who got past the triggers.
final class AuditChainTests: XCTestCase {
    func makeEntries(_ app: Application) async throws -> String {
        let token = try await app.token(for: try await app.makeUser("admin1"))
        for n in 1...3 {
            try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: token, json: JSON(["name": "Khóm \(n)", "type": "Khóm"])) { XCTAssertEqual($0.status, .created) }
        }
        return token
    }

    /// Finding 14: on SQLite `INSERT OR REPLACE` rewrote an entry (REPLACE deletes without firing
    /// the delete trigger); PostgreSQL's equivalents are an upsert and TRUNCATE.
    func testReplaceUpsertAndTruncateCannotRewriteTheLog() async throws {
        try await withApp { app in
            _ = try await makeEntries(app)
            let sql = app.db as! any SQLDatabase
            let first = try await AuditEntry.query(on: app.db).sort(\.$seq).first()!
            let id = try first.requireID()
            let postgres = sql.dialect.name == "postgresql"
            let statements: [SQLQueryString] = postgres ? [
                "INSERT INTO audit_entries (id, at, username, action, entity, scope_path, changes, seq, prev_hash, hash) VALUES (\(bind: id), now(), 'x', 'x', 'x', '', '{}', 999, 'x', 'x') ON CONFLICT (id) DO UPDATE SET username = 'x'",
                "TRUNCATE audit_entries",
                "DELETE FROM audit_head",
                "UPDATE audit_head SET seq = 0",
            ] : [
                "INSERT OR REPLACE INTO audit_entries (id, at, username, action, entity, scope_path, changes, seq, prev_hash, hash) VALUES (\(bind: id), 0, 'x', 'x', 'x', '', '{}', \(bind: first.seq!), 'x', 'x')",
                "REPLACE INTO audit_entries (id, at, username, action, entity, scope_path, changes, seq, prev_hash, hash) VALUES (\(bind: UUID()), 0, 'x', 'x', 'x', '', '{}', \(bind: first.seq!), 'x', 'x')",
                "INSERT INTO audit_entries (id, at, username, action, entity, scope_path, changes, seq, prev_hash, hash) VALUES (\(bind: id), 0, 'x', 'x', 'x', '', '{}', 999, 'x', 'x') ON CONFLICT (id) DO UPDATE SET username = 'x'",
                "UPDATE OR REPLACE audit_entries SET username = 'x'",
                "INSERT INTO audit_entries (id, at, username, action, entity, scope_path, changes) VALUES (\(bind: UUID()), 0, 'x', 'x', 'x', '', '{}')",
                "DELETE FROM audit_head",
                "UPDATE audit_head SET seq = 0",
            ]
            for statement in statements {
                do {
                    try await sql.raw(statement).run()
                    XCTFail("the log accepted: \(statement)")
                } catch {}
            }
            let kept = try await AuditEntry.find(id, on: app.db)
            XCTAssertEqual(kept?.username, first.username)
            XCTAssertEqual(kept?.hash, first.hash)
            let verdict = try await AuditLog.verify(on: app.db)
            XCTAssertTrue(verdict.intact, verdict.problem ?? "")
            XCTAssertEqual(verdict.entries, verdict.headSeq == 0 ? 0 : Int(verdict.headSeq))
        }
    }

    /// Someone with the database's own rights turns the triggers off and edits or removes an
    /// entry: `verify` names the first entry where the chain breaks.
    func testVerifyFindsAChangedARemovedAndATruncatedEntry() async throws {
        for tamper in ["change", "remove", "cut-tail"] {
            try await withApp { app in
                let token = try await makeEntries(app)
                let sql = app.db as! any SQLDatabase
                let postgres = sql.dialect.name == "postgresql"
                try await app.api(.GET, "/api/v1/audit/verify", token: token) { res in
                    let verdict = try res.json(AuditLog.Verdict.self)
                    XCTAssertTrue(verdict.intact, verdict.problem ?? "")
                    XCTAssertGreaterThanOrEqual(verdict.entries, 4)
                }
                let entries = try await AuditEntry.query(on: app.db).sort(\.$seq).all()
                let middle = entries[entries.count / 2], last = entries.last!
                if postgres { try await sql.raw("ALTER TABLE audit_entries DISABLE TRIGGER USER").run() }
                else { try await sql.raw("DROP TRIGGER audit_entries_no_update").run(); try await sql.raw("DROP TRIGGER audit_entries_no_delete").run() }
                switch tamper {
                case "change": try await sql.raw("UPDATE audit_entries SET username = 'someone' WHERE id = \(bind: middle.id!)").run()
                case "remove": try await sql.raw("DELETE FROM audit_entries WHERE id = \(bind: middle.id!)").run()
                default: try await sql.raw("DELETE FROM audit_entries WHERE id = \(bind: last.id!)").run()
                }
                let verdict = try await AuditLog.verify(on: app.db)
                XCTAssertFalse(verdict.intact, tamper)
                XCTAssertEqual(verdict.brokenAt, tamper == "cut-tail" ? last.seq : middle.seq, "\(tamper): \(verdict.problem ?? "")")
                if postgres { try await sql.raw("ALTER TABLE audit_entries ENABLE TRIGGER USER").run() }
            }
        }
    }

    /// Writers on many connections at once still make one unbroken chain.
    func testConcurrentWritersMakeOneChain() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("admin1"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 1...20 {
                    group.addTask {
                        try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: token, json: JSON(["name": "Ấp \(n)", "type": "Ấp"])) {
                            XCTAssertEqual($0.status, .created)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let verdict = try await AuditLog.verify(on: app.db)
            XCTAssertTrue(verdict.intact, verdict.problem ?? "")
            let hamlets = try await AuditEntry.query(on: app.db).filter(\.$entity == "hamlet").count()
            XCTAssertEqual(hamlets, 20)
        }
    }
}
