import XCTest
import XCTVapor
import Fluent
import SQLKit
@testable import HamletServer
import HamletKit
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletReporting

/// The running sums the province and country totals read stay equal to the values, whatever
/// writes them: imports, updates, deletes, the entry form, legacy units.
final class ValueSumsTests: XCTestCase {
    func sums(_ db: any Database, from table: String) async throws -> [String: String] {
        let sql = db as! any SQLDatabase
        let query: SQLQueryString = table == "values"
            ? "SELECT element_id AS e, substr(unit_path, 1, 9) AS p, period_start AS s, combo AS c, SUM(number) AS t, COUNT(*) AS n FROM data_values WHERE number IS NOT NULL GROUP BY element_id, substr(unit_path, 1, 9), period_start, combo"
            : "SELECT element_id AS e, place AS p, period_start AS s, combo AS c, total AS t, n FROM data_value_sums WHERE n > 0"
        var out: [String: String] = [:]
        for row in try await sql.raw(query).all() {
            let key = [try row.decode(column: "e", as: UUID.self).uuidString, try row.decode(column: "p", as: String.self),
                       try row.decode(column: "s", as: String.self), try row.decode(column: "c", as: String.self)].joined(separator: "|")
            out[key] = String(format: "%.6f/%d", try row.decode(column: "t", as: Double.self), try row.decode(column: "n", as: Int.self))
        }
        return out
    }

