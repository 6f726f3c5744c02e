import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits
@testable import HamletReporting
@testable import HamletCases
@testable import HamletPopulation
@testable import HamletPlans

/// Population figures: entered and imported inside the account's unit, refused by field, and the
/// base of a group's share (588's 85 % of children supported), checked by hand from the lists.
final class PopulationTests: XCTestCase {
    func figure(_ unit: String, _ group: String, _ value: Int, year: Int = 2025, source: String? = "Rà soát của xã năm 2025") -> PopulationInput {
        PopulationInput(unitCode: unit, year: year, group: group, value: value, source: source)
    }

    func testFiguresEnteredInsideTheScopeAndRefusedByField() async throws {
        try await withApp { app in
            let communes = try await app.communes()
            let (a, b) = (communes[0], communes[1])
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let xa = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: a.code))
            let other = try await app.token(for: try await app.makeUser("ls", role: .provinceOfficer, scope: "20"))
            let viewer = try await app.token(for: try await app.makeUser("ld", role: .viewer, scope: "91"))

            var id: UUID?
            try await app.api(.POST, "/api/v1/population", token: xa, json: figure(a.code, "tre-mo-coi", 10)) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                id = try res.json(PopulationFigureDTO.self).id
            }
            // The same unit, group and year again: the figure is replaced, not doubled.
            try await app.api(.POST, "/api/v1/population", token: xa, json: figure(a.code, "tre-mo-coi", 12)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(PopulationFigureDTO.self).id, id)
            }
            try await app.api(.POST, "/api/v1/population", token: cv, json: figure("91", "tre-mo-coi", 900, source: "Cục Thống kê tỉnh")) { XCTAssertEqual($0.status, .created, $0.body.string) }
            try await app.api(.POST, "/api/v1/population", token: cv, json: figure(b.code, "tre-mo-coi", 7)) { XCTAssertEqual($0.status, .created, $0.body.string) }
            let audit = try await AuditEntry.query(on: app.db).filter(\.$entity == "population-figure").filter(\.$action == "update").all()
            XCTAssertEqual(audit.count, 1)
            XCTAssertTrue(audit[0].changes.contains("\"value\":[\"10\",\"12\"]"), audit[0].changes)

            // The commune officer sees its own commune only, even when it asks for the province.
            for query in ["", "?unit=91", "?year=2025&group=tre-mo-coi"] {
                try await app.api(.GET, "/api/v1/population" + query, token: xa) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                    XCTAssertEqual(try res.json([PopulationFigureDTO].self).map(\.value), [12], query)
                }
            }
            try await app.api(.GET, "/api/v1/population?year=2025", token: cv) { res in
                XCTAssertEqual(try res.json([PopulationFigureDTO].self).map(\.value).sorted(), [7, 12, 900])
            }
            try await app.api(.GET, "/api/v1/population?unit=91", token: other) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/population", token: other) { XCTAssertEqual(try $0.json([PopulationFigureDTO].self).count, 0) }
            try await app.api(.DELETE, "/api/v1/population/\(id!)", token: other) { XCTAssertEqual($0.status, .notFound) }

            // Bad input: the field named, nothing stored.
            let before = try await PopulationFigure.query(on: app.db).count()
            let bad: [(PopulationInput, String)] = [
                (figure(b.code, "tre-mo-coi", 3), "unitCode"),          // the neighbouring commune
                (figure("", "tre-mo-coi", 3), "unitCode"),
                (figure(a.code, "tre-mo-coi", 3, year: 1800), "year"),
                (figure(a.code, "nguoi-sao-hoa", 3), "group"),
                (figure(a.code, "tre-mo-coi", -1), "value"),
                (figure(a.code, "tre-mo-coi", 3, source: " "), "source"),
            ]
            for (input, field) in bad {
                try await app.api(.POST, "/api/v1/population", token: xa, json: input) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, field)
                    XCTAssertEqual(res.errorField, field, res.body.string)
                }
            }
            try await app.api(.POST, "/api/v1/population", token: viewer, json: figure(a.code, "tre-mo-coi", 3)) { XCTAssertEqual($0.status, .forbidden) }
            let after = try await PopulationFigure.query(on: app.db).count()
            XCTAssertEqual(after, before)

            try await app.api(.DELETE, "/api/v1/population/\(id!)", token: xa) { XCTAssertEqual($0.status, .noContent) }
            try await app.api(.GET, "/api/v1/population", token: xa) { XCTAssertEqual(try $0.json([PopulationFigureDTO].self).count, 0) }
        }
    }

    func testImportIsAllOrNothingWithEveryProblemByLine() async throws {
        try await withApp { app in
            let communes = try await app.communes()
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            func send(_ csv: String, dryRun: Bool = false, _ check: (XCTHTTPResponse) async throws -> Void) async throws {
                try await app.test(.POST, "/api/v1/population/import" + (dryRun ? "?dryRun=true" : ""), beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: cv)
                    req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                    req.body = ByteBuffer(string: csv)
                }, afterResponse: { res async throws in try await check(res) })
            }
            let header = "SỐ LIỆU TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT\nMã đơn vị,Năm,Nhóm,Số lượng,Nguồn\n"
            let bad = header + "\(communes[0].code),2025,Trẻ em mồ côi,4,Rà soát\n20001,2025,tre-mo-coi,2,Rà soát\n\(communes[1].code),2025,tre-ngoai-hanh-tinh,1.200,\n\(communes[0].code),2025,tre-mo-coi,5,Rà soát\n"
            try await send(bad) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                let problems = try res.content.decode(ErrorBody.self).error.problems ?? []
                XCTAssertEqual(problems.map { "\($0.line ?? 0) \($0.field ?? "")" }, ["4 unitCode", "5 group", "5 source", "6 group"], res.body.string)
            }
            var stored = try await PopulationFigure.query(on: app.db).count()
            XCTAssertEqual(stored, 0, "nothing of a file with an error")

            let good = header + "\(communes[0].code),2025,Trẻ em mồ côi,4,Rà soát\n\(communes[1].code),2025,tre-bi-bo-roi,1.200,Rà soát\n"
            try await send(good, dryRun: true) { XCTAssertEqual(try $0.json(PopulationImporter.Report.self).created, 2) }
            stored = try await PopulationFigure.query(on: app.db).count()
            XCTAssertEqual(stored, 0, "a dry run stores nothing")
            try await send(good) { XCTAssertEqual(try $0.json(PopulationImporter.Report.self).created, 2) }
            try await app.api(.GET, "/api/v1/population?year=2025", token: cv) { res in
                XCTAssertEqual(try res.json([PopulationFigureDTO].self).map { "\($0.group) \($0.value)" }.sorted(), ["tre-bi-bo-roi 1200", "tre-mo-coi 4"])
            }
            // Sent again with one number changed: replaced, with a warning that says what it was.
            try await send(good.replacingOccurrences(of: ",4,", with: ",6,")) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let report = try res.json(PopulationImporter.Report.self)
                XCTAssertEqual([report.created, report.replaced], [0, 2])
                XCTAssertEqual(report.problems.map(\.severity), ["warning"])
                XCTAssertTrue(report.problems[0].message.contains("4"), report.problems[0].message)
            }
        }
    }

    func testGroupShareDividesByThePopulationFigures() async throws {
        try await withApp { app in
            let scene = try await app.makeCaseScene()
            let communes = try await app.communes()
            let (a, b) = (communes[0], communes[1])
            XCTAssertEqual(scene.commune.code, a.code)
            let nv1 = scene.token("nv1"), cv = scene.token("cv")
            func child(_ name: String, _ category: String, lives unit: AdminUnit, services: [String]) async throws {
                let person = try await app.registerPerson(nv1, ServedPersonInput(fullName: name, birthDate: "01/01/2014", unitCode: unit.code,
                                                                                  guardianName: "Người giám hộ", categories: [category], facilityId: scene.centre))
                let c = try await app.openCase(nv1, CaseInput(personId: person, facilityId: scene.centre, openedOn: "01/02/2025"))
                for day in services {
                    try await app.api(.POST, "/api/v1/cases/\(c.id!)/services", token: nv1, json: EntryInput(on: day, code: "tu-van")) { XCTAssertEqual($0.status, .created, $0.body.string) }
                }
            }
            // Supported in 2025: two orphans of A (one twice), one abandoned child of B; an orphan of A with no service; an old man.
            try await child("Trẻ A1", "tre-mo-coi", lives: a, services: ["10/02/2025", "10/05/2025"])
            try await child("Trẻ A2", "tre-mo-coi", lives: a, services: ["11/02/2025"])
            try await child("Trẻ A3", "tre-mo-coi", lives: a, services: [])
            try await child("Trẻ B1", "tre-bi-bo-roi", lives: b, services: ["12/03/2025"])
            try await child("Ông C", "nguoi-cao-tuoi-co-don", lives: b, services: ["12/03/2025"])

            let share = try await app.makeIndicator(cv, "TRE-DS", IndicatorDefinition(kind: .casesGroupServed, caseCategories: ["tre-mo-coi", "tre-bi-bo-roi"], base: .population))
            func exact(_ date: String) async throws -> IndicatorValue {
                let province = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == "91").first()
                return try await IndicatorEngine(db: app.db).value(try await Indicator.find(share, on: app.db)!, unit: province, date: date)
            }
            var v = try await exact("2025-12-31")
            XCTAssertEqual(v.computable, false, "no population figures yet: no share")
            XCTAssertTrue(v.description.contains("chưa có số liệu dân số"), v.description)

            for input in [figure(a.code, "tre-mo-coi", 8), figure(a.code, "tre-bi-bo-roi", 2), figure(b.code, "tre-bi-bo-roi", 6), figure(b.code, "tre-mo-coi", 4, year: 2024)] {
                try await app.api(.POST, "/api/v1/population", token: cv, json: input) { XCTAssertEqual($0.status, .created, $0.body.string) }
            }
            // By hand from the list: 2025's figures of the two groups, per commune.
            var listed: [PopulationFigureDTO] = []
            try await app.api(.GET, "/api/v1/population?year=2025", token: cv) { listed = try $0.json([PopulationFigureDTO].self) }
            let base = listed.filter { ["tre-mo-coi", "tre-bi-bo-roi"].contains($0.group) }.reduce(0) { $0 + $1.value }
            XCTAssertEqual(base, 16)
            v = try await exact("2025-12-31")
            XCTAssertNotEqual(v.computable, false)
            XCTAssertEqual([v.numerator, v.denominator], [3, base], "three children supported of sixteen; the old man and the unserved orphan are not")
            XCTAssertEqual(v.value, 18.8)
            XCTAssertEqual(v.children.map { "\($0.code) \($0.numerator ?? -1)/\($0.denominator ?? -1)" }, ["\(a.code) 2/10", "\(b.code) 1/6"])
            XCTAssertTrue(v.description.contains("năm 2025") && v.description.contains("Rà soát của xã"), v.description)

            // The province's own figure (from the statistics office) wins over its communes' sum for the orphans.
            try await app.api(.POST, "/api/v1/population", token: cv, json: figure("91", "tre-mo-coi", 30, source: "Cục Thống kê")) { XCTAssertEqual($0.status, .created) }
            v = try await exact("2025-12-31")
            XCTAssertEqual(v.denominator, 30 + 2 + 6)
            // The base of 2024 is 2024's figures only.
            v = try await exact("2024-12-31")
            XCTAssertEqual([v.numerator, v.denominator], [0, 4])

            // The page shows the same base, with each commune's part.
            var browser = try await app.login("cv")
            try await app.page(.GET, "/population?year=2025&group=tre-bi-bo-roi", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("id=\"base-children\""), res.body.string)
                XCTAssertTrue(res.body.string.contains("&#58; 8</strong>"), res.body.string)
            }
            // Only a group's share may take this base.
            try await app.api(.POST, "/api/v1/indicators", token: cv, json: IndicatorInput(code: "X", name: "X", definition: IndicatorDefinition(kind: .casesServed, base: .population))) { res in
                XCTAssertEqual(res.errorField, "base")
            }
        }
    }

    func testThePageEntersAFigureByNameAndShowsAProblemBesideItsField() async throws {
        try await withApp { app in
            let communes = try await app.communes()
            _ = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            var browser = try await app.login("cv")
            try await app.page(.POST, "/population", as: &browser, form: ["unitCode": communes[0].code, "year": "2025", "group": "tre-mo-coi", "value": "5", "source": ""]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("id=\"source\" name=\"source\" value=\"\" placeholder=\"Cục Thống kê tỉnh, 2025\" maxlength=\"300\" required aria-invalid=\"true\""), res.body.string)
                XCTAssertTrue(res.body.string.contains("value=\"5\""), "typed values stay")
            }
            let count = try await PopulationFigure.query(on: app.db).count()
            XCTAssertEqual(count, 0)
            try await app.page(.POST, "/population", as: &browser, form: ["unitCode": communes[1].name, "year": "2025", "group": "tre-mo-coi", "value": "1.250", "source": "Rà soát"]) { res in
                XCTAssertEqual(res.status, .seeOther, res.body.string)
            }
            let stored = try await PopulationFigure.query(on: app.db).all()
            XCTAssertEqual(stored.map { "\($0.unitCode) \($0.value)" }, ["\(communes[1].code) 1250"], "a commune named, a number with thousands")
            try await app.page(.GET, "/population?year=2025", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("1.250"), res.body.string)
                XCTAssertTrue(res.body.string.contains(communes[1].name))
            }
        }
    }
}
