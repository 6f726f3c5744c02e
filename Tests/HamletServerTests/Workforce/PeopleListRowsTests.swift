import XCTest
import XCTVapor
@testable import HamletServer
@testable import HamletWeb
@testable import HamletWorkforce

/// The API's list reads its page as text rows, not models: every field of every person it lists
/// is the one the person's own page answers, on both engines (ids, enums and flags included).
final class PeopleListRowsTests: XCTestCase {
    func testTheListShowsEveryFieldAsThePersonShows() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            struct Full: Content {
                var fullName: String, sex: String?, birthDate: String?, cccd: String?, phone: String?, ethnicity: String?, homeUnitCode: String
                var educationLevel: String?, qualificationLevel: String?, qualificationField: String?, qualifiedInSocialWork: Bool?, titleCode: String?, notes: String?
            }
            var title = ""
            try await app.api(.GET, "/api/v1/professional-titles", token: token) { res in
                struct Title: Content { var code: String }
                title = try res.json(ListBody<Title>.self).items.first?.code ?? ""
            }
            XCTAssertFalse(title.isEmpty, "the catalogue has titles")
            let bodies = [
                Full(fullName: "Trần Thị Lựu", sex: "female", birthDate: "12/03/1985", cccd: "089185000123", phone: "0912345678", ethnicity: "Khmer",
                     homeUnitCode: "30292", educationLevel: "12/12", qualificationLevel: "dai-hoc", qualificationField: "Công tác xã hội",
                     qualifiedInSocialWork: true, titleCode: title, notes: "Cộng tác viên lâu năm"),
                Full(fullName: "Lê Văn Lựu", sex: nil, birthDate: nil, cccd: nil, phone: nil, ethnicity: nil, homeUnitCode: "30292",
                     educationLevel: nil, qualificationLevel: nil, qualificationField: nil, qualifiedInSocialWork: false, titleCode: nil, notes: nil),
            ]
            for body in bodies {
                try await app.api(.POST, "/api/v1/people", token: token, json: body) { XCTAssertEqual($0.status, .created, $0.body.string) }
            }
            var listed: [PersonDTO] = []
            try await app.api(.GET, "/api/v1/people?q=l%E1%BB%B1u", token: token) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let body = try res.json(ListBody<PersonDTO>.self)
                XCTAssertEqual(body.total, 2)
                listed = body.items
            }
            XCTAssertEqual(listed.map(\.fullName), ["Lê Văn Lựu", "Trần Thị Lựu"], "official order: given name, then family and middle")
            for item in listed {
                try await app.api(.GET, "/api/v1/people/\(item.id!)", token: token) { res in
                    var shown = try res.json(PersonDTO.self)
                    shown.assignments = nil
                    let encoder = JSONEncoder(); encoder.outputFormatting = .sortedKeys
                    XCTAssertEqual(String(decoding: try encoder.encode(item), as: UTF8.self), String(decoding: try encoder.encode(shown), as: UTF8.self))
                }
            }
            XCTAssertEqual(listed.last?.homeUnitName, "Phường Bình Đức")
            XCTAssertEqual(listed.last?.qualifiedInSocialWork, true)
            XCTAssertEqual(listed.first?.qualifiedInSocialWork, false)
        }
    }
}
