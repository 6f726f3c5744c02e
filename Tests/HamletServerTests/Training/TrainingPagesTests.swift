import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletAccounts
@testable import HamletWorkforce
@testable import HamletTraining
@testable import HamletReporting

/// The training pages as an officer uses them, and the roster file round trip.
final class TrainingPagesTests: XCTestCase {
    func testOfficerRunsAClassThroughThePages() async throws {
        try await withApp { app in
            try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let token = try await app.token(for: try await User.query(on: app.db).filter(\.$username == "cv").first()!)
            let course = try await app.makeCourse(token, "Kỹ năng tư vấn", kind: "tap-huan")
            let org = try await app.makeAgency(token, "Sở Y tế An Giang")
            let people = try await app.seedPeople(2, unit: "30292")
            var browser = try await app.login("cv")
            try await app.page(.GET, "/training/classes/new", as: &browser) { XCTAssertEqual($0.status, .ok) }
            // The catalogue: edit a course, set the organiser's certificate numbering.
            try await app.page(.GET, "/training/courses/\(course)", as: &browser) { XCTAssertTrue($0.body.string.contains(#"value="Kỹ năng tư vấn""#)) }
            try await app.page(.POST, "/training/courses/\(course)", as: &browser, form: ["name": "Kỹ năng tư vấn", "kind": "tap-huan", "hours": "mười", "population": "on"]) {
                XCTAssertEqual($0.status, .unprocessableEntity)
                XCTAssertTrue($0.body.string.contains(#"id="hours" name="hours" value="mười" inputmode="numeric" required aria-invalid="true""#))
            }
            try await app.page(.POST, "/training/courses/\(course)", as: &browser, form: ["name": "Kỹ năng tư vấn cơ bản", "kind": "tap-huan", "hours": "24", "population": "on"]) {
                XCTAssertEqual($0.status, .seeOther)
            }
            try await app.page(.POST, "/training/certificate-series", as: &browser, form: ["organiserId": org.uuidString, "pattern": "GCN-SYT", "nextNumber": "1"]) {
                XCTAssertEqual($0.status, .unprocessableEntity)
                XCTAssertTrue($0.body.string.contains("Mẫu số phải có {n}"))
            }
            try await app.page(.POST, "/training/certificate-series", as: &browser, form: ["organiserId": org.uuidString, "pattern": "{n}/{year}/GCN-SYT", "nextNumber": "7"]) {
                XCTAssertEqual($0.status, .seeOther)
            }
            try await app.page(.GET, "/training/courses", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("Kỹ năng tư vấn cơ bản"))
                XCTAssertTrue(res.page.texts("code").contains("{n}/{year}/GCN-SYT"))
            }
            let form = ["courseId": course.uuidString, "organiserId": org.uuidString, "unitCode": "91", "startDate": "10/03/2025",
                        "endDate": "01/03/2025", "status": "finished", "localPlanned": "12.000.000", "localSpent": "11.500.000"]
            try await app.page(.POST, "/training/classes", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("Ngày bế giảng không được trước ngày khai giảng"))
                XCTAssertTrue(res.body.string.contains(#"id="endDate" name="endDate" value="01/03/2025""#), "the typed value is kept")
            }
            var bad = form; bad["endDate"] = "12/03/2025"; bad["localSpent"] = "mười triệu"
            try await app.page(.POST, "/training/classes", as: &browser, form: bad) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"name="localSpent" aria-label="Địa phương, đã chi" value="mười triệu" inputmode="numeric" aria-invalid="true""#))
            }
            let stored = try await TrainingClass.query(on: app.db).count()
            XCTAssertEqual(stored, 0)
            var good = form; good["endDate"] = "12/03/2025"
            var location = ""
            try await app.page(.POST, "/training/classes", as: &browser, form: good) { res in
                XCTAssertEqual(res.status, .seeOther)
                location = res.headers.first(name: .location) ?? ""
            }
            let classPath = String(location.split(separator: "?")[0])
            try await app.page(.POST, classPath + "/enrol-all", as: &browser, form: ["unitCode": "30292", "domains[]": "population"]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.POST, classPath + "/enrol", as: &browser, form: ["person": "Không Có Ai"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"id="person" name="person" required aria-invalid="true""#))
            }
            try await app.page(.POST, classPath + "/results", as: &browser,
                               form: ["result[\(people[0])]": "completed", "score[\(people[0])]": "8,5", "issue[\(people[0])]": "on",
                                      "result[\(people[1])]": "absent"]) { XCTAssertEqual($0.status, .seeOther) }
            var participation = ""
            try await app.page(.GET, classPath, as: &browser) { res in
                let html = res.body.string
                XCTAssertTrue(html.contains("11.500.000"))
                XCTAssertTrue(html.contains("0007/2025/GCN-SYT"), "numbered from the organiser's series")
                if let r = html.range(of: "/training/certificates/") { participation = String(html[r.upperBound...].prefix(36)) }
            }
            try await app.page(.GET, "/training/certificates/\(participation)", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                let html = res.body.string
                XCTAssertTrue(html.contains("GIẤY CHỨNG NHẬN"))
                XCTAssertTrue(html.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
                XCTAssertTrue(html.contains("An Giang, ngày 12 tháng 3 năm 2025"))
                XCTAssertTrue(html.contains("Điểm: 8,5"))
            }
            try await app.page(.GET, "/people/\(people[0])", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("Kỹ năng tư vấn cơ bản"))
                XCTAssertTrue(res.body.string.contains("Hoàn thành"))
            }
            try await app.page(.GET, "/training/figures?unit=91&date=31/12/2025&domains=population&from=2025&to=2025", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.page.text(id: "share-total"), "50,0% · 1/2", res.body.string)
                XCTAssertEqual(res.page.all("svg.chart").count, 1, "a server-drawn trend chart")
                XCTAssertTrue(res.body.string.contains("2025: 50,0%"), "with its text alternative")
            }
            // Years still to come: no trend yet, and no crash (a reversed range once stopped the server).
            try await app.page(.GET, "/training/figures?unit=91&from=2030&to=2031", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertFalse(res.body.string.contains("2030: "))
            }
            try await app.page(.GET, "/training/figures?unit=91&since=31/31/2025", as: &browser) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"id="since" name="since" value="31/31/2025" placeholder="dd/MM/yyyy" inputmode="numeric" aria-invalid="true""#))
            }
            try await app.page(.GET, "/training/figures/export?table=share&format=xlsx&unit=91&date=31/12/2025&domains=population", as: &browser) { res in
                let rows = try XLSXReader.read(Data(buffer: res.body))
                XCTAssertEqual(rows.last?.cells.prefix(4).map { $0 }, ["91", "Tổng", "2", "1"])
            }
            // In English the download's words are English too; codes and figures are the same.
            browser.cookies["hamlet_lang"] = "en"
            try await app.page(.GET, "/training/figures/export?table=share&format=csv&unit=91&date=31/12/2025&domains=population", as: &browser) { res in
                let rows = try CSVTable.parse(Data(buffer: res.body))
                XCTAssertEqual(rows.last?.cells.prefix(4).map { $0 }, ["91", "Total", "2", "1"])
                XCTAssertTrue(rows.contains { $0.cells.starts(with: ["Code"]) }, "\(rows)")
            }
            browser.cookies["hamlet_lang"] = nil
            try await app.page(.GET, "/training/needs", as: &browser) { XCTAssertEqual($0.status, .ok) }
            try await app.page(.POST, "/training/needs", as: &browser, form: ["person": "Học Viên An An An", "topic": "", "wantedKind": "tap-huan", "year": "2026"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"id="topic" name="topic" value="" required maxlength="200" aria-invalid="true""#))
            }
        }
    }

    /// Export the roster, fill it in, import it: a bad line stops everything; a clean file is
    /// stored, and importing it again changes nothing.
    func testRosterRoundTrip() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let course = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
            let org = try await app.makeAgency(token, "Sở Y tế")
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "91", startDate: "01/03/2025", endDate: "05/03/2025"))
            let people = try await app.seedPeople(3, unit: "30292")
            try await app.enrol(token, klass, [people[0], people[1]])
            var exported: [SheetRow] = []
            try await app.api(.GET, "/api/v1/classes/\(klass)/roster?format=xlsx", token: token) { res in
                exported = try XLSXReader.read(Data(buffer: res.body))
            }
            XCTAssertEqual(exported.count, 3)
            XCTAssertEqual(exported[0].cells.prefix(3).map { $0 }, ["Họ và tên", "Ngày sinh", "Số CCCD"])
            let third = try await Person.find(people[2], on: app.db)!
            func file(_ extra: [[XLSXCell]]) throws -> Data {
                var rows: [[XLSXCell]] = [RosterRoutes.header.map { .text($0) }]
                for row in exported.dropFirst() {
                    rows.append([.text(row[0]), .empty, .empty, .text(row[3]), .number(5), .text("Hoàn thành"), .text("9"), .empty, .empty])
                }
                return try XLSXWriter.write(rows: rows + extra)
            }
            let bad = try file([[.text("Không Có Ai")], [.text(third.fullName), .empty, .empty, .empty, .empty, .text("Xuất sắc")]])
            try await app.upload("/api/v1/classes/\(klass)/roster", token: token, xlsx: bad) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let problems = try res.content.decode(ErrorBodyWithProblems.self).error.problems
                XCTAssertEqual(problems.map(\.line), [4, 5])
                XCTAssertEqual(problems.map(\.field), ["Họ và tên", "Kết quả"])
            }
            let untouched = try await Participation.query(on: app.db).filter(\.$result != nil).count()
            XCTAssertEqual(untouched, 0, "nothing stored")
            let good = try file([[.text(third.fullName), .empty, .empty, .empty, .empty, .text("Vắng")]])
            for round in 1...2 {
                try await app.upload("/api/v1/classes/\(klass)/roster", token: token, xlsx: good) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    let report = try res.content.decode(RosterRoutes.Report.self)
                    XCTAssertEqual(report.enrolled, round == 1 ? 1 : 0, "the third learner is enrolled once")
                    XCTAssertEqual(report.updated, round == 1 ? 3 : 0, "a second import changes nothing")
                }
            }
            let completed = try await Participation.query(on: app.db).filter(\.$result == "completed").count()
            XCTAssertEqual(completed, 2)
        }
    }
}

