import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletOrganisations
@testable import HamletWorkforce
@testable import HamletPlans

/// Coverage figures checked against hand-computed values: people who left, a person with
/// several fields counted once, a date before anyone joined, closed hamlets, too many staff.
final class CoverageTests: XCTestCase {
    func hamlet(_ app: Application, _ token: String, _ commune: String, _ name: String) async throws -> String {
        var code = ""
        try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: token,
                          json: JSON(["name": name, "type": "Ấp", "effectiveDate": "01/07/2025"])) { code = try $0.json(UnitDTO.self).code }
        return code
    }

    func post(_ app: Application, _ token: String, _ person: PersonDTO, _ unit: String, _ domains: [String], kind: String = "cong-tac-vien",
              from: String = "01/08/2025", to: String? = nil) async throws {
        try await app.api(.POST, "/api/v1/people/\(person.id!)/assignments", token: token,
                          json: PostBody(unitCode: unit, domains: domains, positionTitle: "CTV", employmentKind: kind, startDate: from, endDate: to)) {
            XCTAssertEqual($0.status, .created, $0.body.string)
        }
    }

    func testHamletRuleAgainstHandCount() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let a = try await hamlet(app, token, "30292", "Ấp A"), b = try await hamlet(app, token, "30292", "Ấp B")
            let c = try await hamlet(app, token, "30292", "Ấp C"), d = try await hamlet(app, token, "30313", "Ấp D")
            let e = try await hamlet(app, token, "30313", "Ấp E"), f = try await hamlet(app, token, "30313", "Ấp F")
            func person(_ name: String) async throws -> PersonDTO { try await app.makePerson(token, PersonBody(fullName: name, homeUnitCode: "30292")) }
            // A: one collaborator with three fields (counts once). B: the only one left in September.
            try await post(app, token, try await person("Nguyễn Thị Một"), a, ["population", "family", "children"])
            try await post(app, token, try await person("Nguyễn Thị Hai"), b, ["population"], to: "30/09/2025")
            // C: two people. D: family only, not population. E: one. F: closed on 01/10/2025.
            try await post(app, token, try await person("Nguyễn Thị Ba"), c, ["population"])
            try await post(app, token, try await person("Nguyễn Thị Bốn"), c, ["population", "children"])
            try await post(app, token, try await person("Nguyễn Thị Năm"), d, ["family"])
            try await post(app, token, try await person("Nguyễn Thị Sáu"), e, ["population"])
            try await app.api(.POST, "/api/v1/units/2025/\(f)/close", token: token, json: JSON(["effectiveDate": "01/10/2025"])) { XCTAssertEqual($0.status, .ok) }

            // On 15/10/2025: places A B C D E (F closed) = 5; meeting A C E = 3 → 60%.
            try await app.api(.GET, "/api/v1/coverage?rule=hamlet-population-collaborator&unit=91&date=15/10/2025", token: token) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let r = try res.json(CoverageResult.self)
                XCTAssertEqual(r.places, 5)
                XCTAssertEqual(r.meeting, 3)
                XCTAssertEqual(r.percent, 60.0)
                XCTAssertEqual(r.children.map(\.code), ["30292", "30313"])
                XCTAssertEqual(r.children.map(\.places), [3, 2])
                XCTAssertEqual(r.children.map(\.meeting), [2, 1])
                XCTAssertEqual(r.children.map(\.percent), [66.7, 50.0])
                XCTAssertEqual(Set(r.misses.map(\.code)), [b, d])
                // Each hamlet named with its commune (two communes may both have a "Khóm 1").
                let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code ~~ ["30292", "30313"]).all()
                let names = Dictionary(uniqueKeysWithValues: communes.map { ($0.code, $0.name) })
                XCTAssertEqual(Set(r.misses.map { $0.within ?? "" }), Set([b, d].map { names[String($0.prefix(5))] ?? "?" }))
            }
            // On 15/09/2025 B still had its collaborator and F was open (with nobody): 6 places, 4 meet.
            try await app.api(.GET, "/api/v1/coverage?rule=hamlet-population-collaborator&unit=91&date=2025-09-15", token: token) { res in
                let r = try res.json(CoverageResult.self)
                XCTAssertEqual([r.places, r.meeting], [6, 4])
            }
            // Before anyone joined: nobody meets it.
            try await app.api(.GET, "/api/v1/coverage?rule=hamlet-population-collaborator&unit=91&date=15/07/2025", token: token) { res in
                let r = try res.json(CoverageResult.self)
                XCTAssertEqual([r.places, r.meeting], [6, 0])
                XCTAssertEqual(r.percent, 0)
            }
            // The page: a preset with the own-rule boxes left blank is the preset; a rule of one's own
            // (hamlets with at least two people) is built from the boxes.
            try await app.makeUser("web", role: .provinceOfficer, scope: "91")
            var browser = try await app.login("web")
            try await app.page(.GET, "/coverage?rule=hamlet-population-collaborator&level=&organisationType=&domains=&kinds=&min=&max=&unit=91&date=15/10/2025", as: &browser) { res in
                XCTAssertEqual(res.page.texts("p.big").first?.hasPrefix("60,0% · 3/5 "), true, res.body.string)
                XCTAssertEqual(res.page.all("#misses").first?.classes.contains("sortable"), true, "the places missing it, sortable")
            }
            try await app.page(.GET, "/coverage?rule=&level=hamlet&domains=population&min=2&max=&unit=91&date=15/10/2025", as: &browser) { res in
                XCTAssertEqual(res.page.texts("p.big").first?.hasPrefix("20,0% · 1/5 "), true, "only C has two")
                XCTAssertEqual(res.page.chosen("level"), "hamlet", "the boxes keep what was chosen")
            }
            // One commune: its hamlets are the breakdown.
            try await app.api(.GET, "/api/v1/coverage?rule=hamlet-population-collaborator&unit=30292&date=15/10/2025", token: token) { res in
                let r = try res.json(CoverageResult.self)
                XCTAssertEqual(r.children.map(\.code), [a, b, c])
                XCTAssertEqual(r.children.map(\.meeting), [1, 0, 1])
            }
            // Explicit rule: any field, at least two people → only C.
            try await app.api(.GET, "/api/v1/coverage?level=hamlet&min=2&unit=91&date=15/10/2025", token: token) { res in
                XCTAssertEqual(try res.json(CoverageResult.self).meeting, 1)
            }
        }
    }

    func testCommuneStaffRangeAndFacilityRule() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            for n in 1...3 {
                let p = try await app.makePerson(token, PersonBody(fullName: "Trần Văn Số \(["Một", "Hai", "Ba"][n - 1])", homeUnitCode: "30292"))
                try await post(app, token, p, "30292", ["social-work"], kind: "cong-chuc", from: "01/01/2025")
            }
            let p = try await app.makePerson(token, PersonBody(fullName: "Lâm Thị Tư", homeUnitCode: "30313"))
            try await post(app, token, p, "30313", ["social-work"], kind: "cong-chuc", from: "01/01/2025")
            // 102 communes in An Giang; only 30313 has 1–2 (30292 has three: too many).
            try await app.api(.GET, "/api/v1/coverage?rule=commune-social-work-staff&unit=91&date=01/08/2025", token: token) { res in
                let r = try res.json(CoverageResult.self)
                XCTAssertEqual(r.places, 102)
                XCTAssertEqual(r.meeting, 1)
                XCTAssertEqual(r.percent, 1.0)
                XCTAssertTrue(r.misses.contains { $0.code == "30292" && $0.count == 3 })
            }
            // A health station with its population officer.
            var station = ""
            try await app.api(.POST, "/api/v1/agencies", token: token, json: JSON(["name": "Trạm Y tế phường Bình Đức", "typeCode": "tram-y-te", "unitCode": "30292"])) {
                station = try $0.json(OrganisationDTO.self).id!.uuidString
            }
            try await app.api(.POST, "/api/v1/agencies", token: token, json: JSON(["name": "Trạm Y tế xã Mỹ Hòa Hưng", "typeCode": "tram-y-te", "unitCode": "30313"])) { _ in }
            struct OrgPost: Content { var organisationId: String; var domains: [String]; var positionTitle: String; var employmentKind: String; var startDate: String }
            try await app.api(.POST, "/api/v1/people/\(p.id!)/assignments", token: token,
                              json: OrgPost(organisationId: station, domains: ["population"], positionTitle: "Viên chức dân số", employmentKind: "vien-chuc", startDate: "01/02/2025")) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            try await app.api(.GET, "/api/v1/coverage?rule=health-station-population-officer&unit=91&date=01/08/2025", token: token) { res in
                let r = try res.json(CoverageResult.self)
                XCTAssertEqual([r.places, r.meeting], [2, 1])
                XCTAssertEqual(r.misses.map(\.name), ["Trạm Y tế xã Mỹ Hòa Hưng"])
                XCTAssertTrue(r.misses[0].link.hasPrefix("/agencies/"))
            }
        }
    }

    /// 588: "60% of agencies, organisations, social-assistance facilities and communes have 1–2
    /// social-work staff" is one denominator over communes and organisations of chosen types.
    /// 170: a collaborator "đảm nhiệm 03 nhiệm vụ" counts only with one post holding all three.
    func testOneDenominatorOverSeveralKindsOfPlaceAndOnePersonHoldingSeveralFields() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            struct OrgPost: Content { var organisationId: String; var domains: [String]; var positionTitle: String; var employmentKind: String; var startDate: String }
            var agency = "", facility = ""
            try await app.api(.POST, "/api/v1/agencies", token: token, json: JSON(["name": "Sở Y tế An Giang", "typeCode": "so-y-te", "unitCode": "91"])) {
                agency = try $0.json(OrganisationDTO.self).id!.uuidString
            }
            try await app.api(.POST, "/api/v1/facilities", token: token, json: JSON(["name": "Trung tâm Công tác xã hội tỉnh", "typeCode": "co-so-trgxh", "unitCode": "30292"])) {
                XCTAssertEqual($0.status, .created, $0.body.string)
                facility = try $0.json(OrganisationDTO.self).id!.uuidString
            }
            let a = try await app.makePerson(token, PersonBody(fullName: "Trần Văn An", homeUnitCode: "30292"))
            try await post(app, token, a, "30292", ["social-work"], kind: "cong-chuc", from: "01/01/2025")
            let b = try await app.makePerson(token, PersonBody(fullName: "Lê Thị Bình", homeUnitCode: "30292"))
            try await app.api(.POST, "/api/v1/people/\(b.id!)/assignments", token: token,
                              json: OrgPost(organisationId: facility, domains: ["social-work"], positionTitle: "Nhân viên CTXH", employmentKind: "vien-chuc", startDate: "01/02/2025")) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            // 102 communes + the department + the centre; the commune 30292 and the centre meet it.
            let query = "level=commune&organisationTypes=so-y-te,co-so-trgxh&domains=social-work&min=1&max=2&unit=91&date=01/08/2025"
            try await app.api(.GET, "/api/v1/coverage?" + query, token: token) { res in
                let r = try res.json(CoverageResult.self)
                XCTAssertEqual([r.places, r.meeting], [104, 2], res.body.string.prefix(400).description)
                XCTAssertTrue(r.misses.contains { $0.link == "/agencies/" + agency })
                XCTAssertTrue(r.misses.contains { $0.link == "/units/2025/30313" })
                XCTAssertTrue(r.rule.contains("Xã") || r.rule.contains("xã"), r.rule)
            }
            // The same rule as an indicator, measured on a day and as a trend: the same figure.
            let indicator = try await app.makeIndicator(token, "CTXH-588", IndicatorDefinition(kind: .unitsWithPeople,
                rule: CoverageRule(level: .commune, organisationTypes: ["so-y-te", "co-so-trgxh"], domains: [.socialWork], min: 1, max: 2)))
            let v = try await app.indicatorValue(token, indicator, "unit=91&date=01/08/2025")
            XCTAssertEqual([v.numerator, v.denominator], [2, 104])
            let province = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$code == "91").first()
            let series = try await IndicatorEngine(db: app.db).series(try await Indicator.find(indicator, on: app.db)!, unit: province, dates: ["2025-08-01"])
            XCTAssertEqual(series["2025-08-01"], v.value)
            // One post with population, family and children counts; three posts of one field each do not.
            let hamlet = try await self.hamlet(app, token, "30292", "Ấp Một")
            let other = try await self.hamlet(app, token, "30292", "Ấp Hai")
            let c = try await app.makePerson(token, PersonBody(fullName: "Ngô Văn Cường", homeUnitCode: hamlet))
            try await post(app, token, c, hamlet, ["population", "family", "children"])
            let d = try await app.makePerson(token, PersonBody(fullName: "Đỗ Thị Dung", homeUnitCode: other))
            for field in ["population", "family", "children"] { try await post(app, token, d, other, [field]) }
            try await app.api(.GET, "/api/v1/coverage?level=hamlet&domains=population,family,children&allDomains=true&min=1&unit=30292&date=01/09/2025", token: token) { res in
                let r = try res.json(CoverageResult.self)
                XCTAssertEqual(r.meeting, 1, "only the hamlet whose collaborator holds the three duties on one post")
                XCTAssertTrue(r.misses.contains { $0.code == other })
                XCTAssertTrue(r.rule.contains("cùng một người"), r.rule)
            }
            try await app.api(.GET, "/api/v1/coverage?level=hamlet&domains=population,family,children&min=1&unit=30292&date=01/09/2025", token: token) { res in
                XCTAssertEqual(try res.json(CoverageResult.self).meeting, 2, "without the rule, either field is enough")
            }
            try await app.api(.GET, "/api/v1/coverage?level=hamlet&domains=population&allDomains=true&unit=30292", token: token) { res in
                XCTAssertEqual(res.errorField, "allDomains")
            }
        }
    }

    func testBadRulesAndScope() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30292"))
            for (query, field) in [("rule=nope", "rule"), ("level=district", "level"), ("level=hamlet&min=3&max=1", "max"),
                                   ("level=hamlet&domains=magic", "domains"), ("level=hamlet&date=32/01/2025", "date"), ("min=1", "level")] {
                try await app.api(.GET, "/api/v1/coverage?\(query)", token: token) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, query)
                    XCTAssertEqual(res.errorField, field, query)
                }
            }
            try await app.api(.GET, "/api/v1/coverage?rule=hamlet-population-collaborator&unit=30313", token: token) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/coverage?rule=hamlet-population-collaborator&unit=91", token: token) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/coverage?rule=hamlet-population-collaborator", token: token) { res in
                XCTAssertEqual(try res.json(CoverageResult.self).unitCode, "30292", "defaults to the account's own unit")
            }
            var browser = try await app.login("xa")
            try await app.page(.GET, "/coverage?rule=hamlet-population-collaborator", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertContains(res.body.string, "Phường Bình Đức")
            }
        }
    }
}
