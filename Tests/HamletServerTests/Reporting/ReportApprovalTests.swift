import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits
@testable import HamletReporting

/// Issue 23, point 4: approval up the chain. Hamlets' reports are approved by the commune, the
/// commune's own by the province; the province approves the commune's data only after every
/// report in it is approved; approved data is locked; an approval is undone only while the level
/// above has not approved.
final class ReportApprovalTests: XCTestCase {
    func testEachLevelApprovesAfterTheLevelsBelowAndUndoesOnlyBeforeTheLevelAbove() async throws {
        try await withApp { app in
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let qg = try await app.token(for: try await app.makeUser("qg", role: .admin, scope: "VN"))
            try await app.makeReportingCatalogue(cv)
            try await app.api(.POST, "/api/v1/data-sets", token: cv, json: DataSetInput(code: "BC_THON", name: "Báo cáo tháng của thôn và xã", periodicity: "monthly",
                                                                                         levels: ["hamlet", "commune"], dueDays: 5, elements: [.init(element: "CTV_TONG", section: "Cộng tác viên")])) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            let commune = try await app.communes()[0]
            for name in ["Ấp Hòa An", "Ấp Hòa Bình", "Ấp Hòa Lợi"] {
                try await app.api(.POST, "/api/v1/units/2025/\(commune.code)/hamlets", token: cv, json: JSON(["name": name, "type": "Ấp"])) { XCTAssertEqual($0.status, .created, $0.body.string) }
            }
            var hamlets = try await AdminUnit.query(on: app.db).filter(\.$level == .hamlet).filter(\.$parentCode == commune.code).sort(\.$code).all().map(\.code)
            // The third hamlet sends nothing: a missing report does not hold the commune's approval back.
            let silent = hamlets.removeLast()
            let xa = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: commune.code))
            var ctv: [String] = []
            for (i, h) in hamlets.enumerated() { ctv.append(try await app.token(for: try await app.makeUser("ctv\(i)", role: .collaborator, scope: h))) }
            func url(_ org: String) -> String { "/api/v1/reports/BC_THON/\(org)/202609" }
            for (i, h) in hamlets.enumerated() {
                try await app.api(.PUT, url(h), token: ctv[i], json: ReportBody(0, [("CTV_TONG", nil, "\(3 + i)")], submit: true)) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            }
            try await app.api(.PUT, url(commune.code), token: xa, json: ReportBody(0, [("CTV_TONG", nil, "7")], submit: true)) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            let unit = "/api/v1/reports/BC_THON/approvals/\(commune.code)/202609"

            // Not before the levels below: three reports wait.
            try await app.api(.POST, unit, token: cv) { res in
                XCTAssertEqual(res.status, .conflict, res.body.string)
                XCTAssertTrue(res.errorMessage?.contains("Còn 3 báo cáo") ?? false, res.body.string)
            }
            for h in hamlets { try await app.api(.POST, url(h) + "/approve", token: xa) { XCTAssertEqual($0.status, .ok, $0.body.string) } }
            try await app.api(.POST, unit, token: cv) { XCTAssertTrue($0.errorMessage?.contains("Còn 1 báo cáo") ?? false, $0.body.string) }
            try await app.api(.POST, url(commune.code) + "/approve", token: cv) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            // The commune is not the level above itself.
            try await app.api(.POST, unit, token: xa) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.GET, "/api/v1/reports/BC_THON/approvals?period=202609", token: cv) { res in
                let row = try res.json([UnitApprovalDTO].self).first { $0.unitCode == commune.code }
                XCTAssertEqual([row?.reports, row?.approvedReports], [3, 3])
                XCTAssertEqual(row?.mayApprove, true)
            }
            try await app.api(.POST, unit, token: cv) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let row = try res.json(UnitApprovalDTO.self)
                XCTAssertEqual(row.approved, true); XCTAssertEqual(row.approvedBy, "cv"); XCTAssertEqual(row.mayUndo, true)
            }
            // Approved data is locked below: no unlock, no return, no writing, until the province undoes it.
            try await app.api(.POST, url(hamlets[0]) + "/unlock", token: xa) { XCTAssertEqual($0.status, .conflict) }
            try await app.api(.POST, url(hamlets[1]) + "/return", token: xa, json: JSON(["comment": "Sai số"])) { XCTAssertEqual($0.status, .conflict) }
            try await app.api(.POST, url(commune.code) + "/unlock", token: cv) { XCTAssertEqual($0.status, .conflict) }
            try await app.api(.PUT, url(hamlets[0]), token: ctv[0], json: ReportBody(3, [("CTV_TONG", nil, "9")])) { res in
                XCTAssertEqual(res.status, .conflict); XCTAssertEqual(res.errorField, "status")
            }
            try await app.api(.GET, url(hamlets[0]), token: ctv[0]) { res in
                let r = try res.json(ReportDTO.self)
                XCTAssertEqual(r.approvedAbove?.unitCode, commune.code); XCTAssertEqual(r.approvedAbove?.by, "cv"); XCTAssertTrue(r.locked)
            }
            var clerk = try await app.login("xa")
            try await app.page(.GET, "/reports/entry?set=BC_THON&unit=\(hamlets[1])&period=202609", as: &clerk) { res in
                XCTAssertTrue(res.body.string.contains("id=\"held-above\""), res.body.string)
                XCTAssertFalse(res.body.string.contains("value=\"unlock\""), "no unlock offered")
            }
            // Nor through DHIS2: not even for the hamlet that never sent its report.
            let (_, message) = try await DHIS2ExchangeTests.post(app, "/api/dataValueSets",
                                                                  DHIS2ValueSet(dataValues: [DHIS2Value(dataElement: "CTV_TONG", period: "202609", orgUnit: silent, categoryOptionCombo: nil, value: "4")]),
                                                                  auth: "Bearer " + cv)
            XCTAssertEqual(message?.response.conflicts.first?.errorCode, "E1106")
            let written = try await DataValue.query(on: app.db).filter(\.$orgCode == silent).count()
            XCTAssertEqual(written, 0)
            // The country approves the province; the province can then no longer undo its approval.
            try await app.api(.POST, "/api/v1/reports/BC_THON/approvals/91/202609", token: qg) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await app.api(.DELETE, unit, token: cv) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertTrue(res.errorMessage?.contains("Cấp trên đã duyệt") ?? false, res.body.string)
            }
            try await app.api(.DELETE, "/api/v1/reports/BC_THON/approvals/91/202609", token: qg) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await app.api(.DELETE, unit, token: cv) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(UnitApprovalDTO.self).approved, false)
            }
            try await app.api(.POST, url(hamlets[0]) + "/unlock", token: xa) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            let actions = try await AuditEntry.query(on: app.db).filter(\.$entity == "report").filter(\.$action ~~ ["approve-unit", "undo-approve-unit"]).all().map(\.action).sorted()
            XCTAssertEqual(actions, ["approve-unit", "approve-unit", "undo-approve-unit", "undo-approve-unit"])

            // The page lists the communes with where each stands.
            var browser = try await app.login("cv")
            try await app.page(.GET, "/reports/approvals?set=BC_THON&period=202609", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("id=\"approval-rows\""), res.body.string)
                XCTAssertTrue(res.body.string.contains(commune.name))
            }
        }
    }
}
