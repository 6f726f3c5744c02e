import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletOrganisations
@testable import HamletReporting

/// Forms reported by facilities of given types (a social-work centre's monthly report) rather
/// than by administrative units: entry, approval from the unit above, completeness, totals, import.
final class FacilityReportingTests: XCTestCase {
    static func facility(_ app: Application, _ token: String, _ name: String, _ type: String, _ unit: String) async throws -> UUID {
        var id: UUID?
        try await app.api(.POST, "/api/v1/facilities", token: token, json: FacilityBody(name: name, typeCode: type, unitCode: unit, providesSocialWork: true)) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            id = try res.json(OrganisationDTO.self).id
        }
        return id!
    }

    func testFacilitiesReportTheirFormsAndCountInTheirUnit() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.api(.POST, "/api/v1/data-elements", token: token, json: ElementInput(code: "DT_TIEP_NHAN", name: "Số đối tượng được tiếp nhận", valueType: "INTEGER")) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            try await app.api(.POST, "/api/v1/data-sets", token: token, json: DataSetInput(
                code: "BC_TT", name: "Báo cáo tháng của trung tâm công tác xã hội", periodicity: "monthly", facilityTypes: ["tt-ctxh"], dueDays: 10,
                elements: [.init(element: "DT_TIEP_NHAN", section: "Tiếp nhận")])) { XCTAssertEqual($0.status, .created, $0.body.string) }
            let (a, b) = (try await app.communes()[0], try await app.communes()[1])
            let centre = try await Self.facility(app, token, "Trung tâm Công tác xã hội A", "tt-ctxh", a.code)
            let second = try await Self.facility(app, token, "Trung tâm Công tác xã hội B", "tt-ctxh", b.code)
            let school = try await Self.facility(app, token, "Trường Tiểu học X", "truong-hoc", a.code)

            // The commune officer of the centre's commune enters and sends the report.
            let clerk = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: a.code))
            try await app.api(.PUT, "/api/v1/reports/BC_TT/\(centre)/202609", token: clerk, json: ReportBody(0, [("DT_TIEP_NHAN", nil, "14")], submit: true)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(ReportDTO.self).orgUnitName, "Trung tâm Công tác xã hội A")
            }
            // The other commune's officer cannot see it; a school does not report this form.
            let stranger = try await app.token(for: try await app.makeUser("xb", role: .communeOfficer, scope: b.code))
            try await app.api(.GET, "/api/v1/reports/BC_TT/\(centre)/202609", token: stranger) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/reports/BC_TT/\(school)/202609", token: token) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "orgUnit")
            }
            // On the page a centre is opened by its name; a school's name matches nothing for this form.
            var officer = try await app.login("cv")
            try await app.page(.GET, "/reports/entry?set=BC_TT&unit=cong+tac+xa+hoi+a&period=202609", as: &officer) { res in
                XCTAssertEqual(res.status, .seeOther)
                XCTAssertEqual(res.headers.first(name: .location), "/reports/entry?set=BC_TT&unit=\(centre.uuidString)&period=202609")
            }
            try await app.page(.GET, "/reports/entry?set=BC_TT&unit=truong+tieu+hoc&period=202609", as: &officer) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
            }
            try await app.page(.GET, "/reports/entry?set=BC_TT&unit=trung+tam&period=202609", as: &officer) { res in
                XCTAssertTrue(res.body.string.contains("Trung tâm Công tác xã hội B</a> <span class=\"muted\">— \(b.name)</span>"), res.body.string)
            }
            // The province approves; the facility's figures are then locked.
            try await app.api(.POST, "/api/v1/reports/BC_TT/\(centre)/202609/approve", token: token) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            try await app.api(.PUT, "/api/v1/reports/BC_TT/\(centre)/202609", token: clerk, json: ReportBody(2, [("DT_TIEP_NHAN", nil, "15")])) {
                XCTAssertEqual($0.status, .conflict)
            }
            // DHIS2 names a facility by its id; a school is refused for this element.
            try await app.api(.POST, "/api/dataValueSets", token: token, json: DHIS2ValueSet(dataValues: [
                DHIS2Value(dataElement: "DT_TIEP_NHAN", period: "202609", orgUnit: second.uuidString, value: "6"),
                DHIS2Value(dataElement: "DT_TIEP_NHAN", period: "202609", orgUnit: school.uuidString, value: "1"),
            ])) { res in
                let summary = try res.json(ImportMessage.self).response
                XCTAssertEqual(summary.importCount.imported, 1)
                XCTAssertEqual(summary.conflicts.map(\.errorCode), ["E1105"])
            }
            // Totals and the pivot count each centre in its commune.
            try await app.api(.GET, "/api/v1/data-values/totals?element=DT_TIEP_NHAN&unit=91&period=202609", token: token) { res in
                let totals = try res.json(ReportTotals.Result.self)
                XCTAssertEqual(totals.total, 20)
                XCTAssertEqual(totals.children.map(\.code), [a.code, b.code])
            }
            // Completeness lists the two centres (not the school): one approved, one not sent.
            try await app.api(.GET, "/api/v1/data-sets/BC_TT/completeness?unit=91&from=202609&to=202609", token: token) { res in
                let result = try res.json(ReportCompleteness.Result.self)
                XCTAssertEqual(Set(result.rows.map(\.name)), ["Trung tâm Công tác xã hội A", "Trung tâm Công tác xã hội B"])
                XCTAssertEqual(result.rows.first { $0.name.hasSuffix("A") }?.cells, ["approved"])
                XCTAssertEqual(result.total.approved, 1)
                XCTAssertEqual(result.total.missing, 1, "values imported without a report sent are not a report")
            }
        }
    }
}

/// The rebuild of `data_values` keeps every stored value (an upgrade from the UUID-keyed table).
final class DataValueMigrationTests: XCTestCase {
    func testRebuildKeepsEveryValue() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let (a, b) = (try await app.communes()[0], try await app.communes()[1])
            try await app.api(.POST, "/api/dataValueSets", token: token, json: DHIS2ValueSet(dataValues: [
                DHIS2Value(dataElement: "CTV_TONG", period: "202601", orgUnit: a.code, value: "3"),
                DHIS2Value(dataElement: "CTV_TONG", period: "202601", orgUnit: b.code, value: "4"),
                DHIS2Value(dataElement: "CTV_TAP_HUAN", period: "202601", orgUnit: b.code, categoryOptionCombo: "NU", value: "2"),
            ])) { XCTAssertEqual(try $0.json(ImportMessage.self).response.importCount.imported, 3) }
            try await NumberDataValues().prepare(on: app.db)
            let rows = try await DataValue.query(on: app.db).sort(\.$orgCode).sort(\.$combo).all()
            XCTAssertEqual(rows.map(\.value), ["3", "2", "4"])
            XCTAssertEqual(Set(rows.compactMap(\.id)).count, 3)
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&period=202601", token: token) { res in
                XCTAssertEqual(try res.json(ReportTotals.Result.self).total, 7)
            }
            // The cell stays unique.
            try await app.api(.POST, "/api/dataValues?de=CTV_TONG&pe=202601&ou=\(a.code)&value=5", token: token) { XCTAssertEqual($0.status, .created) }
            let count = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(count, 3)
        }
    }
}
