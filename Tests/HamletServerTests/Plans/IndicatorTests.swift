import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletWorkforce
@testable import HamletTraining
@testable import HamletPlans

extension Application {
    func makeIndicator(_ token: String, _ code: String, _ definition: IndicatorDefinition) async throws -> UUID {
        var id: UUID?
        try await api(.POST, "/api/v1/indicators", token: token, json: IndicatorInput(code: code, name: "Chỉ tiêu " + code, definition: definition)) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            id = try res.json(IndicatorDTO.self).id
        }
        return id!
    }

    func indicatorValue(_ token: String, _ id: UUID, _ query: String) async throws -> IndicatorValue {
        var v: IndicatorValue?
        try await api(.GET, "/api/v1/indicators/\(id)/values?" + query, token: token) { res in
            XCTAssertEqual(res.status, .ok, res.body.string)
            v = try res.json(IndicatorValue.self)
        }
        return v!
    }
}

/// Indicators are data: each kind is defined through the API and computed from the records,
/// checked against hand-counted values, at any unit and date.
final class IndicatorTests: XCTestCase {
    func testBadDefinitionsAreRefusedByField() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let cases: [(IndicatorDefinition, String)] = [
                (IndicatorDefinition(kind: .unitsWithPeople), "rule"),
                (IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(level: .commune, domains: [.socialWork], min: 3, max: 2)), "max"),
                (IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(organisationType: "khong-co", min: 1)), "organisationType"),
                (IndicatorDefinition(kind: .facilityCount), "facilityTypes"),
                (IndicatorDefinition(kind: .facilitiesWithService, facilityTypes: ["tt-ctxh", "sao-hoa"]), "facilityTypes"),
                (IndicatorDefinition(kind: .trainedCount), "fromYear"),
            ]
            for (definition, field) in cases {
                try await app.api(.POST, "/api/v1/indicators", token: token, json: IndicatorInput(code: "X", name: "X", definition: definition)) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, field)
                    XCTAssertEqual(res.errorField, field)
                }
            }
            // Unknown fields of work or levels never reach the database.
            for (body, field) in [(#"{"code":"X","name":"X","definition":{"kind":"trained-share","staff":{"domains":["astronomy"]}}}"#, "domains"),
                                  (#"{"code":"X","name":"X","definition":{"kind":"units-with-people","rule":{"level":"galaxy","min":1}}}"#, "level"),
                                  (#"{"code":"X","name":"X","definition":{"kind":"happiness"}}"#, "kind")] {
                try await app.test(.POST, "/api/v1/indicators", beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: token)
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: body)
                }, afterResponse: { res async throws in
                    XCTAssertEqual(res.status, .badRequest, body)
                    XCTAssertEqual(res.errorField, field, body)
                })
            }
            let stored = try await Indicator.query(on: app.db).count()
            XCTAssertEqual(stored, 0)
            let commune = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30292"))
            try await app.api(.POST, "/api/v1/indicators", token: commune,
                              json: IndicatorInput(code: "X", name: "X", definition: IndicatorDefinition(kind: .trainedShare))) { XCTAssertEqual($0.status, .forbidden) }
        }
    }

    func testEveryKindAgainstHandCountedValues() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            // Facilities: three social-work centres and a school, two centres offering the service.
            for (name, type, unit, serves) in [("Trung tâm A", "tt-ctxh", "30292", true), ("Trung tâm B", "tt-ctxh", "30313", true),
                                               ("Trung tâm C", "tt-ctxh", "30313", false), ("Trường X", "truong-hoc", "30292", false)] {
                try await app.api(.POST, "/api/v1/facilities", token: token,
                                  json: FacilityBody(name: name, typeCode: type, unitCode: unit, providesSocialWork: serves)) {
                    XCTAssertEqual($0.status, .created, $0.body.string)
                }
            }
            let count = try await app.makeIndicator(token, "CS", IndicatorDefinition(kind: .facilityCount, facilityTypes: ["tt-ctxh"]))
            var v = try await app.indicatorValue(token, count, "unit=91")
            XCTAssertEqual(v.value, 3)
            XCTAssertEqual(v.children.map(\.code), ["30292", "30313"])
            XCTAssertEqual(v.children.map(\.value), [1, 2])
            let service = try await app.makeIndicator(token, "DV", IndicatorDefinition(kind: .facilitiesWithService, facilityTypes: ["tt-ctxh", "truong-hoc"]))
            v = try await app.indicatorValue(token, service, "unit=91")
            XCTAssertEqual([v.numerator, v.denominator], [2, 4])
            XCTAssertEqual(v.value, 50)
            XCTAssertEqual(v.children.map(\.value), [50, 50])

            // People: two collaborators in 30292 (one trained), one in 30313 (not), all since 2020.
            let a = try await app.seedPeople(2, unit: "30292", start: "2020-01-01"), b = try await app.seedPeople(1, unit: "30313", start: "2020-01-01", prefix: "Xã Khác")
            _ = b
            let course = try await app.makeCourse(token, "Kỹ năng", kind: "tap-huan")
            let org = try await app.makeAgency(token, "Sở Y tế")
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "91", startDate: "01/03/2024", endDate: "03/03/2024", status: "finished"))
            try await app.enrol(token, klass, [a[0]])
            try await app.completeAll(token, klass)
            let share = try await app.makeIndicator(token, "DT", IndicatorDefinition(kind: .trainedShare, staff: StaffCriteria(domains: [.population])))
            v = try await app.indicatorValue(token, share, "unit=91&date=31/12/2024")
            XCTAssertEqual([v.numerator, v.denominator], [1, 3])
            XCTAssertEqual(v.value, 33.3)
            v = try await app.indicatorValue(token, share, "unit=91&date=01/01/2024")
            XCTAssertEqual(v.numerator, 0, "before the class ended, nobody was trained")
            v = try await app.indicatorValue(token, share, "unit=91&date=01/01/2019")
            XCTAssertEqual([v.numerator, v.denominator], [0, 0], "before anyone joined")
            let trainedCount = try await app.makeIndicator(token, "SL", IndicatorDefinition(kind: .trainedCount, fromYear: 2020))
            v = try await app.indicatorValue(token, trainedCount, "unit=91&date=02/03/2024")
            XCTAssertEqual(v.value, 0, "the class ended on 03/03/2024")
            v = try await app.indicatorValue(token, trainedCount, "unit=91&date=31/12/2024")
            XCTAssertEqual(v.value, 1)
            // A class where nobody completed adds no child row, read kept (a province) or live (a commune) alike.
            let none = try await app.makeClass(token, ClassBody(courseId: course, organiserId: org, unitCode: "30292", startDate: "01/04/2024", endDate: "03/04/2024", status: "finished"))
            try await app.enrol(token, none, [a[1]])
            v = try await app.indicatorValue(token, trainedCount, "unit=91&date=31/12/2024")
            XCTAssertEqual(v.children.map(\.code), ["91"], "only the province's own class had a completion")
            v = try await app.indicatorValue(token, trainedCount, "unit=30292&date=31/12/2024")
            XCTAssertEqual(v.value, 0)
            XCTAssertEqual(v.children.map(\.code), [], "the commune's class had no completion")
            // Places: communes with 1–2 population people; 30292 has two, 30313 one, others none.
            let places = try await app.makeIndicator(token, "XA", IndicatorDefinition(kind: .unitsWithPeople,
                rule: CoverageRule(level: .commune, domains: [.population], min: 1, max: 2)))
            // 2025 communes exist from 01/07/2025.
            v = try await app.indicatorValue(token, places, "unit=91&date=31/12/2025&breakdown=none")
            XCTAssertEqual(v.numerator, 2)
            XCTAssertEqual(v.children.count, 0)
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "91").count()
            XCTAssertEqual(v.denominator, communes)
            // The page: the value, a trend drawn on the server, the children one click down
            // (once the server has built the tally; until then the trend waits).
            try await TallyBuilds(db: app.db).finishAll()
            var browser = try await app.login("cv")
            try await app.page(.GET, "/indicators", as: &browser) { XCTAssertTrue($0.body.string.contains("Chỉ tiêu DT")) }
            try await app.page(.GET, "/indicators/\(share)?unit=91&date=31/12/2024", as: &browser) { res in
                let html = res.body.string
                XCTAssertEqual(res.page.text(id: "value"), "33,3% · 1/3", html)
                XCTAssertEqual(res.page.all("svg.chart").count, 1, "a chart drawn on the server")
                XCTAssertTrue(html.contains("2023: 0,0%"), "the chart says its values in words")
                XCTAssertTrue(html.contains("/indicators/\(share)?unit=30292&date=31/12/2024"))
            }
            try await app.page(.GET, "/indicators/\(share)?unit=01", as: &browser) { XCTAssertEqual($0.status, .notFound) }
            // Scope: a value outside the account's subtree is 404, like everything else.
            try await app.api(.GET, "/api/v1/indicators/\(share)/values?unit=01", token: token) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/indicators/\(UUID())/values?unit=91", token: token) { XCTAssertEqual($0.status, .notFound) }
        }
    }
}

