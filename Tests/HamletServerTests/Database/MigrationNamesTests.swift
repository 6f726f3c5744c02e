import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletDatabase
@testable import HamletAccounts

/// A database made by an earlier Hamlet starts with today's: Fluent names each migration done by
/// its module and type, and migrations have moved module (all of them out of HamletServer when
/// the features became modules, the catalogue owners' from Accounts to Plans since).
final class MigrationNamesTests: XCTestCase {
    func testADatabaseMadeBeforeTheModulesStartsAndRunsNothingAgain() async throws {
        try await withApp { app in
            let made = try await MigrationLog.query(on: app.db).all()
            XCTAssertEqual(Set(made.map(\.name)), Set(Features.migrations.map(\.name)))
            let batches = Dictionary(uniqueKeysWithValues: made.map { (MigrationNames.typeName($0.name), $0.batch) })
            // As the records stood: everything under HamletServer, the owners under Accounts.
            for record in made {
                let type = MigrationNames.typeName(record.name)
                record.name = (type == "AddCatalogueOwners" ? "HamletAccounts." : "HamletServer.") + type
                try await record.update(on: app.db)
            }
            let users = try await User.query(on: app.db).count()

            try await Bootstrap.prepare(app, demo: false, announce: false)

            let now = try await MigrationLog.query(on: app.db).all()
            XCTAssertEqual(now.count, made.count, "each migration recorded once")
            XCTAssertEqual(Set(now.map(\.name)), Set(Features.migrations.map(\.name)))
            for record in now {
                XCTAssertEqual(record.batch, batches[MigrationNames.typeName(record.name)], "\(record.name) ran again")
            }
            let usersNow = try await User.query(on: app.db).count()
            XCTAssertEqual(usersNow, users)
        }
    }

    /// A record is carried over by its type's name, so two migrations may not share one.
    func testEveryMigrationHasATypeNameOfItsOwn() {
        let types = Features.migrations.map { MigrationNames.typeName($0.name) }
        XCTAssertEqual(Set(types).count, types.count, types.sorted().description)
        XCTAssertTrue(types.contains("AddCatalogueOwners"))
    }

    /// A record of a migration that is gone, or whose new name is recorded too, is left alone.
    func testOnlyRecordsOfMovedMigrationsAreRenamed() async throws {
        try await withApp { app in
            let stray = MigrationLog(name: "HamletServer.SomethingRemoved", batch: 1)
            try await stray.create(on: app.db)
            let twice = MigrationLog(name: "HamletServer.CreateUsers", batch: 1)
            try await twice.create(on: app.db)
            let moved = try await MigrationNames.carryOver(Features.migrations, on: app.db)
            XCTAssertTrue(moved.isEmpty, moved.description)
            let names = try await MigrationLog.query(on: app.db).all().map(\.name)
            XCTAssertTrue(names.contains("HamletServer.SomethingRemoved"))
            XCTAssertTrue(names.contains("HamletServer.CreateUsers"))
            XCTAssertTrue(names.contains("HamletAccounts.CreateUsers"))
        }
    }
}
