import XCTest
import XCTVapor
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletReporting

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

    /// Every refusal the code writes (`HamletError.invalid`, `.badRequest`, `.conflict`, a problem's
    /// `message:`, and the messages of HamletKit's checks) has its English, values and all: a value
    /// inside the sentence stands for any value.
    func testEveryRefusalInTheCodeHasItsEnglish() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" && !$0.path.contains("/Demo/") && !$0.path.contains("/Benchmarks/") && !$0.path.contains("/Commands/") }
        XCTAssertGreaterThan(files.count, 100)
        var checked = 0
        var missing: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for sentence in SwiftSource.refusals(in: text) {
                checked += 1
                if English.translate(sentence) == sentence { missing.append(file.lastPathComponent + ": " + sentence) }
            }
        }
        XCTAssertGreaterThan(checked, 300, "the scan finds the refusals")
        XCTAssertEqual(missing, [])
    }

    /// A sentence pattern takes only what it was written for: a period label is English, a plan's
    /// own objective that happens to start the same way stays as its author wrote it.
    func testPatternsDoNotTranslateData() {
        Language.$current.withValue(.en) {
            XCTAssertEqual(English.say("Năm 2025"), "Year 2025")
            XCTAssertEqual(English.say("Tháng 11/2026"), "Month 11/2026")
            let objective = "Năm 2025, số người có hoàn cảnh đặc biệt khó khăn được tư vấn, hỗ trợ tăng 20% so với năm 2020."
            XCTAssertEqual(English.say(objective), objective)
            XCTAssertEqual(English.say("Hồ sơ đang ở bước “Đã đóng”: không chuyển sang “Tiếp nhận” được"),
                           "The case is at the step “Closed”: it cannot move to “Received”", "a status inside the sentence is English too")
        }
        XCTAssertEqual(English.say("Năm 2025"), "Năm 2025", "Vietnamese stays the default")
    }

    func testTheCatalogueAndItsValuesReadInEnglish() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            var officer = try await app.login("cv")
            try await app.page(.GET, "/reports/catalogue", as: &officer) { res in
                XCTAssertEqual(res.page.headings(1), ["Danh mục báo cáo"])
                XCTAssertTrue(res.body.string.contains("Số nguyên"))
            }
            officer.cookies["hamlet_lang"] = "en"
            try await app.page(.GET, "/reports/catalogue", as: &officer) { res in
                let html = res.body.string
                XCTAssertEqual(res.page.headings(1), ["Reporting catalogue"], html)
                XCTAssertTrue(res.page.headings(2).contains("Report forms"))
                XCTAssertTrue(res.page.texts("td").contains("Integer"), "a list value in English too")
                XCTAssertFalse(html.contains("Số nguyên"))
            }
        }
    }

    /// The start page's lines in English: the period, the due day and the state.
    func testTheStartPageReadsInEnglish() async throws {
        try await withApp { app in
            _ = try await hamletWithMonthlyForm(app)
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

extension EnglishTests {
    /// A refusal with values inside it, and every problem of an import, in English; the values stay.
    func testSentencesWithValuesAndImportProblemsReadInEnglish() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("tinh", role: .provinceOfficer, scope: "91"))
            try await app.makeUser("qt", role: .admin, scope: "91")
            var officer = try await app.login("qt")
            officer.cookies["hamlet_lang"] = "en"
            let taken = ["username": "tinh", "password": "Mot-mat-khau-moi-2026", "displayName": "Ai đó", "role": "commune-officer", "scope": "30292"]
            try await app.page(.POST, "/users", as: &officer, form: taken) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("The username «tinh» is already taken."), res.body.string)
            }
            // An API client asks for English by Accept-Language; each import problem is in English.
            let csv = "Mã xã,Tên thôn,Loại,Mã thôn\n99999,Ấp Lạ,Ấp,\n30292,Khóm 5,Làng mạc,\n"
            for (language, first) in [("en", "The commune code «99999» does not exist or is outside your scope."),
                                      ("vi", "Mã xã «99999» không có hoặc ngoài phạm vi của bạn.")] {
                try await app.test(.POST, "/api/v1/hamlets/import", beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: token)
                    req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                    req.headers.replaceOrAdd(name: .acceptLanguage, value: language + ";q=0.9")
                    req.body = ByteBuffer(string: csv)
                }, afterResponse: { res async throws in
                    XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                    let body = try res.content.decode(ErrorBody.self)
                    let problems = body.error.problems ?? []
                    XCTAssertEqual(problems.first?.message, first)
                    XCTAssertEqual(body.error.message, first)
                    if language == "en" {
                        XCTAssertTrue(problems.contains { $0.line == 3 && $0.message.hasPrefix("Not a valid type: «Làng mạc». Choose one of: ") }, "\(problems)")
                    }
                })
            }
        }
    }

    /// A value refused on the report form reads in English, beside its field, and so does the
    /// sentence the phone checks offline with.
    func testAReportValueRefusedReadsInEnglish() async throws {
        try await withApp { app in
            let hamlet = try await hamletWithMonthlyForm(app)
            var phone = try await app.login("ctv")
            phone.cookies["hamlet_lang"] = "en"
            let path = "/reports/entry?set=BC_AP&unit=\(hamlet)&period=202611"
            try await app.page(.GET, path, as: &phone) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("A count cannot be negative."), "the offline check's sentence")
            }
            let form = ["set": "BC_AP", "unit": hamlet, "period": "202611", "version": "0", "clientId": UUID().uuidString, "v:HO_THAM": "-3", "action": "submit"]
            try await app.page(.POST, "/reports/entry", as: &phone, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                XCTAssertTrue(res.body.string.contains("A count cannot be negative."), res.body.string)
                XCTAssertFalse(res.body.string.contains("Số đếm không được âm."))
            }
        }
    }
}