    func testSumsFollowEveryWrite() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let (a, b) = (try await app.communes()[0], try await app.communes()[1])
            let (legacy, _) = try await app.legacyCommune()
            func v(_ e: String, _ p: String, _ ou: String, _ value: String, _ coc: String? = nil, deleted: Bool? = nil) -> DHIS2Value {
                DHIS2Value(dataElement: e, period: p, orgUnit: ou, categoryOptionCombo: coc, value: value, deleted: deleted)
            }
            try await app.api(.POST, "/api/dataValueSets", token: token, json: DHIS2ValueSet(dataValues: [
                v("CTV_TONG", "202601", a.code, "10"), v("CTV_TONG", "202602", a.code, "12"), v("CTV_TONG", "202601", b.code, "3"),
                v("CTV_TAP_HUAN", "202601", a.code, "1", "NAM"), v("CTV_TAP_HUAN", "202601", a.code, "2", "NU"), v("CTV_TONG", "202503", legacy.fromCode, "8"),
            ])) { XCTAssertEqual(try $0.json(ImportMessage.self).response.importCount.imported, 6, $0.body.string) }
            // Updated, deleted, and typed through the entry API.
            try await app.api(.POST, "/api/dataValueSets", token: token, json: DHIS2ValueSet(dataValues: [
                v("CTV_TONG", "202601", a.code, "11"), v("CTV_TONG", "202601", b.code, "", deleted: true),
            ])) { XCTAssertEqual(try $0.json(ImportMessage.self).response.importCount.deleted, 1) }
            try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(b.code)/202603", token: token, json: ReportBody(0, [("CTV_TONG", nil, "4"), ("GHI_CHU", nil, "không số")])) {
                XCTAssertEqual($0.status, .ok, $0.body.string)
            }
            try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(b.code)/202603", token: token, json: ReportBody(1, [("CTV_TONG", nil, "")])) {
                XCTAssertEqual($0.status, .ok, $0.body.string)
            }
            let fromValues = try await sums(app.db, from: "values"), fromSums = try await sums(app.db, from: "sums")
            XCTAssertEqual(fromSums, fromValues)
            XCTAssertEqual(fromValues.count, 5, "a, a's second month, a's two combinations, the legacy commune's successor")
            // The province total reads the sums and agrees with the values.
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&from=202501&to=202612", token: token) { res in
                XCTAssertEqual(try res.json(ReportTotals.Result.self).total, 31, "11 + 12 + 8")
            }
            // The element's code in small letters is the same element; an unknown or missing one is refused by name.
            try await app.api(.GET, "/api/v1/data-values/totals?element=ctv_tong&unit=91&from=202501&to=202612", token: token) { res in
                XCTAssertEqual(try res.json(ReportTotals.Result.self).total, 31)
            }
            for query in ["element=KHONG_CO&unit=91&period=2026", "unit=91&period=2026"] {
                try await app.api(.GET, "/api/v1/data-values/totals?" + query, token: token) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, query)
                    XCTAssertEqual(res.errorField, "element", query)
                }
            }
        }
    }

    /// 1,000 values or more: on SQLite the per-row sums pause and the new rows are summed at the
    /// end; a second import that updates some, adds others and deletes one keeps them equal too.
    func testLargeImportsKeepTheSums() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let communes = try await app.communes(of: "91", count: 80)
            func payload(_ months: ClosedRange<Int>, _ bump: Int) -> DHIS2ValueSet {
                DHIS2ValueSet(dataValues: communes.enumerated().flatMap { i, code in months.flatMap { m in
                    [DHIS2Value(dataElement: "CTV_TONG", period: String(format: "2025%02d", m), orgUnit: code, categoryOptionCombo: nil,
                                value: String(i + m + (m >= 6 ? bump : 0)), deleted: nil),
                     DHIS2Value(dataElement: "CTV_TAP_HUAN", period: String(format: "2025%02d", m), orgUnit: code, categoryOptionCombo: "NU",
                                value: String(m + (m >= 6 ? bump : 0)), deleted: nil)]
                } })
            }
            try await app.api(.POST, "/api/dataValueSets", token: token, json: payload(1...11, 0)) {
                XCTAssertEqual(try $0.json(ImportMessage.self).response.importCount.imported, 1_760, $0.body.string)
            }
            // Months 6–11 again with new figures (updates), 12 new; and one value deleted.
            var second = payload(6...12, 5)
            second.dataValues.append(DHIS2Value(dataElement: "CTV_TONG", period: "202501", orgUnit: communes[0], categoryOptionCombo: nil, value: "", deleted: true))
            try await app.api(.POST, "/api/dataValueSets", token: token, json: second) { res in
                let count = try res.json(ImportMessage.self).response.importCount
                XCTAssertEqual([count.imported, count.updated, count.ignored, count.deleted], [160, 960, 0, 1], res.body.string)
            }
            let fromValues = try await sums(app.db, from: "values"), fromSums = try await sums(app.db, from: "sums")
            XCTAssertEqual(fromSums, fromValues)
            let expected = communes.indices.reduce(0) { t, i in t + (1...12).reduce(0) { $0 + i + $1 + ($1 >= 6 ? 5 : 0) } } - 1
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&from=202501&to=202512", token: token) { res in
                XCTAssertEqual(try res.json(ReportTotals.Result.self).total, Double(expected), res.body.string)
            }
            if let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" {
                let paused = try await sql.raw("SELECT COUNT(*) AS n FROM data_value_sums_paused").first()?.decode(column: "n", as: Int.self)
                XCTAssertEqual(paused, 0, "the pause ends with its import")
            }
        }
    }

    /// Values checked as new but stored by someone else before the write (two imports of the same
    /// month at once): PostgreSQL's straight COPY of new values gives way to the upsert, so the
    /// later figures win, nothing is duplicated and the sums stay equal to the values.
    func testNewValuesStoredMeanwhileAreUpdatedNotDuplicated() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "91").sort(\.$code).limit(80).all()
            try await app.api(.POST, "/api/dataValueSets", token: token, json: DHIS2ValueSet(dataValues: [
                DHIS2Value(dataElement: "CTV_TONG", period: "202601", orgUnit: communes[0].code, categoryOptionCombo: nil, value: "5", deleted: nil),
            ])) { XCTAssertEqual(try $0.json(ImportMessage.self).response.importCount.imported, 1, $0.body.string) }
            let total = try await DataElement.query(on: app.db).filter(\.$code == "CTV_TONG").first()!.id!
            let trained = try await DataElement.query(on: app.db).filter(\.$code == "CTV_TAP_HUAN").first()!.id!
            var rows: [DataValueWriter.Row] = []
            for (c, commune) in communes.enumerated() {
                for month in 1...11 {
                    let span = DataValueWriter.Span(Period(String(format: "2026%02d", month))!)
                    for (element, combo) in [(total, "default"), (trained, "NU")] {
                        rows.append(.init(elementID: element, combo: combo, span: span, structure: "2025", orgCode: commune.code, unitPath: commune.path,
                                          value: String(c + month), number: Double(c + month)))
                    }
                }
            }
            XCTAssertGreaterThanOrEqual(rows.count, 1_000, "large enough for the bulk path")
            let all = rows
            try await app.db.transaction { tx in
                try await DataValueWriter.upsert(all, allNew: true, by: nil, on: tx as! any SQLDatabase)
            }
            let stored = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(stored, rows.count, "the value stored meanwhile is updated, not duplicated")
            let first = try await DataValue.query(on: app.db).filter(\.$orgCode == communes[0].code).filter(\.$period == "202601").filter(\.$elementID == total).all()
            XCTAssertEqual(first.map(\.value), ["1"])
            let fromValues = try await sums(app.db, from: "values"), fromSums = try await sums(app.db, from: "sums")
            XCTAssertEqual(fromSums, fromValues)
        }
    }
}
