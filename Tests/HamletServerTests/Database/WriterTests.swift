import XCTest
import XCTVapor
import Fluent
import SQLKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletDatabase
@testable import HamletAudit
@testable import HamletReporting
@testable import HamletUnits

/// Writes go one at a time (on SQLite through a connection and a loop of their own): many saves
/// at once, with reads among them, keep every value, show the right totals and make one chain.
final class WriterTests: XCTestCase {
    func testManySavesAtOnceKeepEveryValueTheTotalsAndOneChain() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "91").sort(\.$code).limit(12).all()
            XCTAssertEqual(communes.count, 12)
            let before = try await AuditLog.verify(on: app.db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, commune) in communes.enumerated() {
                    group.addTask {
                        try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202601&ou=\(commune.code)&value=\(n + 1)", token: token) {
                            XCTAssertEqual($0.status, .created, $0.body.string)
                        }
                    }
                    group.addTask {
                        try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&from=202601&to=202601", token: token) {
                            XCTAssertEqual($0.status, .ok, $0.body.string)
                        }
                    }
                }
                try await group.waitForAll()
            }
            // Each value as saved, read back one by one; the province's total is their sum.
            for (n, commune) in communes.enumerated() {
                try await app.api(.GET, "/api/dataValues?de=CTV_TONG&pe=202601&ou=\(commune.code)", token: token) { res in
                    XCTAssertEqual(res.status, .ok)
                    XCTAssertEqual(try res.json([String].self), ["\(n + 1)"], commune.code)
                }
            }
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&from=202601&to=202601", token: token) { res in
                struct Totals: Decodable { var total: Double }
                XCTAssertEqual(try res.json(Totals.self).total, Double((1...12).reduce(0, +)))
            }
            let verdict = try await AuditLog.verify(on: app.db)
            XCTAssertTrue(verdict.intact, verdict.problem ?? "")
            XCTAssertEqual(verdict.entries, before.entries + 12)
        }
    }

    /// A write inside a write (a service calling another) and two entries in one transaction
    /// follow each other in the chain; a transaction that fails leaves neither its entries nor
    /// a head that moved.
    func testEntriesWrittenInsideOneTransactionFollowEachOther() async throws {
        try await withApp { app in
            let before = try await AuditLog.verify(on: app.db)
            @Sendable func entry(_ n: Int) -> AuditEntry {
                Audit.entry(actor: nil, ip: nil, action: "test", entity: "writer", entityID: "\(n)", scopePath: "", changes: AuditChanges())
            }
            try await app.db.writeTransaction { tx in
                try await AuditLog.append([entry(1)], on: tx)
                try await tx.writeTransaction { inner in try await AuditLog.append([entry(2), entry(3)], on: inner) }
                try await AuditLog.append([entry(4)], on: tx)
            }
            struct Failed: Error {}
            do {
                try await app.db.writeTransaction { tx in
                    try await AuditLog.append([entry(5)], on: tx)
                    throw Failed()
                }
                XCTFail("the transaction should have failed")
            } catch is Failed {}
            try await AuditLog.append([entry(6)], on: app.db)
            let verdict = try await AuditLog.verify(on: app.db)
            XCTAssertTrue(verdict.intact, verdict.problem ?? "")
            XCTAssertEqual(verdict.entries, before.entries + 5)
            let written = try await AuditEntry.query(on: app.db).filter(\.$entity == "writer").sort(\.$seq).all().compactMap(\.entityID)
            XCTAssertEqual(written, ["1", "2", "3", "4", "6"])
        }
    }

    /// Writers take turns first come, first served; one that waits longer than the limit goes
    /// ahead without the turn (and leaves SQLite to make it wait), so a mistake cannot hang.
    func testWritersTakeTurnsAndAStuckTurnLetsTheNextGoAfterTheLimit() async throws {
        let writes = SQLiteWrites(), loop = MultiThreadedEventLoopGroup.singleton.next()
        let first = await writes.enter(on: loop)
        XCTAssertTrue(first)
        let order = OrderBox()
        let second = Task { let held = await writes.enter(on: loop, timeout: .seconds(30)); order.add(2); return held }
        try await Task.sleep(for: .milliseconds(50))
        let third = Task { let held = await writes.enter(on: loop, timeout: .seconds(30)); order.add(3); writes.leave(held); return held }
        try await Task.sleep(for: .milliseconds(50))
        XCTAssertEqual(order.items, [], "both wait while the first holds the turn")
        writes.leave(first)
        let secondHeld = await second.value
        XCTAssertTrue(secondHeld)
        try await Task.sleep(for: .milliseconds(50))
        XCTAssertEqual(order.items, [2], "the third waits for the second")
        writes.leave(secondHeld)
        let thirdHeld = await third.value
        XCTAssertTrue(thirdHeld)
        XCTAssertEqual(order.items, [2, 3])

        let stuck = await writes.enter(on: loop)
        let late = await writes.enter(on: loop, timeout: .milliseconds(100))
        XCTAssertFalse(late, "past the limit it goes on without the turn")
        writes.leave(stuck)
        let next = await writes.enter(on: loop, timeout: .milliseconds(100))
        XCTAssertTrue(next, "the turn is free again")
        writes.leave(next)
    }
}

final class OrderBox: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Int] = []
    func add(_ n: Int) { lock.withLock { list.append(n) } }
    var items: [Int] { lock.withLock { list } }
}
