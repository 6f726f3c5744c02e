import XCTest
import XCTVapor
@testable import HamletServer

/// Issue 22, point 8: pages in English when English is chosen; Vietnamese stays the default.
final class EnglishTests: XCTestCase {
    /// Every phrase a template writes through `#tr("…")` has its English.
    func testEveryTemplatePhraseHasItsEnglish() throws {
        let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Resources/Views")
        let files = FileManager.default.enumerator(at: views, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }.filter { $0.pathExtension == "leaf" }
        XCTAssertGreaterThan(files.count, 20)
        let phrase = try NSRegularExpression(pattern: #"#tr\("([^"]*)"\)"#)
        var missing: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for m in phrase.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let p = String(text[Range(m.range(at: 1), in: text)!])
                if English.phrases[p] == nil { missing.append(file.lastPathComponent + ": " + p) }
            }
        }
        XCTAssertEqual(missing, [])
    }

    func testTheCatalogueAndItsValuesReadInEnglish() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            var officer = try await app.login("cv")
            try await app.page(.GET, "/reports/catalogue", as: &officer) { res in
                XCTAssertTrue(res.body.string.contains("<h1>Danh mục báo cáo</h1>"))
                XCTAssertTrue(res.body.string.contains("Số nguyên"))
            }
            officer.cookies["hamlet_lang"] = "en"
            try await app.page(.GET, "/reports/catalogue", as: &officer) { res in
                let html = res.body.string
                XCTAssertTrue(html.contains("<h1>Reporting catalogue</h1>"), html)
                XCTAssertTrue(html.contains("<h2>Report forms</h2>"))
                XCTAssertTrue(html.contains("<td>Integer</td>"), "a list value in English too")
                XCTAssertFalse(html.contains("Số nguyên"))
            }
        }
    }

    /// The start page's lines in English: the period, the due day and the state.
    func testTheStartPageReadsInEnglish() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("qt", role: .admin, scope: "91"))
            var hamlet = ""
            try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: admin, json: JSON(["name": "Ấp Hòa An", "type": "Ấp", "effectiveDate": "01/07/2025"])) {
                hamlet = try $0.json(UnitDTO.self).code
            }
            try await app.api(.POST, "/api/v1/data-elements", token: admin, json: ElementInput(code: "HO_THAM", name: "Số hộ được thăm", valueType: "INTEGER_ZERO_OR_POSITIVE")) { _ in }
            try await app.api(.POST, "/api/v1/data-sets", token: admin, json: DataSetInput(code: "BC_AP", name: "Báo cáo tháng của ấp", periodicity: "monthly",
                                                                                          levels: ["hamlet"], dueDays: 5, elements: [.init(element: "HO_THAM", section: "Chung")])) { _ in }
            try await app.makeUser("ctv", role: .collaborator, scope: hamlet)
            var phone = try await app.login("ctv")
            phone.cookies["hamlet_lang"] = "en"
            try await app.page(.GET, "/", as: &phone) { res in
                let html = res.body.string
                XCTAssertTrue(html.contains("Báo cáo tháng của ấp — November 2026"), html)
                XCTAssertTrue(html.contains("Ấp Hòa An · due 05/12/2026"))
                XCTAssertTrue(html.contains(">Not started<"))
                XCTAssertFalse(html.contains("Chưa nhập"))
            }
        }
    }

    /// A service's refusal in the page's language; Vietnamese stays the default.
    func testARefusalReadsInTheChosenLanguage() async throws {
        try await withApp { app in
            try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            var officer = try await app.login("cv")
            let form = ["current": "Mat-khau-rat-kho-2026", "password": "Mot-mat-khau-moi-2026", "confirm": "Khac-han-2026"]
            try await app.page(.POST, "/me/password", as: &officer, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("Hai lần nhập mật khẩu mới không khớp."))
            }
            officer.cookies["hamlet_lang"] = "en"
            try await app.page(.POST, "/me/password", as: &officer, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("The two new passwords do not match."), res.body.string)
            }
            try await app.page(.GET, "/units/2025/99999", as: &officer) { res in
                XCTAssertEqual(res.status, .notFound)
                XCTAssertTrue(res.body.string.contains("Not found."))
            }
        }
    }
}
