import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits
@testable import HamletReporting

extension Application {
    /// The test catalogue: collaborators in total and trained (split by sex), a note, and a
    /// monthly commune form with the rule "trained ≤ total".
    func makeReportingCatalogue(_ token: String) async throws {
        try await api(.POST, "/api/v1/data-categories", token: token,
                      json: CategoryInput(code: "GIOI_TINH", name: "Giới tính", options: [.init(code: "NAM", name: "Nam"), .init(code: "NU", name: "Nữ")])) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
        }
        for e in [ElementInput(code: "CTV_TONG", name: "Tổng số cộng tác viên", valueType: "INTEGER"),
                  ElementInput(code: "CTV_TAP_HUAN", name: "Số cộng tác viên được tập huấn", valueType: "INTEGER", categories: ["GIOI_TINH"]),
                  ElementInput(code: "GHI_CHU", name: "Ghi chú", valueType: "TEXT")] {
            try await api(.POST, "/api/v1/data-elements", token: token, json: e) { res in XCTAssertEqual(res.status, .created, res.body.string) }
        }
        let form = DataSetInput(code: "BC_THANG_XA", name: "Báo cáo tháng của xã", periodicity: "monthly", levels: ["commune"], dueDays: 5,
                                elements: [.init(element: "CTV_TONG", section: "Cộng tác viên"), .init(element: "CTV_TAP_HUAN", section: "Cộng tác viên"),
                                           .init(element: "GHI_CHU", section: "Khác")],
                                rules: [ValidationRule(kind: .compare, left: "CTV_TAP_HUAN", op: .lessOrEqual, right: "CTV_TONG"),
                                        ValidationRule(kind: .range, left: "CTV_TONG", min: 0, max: 500)])
        try await api(.POST, "/api/v1/data-sets", token: token, json: form) { res in XCTAssertEqual(res.status, .created, res.body.string) }
    }

    /// A legacy commune of a province and the 2025 commune that took its data (its default successor).
    func legacyCommune(in province: String = "91") async throws -> (UnitSuccession, AdminUnit) {
        let communes = try await AdminUnit.query(on: db).filter(\.$structure == "2025").filter(\.$parentCode == province).all().map(\.code)
        let line = try await UnitSuccession.query(on: db).filter(\.$fromStructure == "legacy").filter(\.$isDefault == true)
            .filter(\.$toCode ~~ communes).sort(\.$fromCode).first()!
        return (line, try await AdminUnit.query(on: db).filter(\.$structure == "2025").filter(\.$code == line.toCode).first()!)
    }

    /// Two communes of An Giang.
    func communes(_ province: String = "91") async throws -> [AdminUnit] {
        try await AdminUnit.query(on: db).filter(\.$structure == "2025").filter(\.$parentCode == province).sort(\.$code).limit(2).all()
    }
}

struct ReportBody: Content {
    var version: Int?; var clientId: String? = nil; var values: [ReportInput.Value]; var submit: Bool? = nil
    init(_ version: Int?, _ values: [(String, String?, String)], submit: Bool = false, clientId: String? = nil) {
        self.version = version; self.clientId = clientId; self.submit = submit
        self.values = values.map { ReportInput.Value(dataElement: $0.0, categoryOptionCombo: $0.1, value: $0.2) }
    }
}

