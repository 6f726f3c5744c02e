import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletDatabase
@testable import HamletWeb
@testable import HamletAccounts
@testable import HamletUnits

/// Models read as text rows (`TextOutput`) come out as Fluent's own reads make them, field by
/// field, on both engines: the units a page names, and the token and account of every API call.
final class TextReadsTests: XCTestCase {
    func testUnitsReadAsTextAreTheUnitsFluentReads() async throws {
        try await withApp { app in
            // Units with coordinates and without, closed ones, every level.
            let placed = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$lat != nil).limit(40).all()
            let some = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").sort(\.$path).limit(200).all()
            let chosen = placed + some
            XCTAssertGreaterThan(chosen.count, 100)
            let read = try await UnitTree.units(atPaths: chosen.map(\.path), on: app.db)
            XCTAssertEqual(Set(read.keys), Set(chosen.map(\.path)))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for unit in chosen {
                let mine = try XCTUnwrap(read[unit.path])
                XCTAssertEqual(String(decoding: try encoder.encode(mine), as: UTF8.self), String(decoding: try encoder.encode(unit), as: UTF8.self))
                XCTAssertTrue(mine.$id.exists, "read as stored")
                XCTAssertFalse(mine.hasChanges, "nothing changed")
            }
        }
    }

    func testTheTokenAndAccountReadAsTextAreWhatFluentReads() async throws {
        try await withApp { app in
            let user = try await app.makeUser("tx", role: .provinceOfficer, scope: "91")
            user.email = "tx@example.vn"; user.emailRemindersOff = true; user.phone = nil
            try await user.save(on: app.db)
            let secret = try await app.token(for: user)
            let storedRead = try await APIToken.query(on: app.db).filter(\.$tokenDigest == Token.digest(secret)).with(\.$user).first()
            let stored = try XCTUnwrap(storedRead)
            stored.expiresAt = Date(timeIntervalSince1970: 1_893_456_000.25); stored.lastUsedAt = Date(timeIntervalSince1970: 1_796_601_600.5)
            try await stored.save(on: app.db)
            let fluentRead = try await APIToken.query(on: app.db).filter(\.$tokenDigest == Token.digest(secret)).with(\.$user).first()
            let mineRead = try await SignInRows.token(digest: Token.digest(secret), on: app.db)
            let fluent = try XCTUnwrap(fluentRead), mine = try XCTUnwrap(mineRead)
            XCTAssertEqual(mine.id, fluent.id); XCTAssertEqual(mine.$user.id, fluent.$user.id); XCTAssertEqual(mine.name, fluent.name)
            XCTAssertEqual(mine.tokenDigest, fluent.tokenDigest); XCTAssertEqual(mine.credentialVersion, fluent.credentialVersion)
            XCTAssertNil(mine.revokedAt)
            XCTAssertEqual(mine.createdAt.timeIntervalSince1970, fluent.createdAt.timeIntervalSince1970, accuracy: 0.001)
            XCTAssertEqual(try XCTUnwrap(mine.expiresAt).timeIntervalSince1970, 1_893_456_000.25, accuracy: 0.001)
            XCTAssertEqual(try XCTUnwrap(fluent.expiresAt).timeIntervalSince1970, 1_893_456_000.25, accuracy: 0.001)
            XCTAssertEqual(try XCTUnwrap(mine.lastUsedAt).timeIntervalSince1970, 1_796_601_600.5, accuracy: 0.001)
            XCTAssertEqual(try XCTUnwrap(fluent.lastUsedAt).timeIntervalSince1970, 1_796_601_600.5, accuracy: 0.001)
            let (u, f) = (mine.user, fluent.user)
            XCTAssertEqual([u.id?.uuidString, u.username, u.displayName, u.passwordHash, u.role.rawValue, u.scopeCode, u.scopePath, u.email, u.phone],
                           [f.id?.uuidString, f.username, f.displayName, f.passwordHash, f.role.rawValue, f.scopeCode, f.scopePath, f.email, f.phone])
            XCTAssertEqual(u.emailRemindersOff, true); XCTAssertNil(u.disabledAt); XCTAssertEqual(u.credentialVersion, f.credentialVersion)
            XCTAssertEqual(u.createdAt!.timeIntervalSince1970, f.createdAt!.timeIntervalSince1970, accuracy: 0.001)
            XCTAssertEqual(u.updatedAt!.timeIntervalSince1970, f.updatedAt!.timeIntervalSince1970, accuracy: 0.001)
            XCTAssertFalse(mine.hasChanges); XCTAssertFalse(u.hasChanges)

            // A page's session, read the same way.
            _ = try await app.login("tx")
            let keptRead = try await UserSession.query(on: app.db).filter(\.$user.$id == user.requireID()).first()
            let kept = try XCTUnwrap(keptRead)
            let sessionRead = try await SignInRows.session(digest: kept.tokenDigest, on: app.db)
            let session = try XCTUnwrap(sessionRead)
            XCTAssertEqual([session.id?.uuidString, session.csrfToken, session.ip, session.userAgent, session.$user.id.uuidString, String(session.credentialVersion)],
                           [kept.id?.uuidString, kept.csrfToken, kept.ip, kept.userAgent, kept.$user.id.uuidString, String(kept.credentialVersion)])
            XCTAssertEqual(session.lastSeenAt.timeIntervalSince1970, kept.lastSeenAt.timeIntervalSince1970, accuracy: 0.001)
            XCTAssertEqual(session.createdAt.timeIntervalSince1970, kept.createdAt.timeIntervalSince1970, accuracy: 0.001)
            XCTAssertEqual(session.user.username, "tx"); XCTAssertFalse(session.hasChanges)

            // Disabled: read as disabled, and the API refuses the token.
            user.disabledAt = Date(timeIntervalSince1970: 1_796_601_700)
            try await user.save(on: app.db)
            let disabled = try await SignInRows.token(digest: Token.digest(secret), on: app.db)
            XCTAssertEqual(disabled?.user.disabledAt?.timeIntervalSince1970 ?? 0, 1_796_601_700, accuracy: 0.001)
            try await app.api(.GET, "/api/v1/people", token: secret) { XCTAssertEqual($0.status, .unauthorized) }
            let none = try await SignInRows.token(digest: Token.digest("hml_none"), on: app.db)
            XCTAssertNil(none)
        }
    }
}
