import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletReporting

/// Importing a commune's hamlets from CSV and XLSX: every bad row reported, nothing stored on
/// any error, and the same file twice changes nothing.
final class HamletImportTests: XCTestCase {
    func post(_ app: Application, _ data: Data, type: HTTPMediaType, token: String, dryRun: Bool = false,
              _ check: (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.test(.POST, "/api/v1/hamlets/import" + (dryRun ? "?dryRun=true" : ""), beforeRequest: { req in
            req.headers.bearerAuthorization = .init(token: token)
            req.headers.contentType = type
            req.body = ByteBuffer(data: data)
        }, afterResponse: { res async throws in try await check(res) })
    }

    static let csv = HTTPMediaType(type: "text", subType: "csv")
    static let xlsx = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    func testGoodCSVImportsAndReimportChangesNothing() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("tinh", role: .provinceOfficer, scope: "91"))
            let csv = "\u{FEFF}Mã xã;Tên thôn;Loại;Mã thôn\r\n30292;Khóm Bình Thới 1;Khóm;\r\n30292;Khóm Bình Thới 2;khom;BT-2\r\n30313;\"Ấp Mỹ Hòa, Mỹ Hòa Hưng\";Ấp;\r\n"
            try await post(app, Data(csv.utf8), type: Self.csv, token: token, dryRun: true) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(HamletImporter.Report.self).created, 3)
            }
            let afterDryRun = try await AdminUnit.query(on: app.db).filter(\.$level == .hamlet).count()
            XCTAssertEqual(afterDryRun, 0)
            try await post(app, Data(csv.utf8), type: Self.csv, token: token) { res in
                let report = try res.json(HamletImporter.Report.self)
                XCTAssertEqual(report.created, 3)
                XCTAssertEqual(report.rows, 3)
            }
            let codes = try await AdminUnit.query(on: app.db).filter(\.$level == .hamlet).sort(\.$code).all().map(\.code)
            XCTAssertEqual(codes, ["30292-001", "30313-001", "BT-2"])
            try await post(app, Data(csv.utf8), type: Self.csv, token: token) { res in
                let report = try res.json(HamletImporter.Report.self)
                XCTAssertEqual(report.created, 0)
                XCTAssertEqual(report.unchanged, 3)
            }
            let total = try await AdminUnit.query(on: app.db).filter(\.$level == .hamlet).count()
            XCTAssertEqual(total, 3)
        }
    }

    func testBadFileStoresNothingAndListsEveryBadRow() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("tinh", role: .provinceOfficer, scope: "91"))
            let csv = """
            Mã xã,Tên thôn,Loại,Mã thôn
            30292,Khóm 1,Khóm,
            99999,Ấp Lạ,Ấp,
            30292,,Khóm,
            30292,Khóm 5,Làng mạc,
            00004,Tổ 1,Tổ dân phố,
            30292,khom 1,Khóm,
            30292,Khóm 7,Khóm,có dấu
            """
            try await post(app, Data(csv.utf8), type: Self.csv, token: token) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let problems = try res.content.decode(ErrorBody.self).error.problems ?? []
                XCTAssertEqual(problems.map { $0.line ?? 0 }, [3, 4, 5, 6, 7, 8])
                XCTAssertEqual(problems.map { $0.field ?? "" }, ["commune", "name", "type", "commune", "name", "code"])
                XCTAssertTrue(problems.allSatisfy { !$0.message.isEmpty })
            }
            let stored = try await AdminUnit.query(on: app.db).filter(\.$level == .hamlet).count()
            XCTAssertEqual(stored, 0, "one bad row and nothing is stored")
        }
    }

    func testMessyXLSXWithTitleRowsAndNumericCodes() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("tinh", role: .provinceOfficer, scope: "91"))
            let nfd = "Ấp Phú Hòa".decomposedStringWithCanonicalMapping
            let data = try XLSXWriter.write(rows: [
                [.text("DANH SÁCH THÔN, ẤP NĂM 2025")],
                [.empty],
                [.text(" Mã xã/phường "), .text("Tên thôn, ấp"), .text("Loại"), .text("Mã thôn")],
                [.number(30313), .text("  \(nfd)  "), .text("Ấp"), .empty],
                [.number(30313), .text("Ấp Mỹ Thạnh"), .text("ẤP"), .empty],
            ])
            try await post(app, data, type: Self.xlsx, token: token) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(HamletImporter.Report.self).created, 2)
            }
            let names = try await AdminUnit.query(on: app.db).filter(\.$parentCode == "30313").sort(\.$code).all().map(\.name)
            XCTAssertEqual(names, ["Ấp Phú Hòa", "Ấp Mỹ Thạnh"])
            XCTAssertEqual(names[0].unicodeScalars.count, "Ấp Phú Hòa".precomposedStringWithCanonicalMapping.unicodeScalars.count, "stored NFC")
        }
    }

    func testImportOutsideScopeIsRefused() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("canbo", role: .communeOfficer, scope: "30292"))
            let csv = "Mã xã,Tên thôn,Loại\n30313,Ấp Khác,Ấp\n"
            try await post(app, Data(csv.utf8), type: Self.csv, token: token) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "commune")
            }
            let viewer = try await app.token(for: try await app.makeUser("xem", role: .viewer, scope: "91"))
            try await post(app, Data(csv.utf8), type: Self.csv, token: viewer) { res in
                XCTAssertEqual(res.status, .forbidden)
            }
        }
    }
}
