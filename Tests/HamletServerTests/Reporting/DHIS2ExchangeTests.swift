import XCTest
import XCTVapor
import Fluent
import SQLKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits
@testable import HamletReporting

/// The DHIS2 paths as its tools call them: JSON and CSV value sets, import summaries, Basic
/// and ApiToken sign-in, legacy units counted under their successors.
final class DHIS2ExchangeTests: XCTestCase {
    static func post(_ app: Application, _ path: String, _ body: DHIS2ValueSet, auth: String) async throws -> (HTTPStatus, ImportMessage?) {
        var out: (HTTPStatus, ImportMessage?) = (.internalServerError, nil)
        try await app.test(.POST, path, beforeRequest: { req in
            req.headers.replaceOrAdd(name: .authorization, value: auth)
            try req.content.encode(body, as: .json)
        }) { res async throws in out = (res.status, try? res.content.decode(ImportMessage.self)) }
        return out
    }

    func value(_ e: String, _ p: String, _ ou: String, _ v: String, _ coc: String? = nil) -> DHIS2Value {
        DHIS2Value(dataElement: e, period: p, orgUnit: ou, categoryOptionCombo: coc, value: v)
    }

    func testJSONRoundTripIsIdempotentAndListsConflicts() async throws {
        try await withApp { app in
            let user = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let token = try await app.token(for: user)
            try await app.makeReportingCatalogue(token)
            let (a, b) = (try await app.communes()[0], try await app.communes()[1])
            let outside = try await app.communes("01")[0]
            let auth = "ApiToken " + token
            let payload = DHIS2ValueSet(dataSet: "BC_THANG_XA", dataValues: [
                value("CTV_TONG", "202607", a.code, "10"), value("CTV_TONG", "202607", b.code, "7"),
                value("CTV_TAP_HUAN", "202607", a.code, "3", "NU"),
                value("CTV_TONG", "202607", outside.code, "5"), value("CTV_TONG", "2026Q3", a.code, "5"),
                value("CTV_TONG", "202608", a.code, "mười"), value("KHONG_CO", "202607", a.code, "1"),
                value("CTV_TAP_HUAN", "202607", a.code, "3", "TRE_EM"),
            ])
            var (status, message) = try await Self.post(app, "/api/dataValueSets", payload, auth: auth)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(message?.response.status, "WARNING")
            XCTAssertEqual(message?.response.importCount.imported, 3)
            XCTAssertEqual(message?.response.conflicts.map(\.property), ["orgUnit", "orgUnit", "value", "dataElement", "categoryOptionCombo"])
            XCTAssertEqual(message?.response.conflicts.map(\.indexes), [[3], [4], [5], [6], [7]])
            // The same payload again changes nothing.
            (status, message) = try await Self.post(app, "/api/dataValueSets", payload, auth: auth)
            XCTAssertEqual(message?.response.importCount.imported, 0)
            XCTAssertEqual(message?.response.importCount.ignored, 3 + 5, "the three stored, and the five refused, as DHIS2 counts them")
            // Atomic: one bad value and nothing is stored.
            let atomic = DHIS2ValueSet(dataValues: [value("CTV_TONG", "202609", a.code, "12"), value("CTV_TONG", "202609", b.code, "x")])
            (status, message) = try await Self.post(app, "/api/dataValueSets?atomic=true", atomic, auth: auth)
            XCTAssertEqual(status, .conflict)
            XCTAssertEqual(message?.response.importCount.imported, 0)
            var stored = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(stored, 3)
            // Export, change one value, import it back: one update, the rest ignored.
            var exported: DHIS2ValueSet?
            try await app.test(.GET, "/api/dataValueSets?dataSet=BC_THANG_XA&period=2026Q3&orgUnit=91&children=true", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .authorization, value: auth)
            }) { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                exported = try res.content.decode(DHIS2ValueSet.self)
            }
            XCTAssertEqual(exported?.dataValues.count, 3)
            var back = exported!
            back.dataValues[0].value = "11"
            (status, message) = try await Self.post(app, "/api/dataValueSets", back, auth: "Bearer " + token)
            XCTAssertEqual(message?.response.importCount.updated, 1)
            XCTAssertEqual(message?.response.importCount.ignored, 2)
            // CSV, with Basic credentials as DHIS2 tools send them.
            let csv = "dataelement,period,orgunit,catoptcombo,attroptcombo,value\nCTV_TONG,202609,\(a.code),,,9\nCTV_TONG,202609,\(b.code),,,4\n"
            let basic = "Basic " + Data("cv:Mat-khau-rat-kho-2026".utf8).base64EncodedString()
            try await app.test(.POST, "/api/dataValueSets", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .authorization, value: basic)
                req.headers.contentType = HTTPMediaType(type: "application", subType: "csv")
                req.body = ByteBuffer(string: csv)
            }) { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.content.decode(ImportMessage.self).response.importCount.imported, 2)
            }
            try await app.test(.GET, "/api/dataValueSets.csv?dataElement=CTV_TONG&period=202609&orgUnit=\(a.code)", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .authorization, value: basic)
            }) { res async throws in
                XCTAssertTrue(res.body.string.hasPrefix("dataelement,period,orgunit,catoptcombo"), res.body.string)
                XCTAssertTrue(res.body.string.contains("CTV_TONG,202609,\(a.code),default,default,9"), res.body.string)
            }
            try await app.test(.GET, "/api/me", beforeRequest: { req in
                req.headers.replaceOrAdd(name: .authorization, value: "Basic " + Data("cv:sai".utf8).base64EncodedString())
            }) { res async throws in XCTAssertEqual(res.status, .unauthorized) }
            try await app.test(.GET, "/api/system/info", beforeRequest: { req in req.headers.replaceOrAdd(name: .authorization, value: basic) }) { res async throws in
                XCTAssertEqual(res.status, .ok); XCTAssertTrue(res.body.string.contains("\"version\":\"2.40.0\""))
            }
            stored = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(stored, 5)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$entity == "data_values").count()
            XCTAssertEqual(audit, 3, "three imports changed something")
        }
    }

    /// JSON as other tools write it (numbers for values, the period and unit in the header,
    /// unknown keys), and broken JSON refused with the field named and nothing stored.
    func testRawJSONPayloadsAsToolsWriteThem() async throws {
        try await withApp { app in
            let user = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let token = try await app.token(for: user)
            try await app.makeReportingCatalogue(token)
            let (a, b) = (try await app.communes()[0], try await app.communes()[1])
            func post(_ json: String, type: HTTPMediaType? = .json, _ check: (XCTHTTPResponse) async throws -> Void) async throws {
                try await app.test(.POST, "/api/dataValueSets", beforeRequest: { req in
                    req.headers.replaceOrAdd(name: .authorization, value: "ApiToken " + token)
                    if let type { req.headers.contentType = type }
                    req.body = ByteBuffer(string: json)
                }, afterResponse: check)
            }
            try await post("""
                {"dataSet": "BC_THANG_XA", "period": "202607", "orgUnit": "\(a.code)", "completeDate": "2026-08-03", "dataSetComplete": true,
                 "dataValues": [{"dataElement": "CTV_TONG", "value": 10, "comment": "g\\u1eedi l\\u1ea1i", "followup": false},
                                {"dataElement": "CTV_TAP_HUAN", "categoryOptionCombo": "NU", "value": "3", "extra": {"a": [1, 2]}},
                                {"dataElement": "CTV_TONG", "orgUnit": "\(b.code)", "value": 7.0}]}
                """) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let message = try res.content.decode(ImportMessage.self)
                XCTAssertEqual(message.response.importCount.imported, 3, res.body.string)
                XCTAssertEqual(message.response.conflicts.count, 0)
            }
            let stored = try await DataValue.query(on: app.db).filter(\.$orgCode == b.code).first()
            XCTAssertEqual(stored?.period, "202607")
            XCTAssertEqual(stored?.number, 7)
            for (broken, field) in [(#"{"dataValues": [{"dataElement": "CTV_TONG", "period": "202608", "orgUnit": "X", "value": "1"}"#, nil),
                                    (#"{"dataValues": [{"dataElement": "CTV_TONG", "value": {"n": 1}}]}"#, "value"),
                                    (#"{"dataSet": "BC_THANG_XA"}"#, "dataValues"), ("", nil)] as [(String, String?)] {
                try await post(broken) { res in
                    XCTAssertEqual(res.status, .badRequest, broken)
                    let error = try res.content.decode(ErrorBody.self).error
                    XCTAssertTrue(error.message.hasPrefix("Dữ liệu gửi lên không đọc được: "), error.message)
                    XCTAssertEqual(error.field, field, broken)
                }
            }
            try await post(#"dataValues=1"#, type: .urlEncodedForm) { res in XCTAssertEqual(res.status, .unsupportedMediaType) }
            let count = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(count, 3)
        }
    }

    /// A form being saved and an import of the same report at once. The save moves the report's
    /// version first, then writes its cells; the import must wait for the report before it writes
    /// any cell, or each waits for the other (PostgreSQL then ends one with a deadlock error).
    func testAnImportWaitsForAFormBeingSavedInsteadOfDeadlocking() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let commune = try await app.communes()[0]
            try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(commune.code)/202609", token: token, json: ReportBody(0, [("CTV_TONG", nil, "10")])) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            let report = try await Report.query(on: app.db).filter(\.$orgCode == commune.code).filter(\.$period == "202609").first()!
            let trained = try await DataElement.query(on: app.db).filter(\.$code == "CTV_TAP_HUAN").first()!.id!
            let payload = DHIS2ValueSet(dataValues: [value("CTV_TAP_HUAN", "202609", commune.code, "4", "NU")])
            let importing = try await app.db.transaction { tx -> Task<(HTTPStatus, ImportMessage?), any Error> in
                let sql = tx as! any SQLDatabase
                try await sql.raw("UPDATE reports SET version = version + 1 WHERE id = \(bind: report.id!)").run()
                let importing = Task { try await Self.post(app, "/api/dataValueSets", payload, auth: "ApiToken " + token) }
                try await Task.sleep(for: .milliseconds(700))
                let row = DataValue()
                row.elementID = trained; row.combo = "NU"; row.period = "202609"; row.periodStart = "2026-09-01"; row.periodEnd = "2026-09-30"
                row.orgStructure = "2025"; row.orgCode = commune.code; row.unitPath = commune.path; row.value = "3"; row.number = 3
                try await row.create(on: tx)
                return importing
            }
            let (status, message) = try await importing.value
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(message?.response.status, "SUCCESS")
            let stored = try await DataValue.query(on: app.db).filter(\.$orgCode == commune.code).filter(\.$elementID == trained).all()
            XCTAssertEqual(stored.map(\.value), ["4"], "the import came second and its value stands")
        }
    }

    func testLegacyUnitsCountUnderTheirSuccessorAndApprovedDataIsLocked() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let (line, successor) = try await app.legacyCommune()
            let auth = "ApiToken " + token
            var (status, message) = try await Self.post(app, "/api/dataValueSets", DHIS2ValueSet(dataValues: [
                value("CTV_TONG", "202503", line.fromCode, "8"), value("CTV_TONG", "202508", successor.code, "6"),
            ]), auth: auth)
            XCTAssertEqual(status, .ok); XCTAssertEqual(message?.response.importCount.imported, 2, "\(message?.response.conflicts ?? [])")
            let legacy = try await DataValue.query(on: app.db).filter(\.$orgStructure == "legacy").first()
            XCTAssertEqual(legacy?.orgCode, line.fromCode); XCTAssertEqual(legacy?.unitPath, successor.path)
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=\(successor.code)&period=2025", token: token) { res in
                XCTAssertEqual(try res.json(ReportTotals.Result.self).total, 14, "8 from the legacy commune + 6 after the reform")
            }
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&period=2025", token: token) { res in
                XCTAssertEqual(try res.json(ReportTotals.Result.self).total, 14)
            }
            // Approved: the import may not change it.
            try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(successor.code)/202508", token: token, json: ReportBody(0, [], submit: true)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            let other = try await app.token(for: try await app.makeUser("tw", role: .admin, scope: "VN"))
            try await app.api(.POST, "/api/v1/reports/BC_THANG_XA/\(successor.code)/202508/approve", token: other) { res in XCTAssertEqual(res.status, .ok) }
            (status, message) = try await Self.post(app, "/api/dataValueSets", DHIS2ValueSet(dataValues: [value("CTV_TONG", "202508", successor.code, "60")]), auth: auth)
            XCTAssertEqual(message?.response.conflicts.first?.errorCode, "E1106")
            let kept = try await DataValue.query(on: app.db).filter(\.$orgCode == successor.code).first()?.value
            XCTAssertEqual(kept, "6")
        }
    }

    /// A province's year in one payload: every commune's twelve months, written in bulk, counted
    /// right, audited with the count, and the same payload again changes nothing.
    func testALargeImportIsCountedAndAuditedInBulk() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "91").sort(\.$code).all()
            var values: [DHIS2Value] = [], expected = 0.0
            for (c, commune) in communes.enumerated() {
                for month in 1...12 {
                    values.append(value("CTV_TONG", String(format: "2025%02d", month), commune.code, String(c + month)))
                    expected += Double(c + month)
                }
            }
            XCTAssertGreaterThan(values.count, DataValueImporter.listedInserts)
            var (status, message) = try await Self.post(app, "/api/dataValueSets", DHIS2ValueSet(dataValues: values), auth: "Bearer " + token)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(message?.response.importCount.imported, values.count)
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&period=2025", token: token) { res in
                XCTAssertEqual(try res.json(ReportTotals.Result.self).total, expected)
            }
            let audit = try await AuditEntry.query(on: app.db).filter(\.$entity == "data_values").all()
            XCTAssertEqual(audit.count, 1)
            XCTAssertTrue(audit.first?.changes.contains("\(values.count) giá trị mới") == true)
            (status, message) = try await Self.post(app, "/api/dataValueSets", DHIS2ValueSet(dataValues: values), auth: "Bearer " + token)
            XCTAssertEqual(message?.response.importCount.ignored, values.count)
            values[5].value = "999"
            (status, message) = try await Self.post(app, "/api/dataValueSets", DHIS2ValueSet(dataValues: values), auth: "Bearer " + token)
            XCTAssertEqual(message?.response.importCount.updated, 1)
            let last = try await AuditEntry.query(on: app.db).filter(\.$entity == "data_values").sort(\.$at, .descending).first()
            XCTAssertTrue(last?.changes.contains("999") == true, "an update is listed old → new")
        }
    }

    /// A large import goes through each engine's bulk path (COPY, or JSON on SQLite): texts with
    /// quotes, backslashes, line breaks and Vietnamese come back exactly as sent.
    func testALargeImportKeepsEveryTextExactly() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "91").sort(\.$code).all()
            var values: [DHIS2Value] = [], sent: [String: String] = [:]
            for (c, commune) in communes.enumerated() {
                for month in 1...12 {
                    let period = String(format: "2025%02d", month)
                    let note = "Xã “\(commune.name)” báo \"\(c)\" \\ tháng \(month)\nDòng hai\tcó tab"
                    values.append(value("GHI_CHU", period, commune.code, note))
                    values.append(value("CTV_TONG", period, commune.code, String(c * 12 + month)))
                    sent[commune.code + "|" + period] = note
                }
            }
            XCTAssertGreaterThan(values.count, 1_000, "large enough for the bulk path")
            let (status, message) = try await Self.post(app, "/api/dataValueSets", DHIS2ValueSet(dataValues: values), auth: "Bearer " + token)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(message?.response.importCount.imported, values.count)
            var exported: DHIS2ValueSet?
            try await app.api(.GET, "/api/dataValueSets?dataElement=GHI_CHU&period=2025&orgUnit=91&children=true", token: token) { res in
                XCTAssertEqual(res.status, .ok)
                exported = try res.content.decode(DHIS2ValueSet.self)
            }
            let back = Dictionary((exported?.dataValues ?? []).map { ($0.orgUnit! + "|" + $0.period!, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
            XCTAssertEqual(back, sent)
            let n = communes.count * 12
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&period=2025", token: token) { res in
                XCTAssertEqual(try res.json(ReportTotals.Result.self).total, Double(n * (n + 1) / 2))
            }
            // The same payload again changes nothing: every text compares equal to what is stored.
            let again = try await Self.post(app, "/api/dataValueSets", DHIS2ValueSet(dataValues: values), auth: "Bearer " + token)
            XCTAssertEqual(again.1?.response.importCount.ignored, values.count)
        }
    }

    /// A value never loses its element: an element that has values cannot be deleted, on either
    /// engine (a foreign key on SQLite, a guard on the elements on PostgreSQL).
    func testAnElementWithValuesCannotBeDeleted() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let commune = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "91").sort(\.$code).first()!
            _ = try await Self.post(app, "/api/dataValueSets", DHIS2ValueSet(dataValues: [value("CTV_TONG", "202501", commune.code, "4")]), auth: "Bearer " + token)
            let sql = app.db as! any SQLDatabase
            do {
                try await sql.raw("DELETE FROM data_elements WHERE code = 'CTV_TONG'").run()
                XCTFail("an element with values was deleted")
            } catch {}
            let kept = try await DataElement.query(on: app.db).filter(\.$code == "CTV_TONG").count()
            XCTAssertEqual(kept, 1)
            // One without values (nothing refers to it) can go.
            try await sql.raw("DELETE FROM data_set_elements WHERE element_id IN (SELECT id FROM data_elements WHERE code = 'GHI_CHU')").run()
            try await sql.raw("DELETE FROM data_elements WHERE code = 'GHI_CHU'").run()
            let gone = try await DataElement.query(on: app.db).filter(\.$code == "GHI_CHU").count()
            XCTAssertEqual(gone, 0)
        }
    }
}

