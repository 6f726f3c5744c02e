import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletWorkforce
@testable import HamletReporting

/// The register import on real-looking files: all or nothing, every problem by line, the same
/// file twice changes nothing, and a mapping step when the headers are unknown.
final class PeopleImportTests: XCTestCase {
    static let xlsxType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    func send(_ app: Application, _ data: Data, token: String, query: String = "", _ check: (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.test(.POST, "/api/v1/people/import" + query, beforeRequest: { req in
            req.headers.bearerAuthorization = .init(token: token)
            req.headers.contentType = Self.xlsxType
            req.body = ByteBuffer(data: data)
        }, afterResponse: { res async throws in try await check(res) })
    }

    /// A messy sheet: a merged title, a blank row, headers with stray spaces, NFD text, a date as
    /// text and another as an Excel serial, a CCCD typed as a number (leading zero lost).
    func messyFile() throws -> Data {
        let nfd = { (s: String) in s.decomposedStringWithCanonicalMapping }
        return try XLSXWriter.write(rows: [
            [.text("DANH SÁCH CỘNG TÁC VIÊN DÂN SỐ NĂM 2025")],
            [.text("(Kèm theo Báo cáo số 12/BC-UBND)")],
            [.empty],
            [.text("STT"), .text(" Họ và tên "), .text("Ngày sinh"), .text("Giới tính"), .text("Số CCCD"), .text("Điện thoại"),
             .text("Mã đơn vị"), .text("Chức danh"), .text("Lĩnh vực"), .text("Loại hình"), .text("Ngày bắt đầu")],
            [.number(1), .text(nfd("  Nguyễn Thị  Hoa ")), .text("02/03/1990"), .text("Nữ"), .number(89190001234), .text("0912 345 678"),
             .number(30292), .text("Cộng tác viên"), .text("Dân số, Gia đình, Trẻ em"), .text("Cộng tác viên"), .date(year: 2024, month: 1, day: 15)],
            [.number(2), .text("Trần Văn Bình"), .date(year: 1985, month: 7, day: 1), .text("Nam"), .empty, .empty,
             .text("30313"), .text("Công chức văn hóa - xã hội"), .text("CTXH"), .text("Công chức"), .text("01/07/2025")],
            [.number(3), .text(nfd("Lê Thị Ánh")), .text("1992-11-20"), .text("nu"), .text("089192000777"), .empty,
             .number(30292), .text("Cộng tác viên"), .text("dan so"), .text("CTV"), .text("45658")],
        ])
    }

    func testMessyXLSXImportsWholeAndReimportChangesNothing() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let file = try messyFile()
            try await send(app, file, token: token, query: "?dryRun=true") { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let r = try res.json(PeopleImporter.Report.self)
                XCTAssertEqual([r.rows, r.newPeople, r.newPosts], [3, 3, 3])
                XCTAssertFalse(r.committed)
            }
            let afterPreview = try await Person.query(on: app.db).count()
            XCTAssertEqual(afterPreview, 0, "a preview stores nothing")
            try await send(app, file, token: token) { res in
                let r = try res.json(PeopleImporter.Report.self)
                XCTAssertTrue(r.committed)
                XCTAssertEqual([r.newPeople, r.newPosts], [3, 3])
            }
            let hoa = try await Person.query(on: app.db).filter(\.$cccd == "089190001234").first()
            XCTAssertEqual(hoa?.fullName, "Nguyễn Thị Hoa")
            XCTAssertEqual(hoa?.birthDate, "1990-03-02")
            XCTAssertEqual(hoa?.phone, "0912345678")
            let hoaPost = try await Assignment.query(on: app.db).filter(\.$person.$id == hoa!.requireID()).first()
            XCTAssertEqual(hoaPost?.startDate, "2024-01-15")
            XCTAssertEqual(hoaPost?.domains, [.family, .population, .children])
            let anh = try await Person.query(on: app.db).filter(\.$cccd == "089192000777").first()
            let anhPost = try await Assignment.query(on: app.db).filter(\.$person.$id == anh!.requireID()).first()
            XCTAssertEqual(anhPost?.startDate, "2025-01-01", "Excel serial 45658")
            XCTAssertEqual(anhPost?.employmentKind, .congTacVien)
            try await send(app, file, token: token) { res in
                let r = try res.json(PeopleImporter.Report.self)
                XCTAssertEqual([r.newPeople, r.matchedPeople, r.newPosts, r.unchangedPosts], [0, 3, 0, 3])
            }
            let people = try await Person.query(on: app.db).count()
            let posts = try await Assignment.query(on: app.db).count()
            XCTAssertEqual([people, posts], [3, 3])
        }
    }

    func testBadRowsAreAllListedAndNothingStored() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let csv = """
            Họ và tên,Ngày sinh,Số CCCD,Mã đơn vị,Chức danh,Lĩnh vực,Loại hình,Ngày bắt đầu
            Phạm Thị Đúng,01/01/1990,,30292,CTV,Dân số,Cộng tác viên,01/01/2024
            Phạm Thị Sai Ngày,31/02/1990,,30292,CTV,Dân số,Cộng tác viên,01/01/2024
            Phạm Thị Sai Xã,01/01/1990,,00004,CTV,Dân số,Cộng tác viên,01/01/2024
            Phạm Thị Sai Lĩnh Vực,01/01/1990,,30292,CTV,Ma thuật,Cộng tác viên,01/01/2024
            Phạm Thị Sai Căn Cước,01/01/1990,12345,30292,CTV,Dân số,Cộng tác viên,01/01/2024
            Phạm Thị Sai Loại,01/01/1990,,30292,CTV,Dân số,Giám đốc,01/01/2024
            """
            try await app.test(.POST, "/api/v1/people/import", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                req.body = ByteBuffer(string: csv)
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let problems = try res.content.decode(ErrorBody.self).error.problems ?? []
                XCTAssertEqual(problems.map { $0.line ?? 0 }, [3, 4, 5, 6, 7])
                XCTAssertEqual(problems.map { $0.field ?? "" }, ["Ngày sinh", "Mã đơn vị", "Lĩnh vực", "Số CCCD", "Loại hình"])
            })
            let stored = try await Person.query(on: app.db).count()
            XCTAssertEqual(stored, 0, "the good first row is not stored either")
        }
    }

    func testUnknownHeadersNeedAMapping() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let csv = "Tên người,Nơi,Việc\nVõ Văn Mới,30292,CTV\n"
            try await app.test(.POST, "/api/v1/people/import", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                req.body = ByteBuffer(string: csv)
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "mapping")
                XCTAssertContains(res.errorMessage ?? "", "0: Tên người")
            })
            let mapping = #"{"fullName":0,"unitCode":1}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await app.test(.POST, "/api/v1/people/import?mapping=\(mapping)", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                req.body = ByteBuffer(string: csv)
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.content.decode(PeopleImporter.Report.self).newPeople, 1)
            })
        }
    }
}