extension EnglishTests {
    /// The browser tab's name of every page of the menus is English too (titles were passed to
    /// the frame as written, in Vietnamese); names after a dash stay.
    func testEveryPageTitleReadsInEnglish() async throws {
        try await withApp { app in
            try await app.makeUser("qt", role: .admin, scope: "91")
            let officer = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            try await app.makeUser("nv", role: .caseworker, scope: "91")
            try await app.makeReportingCatalogue(try await app.token(for: officer))
            let pages = [
                "qt": ["/units", "/units/import", "/agencies", "/agencies/new", "/facilities", "/facilities/new", "/catalogues",
                       "/users", "/users/new", "/audit"],
                "cv": ["/", "/me", "/people", "/people/new", "/people/import", "/coverage", "/turnover", "/training",
                       "/training/courses", "/training/classes/new", "/training/figures", "/training/needs", "/indicators",
                       "/plans", "/plans/new", "/plans/tracker", "/population", "/reports", "/reports/pivot",
                       "/reports/approvals", "/reports/catalogue", "/cases/breaches"],
                "nv": ["/cases", "/cases/figures", "/cases/staff"],
            ]
            let vietnamese = CharacterSet(charactersIn: "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ")
            for (user, paths) in pages.sorted(by: { $0.key < $1.key }) {
                var browser = try await app.login(user)
                browser.cookies["hamlet_lang"] = "en"
                for path in paths {
                    try await app.page(.GET, path, as: &browser) { res in
                        XCTAssertEqual(res.status, .ok, path)
                        let html = res.body.string
                        let title = html.components(separatedBy: "<title>").dropFirst().first?.components(separatedBy: "</title>").first ?? ""
                        XCTAssertTrue(title.hasSuffix(" · Hamlet"), "\(path): \(title)")
                        // What follows a dash is a name (a form's, a unit's), which stays as written.
                        let words = title.components(separatedBy: " — ")[0]
                        XCTAssertNil(words.lowercased().rangeOfCharacter(from: vietnamese), "\(path): \(title)")
                    }
                }
            }
        }
    }

    /// Sentences a page puts together from parts (the trained share's description, a period in
    /// the pivot's header, the pivot's rule) read in English too.
    func testSentencesPutTogetherReadInEnglish() async throws {
        try await withApp { app in
            let officer = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            try await app.makeReportingCatalogue(try await app.token(for: officer))
            var browser = try await app.login("cv")
            browser.cookies["hamlet_lang"] = "en"
            try await app.page(.GET, "/training/figures", as: &browser) { res in
                XCTAssertTrue(res.page.texts("p").contains("Share of people at work who completed at least one class (any kind)."), res.body.string)
            }
            try await app.page(.GET, "/reports/pivot", as: &browser) { res in
                let html = res.body.string
                XCTAssertFalse(html.contains(">Năm "), html)
                XCTAssertFalse(html.contains(">Tháng "), html)
                XCTAssertTrue(html.contains("values entered under the new units") || html.contains("the default successor"), html)
            }
            browser.cookies["hamlet_lang"] = "vi"
            try await app.page(.GET, "/training/figures", as: &browser) { res in
                XCTAssertTrue(res.page.texts("p").contains("Tỷ lệ người đang làm việc đã hoàn thành ít nhất một lớp (mọi loại hình)."), "Vietnamese stays the default")
            }
        }
    }

