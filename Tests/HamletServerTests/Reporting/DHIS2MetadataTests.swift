import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits
@testable import HamletReporting

/// The metadata and single-value paths DHIS2 tools call before and while exchanging values.
final class DHIS2MetadataTests: XCTestCase {
    func get(_ app: Application, _ path: String, _ token: String) async throws -> (HTTPStatus, [String: Any]) {
        var out: (HTTPStatus, [String: Any]) = (.internalServerError, [:])
        try await app.api(.GET, path, token: token) { res in
            out = (res.status, (try? JSONSerialization.jsonObject(with: Data(res.body.string.utf8))) as? [String: Any] ?? [:])
        }
        return out
    }

    func testUnitsElementsAndFormsWithFieldsFiltersAndPager() async throws {
        try await withApp { app in
            let user = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let token = try await app.token(for: user)
            try await app.makeReportingCatalogue(token)
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "91").count()
            XCTAssertGreaterThan(communes, 10)

            var (status, body) = try await get(app, "/api/organisationUnits?filter=level:eq:2&pageSize=5&fields=id,name,level,parent[id]", token)
            XCTAssertEqual(status, .ok)
            let pager = body["pager"] as? [String: Any]
            XCTAssertEqual(pager?["total"] as? Int, communes)
            XCTAssertEqual(pager?["pageCount"] as? Int, (communes + 4) / 5)
            XCTAssertTrue((pager?["nextPage"] as? String)?.contains("page=2") == true)
            var units = body["organisationUnits"] as? [[String: Any]] ?? []
            XCTAssertEqual(units.count, 5)
            XCTAssertEqual(Set(units[0].keys), ["id", "name", "level", "parent"])
            XCTAssertEqual(units.compactMap { ($0["parent"] as? [String: Any])?["id"] as? String }, Array(repeating: "91", count: 5))

            // Only the account's subtree: the province itself, never another province.
            (status, body) = try await get(app, "/api/organisationUnits?paging=false&filter=level:eq:1", token)
            units = body["organisationUnits"] as? [[String: Any]] ?? []
            XCTAssertEqual(units.compactMap { $0["id"] as? String }, ["91"])
            XCTAssertNil(body["pager"])
            (status, _) = try await get(app, "/api/organisationUnits/01", token)
            XCTAssertEqual(status, .notFound)
            (status, body) = try await get(app, "/api/organisationUnits/91", token)
            XCTAssertEqual(body["level"] as? Int, 1)
            XCTAssertEqual(body["path"] as? String, "/91")
            (status, _) = try await get(app, "/api/organisationUnits?filter=level:equals:2", token)
            XCTAssertEqual(status, .unprocessableEntity)

            (status, body) = try await get(app, "/api/dataElements?paging=false&fields=id,valueType,aggregationType,categoryCombo[id]&filter=id:in:[CTV_TAP_HUAN,GHI_CHU]", token)
            let elements = body["dataElements"] as? [[String: Any]] ?? []
            XCTAssertEqual(elements.compactMap { $0["id"] as? String }, ["CTV_TAP_HUAN", "GHI_CHU"])
            XCTAssertEqual(elements.compactMap { $0["valueType"] as? String }, ["INTEGER", "TEXT"])
            XCTAssertEqual(elements.compactMap { ($0["categoryCombo"] as? [String: Any])?["id"] as? String }, ["GIOI_TINH", "default"])

            (status, body) = try await get(app, "/api/categoryCombos/GIOI_TINH?fields=id,categoryOptionCombos[id,name]", token)
            XCTAssertEqual((body["categoryOptionCombos"] as? [[String: Any]])?.compactMap { $0["id"] as? String }, ["NAM", "NU"])

            (status, body) = try await get(app, "/api/dataSets/BC_THANG_XA?fields=id,periodType,dataSetElements[dataElement[id]],organisationUnits", token)
            XCTAssertEqual(status, .ok)
            XCTAssertEqual(body["periodType"] as? String, "Monthly")
            XCTAssertEqual((body["dataSetElements"] as? [[String: Any]])?.compactMap { ($0["dataElement"] as? [String: Any])?["id"] as? String },
                           ["CTV_TONG", "CTV_TAP_HUAN", "GHI_CHU"])
            XCTAssertEqual((body["organisationUnits"] as? [[String: Any]])?.count, communes)
            (status, body) = try await get(app, "/api/dataSets", token)
            XCTAssertEqual((body["dataSets"] as? [[String: Any]])?.first?["displayName"] as? String, "Báo cáo tháng của xã")
            XCTAssertNil((body["dataSets"] as? [[String: Any]])?.first?["organisationUnits"], "only when asked for")
        }
    }

    func testSingleValuesAreWrittenReadAndDeletedWithTheImportChecks() async throws {
        try await withApp { app in
            let user = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let token = try await app.token(for: user)
            try await app.makeReportingCatalogue(token)
            let a = try await app.communes()[0]
            let outside = try await app.communes("01")[0]
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202607&ou=\(a.code)&value=12", token: token) { res in XCTAssertEqual(res.status, .created, res.body.string) }
            try await app.api(.GET, "/api/dataValues?de=CTV_TONG&pe=202607&ou=\(a.code)", token: token) { res in XCTAssertEqual(res.body.string, "[\"12\"]") }
            try await app.api(.POST, "/api/dataValues?de=CTV_TAP_HUAN&pe=202607&ou=\(a.code)&co=NU&value=4", token: token) { res in XCTAssertEqual(res.status, .created) }
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202607&ou=\(a.code)&value=mười", token: token) { res in
                XCTAssertEqual(res.status, .conflict); XCTAssertEqual(res.errorField, "value")
            }
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202607&ou=\(outside.code)&value=1", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            try await app.api(.GET, "/api/dataValues?de=CTV_TONG&pe=202607&ou=\(outside.code)", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            try await app.api(.POST, "/api/dataValues?pe=202607&ou=\(a.code)&value=1", token: token) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "de")
            }
            try await app.api(.DELETE, "/api/dataValues?de=CTV_TONG&pe=202607&ou=\(a.code)", token: token) { res in XCTAssertEqual(res.status, .noContent) }
            try await app.api(.GET, "/api/dataValues?de=CTV_TONG&pe=202607&ou=\(a.code)", token: token) { res in XCTAssertEqual(res.status, .notFound) }
            let left = try await DataValue.query(on: app.db).all().map(\.value)
            XCTAssertEqual(left, ["4"])
            let audits = try await AuditEntry.query(on: app.db).filter(\.$entity == "data_values").count()
            XCTAssertEqual(audits, 3)
        }
    }
}
