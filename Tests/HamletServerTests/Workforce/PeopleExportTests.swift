import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletWorkforce

final class PeopleExportTests: XCTestCase {
    func testExportXLSXAndCSVOfAFilteredList() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let hoa = try await app.makePerson(token, PersonBody(fullName: "Nguyễn Thị Hòa", birthDate: "09/03/1990", cccd: "089190001234", phone: "0912345678", homeUnitCode: "30292"))
            _ = try await app.makePerson(token, PersonBody(fullName: "Trần Văn Khác", homeUnitCode: "30313"))
            try await app.api(.POST, "/api/v1/people/\(hoa.id!)/assignments", token: token,
                              json: PostBody(unitCode: "30292", domains: ["population", "family"], positionTitle: "Cộng tác viên", employmentKind: "cong-tac-vien", startDate: "01/02/2024")) { _ in }
            try await app.api(.GET, "/api/v1/people/export?format=xlsx&unit=30292", token: token) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.first(name: .cacheControl), "no-store")
                XCTAssertContains(res.headers.first(name: .contentDisposition) ?? "", ".xlsx")
                let rows = try XLSXReader.read(Data(buffer: res.body))
                XCTAssertEqual(rows.count, 2, "header and Hòa's one post; Khác lives elsewhere")
                XCTAssertEqual(rows[0][0], "Họ và tên")
                XCTAssertEqual(rows[1][0], "Nguyễn Thị Hòa")
                XCTAssertEqual(rows[1][2], String(XLSXWriter.excelSerial(year: 1990, month: 3, day: 9)), "a real date cell")
                XCTAssertEqual(rows[1][3], "089190001234", "CCCD stays text, leading zero kept")
                XCTAssertEqual(rows[1][15], "Gia đình, Dân số")
            }
            try await app.api(.GET, "/api/v1/people/export?format=csv", token: token) { res in
                XCTAssertEqual(res.status, .ok)
                let data = Data(buffer: res.body)
                XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 with BOM")
                let rows = try CSVTable.parse(data)
                XCTAssertEqual(rows.count, 3)
                XCTAssertEqual(rows.map { $0[0] }, ["Họ và tên", "Nguyễn Thị Hòa", "Trần Văn Khác"])
                XCTAssertEqual(rows[1][2], "09/03/1990")
            }
            try await app.api(.GET, "/api/v1/people/export?format=pdf", token: token) { XCTAssertEqual($0.errorField, "format") }
            let exports = try await AuditEntry.query(on: app.db).filter(\.$action == "export").count()
            XCTAssertEqual(exports, 2)
        }
    }

    /// Keyset pages: every person once, even with identical names across page boundaries.
    func testExportPagesNeitherRepeatNorSkip() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            for n in 0..<7 {
                _ = try await app.makePerson(token, PersonBody(fullName: n < 4 ? "Nguyễn Thị Giống" : "Trần Văn Khác", cccd: String(format: "0891900000%02d", n), homeUnitCode: "30292"))
            }
            var export = PeopleExport(db: app.db, scope: AccessScope(code: "91", path: "91."))
            export.pageSize = 2
            var names: [String] = [], cccds: [String] = []
            let count = try await export.rows(.init(), on: "2026-01-01") { cells in
                if case .text(let name) = cells[0] { names.append(name) }
                if case .text(let id) = cells[3] { cccds.append(id) }
            }
            XCTAssertEqual(count, 7)
            XCTAssertEqual(names.count, 8, "header + 7")
            XCTAssertEqual(Set(cccds.dropFirst()).count, 7)
            XCTAssertEqual(names.dropFirst().filter { $0 == "Nguyễn Thị Giống" }.count, 4)
        }
    }
}