    /// A hamlet with a monthly form (one count) and its collaborator `ctv`; the hamlet's code.
    func hamletWithMonthlyForm(_ app: Application) async throws -> String {
        let admin = try await app.token(for: try await app.makeUser("qt", role: .admin, scope: "91"))
        var hamlet = ""
        try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: admin, json: JSON(["name": "Ấp Hòa An", "type": "Ấp", "effectiveDate": "01/07/2025"])) {
            hamlet = try $0.json(UnitDTO.self).code
        }
        try await app.api(.POST, "/api/v1/data-elements", token: admin, json: ElementInput(code: "HO_THAM", name: "Số hộ được thăm", valueType: "INTEGER_ZERO_OR_POSITIVE")) { _ in }
        try await app.api(.POST, "/api/v1/data-sets", token: admin, json: DataSetInput(code: "BC_AP", name: "Báo cáo tháng của ấp", periodicity: "monthly",
                                                                                      levels: ["hamlet"], dueDays: 5, elements: [.init(element: "HO_THAM", section: "Chung")])) { _ in }
        try await app.makeUser("ctv", role: .collaborator, scope: hamlet)
        return hamlet
    }
}

/// Reads the refusal sentences out of Swift source: the string literal a refusal is made with,
/// each interpolation replaced by a sample value.
enum SwiftSource {
    static let openers = [".invalid(", ".badRequest(", ".conflict(", "message: ", "problem(", "Problem("]

    static func refusals(in text: String) -> [String] {
        let chars = Array(text)
        var found: [String] = []
        var i = 0
        while i < chars.count {
            guard let opener = openers.first(where: { matches($0, chars, i) }) else { i += 1; continue }
            i += opener.count
            // The literal is the first or second argument; skip a field name argument.
            var j = i
            var depth = 0
            while j < chars.count, j < i + 120 {
                if chars[j] == "\"" && depth == 0 { break }
                if chars[j] == "(" { depth += 1 } else if chars[j] == ")" { if depth == 0 { break }; depth -= 1 }
                if chars[j] == "\n" { break }
                j += 1
            }
            guard j < chars.count, chars[j] == "\"" else { continue }
            guard var (literal, end) = literal(chars, from: j) else { continue }
            // A first literal followed by a comma is the field's name: the sentence comes next.
            if end < chars.count, chars[end] == ",", end + 2 < chars.count, chars[end + 2] == "\"",
               let next = Self.literal(chars, from: end + 2) { (literal, end) = next }
            i = end
            // Only whole sentences: a literal joined to more text with + is not one.
            var k = end
            while k < chars.count, chars[k] == " " { k += 1 }
            guard k < chars.count, chars[k] != "+", literal.unicodeScalars.contains(where: { $0.value > 0x7F }) else { continue }
            found.append(literal)
        }
        return found
    }

    static func matches(_ word: String, _ chars: [Character], _ i: Int) -> Bool {
        let w = Array(word)
        guard i + w.count <= chars.count else { return false }
        return Array(chars[i..<(i + w.count)]) == w
    }

    /// The literal starting at the quote `start`, interpolations as "1"; nil for a multi-line one.
    static func literal(_ chars: [Character], from start: Int) -> (String, Int)? {
        if matches("\"\"\"", chars, start) { return nil }
        var out = ""
        var i = start + 1
        while i < chars.count {
            let c = chars[i]
            if c == "\"" { return (out, i + 1) }
            if c == "\n" { return nil }
            if c == "\\", i + 1 < chars.count {
                if chars[i + 1] == "(" {
                    var depth = 1
                    i += 2
                    while i < chars.count, depth > 0 {
                        if chars[i] == "(" { depth += 1 } else if chars[i] == ")" { depth -= 1 } else if chars[i] == "\"" {
                            i += 1
                            while i < chars.count, chars[i] != "\"" { i += 1 }
                        }
                        i += 1
                    }
                    out += "1"
                    continue
                }
                switch chars[i + 1] { case "n": out += "\n"; case "t": out += "\t"; default: out.append(chars[i + 1]) }
                i += 2
                continue
            }
            out.append(c)
            i += 1
        }
        return nil
    }
}
