import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletReporting

/// IHE ADX documents in and out of /api/dataValueSets, through the same checks as DHIS2 JSON.
final class ADXExchangeTests: XCTestCase {
    func postADX(_ app: Application, _ path: String, _ xml: String, token: String, type: String = "adx+xml") async throws -> (HTTPStatus, ImportMessage?, String) {
        var out: (HTTPStatus, ImportMessage?, String) = (.internalServerError, nil, "")
        try await app.test(.POST, path, beforeRequest: { req in
            req.headers.bearerAuthorization = .init(token: token)
            req.headers.contentType = HTTPMediaType(type: "application", subType: type)
            req.body = ByteBuffer(string: xml)
        }) { res async throws in out = (res.status, try? res.content.decode(ImportMessage.self), res.body.string) }
        return out
    }

    func testADXRoundTripWithDisaggregationConflictsAndScope() async throws {
        try await withApp { app in
            let user = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let token = try await app.token(for: user)
            try await app.makeReportingCatalogue(token)
            let (a, b) = (try await app.communes()[0], try await app.communes()[1])
            let outside = try await app.communes("01")[0]
            let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-11-05T08:00:00Z">
              <group orgUnit="\(a.code)" period="2026-07-01/P1M" dataSet="BC_THANG_XA">
                <dataValue dataElement="CTV_TONG" value="10"/>
                <dataValue dataElement="CTV_TAP_HUAN" GIOI_TINH="NU" value="3"/>
                <dataValue dataElement="CTV_TAP_HUAN" GIOI_TINH="NAM" value="2"/>
                <dataValue dataElement="GHI_CHU" value="Đủ người &amp; đã tập huấn"/>
              </group>
              <group orgUnit="\(b.code)" period="2026-07-01/P1M">
                <dataValue dataElement="CTV_TONG" value="7"/>
                <dataValue dataElement="CTV_TAP_HUAN" GIOI_TINH="KHAC" value="1"/>
                <dataValue dataElement="CTV_TAP_HUAN" value="1"/>
              </group>
              <group orgUnit="\(b.code)" period="2026-02-01/P3M"><dataValue dataElement="CTV_TONG" value="1"/></group>
              <group orgUnit="\(outside.code)" period="2026-07-01/P1M"><dataValue dataElement="CTV_TONG" value="5"/></group>
              <group orgUnit="\(b.code)" period="2026-08-01/P1M" mechanism="PEPFAR"><dataValue dataElement="CTV_TONG" value="5"/></group>
            </adx>
            """
            var (status, message, body) = try await postADX(app, "/api/dataValueSets", xml, token: token)
            XCTAssertEqual(status, .ok, body)
            XCTAssertEqual(message?.response.importCount.imported, 5)
            XCTAssertEqual(message?.response.conflicts.map(\.property), ["categoryOptionCombo", "categoryOptionCombo", "period", "orgUnit", "attributeOptionCombo"])
            XCTAssertEqual(message?.response.conflicts.map(\.indexes), [[5], [6], [7], [8], [9]])
            XCTAssertTrue(message?.response.conflicts[0].value.contains("GIOI_TINH=KHAC") == true)
            let women = try await DataValue.query(on: app.db).filter(\.$orgCode == a.code).filter(\.$combo == "NU").first()
            XCTAssertEqual(women?.value, "3")

            // The same document again changes nothing.
            (status, message, _) = try await postADX(app, "/api/dataValueSets.adx", xml, token: token, type: "xml")
            XCTAssertEqual(message?.response.importCount.imported, 0)
            XCTAssertEqual(message?.response.importCount.ignored, 5 + (message?.response.conflicts.count ?? 0), "a refused value is ignored too, as DHIS2 counts it")
            XCTAssertEqual(message?.response.conflicts.count, 5)

            // Export as ADX, by suffix and by Accept header: the same document, read back by the importer unchanged.
            var exported = ""
            try await app.test(.GET, "/api/dataValueSets.adx?dataSet=BC_THANG_XA&period=202607&orgUnit=91&children=true", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
            }) { res async in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType?.subType, "adx+xml")
                XCTAssertEqual(res.headers.first(name: .cacheControl), "no-store")
                exported = res.body.string
            }
            XCTAssertTrue(exported.contains(#"<group orgUnit="\#(a.code)" period="2026-07-01/P1M" dataSet="BC_THANG_XA">"#), exported)
            XCTAssertTrue(exported.contains(#"<dataValue dataElement="CTV_TAP_HUAN" GIOI_TINH="NU" value="3"/>"#), exported)
            XCTAssertTrue(exported.contains(#"value="Đủ người &amp; đã tập huấn""#), exported)
            try await app.test(.GET, "/api/dataValueSets?dataSet=BC_THANG_XA&period=202607&orgUnit=91&children=true", beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.replaceOrAdd(name: .accept, value: "application/adx+xml")
            }) { res async in
                XCTAssertEqual(res.headers.contentType?.subType, "adx+xml")
                XCTAssertEqual(res.body.string.components(separatedBy: "<dataValue ").count, exported.components(separatedBy: "<dataValue ").count)
            }
            let changed = exported.replacingOccurrences(of: #"GIOI_TINH="NU" value="3""#, with: #"GIOI_TINH="NU" value="4""#)
            (status, message, _) = try await postADX(app, "/api/dataValueSets", changed, token: token)
            XCTAssertEqual(message?.response.importCount.updated, 1)
            XCTAssertEqual(message?.response.importCount.ignored, 4)

            // Atomic: one bad value and nothing of the document is stored.
            let atomic = """
            <adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="\(a.code)" period="2026-09-01/P1M">
            <dataValue dataElement="CTV_TONG" value="9"/><dataValue dataElement="CTV_TONG" GIOI_TINH="NU" value="1"/></group></adx>
            """
            (status, message, _) = try await postADX(app, "/api/dataValueSets?atomic=true", atomic, token: token)
            XCTAssertEqual(status, .conflict)
            let september = try await DataValue.query(on: app.db).filter(\.$period == "202609").count()
            XCTAssertEqual(september, 0)

            // A malformed document is refused whole, naming its line.
            (status, _, body) = try await postADX(app, "/api/dataValueSets", "<adx xmlns=\"urn:ihe:qrph:adx:2015\">\n<group orgUnit=\"1\">\n</adx>", token: token)
            XCTAssertEqual(status, .badRequest)
            XCTAssertTrue(body.contains("\"field\":\"adx\""), body)
            let audits = try await AuditEntry.query(on: app.db).filter(\.$entity == "data_values").count()
            XCTAssertEqual(audits, 2, "one entry per import that changed something")
        }
    }

    func testCategoryCodesMustBeAttributeNames() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.api(.POST, "/api/v1/data-categories", token: token,
                              json: CategoryInput(code: "1NHOM", name: "Nhóm", options: [.init(code: "A", name: "A"), .init(code: "B", name: "B")])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "code")
            }
            let stored = try await DataCategory.query(on: app.db).count()
            XCTAssertEqual(stored, 0)
        }
    }
}
