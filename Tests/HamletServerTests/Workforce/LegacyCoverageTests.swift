import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits
@testable import HamletWorkforce
@testable import HamletReporting
@testable import HamletPlans

/// Issue 23, point 9: a figure for a day before 01/07/2025 counts the communes of that time
/// (Lạng Sơn's 2015 target over its legacy communes, not the 65 of 2025), and over the 2025 units
/// when asked; posts are placed in the legacy commune recorded on them, never guessed.
final class LegacyCoverageTests: XCTestCase {
    struct LegacyPost: Content {
        var unitCode: String; var domains: [String]; var positionTitle: String; var employmentKind: String; var startDate: String; var legacyUnitCode: String?
    }

    /// A 2025 commune made of one legacy commune stands for it: its posts need nothing recorded.
    func testACommuneOfOneLegacyCommuneNeedsNothingRecorded() async throws {
        try await withApp { app in
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "38"))
            let ours = Set(try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "38").all().map(\.code))
            let lines = try await UnitSuccession.query(on: app.db).filter(\.$fromStructure == "legacy").all().filter { ours.contains($0.toCode) }
            let byCommune = Dictionary(grouping: lines, by: \.toCode)
            let single = byCommune.keys.sorted().first { byCommune[$0]!.count == 1 }!
            let person = try await app.makePerson(cv, PersonBody(fullName: "Lê Văn Hùng", birthDate: "05/06/1980", cccd: "038080000001", homeUnitCode: single))
            try await app.api(.POST, "/api/v1/people/\(person.id!)/assignments", token: cv, json: LegacyPost(unitCode: single, domains: ["social-work"],
                positionTitle: "Cộng tác viên công tác xã hội", employmentKind: "cong-tac-vien", startDate: "01/01/2014", legacyUnitCode: nil)) { XCTAssertEqual($0.status, .created) }
            let id = try await app.makeIndicator(cv, "CTXH-XA-TH", IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(level: .commune, domains: [.socialWork], min: 1)))
            let v = try await app.indicatorValue(cv, id, "unit=38&date=31/12/2015")
            XCTAssertEqual([v.numerator, v.unplaced], [1, 0])
            XCTAssertEqual(v.map, "legacy")
        }
    }

    /// A province's pre-2025 posts are placed in bulk: the import reads "Xã trước sắp xếp" (name or
    /// code), refuses one that did not go into the row's commune by line, and stores nothing then.
    func testTheImportPlacesPostsInTheCommunesOfTheTime() async throws {
        try await withApp { app in
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "20"))
            let ours = Set(try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "20").all().map(\.code))
            let lines = try await UnitSuccession.query(on: app.db).filter(\.$fromStructure == "legacy").all().filter { ours.contains($0.toCode) }
            let byCommune = Dictionary(grouping: lines, by: \.toCode)
            let merged = byCommune.keys.sorted().first { byCommune[$0]!.count >= 2 }!, other = byCommune.keys.sorted().last!
            let part = try await AdminUnit.query(on: app.db).filter(\.$structure == "legacy").filter(\.$code == byCommune[merged]![1].fromCode).first()!
            func file(_ legacy: [String]) throws -> Data {
                try XLSXWriter.write(rows: [[.text("Họ và tên"), .text("Mã đơn vị"), .text("Chức danh"), .text("Lĩnh vực"), .text("Loại hình"), .text("Ngày bắt đầu"), .text("Xã trước sắp xếp")]]
                    + legacy.enumerated().map { k, l in [.text(["Hoàng Văn An", "Nông Thị Bình"][k]), .text(merged), .text("Cộng tác viên công tác xã hội"), .text("CTXH"), .text("Cộng tác viên"), .text("01/03/2014"), .text(l)] })
            }
            func send(_ data: Data, _ check: (XCTHTTPResponse) async throws -> Void) async throws {
                try await app.test(.POST, "/api/v1/people/import", beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: cv)
                    req.headers.contentType = PeopleImportTests.xlsxType
                    req.body = ByteBuffer(data: data)
                }, afterResponse: { res async throws in try await check(res) })
            }
            try await send(try file([part.name, byCommune[other]![0].fromCode])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, res.body.string)
                let problems = (try res.content.decode(ErrorBody.self).error.problems ?? []).filter(\.isError)
                XCTAssertEqual(problems.map { "\($0.line ?? 0) \($0.field ?? "")" }, ["3 Xã trước sắp xếp"], res.body.string)
                XCTAssertTrue(problems.first?.message.contains("Xã trước sắp xếp phải là một trong") ?? false)
            }
            let none = try await Assignment.query(on: app.db).count()
            XCTAssertEqual(none, 0, "all or nothing")
            try await send(try file([part.name, ""])) { res in XCTAssertTrue(try res.json(PeopleImporter.Report.self).committed, res.body.string) }
            let placed = try await Assignment.query(on: app.db).all().compactMap(\.legacyUnitCode)
            XCTAssertEqual(placed, [part.code])
        }
    }

    func testAFigureBeforeTheReformCountsTheCommunesOfTheTime() async throws {
        try await withApp { app in
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "20"))
            // A 2025 commune of Lạng Sơn made of several legacy communes, and one made of exactly one.
            let lines = try await UnitSuccession.query(on: app.db).filter(\.$fromStructure == "legacy").all()
            let ours = Set(try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "20").all().map(\.code))
            let byCommune = Dictionary(grouping: lines.filter { ours.contains($0.toCode) }, by: \.toCode)
            let merged = byCommune.keys.sorted().first { byCommune[$0]!.count >= 2 }!
            let other = byCommune.keys.sorted().last { byCommune[$0]!.count >= 2 }!
            let parts = byCommune[merged]!.map(\.fromCode).sorted()
            let first = try await AdminUnit.query(on: app.db).filter(\.$structure == "legacy").filter(\.$code == parts[0]).first()!

            func post(_ name: String, _ cccd: String, at unit: String, from start: String, legacy: String?) async throws -> (PersonDTO, HTTPResponseStatus, String?) {
                let person = try await app.makePerson(cv, PersonBody(fullName: name, birthDate: "05/06/1980", cccd: cccd, homeUnitCode: unit))
                var result: (HTTPResponseStatus, String?) = (.ok, nil)
                try await app.api(.POST, "/api/v1/people/\(person.id!)/assignments", token: cv, json: LegacyPost(unitCode: unit, domains: ["social-work"],
                    positionTitle: "Cộng tác viên công tác xã hội", employmentKind: "cong-tac-vien", startDate: start, legacyUnitCode: legacy)) { res in
                    result = (res.status, res.errorField)
                }
                return (person, result.0, result.1)
            }
            // By name, accents and all; a commune that did not go into it, or a post begun after the reform: refused.
            let (p1, s1, _) = try await post("Hoàng Văn An", "020080000001", at: merged, from: "01/01/2014", legacy: first.name)
            XCTAssertEqual(s1, .created)
            let (_, s2, f2) = try await post("Nông Thị Bình", "020080000002", at: merged, from: "01/01/2014", legacy: byCommune[other]![0].fromCode)
            XCTAssertEqual([s2 == .unprocessableEntity ? "422" : "\(s2)", f2], ["422", "legacyUnitCode"])
            let (_, s3, f3) = try await post("Lý Văn Cường", "020080000003", at: merged, from: "01/08/2025", legacy: parts[1])
            XCTAssertEqual([s3 == .unprocessableEntity ? "422" : "\(s3)", f3], ["422", "legacyUnitCode"])
            let (p2, _, _) = try await post("Vi Thị Dung", "020080000004", at: merged, from: "01/01/2014", legacy: nil)
            _ = try await post("Hà Văn Em", "020080000005", at: other, from: "01/01/2014", legacy: byCommune[other]![0].fromCode)
            _ = try await post("Lương Thị Gấm", "020080000006", at: merged, from: "01/08/2025", legacy: nil)

            // By hand, from the API's own lists: the legacy communes of Lạng Sơn's legacy districts.
            var districts: [UnitDTO] = []
            try await app.api(.GET, "/api/v1/units?structure=legacy&level=district&parent=20&per=100", token: cv) { districts = try $0.json(ListBody<UnitDTO>.self).items }
            var legacyCommunes = 0, ofFirstDistrict = 0
            for d in districts {
                try await app.api(.GET, "/api/v1/units?structure=legacy&level=commune&parent=\(d.code)&per=1", token: cv) { res in
                    let n = try res.json(ListBody<UnitDTO>.self).total
                    legacyCommunes += n
                    if d.code == first.parentCode { ofFirstDistrict = n }
                }
            }
            var communes2025 = 0
            try await app.api(.GET, "/api/v1/units?structure=2025&level=commune&parent=20&per=1", token: cv) { communes2025 = try $0.json(ListBody<UnitDTO>.self).total }
            XCTAssertGreaterThan(legacyCommunes, communes2025)

            let id = try await app.makeIndicator(cv, "CTXH-XA-LS", IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(level: .commune, domains: [.socialWork], min: 1, max: 2)))
            var v = try await app.indicatorValue(cv, id, "unit=20&date=31/12/2015")
            XCTAssertEqual([v.numerator, v.denominator], [2, legacyCommunes], "the first part of the merged commune and one of the other")
            XCTAssertEqual(v.value, Percent.of(2, legacyCommunes))
            XCTAssertEqual([v.map, v.unplaced.map(String.init)], ["legacy", "1"], "Vi Thị Dung's commune of the time is not known")
            XCTAssertEqual(v.children.first { $0.code == first.parentCode }?.denominator, ofFirstDistrict, "children are the districts of the time")
            XCTAssertEqual(v.children.count, districts.count)
            // Over the 2025 units, when asked: the merged commune holds two people, the other one.
            v = try await app.indicatorValue(cv, id, "unit=20&date=31/12/2015&map=2025")
            XCTAssertEqual([v.numerator, v.denominator], [2, communes2025])
            XCTAssertNil(v.map)
            try await app.api(.GET, "/api/v1/indicators/\(id)/values?unit=20&date=31/12/2015&map=1990", token: cv) { XCTAssertEqual($0.errorField, "map") }
            // After the reform, the 2025 units whatever is asked.
            v = try await app.indicatorValue(cv, id, "unit=20&date=31/12/2025")
            XCTAssertEqual([v.numerator, v.denominator], [1, communes2025], "the merged commune has three from August: above the two of the rule")
            XCTAssertNil(v.map)

            // Placed afterwards, on the person's post: counted, audited.
            let posts = try await Assignment.query(on: app.db).filter(\.$person.$id == p2.id!).all()
            try await app.api(.PUT, "/api/v1/assignments/\(posts[0].id!)/legacy-unit", token: cv, json: LegacyUnitInput(legacyUnitCode: parts[1])) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(AssignmentDTO.self).legacyUnitCode, parts[1])
            }
            v = try await app.indicatorValue(cv, id, "unit=20&date=31/12/2015")
            XCTAssertEqual([v.numerator, v.unplaced], [3, 0])
            let audited = try await AuditEntry.query(on: app.db).filter(\.$entity == "assignment").filter(\.$action == "update").count()
            XCTAssertEqual(audited, 1)
            // The coverage page's API counts the same way.
            try await app.api(.GET, "/api/v1/coverage?level=commune&domains=social-work&min=1&max=2&unit=20&date=31/12/2015", token: cv) { res in
                let c = try res.json(CoverageResult.self)
                XCTAssertEqual([c.meeting, c.places], [3, legacyCommunes])
            }

            // A plan of 2011–2015: its dashboard judges 2015 over the communes of 2015, and its trend too.
            try await app.makeUser("cvls2", role: .provinceOfficer, scope: "20")
            let plan = try await app.makePlan(cv, PlanInput(number: "411/QĐ-UBND", kind: "quyet-dinh", issuer: "UBND tỉnh Lạng Sơn", issuedOn: "22/03/2011",
                                                            title: "Đề án phát triển nghề công tác xã hội", fromYear: 2011, toYear: 2015, scopeCode: "20"))
            try await app.api(.POST, "/api/v1/plans/\(plan)/targets", token: cv, json: TargetInput(indicatorId: id, unitCode: "20",
                                                                                               stages: [StageInput(deadline: "2015-12-31", value: 100)])) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            try await app.api(.GET, "/api/v1/plans/\(plan)/dashboard?date=31/12/2015", token: cv) { res in
                let t = try res.json(PlanDashboardDTO.self).targets[0]
                XCTAssertEqual([t.numerator, t.denominator], [3, legacyCommunes])
                XCTAssertEqual(t.trend.first { $0.date == "2015-12-31" }?.value, Percent.of(3, legacyCommunes))
                XCTAssertEqual(t.trend.first { $0.date == "2013-12-31" }?.value, 0, "nobody before 2014")
            }
            // The plan's page says which map it counts over, and links to the other.
            var officer = try await app.login("cvls2")
            try await app.page(.GET, "/plans/\(plan)?date=31/12/2015", as: &officer) { res in
                XCTAssertTrue(res.body.string.contains(#"id="unit-map""#), res.body.string)
                XCTAssertTrue(res.body.string.contains("date=31/12/2015&amp;map=2025") || res.body.string.contains("date=31/12/2015&map=2025"))
                XCTAssertTrue(res.body.string.contains("\(3)/\(legacyCommunes)"), "the counts of the time")
            }
            try await app.page(.GET, "/plans/\(plan)?date=31/12/2015&map=2025", as: &officer) { res in
                XCTAssertTrue(res.body.string.contains("Số liệu tính trên các đơn vị hành chính năm 2025."))
                XCTAssertTrue(res.body.string.contains("/\(communes2025)"))
            }
            // The person's page offers the communes of the time for the post at the merged commune.
            _ = p1
            try await app.makeUser("cvls", role: .provinceOfficer, scope: "20")
            var browser = try await app.login("cvls")
            try await app.page(.GET, "/people/\(p2.id!)", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains(#"id="legacy-\#(posts[0].id!)""#), res.body.string)
                XCTAssertTrue(res.page.all("option").contains { $0.attributes["value"] == String(parts[1]) && $0.attributes["selected"] != nil })
            }
            try await app.page(.POST, "/assignments/\(posts[0].id!)/legacy-unit", as: &browser, form: ["legacyUnitCode": "xã không có"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains("Xã trước sắp xếp phải là một trong"))
            }
        }
    }
}
