import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits
@testable import HamletReporting

/// Issue 23, point 4: before 01/07/2025 data went commune → district → province. A period of those
/// days is approved over the units of the time: each commune, then its district once every commune
/// with data is, then the province (by the country) once every district is; approved data is
/// refused on import; an approval is undone only while the level above has not approved.
final class LegacyApprovalTests: XCTestCase {
    func testThePre2025ChainGoesThroughTheDistricts() async throws {
        try await withApp { app in
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "20"))
            let qg = try await app.token(for: try await app.makeUser("qg", role: .admin, scope: "VN"))
            try await app.makeReportingCatalogue(cv)
            // Two legacy communes of one district of Lạng Sơn.
            let ours = Set(try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$parentCode == "20").all().map(\.code))
            let lines = try await UnitSuccession.query(on: app.db).filter(\.$fromStructure == "legacy").filter(\.$isDefault == true).all().filter { ours.contains($0.toCode) }
            let legacy = try await AdminUnit.query(on: app.db).filter(\.$structure == "legacy").filter(\.$code ~~ lines.map(\.fromCode)).sort(\.$code).all()
            let district = legacy[0].parentCode!
            let pair = Array(legacy.filter { $0.parentCode == district }.prefix(2))
            XCTAssertEqual(pair.count, 2)
            // The officer of the commune the first went into: it sees that commune of the time, but does not act for a district.
            let xa = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: lines.first { $0.fromCode == pair[0].code }!.toCode))
            func send(_ code: String, _ v: String) async throws -> String? {
                let (_, message) = try await DHIS2ExchangeTests.post(app, "/api/dataValueSets", DHIS2ValueSet(dataValues: [
                    DHIS2Value(dataElement: "CTV_TONG", period: "202412", orgUnit: code, categoryOptionCombo: nil, value: v)]), auth: "Bearer " + cv)
                return message?.response.conflicts.first?.errorCode
            }
            for (k, c) in pair.enumerated() { let refused = try await send(c.code, "\(3 + k)"); XCTAssertNil(refused) }
            let base = "/api/v1/reports/BC_THANG_XA/approvals/legacy"

            // The district waits for its communes; a commune officer does not act for a district.
            try await app.api(.POST, "\(base)/\(district)/202412", token: cv) { res in
                XCTAssertEqual(res.status, .conflict, res.body.string)
                XCTAssertTrue(res.errorMessage?.contains("Còn 2 xã") ?? false, res.body.string)
            }
            try await app.api(.POST, "\(base)/\(pair[0].code)/202412", token: xa) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.POST, "\(base)/\(pair[0].code)/202608", token: cv) { XCTAssertEqual($0.errorField, "period", "after the reform: the 2025 chain") }
            for c in pair { try await app.api(.POST, "\(base)/\(c.code)/202412", token: cv) { XCTAssertEqual($0.status, .ok, $0.body.string) } }
            // Approved: the import may not change it.
            let refused = try await send(pair[0].code, "9")
            XCTAssertEqual(refused, "E1106")
            // The province waits for its districts.
            try await app.api(.POST, "/api/v1/reports/BC_THANG_XA/approvals/20/202412", token: qg) { res in
                XCTAssertEqual(res.status, .conflict, res.body.string)
                XCTAssertTrue(res.errorMessage?.contains("huyện") ?? false, res.body.string)
            }
            try await app.api(.GET, "\(base)?period=202412", token: cv) { res in
                let row = try res.json([UnitApprovalDTO].self).first { $0.unitCode == district }
                XCTAssertEqual([row?.reports, row?.approvedReports], [2, 2])
                XCTAssertEqual(row?.mayApprove, true)
            }
            try await app.api(.POST, "\(base)/\(district)/202412", token: cv) { XCTAssertEqual(try $0.json(UnitApprovalDTO.self).approved, true) }
            // Undone only top down.
            try await app.api(.DELETE, "\(base)/\(pair[0].code)/202412", token: cv) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertTrue(res.errorMessage?.contains("Cấp trên đã duyệt") ?? false, res.body.string)
            }
            try await app.api(.POST, "/api/v1/reports/BC_THANG_XA/approvals/20/202412", token: qg) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await app.api(.DELETE, "\(base)/\(district)/202412", token: cv) { XCTAssertEqual($0.status, .conflict) }
            try await app.api(.DELETE, "/api/v1/reports/BC_THANG_XA/approvals/20/202412", token: qg) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await app.api(.DELETE, "\(base)/\(district)/202412", token: cv) { XCTAssertEqual(try $0.json(UnitApprovalDTO.self).approved, false) }
            try await app.api(.DELETE, "\(base)/\(pair[0].code)/202412", token: cv) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            let accepted = try await send(pair[0].code, "9")
            XCTAssertNil(accepted, "open again")
            let stored = try await DataValue.query(on: app.db).filter(\.$orgCode == pair[0].code).first()?.value
            XCTAssertEqual(stored, "9")
            let actions = try await AuditEntry.query(on: app.db).filter(\.$entity == "report").filter(\.$action ~~ ["approve-unit", "undo-approve-unit"]).count()
            XCTAssertEqual(actions, 7, "two communes, the district, the province; then undone top down but one commune")

            // The page lists the districts of the time, then a district's communes.
            var browser = try await app.login("cv")
            try await app.page(.GET, "/reports/approvals?set=BC_THANG_XA&period=202412", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains(#"id="legacy-chain""#), res.body.string)
                XCTAssertTrue(res.body.string.contains("district=\(district)"))
            }
            try await app.page(.GET, "/reports/approvals?set=BC_THANG_XA&period=202412&district=\(district)", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains(pair[0].name), res.body.string)
            }
            try await app.page(.POST, "/reports/approvals", as: &browser, form: ["set": "BC_THANG_XA", "period": "202412", "unit": pair[0].code, "legacy": "1",
                                                                                  "district": district, "action": "approve"]) { XCTAssertEqual($0.status, .seeOther, $0.body.string) }
            let approved = try await ReportApproval.query(on: app.db).filter(\.$unitCode == pair[0].code).count()
            XCTAssertEqual(approved, 1)
        }
    }
}