extension TrainingPagesTests {
    /// Finding 1, for rosters: a row whose CCCD belongs to someone else (another name or birth
    /// date) or to someone outside the account's subtree matches no one.
    func testARosterRowMustAgreeWithThePersonItsCCCDNames() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let course = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
            let org = try await app.makeAgency(token, "Sở Y tế")
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "91", startDate: "01/03/2025", endDate: "05/03/2025"))
            let people = try await app.seedPeople(1, unit: "30292")
            let mine = try await Person.find(people[0], on: app.db)!
            mine.cccd = "091190002222"; mine.birthDate = "1990-02-02"
            try await mine.update(on: app.db)
            let outside = try await app.seedPeople(1, unit: try await app.communes("38")[0].code, prefix: "Người Tỉnh Khác")
            let theirs = try await Person.find(outside[0], on: app.db)!
            theirs.cccd = "038190003333"
            try await theirs.update(on: app.db)
            let rows: [[XLSXCell]] = [RosterRoutes.header.map { .text($0) },
                                      [.text("Tên Khác Hẳn"), .empty, .text("091190002222")],
                                      [.text(mine.fullName), .text("03/03/1991"), .text("091190002222")],
                                      [.text(theirs.fullName), .empty, .text("038190003333")]]
            try await app.test(.POST, "/api/v1/classes/\(klass)/roster?dryRun=true", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = PeopleImportTests.xlsxType
                req.body = ByteBuffer(data: try XLSXWriter.write(rows: rows))
            }, afterResponse: { res async throws in
                XCTAssertEqual(res.status, .unprocessableEntity)
                let problems = try res.content.decode(ErrorBodyWithProblems.self).error.problems
                XCTAssertEqual(problems.map(\.line), [2, 3, 4])
                XCTAssertContains(problems[0].message, "họ tên"); XCTAssertContains(problems[1].message, "ngày sinh")
                XCTAssertContains(problems[2].message, "trong phạm vi của bạn")
                XCTAssertFalse(res.body.string.contains("Người Tỉnh Khác"))
            })
            let previews = try await AuditEntry.query(on: app.db).filter(\.$action == "import-preview").filter(\.$entity == "training_class").count()
            XCTAssertEqual(previews, 1)
        }
    }
}

struct ErrorBodyWithProblems: Decodable {
    struct Detail: Decodable { var problems: [ValidationFailure.Problem] }
    var error: Detail
}
