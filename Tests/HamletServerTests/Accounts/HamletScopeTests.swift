import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletUnits
@testable import HamletAccounts
@testable import HamletWorkforce
@testable import HamletReporting

/// Issue 22, point 1: an account's scope may be a hamlet. A collaborator enters and sees their
/// own hamlet's reports and people; nothing of the neighbouring hamlet or of the commune around.
final class HamletScopeTests: XCTestCase {
    /// A hamlet's account sees no legacy unit: a plain 404, not a server error on PostgreSQL (an
    /// empty list of legacy paths once reached it as an empty IN).
    func testAHamletAccountSeesNoLegacyUnit() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("qt", role: .admin, scope: "91"))
            var hamlet = ""
            try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: admin, json: JSON(["name": "Ấp Hòa An", "type": "Ấp", "effectiveDate": "01/07/2025"])) {
                hamlet = try $0.json(UnitDTO.self).code
            }
            let ctv = try await app.token(for: try await app.makeUser("ctv", role: .collaborator, scope: hamlet))
            try await app.api(.GET, "/api/v1/units/legacy/883", token: admin) { XCTAssertEqual($0.status, .ok, "Long Xuyên of the time, seen from An Giang") }
            try await app.api(.GET, "/api/v1/units/legacy/883", token: ctv) { XCTAssertEqual($0.status, .notFound) }
        }
    }

    func testAHamletAccountSeesItsHamletAndNothingBeside() async throws {
        try await withApp { app in
            let admin = try await app.token(for: try await app.makeUser("qt", role: .admin, scope: "91"))
            var hamlets: [String] = []
            for name in ["Ấp Hòa An", "Ấp Hòa Bình", "Ấp Đã Giải Thể"] {
                try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: admin, json: JSON(["name": name, "type": "Ấp", "effectiveDate": "01/07/2025"])) {
                    hamlets.append(try $0.json(UnitDTO.self).code)
                }
            }
            let (mine, neighbour, closed) = (hamlets[0], hamlets[1], hamlets[2])
            try await app.api(.POST, "/api/v1/units/2025/\(closed)/close", token: admin, json: JSON(["note": "Sáp nhập", "effectiveDate": "01/09/2025"])) {
                XCTAssertEqual($0.status, .ok, $0.body.string)
            }
            // Accounts: a hamlet scope inside the creator's is taken; a closed hamlet, or one of another province, is not.
            try await app.api(.POST, "/api/v1/users", token: admin, json: UserInput(username: "ctv", password: "Mat-khau-rat-kho-2026", displayName: "Nguyễn Văn Cường",
                                                                                  role: "collaborator", scope: mine)) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                XCTAssertEqual(try res.json(UserDTO.self).scope, mine)
            }
            try await app.api(.POST, "/api/v1/users", token: admin, json: UserInput(username: "ctv2", password: "Mat-khau-rat-kho-2026", displayName: "X",
                                                                                  role: "collaborator", scope: closed)) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "scope")
                XCTAssertTrue(res.body.string.contains("đã giải thể"), res.body.string)
            }
            let thanhHoa = try await app.communes("38")[0].code
            try await app.api(.POST, "/api/v1/units/2025/\(thanhHoa)/hamlets", token: try await app.token(for: try await app.makeUser("th", role: .admin, scope: "38")),
                              json: JSON(["name": "Thôn Một", "type": "Thôn", "effectiveDate": "01/07/2025"])) { res in
                let far = try res.json(UnitDTO.self).code
                try await app.api(.POST, "/api/v1/users", token: admin, json: UserInput(username: "ctv3", password: "Mat-khau-rat-kho-2026", displayName: "X",
                                                                                      role: "collaborator", scope: far)) { XCTAssertEqual($0.errorField, "scope") }
            }
            let stored = try await User.query(on: app.db).filter(\.$username ~~ ["ctv2", "ctv3"]).count()
            XCTAssertEqual(stored, 0)
            // A monthly hamlet form, and one person in each hamlet.
            try await app.api(.POST, "/api/v1/data-elements", token: admin, json: ElementInput(code: "HO_THAM", name: "Số hộ được thăm", valueType: "INTEGER_ZERO_OR_POSITIVE")) { _ in }
            try await app.api(.POST, "/api/v1/data-sets", token: admin, json: DataSetInput(code: "BC_AP", name: "Báo cáo tháng của ấp", periodicity: "monthly",
                                                                                          levels: ["hamlet"], dueDays: 5, elements: [.init(element: "HO_THAM", section: "Chung")])) {
                XCTAssertEqual($0.status, .created, $0.body.string)
            }
            let own = try await app.makePerson(admin, PersonBody(fullName: "Nguyễn Văn Cường", homeUnitCode: mine))
            let other = try await app.makePerson(admin, PersonBody(fullName: "Trần Thị Bình", homeUnitCode: neighbour))
            let ctv = try await app.token(for: try await User.query(on: app.db).filter(\.$username == "ctv").first()!)
            // Its own hamlet: the report is entered, the person seen.
            try await app.api(.PUT, "/api/v1/reports/BC_AP/\(mine)/202611", token: ctv, json: ReportBody(0, [("HO_THAM", nil, "12")], submit: true)) {
                XCTAssertEqual($0.status, .ok, $0.body.string)
            }
            try await app.api(.GET, "/api/v1/people/\(own.id!)", token: ctv) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.GET, "/api/v1/people", token: ctv) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).items.compactMap(\.id), [own.id!])
            }
            // The neighbouring hamlet and the commune around: not found.
            try await app.api(.PUT, "/api/v1/reports/BC_AP/\(neighbour)/202611", token: ctv, json: ReportBody(0, [("HO_THAM", nil, "3")])) {
                XCTAssertEqual($0.status, .notFound)
            }
            try await app.api(.GET, "/api/v1/reports/BC_AP/\(neighbour)/202611", token: ctv) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.GET, "/api/v1/people/\(other.id!)", token: ctv) { XCTAssertEqual($0.status, .notFound) }
            // The commune is seen only as the way up: asked for, it gives the hamlet's people alone.
            try await app.api(.GET, "/api/v1/people?unit=30292", token: ctv) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).items.compactMap(\.id), [own.id!])
            }
            try await app.api(.GET, "/api/v1/data-sets/BC_AP/completeness?unit=30292&from=202611&to=202611", token: ctv) {
                XCTAssertEqual($0.status, .notFound)
            }
            let values = try await DataValue.query(on: app.db).count()
            XCTAssertEqual(values, 1, "only its own hamlet's value")
            // The pages say the same.
            var browser = try await app.login("ctv")
            try await app.page(.GET, "/reports/entry?set=BC_AP&unit=\(mine)&period=202611", as: &browser) { XCTAssertEqual($0.status, .ok) }
            // The entry page refuses the unit by its field (as for any unit outside a scope), showing no form.
            try await app.page(.GET, "/reports/entry?set=BC_AP&unit=\(neighbour)&period=202611", as: &browser) { res in
                XCTAssertTrue([.notFound, .unprocessableEntity].contains(res.status), "\(res.status)")
                XCTAssertFalse(res.body.string.contains("name=\"v:HO_THAM\""))
            }
            try await app.page(.GET, "/people/\(other.id!)", as: &browser) { XCTAssertEqual($0.status, .notFound) }
        }
    }
}