/// Finding 1: a Thanh Hóa officer's people import took over an An Giang person by CCCD: the
/// dry run named them, the real run added a Thanh Hóa post, and the officer could then read and
/// change them.
final class ImportScopeTests: XCTestCase {
    func csv(_ app: Application, _ body: String, token: String, dryRun: Bool, _ check: (XCTHTTPResponse) async throws -> Void) async throws {
        try await app.test(.POST, "/api/v1/people/import" + (dryRun ? "?dryRun=true" : ""), beforeRequest: { req in
            req.headers.bearerAuthorization = .init(token: token)
            req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            req.body = ByteBuffer(string: body)
        }, afterResponse: { res async throws in try await check(res) })
    }

    func testAnImportNeverReachesAPersonOutsideScope() async throws {
        try await withApp { app in
            let anGiang = try await app.token(for: try await app.makeUser("cv-ag", role: .provinceOfficer, scope: "91"))
            let thanhHoa = try await app.token(for: try await app.makeUser("cv-th", role: .provinceOfficer, scope: "38"))
            let agCommune = try await app.communes("91")[0].code, thCommune = try await app.communes("38")[0].code
            let header = "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Mã đơn vị,Chức danh,Lĩnh vực,Loại hình,Ngày bắt đầu\n"
            try await csv(app, header + "Trần Thị Mai,05/06/1985,Nữ,091185001111,\(agCommune),CTV,Dân số,Cộng tác viên,01/01/2024\n", token: anGiang, dryRun: false) {
                XCTAssertEqual($0.status, .ok, $0.body.string)
            }
            let mai = try await Person.query(on: app.db).filter(\.$cccd == "091185001111").first()!
            // Thanh Hóa's file names her CCCD with another name, birth date and sex.
            let intruder = header + "Lê Văn Tư,01/01/1970,Nam,091185001111,\(thCommune),CTV,Gia đình,Cộng tác viên,01/01/2025\n"
            for dryRun in [true, false] {
                try await csv(app, intruder, token: thanhHoa, dryRun: dryRun) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity)
                    // Her number's digits also disagree with his sex and year: a warning beside the error.
                    let all = try res.content.decode(ErrorBody.self).error.problems ?? []
                    XCTAssertEqual(all.filter { !$0.isError }.map(\.field), ["Số CCCD"])
                    let problems = all.filter(\.isError)
                    XCTAssertEqual(problems.map { $0.line ?? 0 }, [2]); XCTAssertEqual(problems.first?.field, "Số CCCD")
                    XCTAssertContains(problems.first?.message ?? "", "ngoài phạm vi của bạn")
                    XCTAssertFalse(res.body.string.contains("Mai"), "names no one")
                }
            }
            let posts = try await Assignment.query(on: app.db).filter(\.$person.$id == mai.requireID()).count()
            XCTAssertEqual(posts, 1, "no Thanh Hóa post was added")
            try await app.api(.GET, "/api/v1/people/\(mai.requireID())", token: thanhHoa) { XCTAssertEqual($0.status, .notFound) }
            // The preview and the refused run are in the audit log like an import.
            let tries = try await AuditEntry.query(on: app.db).filter(\.$username == "cv-th").filter(\.$entity == "people").all().map(\.action).sorted()
            XCTAssertEqual(tries, ["import-preview", "import-refused"])
            // In scope, a CCCD with another name or birth date is a mistake, not an update.
            try await csv(app, header + "Trần Thị Mây,05/06/1986,Nữ,091185001111,\(agCommune),CTV,Trẻ em,Cộng tác viên,01/02/2024\n", token: anGiang, dryRun: true) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertContains(res.body.string, "họ tên, ngày sinh")
            }
            try await csv(app, header + "Trần Thị Mai,05/06/1985,Nữ,091185001111,\(agCommune),CTV,Trẻ em,Cộng tác viên,01/02/2024\n", token: anGiang, dryRun: false) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.content.decode(PeopleImporter.Report.self).matchedPeople, 1, "the same person, agreeing, is matched")
            }
        }
    }
}
