import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits

/// The shipped GSO lists load whole, read both ways across the 2025 reform, and search ignores accents.
final class UnitCatalogueTests: XCTestCase {
    func testBothStructuresLoadWithOfficialCounts() async throws {
        try await withApp { app in
            func count(_ structure: String, _ level: UnitLevel) async throws -> Int {
                try await AdminUnit.query(on: app.db).filter(\.$structure == structure).filter(\.$level == level).count()
            }
            let p25 = try await count("2025", .province), c25 = try await count("2025", .commune)
            XCTAssertEqual(p25, 34)
            XCTAssertEqual(c25, 3321)
            let pl = try await count("legacy", .province), dl = try await count("legacy", .district), cl = try await count("legacy", .commune)
            XCTAssertEqual(pl, 63)
            XCTAssertEqual(dl, 696)
            XCTAssertEqual(cl, 10035)
            let lines = try await UnitSuccession.query(on: app.db).count()
            XCTAssertEqual(lines, 10597)
            let defaults = try await UnitSuccession.query(on: app.db).filter(\.$isDefault == true).count()
            XCTAssertEqual(defaults, 10035, "every legacy commune has exactly one default successor")
        }
    }

    func testAPIListsByStructureAndLevel() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("admin1"))
            try await app.api(.GET, "/api/v1/units?structure=2025&level=province&per=100", token: token) { res in
                XCTAssertEqual(res.status, .ok)
                let body = try res.json(ListBody<UnitDTO>.self)
                XCTAssertEqual(body.total, 34)
                XCTAssertTrue(body.items.contains { $0.code == "91" && $0.name == "Tỉnh An Giang" && $0.childCount == 102 })
            }
            try await app.api(.GET, "/api/v1/units?structure=legacy&level=district&per=1", token: token) { res in
                let body = try res.json(ListBody<UnitDTO>.self)
                XCTAssertEqual(body.total, 696)
                XCTAssertEqual(body.items.count, 1, "a page holds `per` items, not one more")
            }
            try await app.api(.GET, "/api/v1/units?structure=legacy&level=commune&parent=001&per=500", token: token) { res in
                let items = try res.json(ListBody<UnitDTO>.self).items
                XCTAssertFalse(items.isEmpty)
                XCTAssertTrue(items.allSatisfy { $0.parentCode == "001" && $0.level == "commune" })
            }
            try await app.api(.GET, "/api/v1/units?structure=1990", token: token) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "structure")
            }
        }
    }

    func testSearchIgnoresDiacriticsAndUnicodeForm() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("admin1"))
            for q in ["binh duc", "BÌNH ĐỨC", "Bình Đức".decomposedStringWithCanonicalMapping] {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                try await app.api(.GET, "/api/v1/units?structure=2025&q=\(encoded)", token: token) { res in
                    let items = try res.json(ListBody<UnitDTO>.self).items
                    XCTAssertTrue(items.contains { $0.code == "30292" && $0.name == "Phường Bình Đức" }, "query \(q)")
                }
            }
            // đ folds to d: "dong thap" finds Đồng Tháp.
            try await app.api(.GET, "/api/v1/units?structure=2025&level=province&q=dong%20thap", token: token) { res in
                XCTAssertTrue(try res.json(ListBody<UnitDTO>.self).items.contains { $0.name.contains("Đồng Tháp") })
            }
        }
    }

    func testSuccessionReadsBothWays() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("admin1"))
            // Legacy commune 00007 went in part into 00008 (its default) — from the shipped table.
            let lines = try await UnitSuccession.query(on: app.db).filter(\.$fromCode == "00007").all()
            XCTAssertFalse(lines.isEmpty)
            try await app.api(.GET, "/api/v1/units/legacy/00007", token: token) { res in
                XCTAssertEqual(res.status, .ok)
                let detail = try res.json(UnitDetailDTO.self)
                XCTAssertEqual(Set(detail.successors?.map(\.code) ?? []), Set(lines.map(\.toCode)))
                XCTAssertEqual(detail.successors?.first?.isDefault, true)
                XCTAssertEqual(detail.successors?.first?.code, "00008")
                XCTAssertEqual(detail.path.map(\.level), ["province", "district"])
            }
            try await app.api(.GET, "/api/v1/units/2025/00008", token: token) { res in
                let detail = try res.json(UnitDetailDTO.self)
                let fromTable = try await UnitSuccession.query(on: app.db).filter(\.$toCode == "00008").all().map(\.fromCode)
                XCTAssertEqual(Set(detail.predecessors?.map(\.code) ?? []), Set(fromTable))
                XCTAssertTrue(detail.predecessors?.contains { $0.code == "00007" && $0.kind == "part" } ?? false)
                XCTAssertEqual(detail.path.map(\.code), ["01"])
            }
        }
    }

    func testUnitBrowserPages() async throws {
        try await withApp { app in
            try await app.makeUser("admin1")
            var browser = try await app.login("admin1")
            try await app.page(.GET, "/units", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertContains(res.body.string, "Tỉnh An Giang")
                XCTAssertContains(res.body.string, "102 Xã/phường/đặc khu")
            }
            try await app.page(.GET, "/units?q=binh%20duc", as: &browser) { res in
                XCTAssertContains(res.body.string, "Phường Bình Đức")
            }
            try await app.page(.GET, "/units/2025/91/children", as: &browser) { res in
                XCTAssertContains(res.body.string, "Phường Bình Đức")
            }
            try await app.page(.GET, "/units/legacy/00007", as: &browser) { res in
                XCTAssertContains(res.body.string, "Sau sắp xếp 2025")
            }
            try await app.page(.GET, "/units/2025/99999", as: &browser) { res in
                XCTAssertEqual(res.status, .notFound)
            }
        }
    }
}
