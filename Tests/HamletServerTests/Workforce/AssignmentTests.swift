import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletWorkforce

/// Posts: several fields of work on one post, allowances against the dated base salary,
/// ending and transferring without overwriting, and scope on every route.
final class AssignmentTests: XCTestCase {
    func testCollaboratorPostsEndAndTransferKeepHistory() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let person = try await app.makePerson(token, PersonBody(fullName: "Võ Thị Lan", birthDate: "01/01/1985", homeUnitCode: "30292"))
            let id = person.id!.uuidString
            try await app.api(.POST, "/api/v1/units/2025/30292/hamlets", token: token, json: JSON(["name": "Khóm 1", "type": "Khóm"])) { _ in }
            var postID = ""
            try await app.api(.POST, "/api/v1/people/\(id)/assignments", token: token,
                              json: PostBody(unitCode: "30292-001", domains: ["population", "family", "children"], positionTitle: "Cộng tác viên dân số",
                                             employmentKind: "cong-tac-vien", startDate: "01/01/2020", allowanceMultiple: 0.5, concurrent: true)) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let post = try res.json(AssignmentDTO.self)
                XCTAssertEqual(Set(post.domains), ["population", "family", "children"])
                XCTAssertEqual(post.allowanceToday, 1_170_000, "0.5 × 2,340,000")
                XCTAssertTrue(post.active)
                postID = post.id!.uuidString
            }
            // The same post again while it is active: refused.
            try await app.api(.POST, "/api/v1/people/\(id)/assignments", token: token,
                              json: PostBody(unitCode: "30292-001", domains: ["children", "population", "family"], positionTitle: "CTV",
                                             employmentKind: "cong-tac-vien", startDate: "01/06/2021")) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "unitCode")
            }
            let refusals: [(PostBody, String)] = [
                (PostBody(unitCode: "30292", domains: [], positionTitle: "X", employmentKind: "nhan-vien", startDate: "01/01/2021"), "domains"),
                (PostBody(unitCode: "30292", domains: ["magic"], positionTitle: "X", employmentKind: "nhan-vien", startDate: "01/01/2021"), "domains"),
                (PostBody(unitCode: "30292", domains: ["family"], positionTitle: "X", employmentKind: "boss", startDate: "01/01/2021"), "employmentKind"),
                (PostBody(unitCode: "30292", domains: ["family"], positionTitle: "X", employmentKind: "nhan-vien", startDate: "01/01/2021", endDate: "01/01/2020"), "endDate"),
                (PostBody(unitCode: "30292", domains: ["family"], positionTitle: "X", employmentKind: "nhan-vien", startDate: "01/01/1980"), "startDate"),
                (PostBody(unitCode: "00004", domains: ["family"], positionTitle: "X", employmentKind: "nhan-vien", startDate: "01/01/2021"), "unitCode"),
                (PostBody(unitCode: "30292", domains: ["family"], positionTitle: "X", employmentKind: "nhan-vien", startDate: "01/01/2021", allowanceMultiple: 1, allowanceAmount: 5), "allowanceMultiple"),
            ]
            for (body, field) in refusals {
                try await app.api(.POST, "/api/v1/people/\(id)/assignments", token: token, json: body) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, "\(field)")
                    XCTAssertEqual(res.errorField, field)
                }
            }
            // Transfer to the commune office from 01/07/2025: the hamlet post ends on 30/06/2025.
            try await app.api(.POST, "/api/v1/assignments/\(postID)/transfer", token: token,
                              json: PostBody(unitCode: "30292", domains: ["population"], positionTitle: "Viên chức dân số", employmentKind: "vien-chuc",
                                             startDate: "01/07/2025", allowanceAmount: 500_000)) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            try await app.api(.GET, "/api/v1/people/\(id)", token: token) { res in
                let posts = try res.json(PersonDTO.self).assignments ?? []
                XCTAssertEqual(posts.count, 2)
                XCTAssertEqual(posts[0].unitCode, "30292")
                XCTAssertTrue(posts[0].active)
                XCTAssertEqual(posts[1].endDate, "2025-06-30")
                XCTAssertEqual(posts[1].endReason, "transferred")
                XCTAssertFalse(posts[1].active)
            }
            try await app.api(.POST, "/api/v1/assignments/\(postID)/end", token: token, json: JSON(["endDate": "01/08/2025", "endReason": "resigned"])) { res in
                XCTAssertEqual(res.status, .conflict, "already ended")
            }
            let current = try await Assignment.query(on: app.db).filter(\.$endDate == nil).first()!
            try await app.api(.POST, "/api/v1/assignments/\(current.requireID())/end", token: token, json: JSON(["endDate": "01/01/2025", "endReason": "resigned"])) { res in
                XCTAssertEqual(res.errorField, "endDate", "before it started")
            }
            try await app.api(.POST, "/api/v1/assignments/\(current.requireID())/end", token: token, json: JSON(["endDate": "31/10/2026", "endReason": "retired"])) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(try res.json(AssignmentDTO.self).endReason, "retired")
            }
            // Active on a date, by field of work.
            try await app.api(.GET, "/api/v1/people?domain=children&activeOn=2024-01-01", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).total, 1)
            }
            try await app.api(.GET, "/api/v1/people?domain=children&activeOn=2025-08-01", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).total, 0)
            }
            try await app.api(.GET, "/api/v1/people?kind=vien-chuc&activeOn=2025-08-01", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).total, 1)
            }
            let audits = try await AuditEntry.query(on: app.db).filter(\.$entity == "assignment").count()
            XCTAssertEqual(audits, 4)
        }
    }

    func testScopeOnPeopleAndPosts() async throws {
        try await withApp { app in
            let province = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let mine = try await app.makePerson(province, PersonBody(fullName: "Lý Văn Tâm", homeUnitCode: "30292"))
            let theirs = try await app.makePerson(province, PersonBody(fullName: "Mai Thị Thu", homeUnitCode: "30313"))
            let commune = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30292"))
            try await app.api(.GET, "/api/v1/people", token: commune) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).items.map(\.fullName), ["Lý Văn Tâm"])
            }
            for path in ["/api/v1/people/\(theirs.id!)", "/api/v1/people/\(theirs.id!)/assignments"] {
                try await app.api(.GET, path, token: commune) { XCTAssertEqual($0.status, .notFound, path) }
            }
            try await app.api(.PATCH, "/api/v1/people/\(theirs.id!)", token: commune, json: JSON(["notes": "x"])) { XCTAssertEqual($0.status, .notFound) }
            // A post in my commune brings a person from elsewhere into view; a post elsewhere is not mine to end.
            var elsewhere = ""
            try await app.api(.POST, "/api/v1/people/\(theirs.id!)/assignments", token: province,
                              json: PostBody(unitCode: "30313", domains: ["family"], positionTitle: "CTV", employmentKind: "cong-tac-vien", startDate: "01/01/2024")) { res in
                elsewhere = try res.json(AssignmentDTO.self).id!.uuidString
            }
            try await app.api(.POST, "/api/v1/people/\(theirs.id!)/assignments", token: province,
                              json: PostBody(unitCode: "30292", domains: ["family"], positionTitle: "CTV", employmentKind: "cong-tac-vien", startDate: "01/01/2024")) { _ in }
            try await app.api(.GET, "/api/v1/people/\(theirs.id!)", token: commune) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.POST, "/api/v1/assignments/\(elsewhere)/end", token: commune, json: JSON(["endDate": "01/02/2024", "endReason": "resigned"])) {
                XCTAssertEqual($0.status, .notFound)
            }
            try await app.api(.POST, "/api/v1/people/\(mine.id!)/assignments", token: commune,
                              json: PostBody(unitCode: "30313", domains: ["family"], positionTitle: "CTV", employmentKind: "cong-tac-vien", startDate: "01/01/2024")) {
                XCTAssertEqual($0.errorField, "unitCode", "cannot place someone outside my commune")
            }
            let viewer = try await app.token(for: try await app.makeUser("ld", role: .viewer, scope: "91"))
            try await app.api(.POST, "/api/v1/people", token: viewer, json: PersonBody(fullName: "Hồ Văn Bé", homeUnitCode: "30292")) {
                XCTAssertEqual($0.status, .forbidden)
            }
        }
    }

    func testPagesAddPersonConfirmDuplicateAndPosts() async throws {
        try await withApp { app in
            try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            var browser = try await app.login("cv")
            try await app.page(.POST, "/people", as: &browser, form: ["fullName": "Hoa", "homeUnitCode": "30292"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertContains(res.body.string, #"data-field="fullName""#)
            }
            let form = ["fullName": "Châu Thị Mỹ", "birthDate": "05/05/1992", "homeUnitCode": "30292", "qualificationLevel": "dai-hoc", "qualifiedInSocialWork": "on"]
            try await app.page(.POST, "/people", as: &browser, form: form) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.POST, "/people", as: &browser, form: form) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertContains(res.body.string, "Tôi đã kiểm tra")
            }
            var confirmed = form; confirmed["confirmDuplicate"] = "on"
            try await app.page(.POST, "/people", as: &browser, form: confirmed) { XCTAssertEqual($0.status, .seeOther) }
            let person = try await Person.query(on: app.db).first()!
            XCTAssertTrue(person.qualifiedInSocialWork)
            try await app.page(.GET, "/people?q=chau%20thi", as: &browser) { res in
                XCTAssertContains(res.body.string, "Châu Thị Mỹ")
                XCTAssertContains(res.body.string, "(2)")
            }
            try await app.test(.POST, "/people/\(person.requireID())/assignments", beforeRequest: { [browser] req in
                req.headers.replaceOrAdd(name: .cookie, value: browser.cookieHeader)
                req.headers.contentType = .urlEncodedForm
                req.body = ByteBuffer(string: "_csrf=\(browser.csrf)&unitCode=30292&domains[]=social-work&domains[]=children&positionTitle=C%C3%B4ng%20ch%E1%BB%A9c%20v%C4%83n%20h%C3%B3a&employmentKind=cong-chuc&fullTime=on&startDate=01%2F03%2F2024&allowanceMultiple=1%2C0")
            }, afterResponse: { res async in XCTAssertEqual(res.status, .seeOther, res.body.string) })
            try await app.page(.GET, "/people/\(person.requireID())", as: &browser) { res in
                XCTAssertContains(res.body.string, "01/03/2024 – nay")
                XCTAssertContains(res.body.string, "Công tác xã hội, Trẻ em")
                XCTAssertContains(res.body.string, "2.340.000 đ")
                XCTAssertContains(res.body.string, "01/03/2024")
            }
            let post = try await Assignment.query(on: app.db).first()!
            try await app.page(.POST, "/assignments/\(post.requireID())/end", as: &browser, form: ["endDate": "sai", "endReason": "resigned"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertContains(res.body.string, #"data-field="endDate""#)
            }
            try await app.page(.POST, "/assignments/\(post.requireID())/end", as: &browser, form: ["endDate": "31/12/2024", "endReason": "resigned"]) {
                XCTAssertEqual($0.status, .seeOther)
            }
            try await app.page(.GET, "/people/\(person.requireID())", as: &browser) { res in
                XCTAssertContains(res.body.string, "31/12/2024 (Nghỉ việc)")
            }
        }
    }
}