/// Report forms, data entry, approval and locking through the API.
final class ReportingTests: XCTestCase {
    func testBadCatalogueInputIsRefusedByField() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            let bad: [(ElementInput, String)] = [
                (ElementInput(code: "X Y", name: "Tên"), "code"),
                (ElementInput(code: "X1", name: "Tên", valueType: "DATE"), "valueType"),
                (ElementInput(code: "X2", name: "Tên", aggregation: "MEDIAN"), "aggregation"),
                (ElementInput(code: "X3", name: "Tên", categories: ["TUOI"]), "categories"),
                (ElementInput(code: "CTV_TONG", name: "Trùng mã"), "code"),
            ]
            for (body, field) in bad {
                try await app.api(.POST, "/api/v1/data-elements", token: token, json: body) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, field); XCTAssertEqual(res.errorField, field)
                }
            }
            let badSets: [(DataSetInput, String)] = [
                (DataSetInput(code: "S1", name: "Biểu", periodicity: "weekly", levels: ["commune"], elements: [.init(element: "CTV_TONG")]), "periodicity"),
                (DataSetInput(code: "S2", name: "Biểu", periodicity: "monthly", levels: ["district"], elements: [.init(element: "CTV_TONG")]), "levels"),
                (DataSetInput(code: "S3", name: "Biểu", periodicity: "monthly", levels: ["commune"], elements: [.init(element: "KHONG_CO")]), "elements"),
                (DataSetInput(code: "S4", name: "Biểu", periodicity: "monthly", levels: ["commune"], dueDay: 30, dueMonth: 11, elements: [.init(element: "CTV_TONG")]), "dueDay"),
                (DataSetInput(code: "S5", name: "Biểu", periodicity: "monthly", levels: ["commune"], elements: [.init(element: "CTV_TONG")],
                              rules: [ValidationRule(kind: .compare, left: "CTV_TONG", op: .less, right: "GHI_CHU_KHAC")]), "rules[0].right"),
            ]
            for (body, field) in badSets {
                try await app.api(.POST, "/api/v1/data-sets", token: token, json: body) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, field); XCTAssertEqual(res.errorField, field)
                }
            }
            let sets = try await DataSet.query(on: app.db).count(), elements = try await DataElement.query(on: app.db).count()
            XCTAssertEqual(sets, 1); XCTAssertEqual(elements, 3)
            let viewer = try await app.token(for: try await app.makeUser("xem", role: .viewer, scope: "91"))
            try await app.api(.POST, "/api/v1/data-elements", token: viewer, json: ElementInput(code: "Y", name: "Y")) { res in XCTAssertEqual(res.status, .forbidden) }
            try await app.api(.GET, "/api/v1/data-sets/BC_THANG_XA", token: viewer) { res in
                let set = try res.json(DataSetDTO.self)
                XCTAssertEqual(set.elements.map(\.element), ["CTV_TONG", "CTV_TAP_HUAN", "GHI_CHU"])
                XCTAssertEqual(set.rules.first?.text, "“Số cộng tác viên được tập huấn” phải không lớn hơn “Tổng số cộng tác viên”.")
                XCTAssertEqual(set.dueLabel, "5 ngày sau khi hết kỳ")
            }
        }
    }

    func testEntrySubmitApproveLockAndUnlock() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(admin)
            let commune = try await app.communes()[0]
            let clerk = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: commune.code))
            let url = "/api/v1/reports/BC_THANG_XA/\(commune.code)/202609"
            try await app.api(.GET, url, token: clerk) { res in
                let r = try res.json(ReportDTO.self)
                XCTAssertEqual(r.status, "none"); XCTAssertEqual(r.version, 0); XCTAssertEqual(r.dueDate, "2026-10-05")
                XCTAssertEqual(res.headers.first(name: .cacheControl), "no-store")
            }
            // A bad value: refused by field, nothing stored.
            try await app.api(.PUT, url, token: clerk, json: ReportBody(0, [("CTV_TONG", nil, "mười"), ("CTV_TAP_HUAN", "NAM", "3")])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "CTV_TONG")
                XCTAssertEqual(res.errorMessage, "Tổng số cộng tác viên: Phải là số nguyên, ví dụ 12 hoặc 1.234.")
            }
            try await app.api(.PUT, url, token: clerk, json: ReportBody(0, [("CTV_TONG", nil, "900")])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity, "a range rule blocks even a draft"); XCTAssertEqual(res.errorField, "CTV_TONG")
            }
            var stored = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(stored, 0)
            // A draft with a broken comparison is kept, with the warning; submitting it is refused.
            try await app.api(.PUT, url, token: clerk, json: ReportBody(0, [("CTV_TONG", nil, "10"), ("CTV_TAP_HUAN", "NAM", "7"), ("CTV_TAP_HUAN", "NU", "5")])) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let r = try res.json(ReportDTO.self)
                XCTAssertEqual(r.status, "draft"); XCTAssertEqual(r.version, 1); XCTAssertEqual(r.values.count, 3)
                XCTAssertEqual(r.warnings.map(\.field), ["CTV_TAP_HUAN"])
            }
            try await app.api(.PUT, url, token: clerk, json: ReportBody(1, [], submit: true)) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "CTV_TAP_HUAN")
            }
            try await app.api(.PUT, url, token: clerk, json: ReportBody(1, [("CTV_TAP_HUAN", "NU", "3"), ("GHI_CHU", nil, "Đủ")], submit: true)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let r = try res.json(ReportDTO.self)
                XCTAssertEqual(r.status, "submitted"); XCTAssertEqual(r.version, 2); XCTAssertEqual(r.timeliness, "late")
            }
            // The commune cannot approve itself; the province can.
            try await app.api(.POST, url + "/approve", token: clerk) { res in XCTAssertEqual(res.status, .forbidden) }
            try await app.api(.POST, url + "/return", token: admin, json: JSON([:])) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "comment")
            }
            try await app.api(.POST, url + "/approve", token: admin) { res in
                XCTAssertEqual(res.status, .ok, res.body.string); XCTAssertEqual(try res.json(ReportDTO.self).locked, true)
            }
            try await app.api(.PUT, url, token: clerk, json: ReportBody(3, [("GHI_CHU", nil, "Sửa")])) { res in
                XCTAssertEqual(res.status, .conflict); XCTAssertEqual(res.errorField, "status")
            }
            try await app.api(.POST, url + "/unlock", token: admin) { res in XCTAssertEqual(try res.json(ReportDTO.self).status, "submitted") }
            try await app.api(.PUT, url, token: clerk, json: ReportBody(4, [("GHI_CHU", nil, "Sửa")])) { res in XCTAssertEqual(res.status, .ok, res.body.string) }
            try await app.api(.POST, url + "/return", token: admin, json: JSON(["comment": "Kiểm tra lại số nữ"])) { res in
                let r = try res.json(ReportDTO.self)
                XCTAssertEqual(r.status, "returned"); XCTAssertEqual(r.comment, "Kiểm tra lại số nữ")
            }
            stored = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(stored, 4)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$entity == "report").sort(\.$at).all().map(\.action)
            XCTAssertEqual(audit, ["update", "submit", "approve", "unlock", "update", "return"])
            let change = try await AuditEntry.query(on: app.db).filter(\.$entity == "report").filter(\.$action == "update").sort(\.$at).all().last
            XCTAssertEqual(change?.changes, #"{"GHI_CHU":["Đủ","Sửa"]}"#)
        }
    }

    func testWrongPlacesAndPeriodsAreRefused() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(admin)
            let commune = try await app.communes()[0]
            let other = try await app.communes("01")[0]
            try await app.api(.GET, "/api/v1/reports/BC_THANG_XA/\(other.code)/202609", token: admin) { res in XCTAssertEqual(res.status, .notFound) }
            try await app.api(.GET, "/api/v1/reports/BC_THANG_XA/91/202609", token: admin) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "orgUnit")
            }
            for (period, why) in [("2026Q3", "not monthly"), ("209901", "future"), ("2026-09", "malformed")] {
                try await app.api(.GET, "/api/v1/reports/BC_THANG_XA/\(commune.code)/\(period)", token: admin) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, why); XCTAssertEqual(res.errorField, "period", why)
                }
            }
            let neighbour = try await app.token(for: try await app.makeUser("xa2", role: .communeOfficer, scope: try await app.communes()[1].code))
            try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(commune.code)/202609", token: neighbour, json: ReportBody(0, [("CTV_TONG", nil, "1")])) { res in
                XCTAssertEqual(res.status, .notFound)
            }
        }
    }

    func testStaleSavesAndClientIds() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(admin)
            let commune = try await app.communes()[0]
            let url = "/api/v1/reports/BC_THANG_XA/\(commune.code)/202610"
            let a = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: commune.code))
            try await app.api(.PUT, url, token: a, json: ReportBody(0, [("CTV_TONG", nil, "10")])) { res in XCTAssertEqual(res.status, .ok) }
            try await app.api(.PUT, url, token: admin, json: ReportBody(1, [("CTV_TONG", nil, "12")])) { res in XCTAssertEqual(res.status, .ok) }
            // The first editor still holds version 1: refused, and told what is stored now.
            try await app.api(.PUT, url, token: a, json: ReportBody(1, [("CTV_TONG", nil, "11")])) { res in
                XCTAssertEqual(res.status, .conflict)
                struct Stale: Decodable { var current: ReportDTO }
                let current = try res.json(Stale.self).current
                XCTAssertEqual(current.version, 2); XCTAssertEqual(current.values.first?.value, "12")
                XCTAssertEqual(res.errorField, "version")
            }
            // A retry with the same client id changes nothing; the same id with other content is refused.
            let body = ReportBody(2, [("CTV_TONG", nil, "13")], clientId: "may-1-0001")
            for _ in 0..<2 {
                try await app.api(.PUT, url, token: a, json: body) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string); XCTAssertEqual(try res.json(ReportDTO.self).version, 3)
                }
            }
            try await app.api(.PUT, url, token: a, json: ReportBody(3, [("CTV_TONG", nil, "14")], clientId: "may-1-0001")) { res in
                XCTAssertEqual(res.status, .conflict); XCTAssertEqual(res.errorField, "clientId")
            }
            // Twenty identical submissions at once: one result.
            let twenty = ReportBody(3, [("CTV_TONG", nil, "15"), ("CTV_TAP_HUAN", "NAM", "2")], submit: true, clientId: "may-1-0002")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await app.api(.PUT, url, token: a, json: twenty) { res in
                            XCTAssertEqual(res.status, .ok, res.body.string)
                            XCTAssertEqual(try res.json(ReportDTO.self).version, 4)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let report = try await Report.query(on: app.db).first()
            XCTAssertEqual(report?.version, 4); XCTAssertEqual(report?.status, "submitted")
            let submissions = try await ClientSubmission.query(on: app.db).count()
            XCTAssertEqual(submissions, 2)
        }
    }
}

