import XCTest
import XCTVapor
import Fluent
import SQLKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletDatabase
@testable import HamletAccounts
@testable import HamletPlans

/// Figures read from a replica when one may serve them: an account that has just written reads
/// from the primary, another reads from the replica, and a replica that cannot answer (a tally to
/// catch up needs a write) hands the read to the primary. On PostgreSQL the test database is its
/// own replica through read-only sessions named `hamlet-read`; on SQLite there are no replicas and
/// the same figures come from the one database.
final class ReadReplicaTests: XCTestCase {
    /// The last statement of each replica session that did more than ask how far it has replayed.
    func replicaReads(_ app: Application) async throws -> [String] {
        guard let sql = app.db as? any SQLDatabase else { return [] }
        let rows = try await sql.raw("SELECT query FROM pg_stat_activity WHERE application_name = 'hamlet-read' AND datname = current_database()").all()
        return try rows.map { try $0.decode(column: "query", as: String.self) }.filter { !$0.contains("pg_last_wal_replay_lsn") }
    }

    func testReadsGoToTheReplicaExceptAWritersOwnAndFallBackWhenItCannotAnswer() async throws {
        try await withApp(readingFromItself: true) { app in
            let onPostgres = !app.readReplicas.isEmpty
            XCTAssertEqual(onPostgres, TestDatabase.postgresURL != nil, "a replica on PostgreSQL, none on SQLite")
            let writerAccount = try await app.makeUser("cv", role: .admin, scope: "VN")
            let writer = try await app.token(for: writerAccount)
            let reader = try await app.token(for: try await app.makeUser("xem", role: .viewer, scope: "91"))
            _ = try await app.seedPeople(3, unit: "30292", start: "2020-01-01")
            let share = try await app.makeIndicator(writer, "DT", IndicatorDefinition(kind: .trainedShare))

            if onPostgres {
                let marks = try await (app.db as! any SQLDatabase).raw("SELECT account_id FROM write_marks").all().map { try $0.decode(column: "account_id", as: UUID.self) }
                XCTAssertEqual(marks, [writerAccount.id!], "the indicator's creation marked its writer")
            }
            // The writer's own read: the replica has not replayed the write, so the primary answers.
            let own = try await app.indicatorValue(writer, share, "unit=91&date=01/06/2026")
            XCTAssertEqual([own.numerator, own.denominator], [0, 3])
            if onPostgres {
                let reads = try await replicaReads(app)
                XCTAssertEqual(reads, [], "the writer's figure was read on the replica")
            }
            // Another account, which wrote nothing: the replica answers, the same figure.
            let other = try await app.indicatorValue(reader, share, "unit=91&date=01/06/2026")
            XCTAssertEqual([other.numerator, other.denominator], [0, 3])
            if onPostgres {
                let reads = try await replicaReads(app)
                XCTAssertFalse(reads.isEmpty, "the reader's figure was not read on the replica")
            }
            // Two more people: the tally must catch up, a write the replica refuses; the primary answers.
            _ = try await app.seedPeople(2, unit: "30313", start: "2020-01-01", prefix: "Mới")
            let after = try await app.indicatorValue(reader, share, "unit=91&date=01/06/2026")
            XCTAssertEqual([after.numerator, after.denominator], [0, 5], "the figure after the change, caught up on the primary")
            XCTAssertEqual(after.children.filter { ($0.denominator ?? 0) > 0 }.map { "\($0.code) \($0.denominator!)" }, ["30292 3", "30313 2"])
        }
    }
}
