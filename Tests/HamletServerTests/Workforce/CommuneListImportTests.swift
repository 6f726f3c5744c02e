import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletWorkforce
@testable import HamletReporting

/// A commune's own staff list, as communes send them: titles above the table, codes in
/// "Đơn vị", no kind column, Excel serial dates, NFD names, the signature block under the
/// table. The preview names exactly the bad rows (every problem of each, errors and warnings)
/// and stores nothing; fixed, it imports; imported again, it changes nothing.
final class CommuneListImportTests: XCTestCase {
    func list(fixed: Bool) throws -> Data {
        let nfd = { (s: String) in s.decomposedStringWithCanonicalMapping }
        return try XLSXWriter.write(rows: [
            [.text("DANH SÁCH CỘNG TÁC VIÊN DÂN SỐ, GIA ĐÌNH, TRẺ EM")],
            [.text("Xã Mỹ Hòa Hưng — năm 2026")],
            [.empty],
            [.text("STT"), .text("Họ và tên"), .text("Ngày sinh"), .text("Giới tính"), .text("Số CCCD"), .text("Đơn vị"), .text("Chức danh"),
             .text("Lĩnh vực"), .text("Ngày bắt đầu")],
            // 5: good (NFD name, serial date, CCCD Excel stored as a number, the unit as a number).
            [.number(1), .text(nfd("Đặng Thị Thủy")), .date(year: 1991, month: 4, day: 2), .text("Nữ"), .number(89191000321), .number(30292),
             .text("Cộng tác viên dân số"), .text("Dân số, Gia đình, Trẻ em"), .date(year: 2024, month: 2, day: 1)],
            // 6: an 11-digit CCCD typed as text: never "repaired".
            [.number(2), .text("Võ Văn Lâm"), .text("12/05/1988"), .text("Nam"), .text(fixed ? "089088000456" : "89088000456"), .text("30292"),
             .text("Cộng tác viên dân số"), .text("Dân số"), .text("01/03/2024")],
            // 7: two problems in one row: 31/02 and an unknown domain.
            [.number(3), .text("Huỳnh Thị Mai"), .text(fixed ? "28/02/1993" : "31/02/1993"), .text("Nữ"), .empty, .text("30292"),
             .text("Cộng tác viên dân số"), .text(fixed ? "Dân số" : "Ma thuật"), .text("01/03/2024")],
            // 8: a CCCD whose sex digit says male for a woman: a warning, not an error.
            [.number(4), .text("Lý Thị Ngọc"), .text("09/09/1990"), .text("Nữ"), .text("089090000789"), .text("30292"),
             .text("Cộng tác viên dân số"), .text("Trẻ em"), .text("01/03/2024")],
            [.empty],
            [.empty, .text("Người lập biểu"), .empty, .empty, .empty, .text("Thủ trưởng đơn vị")],
            [.empty, .text("(Ký, ghi rõ họ tên)"), .empty, .empty, .empty, .text("An Giang, ngày 05 tháng 12 năm 2026")],
            [.empty, .text("Trần Thị Lập"), .empty, .empty, .empty, .text("Nguyễn Văn Trưởng")],
        ])
    }

