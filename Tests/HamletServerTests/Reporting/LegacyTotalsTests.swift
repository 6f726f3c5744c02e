import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletReporting
@testable import HamletPlans

/// Issue 23, point 9, for reported figures: a span before 01/07/2025 is broken down over the units
/// of that time (a province's districts of the time, a 2025 commune's legacy communes), in totals,
/// the pivot and reported-total indicators; a value entered under a 2025 unit for such a period
/// keeps a line of its own; `map=2025` gives the 2025 lines; the totals never change.
final class LegacyTotalsTests: XCTestCase {
    func testAPeriodBeforeTheReformIsBrokenDownByTheDistrictsOfTheTime() async throws {
        try await withApp { app in
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "20"))
            try await app.makeReportingCatalogue(cv)
            // The legacy communes whose data counts in Lạng Sơn, by district, from the API's own lists.
            var districts: [UnitDTO] = [], byDistrict: [String: [UnitDTO]] = [:]
            try await app.api(.GET, "/api/v1/units?structure=legacy&level=district&parent=20&per=100", token: cv) { districts = try $0.json(ListBody<UnitDTO>.self).items }
            for d in districts {
                try await app.api(.GET, "/api/v1/units?structure=legacy&level=commune&parent=\(d.code)&per=500", token: cv) { byDistrict[d.code] = try $0.json(ListBody<UnitDTO>.self).items }
            }
            let withTwo = districts.filter { (byDistrict[$0.code]?.count ?? 0) >= 2 }
            let (a, b) = (withTwo[0], districts.first { $0.code != withTwo[0].code }!)
            let (a1, a2, b1) = (byDistrict[a.code]![0], byDistrict[a.code]![1], byDistrict[b.code]![0])
            // A 2025 commune's own report for December 2024 cannot be placed in the map of the time.
            let now = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "20").sort(\.$code).first()!
            let sent: [(String, String, Double)] = [(a1.code, "202412", 3), (a2.code, "202412", 4), (b1.code, "202412", 5), (a1.code, "202411", 2)]
            let (status, message) = try await DHIS2ExchangeTests.post(app, "/api/dataValueSets", DHIS2ValueSet(dataValues: sent.map {
                DHIS2Value(dataElement: "CTV_TONG", period: $0.1, orgUnit: $0.0, categoryOptionCombo: nil, value: String(Int($0.2))) }), auth: "Bearer " + cv)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(message?.response.importCount.imported, 4, "\(message?.response.conflicts ?? [])")
            try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(now.code)/202412", token: cv, json: ReportBody(0, [("CTV_TONG", nil, "6")])) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }

            // By hand: each value to its district of the time; the 2025 commune's apart.
            func line(_ code: String) -> String { byDistrict.first { $0.value.contains { $0.code == code } }?.key ?? (districts.contains { $0.code == code } ? code : "2025:" + code) }
            var hand: [String: Double] = [:]
            for (code, period, v) in sent where period == "202412" { hand[line(code), default: 0] += v }
            hand["2025:" + now.code, default: 0] += 6
            var totals: ReportTotals.Result?
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=20&period=202412", token: cv) { totals = try $0.json(ReportTotals.Result.self) }
            XCTAssertEqual(totals?.total, hand.values.reduce(0, +))
            XCTAssertEqual(totals?.map, "legacy")
            let lines = Dictionary((totals?.children ?? []).map { ($0.structure == "2025" ? "2025:" + $0.code : $0.code, $0.value ?? 0) }, uniquingKeysWith: +)
            XCTAssertEqual(lines, hand, "districts of the time, the 2025 commune apart")
            XCTAssertEqual(totals?.children.first { $0.code == a.code }?.name, a.name)
            // The 2025 map, when asked: the same total over 2025 communes.
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=20&period=202412&map=2025", token: cv) { res in
                let r = try res.json(ReportTotals.Result.self)
                XCTAssertEqual([r.total, r.map], [totals?.total, "2025"] as [AnyHashable?])
                XCTAssertFalse(r.children.contains { $0.code == a.code }, "no district of the time")
            }
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=20&period=202412&map=1990", token: cv) { XCTAssertEqual($0.errorField, "map") }
            // A span past the reform keeps the 2025 lines and says no map.
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=20&period=2025", token: cv) { XCTAssertNil(try $0.json(ReportTotals.Result.self).map) }

            // The pivot: every district of the time a row (empty ones too), the 2025 commune a row of its own.
            var pivot: ReportPivot.Result?
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/pivot?unit=20&from=202411&to=202412&by=monthly", token: cv) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                pivot = try res.json(ReportPivot.Result.self)
            }
            let column = pivot?.columns.firstIndex { $0.element == "CTV_TONG" && $0.period == "202412" }
            let november = pivot?.columns.firstIndex { $0.element == "CTV_TONG" && $0.period == "202411" }
            XCTAssertEqual(pivot?.map, "legacy")
            XCTAssertEqual(pivot?.rows.filter { $0.structure == "legacy" }.count, districts.count)
            XCTAssertEqual(pivot?.rows.first { $0.code == a.code }.flatMap { $0.values[column!] }, hand[a.code])
            XCTAssertEqual(pivot?.rows.first { $0.code == a.code }.flatMap { $0.values[november!] }, 2)
            XCTAssertEqual(pivot?.rows.first { $0.structure == "2025" }?.code, now.code)
            XCTAssertEqual(pivot?.total.values[column!], totals?.total)
            var communes2025 = 0
            try await app.api(.GET, "/api/v1/units?structure=2025&level=commune&parent=20&per=1", token: cv) { communes2025 = try $0.json(ListBody<UnitDTO>.self).total }
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/pivot?unit=20&from=202412&map=2025", token: cv) { res in
                let r = try res.json(ReportPivot.Result.self)
                XCTAssertEqual(r.rows.count, communes2025)
                XCTAssertEqual(r.total.values.first ?? nil, totals?.total)
            }
            // Under the 2025 commune a1 went into: the legacy communes that went into it.
            let successor = try await UnitSuccession.query(on: app.db).filter(\.$fromStructure == "legacy").filter(\.$fromCode == a1.code).filter(\.$isDefault == true).first()!.toCode
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=\(successor)&period=202412", token: cv) { res in
                let r = try res.json(ReportTotals.Result.self)
                XCTAssertEqual(r.children.first { $0.code == a1.code }.map { [$0.value, $0.structure] }, [3, "legacy"] as [AnyHashable?])
            }

            // A reported-total indicator on a day before the reform: the same lines.
            let id = try await app.makeIndicator(cv, "CTV-2024", IndicatorDefinition(kind: .reportedTotal, fromYear: 2024, element: "CTV_TONG"))
            var v = try await app.indicatorValue(cv, id, "unit=20&date=31/12/2024")
            XCTAssertEqual(v.value, hand.values.reduce(0, +) + 2, "December and November")
            XCTAssertEqual(v.map, "legacy")
            XCTAssertEqual(v.children.first { $0.code == a.code }?.value, hand[a.code]! + 2)
            v = try await app.indicatorValue(cv, id, "unit=20&date=31/12/2024&map=2025")
            XCTAssertEqual(v.value, hand.values.reduce(0, +) + 2)
            XCTAssertNil(v.map)

            var browser = try await app.login("cv")
            // Completeness of those months: the communes of the time are expected; those with values
            // came (when is not known); the 2025 communes did not exist yet.
            var done: ReportCompleteness.Result?
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA/completeness?unit=20&from=202411&to=202412", token: cv) { done = try $0.json(ReportCompleteness.Result.self) }
            let legacyCommunes = byDistrict.values.reduce(0) { $0 + $1.count }
            XCTAssertEqual(done?.map, "legacy")
            XCTAssertEqual(done?.rows.count, legacyCommunes, "every commune of the time, no 2025 commune")
            XCTAssertEqual(done?.total.expected, legacyCommunes * 2)
            XCTAssertEqual(done?.total.kept, 4, "a1 both months, a2 and b1 December")
            XCTAssertEqual(done?.total.missing, legacyCommunes * 2 - 4)
            XCTAssertEqual(done?.children.count, districts.count, "by district of the time")
            XCTAssertEqual(done?.children.first { $0.code == a.code }.map { [$0.counts.reported, $0.counts.expected] }, [3, byDistrict[a.code]!.count * 2])
            XCTAssertEqual(done?.children.first { $0.code == a.code }?.cameLate, 0, "not late: the day is not known")
            XCTAssertEqual(done?.overdue.count, 0, "nobody to call for a commune that no longer exists")
            try await app.page(.GET, "/reports/completeness?set=BC_THANG_XA&unit=20&from=202411&to=202412", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains(#"id="unit-map""#), res.body.string)
                XCTAssertTrue(res.body.string.contains("t-kept"))
                XCTAssertFalse(res.body.string.contains("unit=\(a1.code)&amp;period") || res.body.string.contains("unit=\(a1.code)&period"), "no entry page for a commune of the time")
            }

            // The page says which map it shows and offers the other; a district of the time opens nothing.
            try await app.page(.GET, "/reports/pivot?set=BC_THANG_XA&unit=20&from=202412", as: &browser) { res in
                let html = res.body.string
                XCTAssertTrue(html.contains(#"id="unit-map""#), html)
                XCTAssertTrue(html.contains(a.name))
                XCTAssertTrue(html.contains("map=2025"))
                XCTAssertFalse(html.contains("unit=\(a.code)\""), "no link to a district of the time")
            }
            try await app.page(.GET, "/reports/pivot?set=BC_THANG_XA&unit=20&from=202412&map=2025", as: &browser) { res in
                XCTAssertFalse(res.body.string.contains(a.name), "the 2025 communes only")
                XCTAssertTrue(res.body.string.contains(#"name="map" value="2025""#))
            }
        }
    }
}
