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
}