    func send(_ app: Application, _ data: Data, _ token: String, _ query: String = "", _ check: (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.test(.POST, "/api/v1/people/import" + query, beforeRequest: { req in
            req.headers.bearerAuthorization = .init(token: token)
            req.headers.contentType = PeopleImportTests.xlsxType
            req.body = ByteBuffer(data: data)
        }, afterResponse: { res async throws in try await check(res) })
    }

    func testAMessyCommuneListPreviewsExactlyItsBadRows() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await send(app, try list(fixed: false), token, "?dryRun=true") { res in
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                let problems = try res.content.decode(ErrorBody.self).error.problems ?? []
                XCTAssertEqual(problems.map { $0.line ?? 0 }, [6, 7, 7, 8], res.body.string)
                XCTAssertEqual(problems.map { $0.field ?? "" }, ["Số CCCD", "Ngày sinh", "Lĩnh vực", "Số CCCD"])
                XCTAssertEqual(problems.map(\.severity), ["error", "error", "error", "warning"])
                XCTAssertTrue(problems[0].message.contains("11"), problems[0].message)
                XCTAssertTrue(problems[3].message.contains("giới tính"), problems[3].message)
            }
            let none = try await Person.query(on: app.db).count()
            XCTAssertEqual(none, 0)
            // Fixed: it imports, the warning still shown; the signature block is nobody.
            try await send(app, try list(fixed: true), token) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let r = try res.json(PeopleImporter.Report.self)
                XCTAssertTrue(r.committed)
                XCTAssertEqual([r.rows, r.newPeople, r.newPosts], [4, 4, 4])
                XCTAssertEqual(r.problems.map(\.severity), ["warning"])
            }
            let thuy = try await Person.query(on: app.db).filter(\.$cccd == "089191000321").first()
            XCTAssertEqual(thuy?.fullName, "Đặng Thị Thủy")
            let posts = try await Assignment.query(on: app.db).all()
            XCTAssertTrue(posts.allSatisfy { $0.employmentKind == .congTacVien && $0.unitCode == "30292" }, "the kind from «Cộng tác viên …», the unit from its code")
            let signer = try await Person.query(on: app.db).filter(\.$fullName == "Trần Thị Lập").count()
            XCTAssertEqual(signer, 0)
            try await send(app, try list(fixed: true), token) { res in
                let r = try res.json(PeopleImporter.Report.self)
                XCTAssertEqual([r.newPeople, r.matchedPeople, r.newPosts, r.unchangedPosts], [0, 4, 0, 4])
            }
        }
    }

    /// A file with no kind column and positions that imply none: one clear error per row, or one
    /// default for the whole file.
    func testAMissingKindIsAskedOnce() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let csv = "Họ và tên,Mã đơn vị,Chức danh,Lĩnh vực,Ngày bắt đầu\nTrần Văn Công,30292,Công chức văn hóa - xã hội,Công tác xã hội,01/01/2024\n"
            func post(_ query: String, _ check: (XCTHTTPResponse) async throws -> Void) async throws {
                try await app.test(.POST, "/api/v1/people/import" + query, beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: token)
                    req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                    req.body = ByteBuffer(string: csv)
                }, afterResponse: { res async throws in try await check(res) })
            }
            try await post("?dryRun=true") { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let problems = try res.content.decode(ErrorBody.self).error.problems ?? []
                XCTAssertEqual(problems.map { $0.field ?? "" }, ["Loại hình"])
                XCTAssertFalse(problems[0].message.isEmpty)
            }
            try await post("?kind=cong-chuc") { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(PeopleImporter.Report.self).newPosts, 1)
            }
            let kind = try await Assignment.query(on: app.db).first()?.employmentKind
            XCTAssertEqual(kind, .congChuc)
        }
    }

    func testCitizenIDRules() {
        XCTAssertEqual(try? CitizenID.read("89190001234", storedAsNumber: true).get(), "089190001234")
        XCTAssertEqual(try? CitizenID.read("89190001234.0", storedAsNumber: true).get(), "089190001234")
        XCTAssertEqual(CitizenID.read("89190001234", storedAsNumber: false), .failure(.length(11)))
        XCTAssertEqual(CitizenID.read("099190001234", storedAsNumber: false), .failure(.province("099")))
        XCTAssertEqual(CitizenID.disagreements("089190001234", sex: "female", birthYear: 1990), [])
        XCTAssertEqual(CitizenID.disagreements("089290001234", sex: "male", birthYear: 1990).count, 1, "2 = male, 2000s")
        XCTAssertEqual(CitizenID.disagreements("089090001234", sex: "female", birthYear: 1991).count, 2)
        XCTAssertTrue(TableFooter.isFooter(["", "Người lập biểu", "", "Thủ trưởng đơn vị"]))
        XCTAssertTrue(TableFooter.isFooter(["…, ngày … tháng … năm …"]))
        XCTAssertFalse(TableFooter.isFooter(["1", "Nguyễn Văn Nam", "30292", "Cộng tác viên"]))
    }
}