struct FacilityBody: Content { var name: String; var typeCode: String; var unitCode: String; var providesSocialWork: Bool }

/// Defining an indicator from the page.
final class IndicatorFormTests: XCTestCase {
    func testOfficerDefinesAnIndicatorThroughThePage() async throws {
        try await withApp { app in
            try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            var browser = try await app.login("cv")
            try await app.page(.GET, "/indicators", as: &browser) { XCTAssertTrue($0.body.string.contains(#"id="indicator-form""#)) }
            var form = ["code": "XA-CTXH", "name": "Xã có 1–2 người làm công tác xã hội", "kind": "units-with-people", "level": "commune",
                        "domains[]": "social-work", "min": "3", "max": "2"]
            try await app.page(.POST, "/indicators", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"id="max" name="max" value="2" inputmode="numeric" aria-invalid="true""#))
                XCTAssertTrue(res.body.string.contains(#"value="social-work" checked"#), "the ticked boxes stay ticked")
            }
            let none = try await Indicator.query(on: app.db).count()
            XCTAssertEqual(none, 0)
            form["min"] = "1"
            try await app.page(.POST, "/indicators", as: &browser, form: form) { XCTAssertEqual($0.status, .seeOther) }
            let stored = try await Indicator.query(on: app.db).first()
            let definition = try stored?.parsed()
            XCTAssertEqual(definition?.rule?.level, .commune)
            XCTAssertEqual(definition?.rule?.domains, [.socialWork])
            XCTAssertEqual(definition?.rule?.max, 2)
            let commune = try await app.makeUser("xa", role: .communeOfficer, scope: "30292")
            _ = commune
            var other = try await app.login("xa")
            try await app.page(.POST, "/indicators", as: &other, form: form) { XCTAssertEqual($0.status, .forbidden) }
        }
    }
}