/// What an import knows of the values stored and the reports approved, for units past the first
/// five hundred it reads (`ValueStanding` reads them five hundred to a statement).
final class LargeImportStandingTests: XCTestCase {
    func testAnImportOfMoreThanFiveHundredUnitsSeesEveryStoredValueAndEveryApproval() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .admin, scope: "VN"))
            try await app.makeReportingCatalogue(token)
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$level == .commune).sort(\.$code).limit(1_050).all()
            XCTAssertEqual(communes.count, 1_050)
            func values(_ v: String) -> DHIS2ValueSet {
                DHIS2ValueSet(dataValues: communes.map { DHIS2Value(dataElement: "CTV_TONG", period: "202601", orgUnit: $0.code, categoryOptionCombo: nil, value: v) })
            }
            var (status, message) = try await DHIS2ExchangeTests.post(app, "/api/dataValueSets", values("1"), auth: "Bearer " + token)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(message?.response.importCount.imported, 1_050)
            // Three approved reports, wherever their units fall among the statements.
            let approver = try await app.token(for: try await app.makeUser("tw", role: .admin, scope: "VN"))
            let locked = [communes[3], communes[600], communes[1_049]]
            for commune in locked {
                try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(commune.code)/202601", token: token, json: ReportBody(0, [], submit: true)) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                }
                try await app.api(.POST, "/api/v1/reports/BC_THANG_XA/\(commune.code)/202601/approve", token: approver) { XCTAssertEqual($0.status, .ok) }
            }
            (status, message) = try await DHIS2ExchangeTests.post(app, "/api/dataValueSets", values("1"), auth: "Bearer " + token)
            XCTAssertEqual(message?.response.importCount.imported, 0)
            XCTAssertEqual(message?.response.importCount.updated, 0, "every stored value seen, in every statement")
            (status, message) = try await DHIS2ExchangeTests.post(app, "/api/dataValueSets", values("2"), auth: "Bearer " + token)
            XCTAssertEqual(message?.response.importCount.updated, 1_050 - 3)
            XCTAssertEqual(Set(message?.response.conflicts.map(\.object) ?? []), Set(locked.map(\.code)))
            let kept = try await DataValue.query(on: app.db).filter(\.$orgCode ~~ locked.map(\.code)).all().map(\.value)
            XCTAssertEqual(kept, ["1", "1", "1"])
        }
    }
}