extension ReportingTests {
    /// Finding 12: an identical retry of a new report's first save sometimes got 409 ("client id
    /// already used"): the retry had read the report before the first try made it.
    func testIdenticalRetriesOfANewReportAllReplay() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(admin)
            let commune = try await app.communes()[0]
            let a = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: commune.code))
            for month in 1...6 {
                let url = "/api/v1/reports/BC_THANG_XA/\(commune.code)/20260\(month)"
                let body = ReportBody(0, [("CTV_TONG", nil, "1\(month)")], clientId: "may-2-\(month)")
                let statuses = try await withThrowingTaskGroup(of: (HTTPStatus, Int?).self) { group in
                    for _ in 0..<12 {
                        group.addTask {
                            var out: (HTTPStatus, Int?) = (.ok, nil)
                            try await app.api(.PUT, url, token: a, json: body) { res in out = (res.status, try? res.json(ReportDTO.self).version) }
                            return out
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                XCTAssertEqual(statuses.map(\.0), Array(repeating: .ok, count: 12), "month \(month)")
                XCTAssertEqual(Set(statuses.map(\.1)), [1], "one save, the others replayed it")
            }
            let reports = try await Report.query(on: app.db).count()
            XCTAssertEqual(reports, 6)
        }
    }
}

/// Totals computed live from the stored values, checked against sums by hand.
final class ReportTotalsTests: XCTestCase {
    func testMonthsRollUpAndCommunesAddUpToTheProvince() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(admin)
            let (a, b) = (try await app.communes()[0], try await app.communes()[1])
            // Commune a: 10, 12, 14 in Jul–Sep and 20 in Oct; commune b: 5 in Aug. Trained by sex in Aug only.
            let entries: [(AdminUnit, String, [(String, String?, String)])] = [
                (a, "202607", [("CTV_TONG", nil, "10")]), (a, "202608", [("CTV_TONG", nil, "12"), ("CTV_TAP_HUAN", "NAM", "4"), ("CTV_TAP_HUAN", "NU", "6")]),
                (a, "202609", [("CTV_TONG", nil, "14")]), (a, "202610", [("CTV_TONG", nil, "20")]),
                (b, "202608", [("CTV_TONG", nil, "5"), ("CTV_TAP_HUAN", "NU", "1")]),
            ]
            for (unit, period, values) in entries {
                try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(unit.code)/\(period)", token: admin, json: ReportBody(0, values)) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string)
                }
            }
            func total(_ query: String) async throws -> ReportTotals.Result {
                var result: ReportTotals.Result?
                try await app.api(.GET, "/api/v1/data-values/totals?" + query, token: admin) { res in
                    XCTAssertEqual(res.status, .ok, res.body.string); result = try res.json(ReportTotals.Result.self)
                }
                return result!
            }
            let q3 = try await total("element=CTV_TONG&unit=91&period=2026Q3")
            XCTAssertEqual(q3.total, 41, "10 + 12 + 14 + 5")
            XCTAssertEqual(q3.children.map(\.code), [a.code, b.code])
            XCTAssertEqual(q3.children.map(\.value), [36, 5])
            let year = try await total("element=CTV_TONG&unit=\(a.code)&period=2026")
            XCTAssertEqual(year.total, 56)
            let halves = try await total("element=CTV_TONG&unit=91&from=2026S2&to=2026S2")
            XCTAssertEqual(halves.total, 61)
            let women = try await total("element=CTV_TAP_HUAN&unit=91&period=2026&combo=NU")
            XCTAssertEqual(women.total, 7)
            let trained = try await total("element=CTV_TAP_HUAN&unit=91&period=2026")
            XCTAssertEqual(trained.total, 11)
            // A value saved is in the very next total.
            try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(b.code)/202609", token: admin, json: ReportBody(0, [("CTV_TONG", nil, "7")])) { _ in }
            let after = try await total("element=CTV_TONG&unit=91&period=2026Q3")
            XCTAssertEqual(after.total, 48)
            // "Last value" takes each commune's latest month; "average" the mean of the values.
            try await app.api(.PATCH, "/api/v1/data-elements/CTV_TONG", token: admin, json: ElementInput(aggregation: "LAST")) { res in XCTAssertEqual(res.status, .ok) }
            let last = try await total("element=CTV_TONG&unit=91&period=2026Q3")
            XCTAssertEqual(last.total, 21, "14 (a, Sep) + 7 (b, Sep)")
            try await app.api(.PATCH, "/api/v1/data-elements/CTV_TONG", token: admin, json: ElementInput(aggregation: "AVERAGE")) { _ in }
            let mean = try await total("element=CTV_TONG&unit=91&period=2026Q3")
            XCTAssertEqual(mean.total, 48.0 / 5)
            // Nothing outside the account's subtree.
            let clerk = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: b.code))
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&unit=91&period=2026", token: clerk) { res in XCTAssertEqual(res.status, .notFound) }
            try await app.api(.GET, "/api/v1/data-values/totals?element=CTV_TONG&period=2026", token: clerk) { res in
                XCTAssertEqual(try res.json(ReportTotals.Result.self).total, 12.0 / 2, "its own commune: 5 and 7")
            }
        }
    }
}
