import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletOrganisations

/// An account sees its unit's subtree and nothing else: everything outside is 404, on pages
/// and in the API, for every route family.
final class ScopeTests: XCTestCase {
    let mine = "30292"       // Phường Bình Đức, An Giang
    let neighbour = "30313"  // Xã Mỹ Hòa Hưng, same province

    func testUnitsAndHamletsOutsideScopeAre404() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("admin1"))
            for commune in [mine, neighbour] {
                try await app.api(.POST, "/api/v1/units/2025/\(commune)/hamlets", token: admin, json: JSON(["name": "Khóm 1", "type": "Khóm"])) {
                    XCTAssertEqual($0.status, .created)
                }
            }
            let token = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: mine))
            for path in ["/api/v1/units/2025/\(neighbour)", "/api/v1/units/2025/01", "/api/v1/units/2025/\(neighbour)-001",
                         "/api/v1/units/2025/\(neighbour)/hamlets", "/api/v1/units/legacy/00001"] {
                try await app.api(.GET, path, token: token) { XCTAssertEqual($0.status, .notFound, path) }
            }
            try await app.api(.GET, "/api/v1/units/2025/91", token: token) { XCTAssertEqual($0.status, .ok, "the way up is visible") }
            try await app.api(.GET, "/api/v1/units/2025/\(mine)-001", token: token) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.GET, "/api/v1/units?structure=2025&level=province", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<UnitDTO>.self).items.map(\.code), ["91"])
            }
            try await app.api(.GET, "/api/v1/units?structure=2025&parent=91&per=500", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<UnitDTO>.self).items.map(\.code), [mine])
            }
            // Legacy units: only those that went into my commune.
            let sources = try await UnitSuccession.query(on: app.db).filter(\.$toCode == mine).all().map(\.fromCode)
            XCTAssertFalse(sources.isEmpty)
            try await app.api(.GET, "/api/v1/units/legacy/\(sources[0])", token: token) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.GET, "/api/v1/units?structure=legacy&level=commune&per=500", token: token) { res in
                let codes = try res.json(ListBody<UnitDTO>.self).items.map(\.code)
                XCTAssertEqual(Set(codes), Set(sources))
            }
            // Writes outside: 404, nothing stored.
            try await app.api(.POST, "/api/v1/units/2025/\(neighbour)/hamlets", token: token, json: JSON(["name": "Ấp 2", "type": "Ấp"])) {
                XCTAssertEqual($0.status, .notFound)
            }
            try await app.api(.PATCH, "/api/v1/units/2025/\(neighbour)-001", token: token, json: JSON(["name": "Đổi"])) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.POST, "/api/v1/units/2025/\(neighbour)-001/close", token: token, json: JSON([:])) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.POST, "/api/v1/units/2025/\(mine)-001/merge", token: token, json: JSON(["into": "\(neighbour)-001"])) {
                XCTAssertEqual($0.status, .unprocessableEntity)
            }
            let count = try await AdminUnit.query(on: app.db).filter(\.$parentCode == neighbour).count()
            XCTAssertEqual(count, 1)
            // Pages too.
            var browser = try await app.login("xa")
            for path in ["/units/2025/\(neighbour)", "/units/2025/\(neighbour)/children", "/units/2025/01"] {
                try await app.page(.GET, path, as: &browser) { XCTAssertEqual($0.status, .notFound, path) }
            }
            try await app.page(.POST, "/units/2025/\(neighbour)/hamlets", as: &browser, form: ["name": "Ấp 3", "type": "Ấp"]) {
                XCTAssertEqual($0.status, .notFound)
            }
            try await app.page(.GET, "/units", as: &browser) { res in
                XCTAssertContains(res.body.string, "Tỉnh An Giang")
                XCTAssertFalse(res.body.string.contains("Thành phố Hà Nội"))
            }
        }
    }

    func testAgenciesAndFacilitiesOutsideScopeAre404() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("admin1"))
            var hanoiID = "", mineID = ""
            try await app.api(.POST, "/api/v1/agencies", token: admin, json: JSON(["name": "UBND thành phố Hà Nội", "typeCode": "ubnd", "unitCode": "01"])) {
                hanoiID = try $0.json(OrganisationDTO.self).id!.uuidString
            }
            try await app.api(.POST, "/api/v1/agencies", token: admin, json: JSON(["name": "UBND phường Bình Đức", "typeCode": "ubnd", "unitCode": mine])) {
                mineID = try $0.json(OrganisationDTO.self).id!.uuidString
            }
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.api(.GET, "/api/v1/agencies", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<OrganisationDTO>.self).items.map(\.name), ["UBND phường Bình Đức"])
            }
            try await app.api(.GET, "/api/v1/agencies/\(hanoiID)", token: token) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.PATCH, "/api/v1/agencies/\(hanoiID)", token: token, json: JSON(["name": "X"])) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/facilities/\(hanoiID)", token: token) { XCTAssertEqual($0.status, .notFound, "an agency is not a facility") }
            try await app.api(.GET, "/api/v1/agencies/\(mineID)", token: token) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.GET, "/api/v1/agencies?unit=01", token: token) { XCTAssertEqual($0.status, .notFound) }
            var browser = try await app.login("cv")
            try await app.page(.GET, "/agencies/\(hanoiID)", as: &browser) { XCTAssertEqual($0.status, .notFound) }
            try await app.page(.POST, "/agencies/\(hanoiID)", as: &browser, form: ["name": "X"]) { XCTAssertEqual($0.status, .notFound) }
            try await app.page(.GET, "/agencies", as: &browser) { res in
                XCTAssertFalse(res.body.string.contains("Hà Nội"))
            }
        }
    }

    func testViewersReadButCannotWrite() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("ld", role: .viewer, scope: "91"))
            try await app.api(.GET, "/api/v1/units/2025/\(mine)", token: token) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.POST, "/api/v1/units/2025/\(mine)/hamlets", token: token, json: JSON(["name": "Khóm 1", "type": "Khóm"])) {
                XCTAssertEqual($0.status, .forbidden)
            }
            try await app.api(.POST, "/api/v1/agencies", token: token, json: JSON(["name": "X", "typeCode": "ubnd", "unitCode": "91"])) {
                XCTAssertEqual($0.status, .forbidden)
            }
        }
    }
}
