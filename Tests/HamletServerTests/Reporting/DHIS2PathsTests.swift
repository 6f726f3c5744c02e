import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletReporting

/// Issue 24, point 5: DHIS2 paths as DHIS2 clients call them — versioned paths, CSV by `Accept`,
/// units by administrative level only, `storedBy` a username, refused values counted as ignored.
final class DHIS2PathsTests: XCTestCase {
    func testAClientCallingVersionedPathsIsAnsweredAsDHIS2Would() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let centre = try await FacilityReportingTests.facility(app, token, "Trung tâm Công tác xã hội tỉnh", "tt-ctxh", "91")
            let a = try await app.communes()[0]
            let basic = "Basic " + Data("cv:Mat-khau-rat-kho-2026".utf8).base64EncodedString()

            try await app.test(.GET, "/api/41/system/info", beforeRequest: { req async throws in req.headers.replaceOrAdd(name: .authorization, value: basic) }) { res async throws in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertTrue(res.body.string.contains("\"version\""))
            }
            // An import through a versioned path; a refused value is counted as ignored, as DHIS2 counts it.
            let (status, message) = try await DHIS2ExchangeTests.post(app, "/api/40/dataValueSets", DHIS2ValueSet(dataValues: [
                DHIS2Value(dataElement: "CTV_TONG", period: "202609", orgUnit: a.code, categoryOptionCombo: nil, value: "12"),
                DHIS2Value(dataElement: "CTV_TONG", period: "202609", orgUnit: "01", categoryOptionCombo: nil, value: "3"),
            ]), auth: basic)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(message.map { [$0.response.importCount.imported, $0.response.importCount.ignored, $0.response.conflicts.count] }, [1, 1, 1])

            // CSV by Accept, with the username of who stored the value.
            try await app.test(.GET, "/api/40/dataValueSets?dataElement=CTV_TONG&period=202609&orgUnit=91&children=true", beforeRequest: { req async throws in
                req.headers.replaceOrAdd(name: .authorization, value: basic)
                req.headers.replaceOrAdd(name: .accept, value: "application/csv")
            }) { res async throws in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.headers.contentType?.subType, "csv")
                let line = res.body.string.split(whereSeparator: \.isNewline).first { $0.hasPrefix("CTV_TONG,202609,\(a.code)") }
                XCTAssertEqual(line?.split(separator: ",", omittingEmptySubsequences: false)[6], "cv")
            }
            try await app.api(.GET, "/api/dataValueSets?dataElement=CTV_TONG&period=202609&orgUnit=\(a.code)", token: token) { res in
                XCTAssertEqual(try res.content.decode(DHIS2ValueSet.self).dataValues.first?.storedBy, "cv")
            }

            // Level 2 is communes only; the province's centre is at the facilities' own level, 4.
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "91").count()
            for path in ["/api/40/organisationUnits?level=2&paging=false", "/api/organisationUnits?filter=level:eq:2&paging=false"] {
                try await app.api(.GET, path, token: token) { res in
                    let units = try res.content.decode([String: [DHIS2Ref]].self)["organisationUnits"] ?? []
                    XCTAssertEqual(units.count, communes, path)
                    XCTAssertFalse(units.contains { $0.id == centre.uuidString }, path)
                }
            }
            try await app.api(.GET, "/api/organisationUnits?level=4&paging=false&fields=id,level", token: token) { res in
                let units = try res.content.decode([String: [DHIS2Ref]].self)["organisationUnits"] ?? []
                XCTAssertEqual(units.map(\.id), [centre.uuidString])
                XCTAssertEqual(units.first?.level, 4)
            }
            try await app.api(.GET, "/api/organisationUnits?level=hai", token: token) { XCTAssertEqual($0.errorField, "level") }
            // Only a DHIS2 version is read so: Hamlet's own /api/v1 and odd numbers are not.
            try await app.api(.GET, "/api/4/system/info", token: token) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/400/system/info", token: token) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/units?per=1", token: token) { XCTAssertEqual($0.status, .ok) }
        }
    }

    /// A header field sent empty is refused by name, not an empty import answered SUCCESS.
    func testAnEmptyHeaderFieldIsRefusedByName() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            for field in ["orgUnit", "period"] {
                try await app.test(.POST, "/api/dataValueSets", beforeRequest: { req async throws in
                    req.headers.bearerAuthorization = .init(token: token)
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: #"{"\#(field)": "", "dataValues": []}"#)
                }) { res async throws in
                    XCTAssertEqual(res.status, .badRequest, res.body.string)
                    XCTAssertEqual(res.errorField, field)
                }
            }
        }
    }

    /// A CSV or ADX import with no body is refused, not answered SUCCESS with nothing in it.
    func testAnEmptyImportIsRefused() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            for (path, type) in [("/api/dataValueSets.csv", "text/csv"), ("/api/dataValueSets.adx", "application/adx+xml")] {
                try await app.test(.POST, path + "?dryRun=true", beforeRequest: { req async throws in
                    req.headers.bearerAuthorization = .init(token: token)
                    req.headers.replaceOrAdd(name: .contentType, value: type)
                }) { res async throws in
                    XCTAssertEqual(res.status, .unprocessableEntity, path + ": " + res.body.string)
                    XCTAssertEqual(res.errorField, "file", path)
                }
            }
        }
    }

    /// The query is checked as the document states it: a value of the wrong kind, outside its
    /// values, given twice or empty is refused by name (they used to be taken, or ignored).
    func testTheQueryIsCheckedAsDocumented() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            for (query, field) in [("/api/v1/units?per=null", "per"), ("/api/v1/units?level=district2", "level"), ("/api/v1/units?q=a&q=b", "q"),
                                   ("/api/v1/units?parent=", "parent"), ("/api/v1/people?kind=khong-co", "kind"), ("/api/v1/people?activeOn=2026-13-45", "activeOn"),
                                   ("/api/dataValues?pe=202611&ou=91", "de"), ("/api/organisationUnits?level=9", "level"), ("/api/v1/tracker?state=overdue", "state")] {
                try await app.api(.GET, query, token: token) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, query + ": " + res.body.string)
                    XCTAssertEqual(res.errorField, field, query)
                }
            }
            try await app.api(.GET, "/api/v1/units?level=commune&per=2&includeClosed=true", token: token) { XCTAssertEqual($0.status, .ok) }
            // Pages keep reading an empty field as left empty.
            try await app.makeUser("cvp", role: .provinceOfficer, scope: "91")
            var browser = try await app.login("cvp")
            try await app.page(.GET, "/people?unit=&q=", as: &browser) { XCTAssertEqual($0.status, .ok) }
        }
    }

    struct DHIS2Ref: Decodable { var id: String; var level: Int? }
}
