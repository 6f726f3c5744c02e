import XCTest
import XCTVapor
import SQLKit
@testable import HamletServer

final class DatabaseEngineTests: XCTestCase {
    /// CI says which engine it means to test (HAMLET_EXPECT_DB); the suite fails if it is another.
    func testRunsOnTheEngineCIAskedFor() async throws {
        try await withApp { app in
            let dialect = (app.db as! any SQLDatabase).dialect.name
            let expected = ProcessInfo.processInfo.environment["HAMLET_EXPECT_DB"] ?? (TestDatabase.postgresURL == nil ? "sqlite" : "postgresql")
            XCTAssertEqual(dialect, expected)
        }
    }

    /// PostgreSQL sessions get enough sort memory for whole-country groupings.
    func testPostgresSessionsHaveSortMemory() async throws {
        try await withApp { app in
            guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
            let row = try await sql.raw("SHOW work_mem").first()
            XCTAssertEqual(try row?.decode(column: "work_mem", as: String.self), "64MB")
        }
    }
}

extension DatabaseEngineTests {
    /// SQLite connections read through a large page cache, not SQLite's 2 MB default.
    func testSQLiteConnectionsHaveALargeCache() async throws {
        try await withApp { app in
            guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
            let row = try await sql.raw("PRAGMA cache_size").first()
            XCTAssertEqual(try row?.decode(column: "cache_size", as: Int.self), -65536)
        }
    }
}
