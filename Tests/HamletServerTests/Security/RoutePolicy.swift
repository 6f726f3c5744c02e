import HamletKit
@testable import HamletServer
@testable import HamletWorkforce
@testable import HamletWeb

/// Who may use each route of the application, and a request that names something of An Giang's.
/// `AuthorizationTests` walks the app's own route table against this list: a route missing here
/// fails the suite, and every route is tried anonymously, by a role it does not allow and from
/// another province.
struct RoutePolicy {
    enum Who { case anyone, signedIn, roles(Set<Role>), circle }
    var who: Who
    /// The path to call, `{name}` standing for a fixture of An Giang's (`AuthorizationFixture`).
    var sample: String
    /// Whether an account of an allowed role in Thanh Hóa must be refused the sample.
    var scoped: Bool
    /// Fields a request needs to name its An Giang record (a form's hidden id, a case number).
    var body: [String: String] = [:]
    /// A page that answers a refusal next to its field (422, a message that tells nothing).
    var refusedOnThePage = false

    static let all: Set<Role> = Set(Role.allCases)
    static let editors: Set<Role> = [.admin, .provinceOfficer, .communeOfficer]
    static let keepers: Set<Role> = [.admin, .provinceOfficer]
    static let admins: Set<Role> = [.admin]
    static let reporters: Set<Role> = [.admin, .provinceOfficer, .communeOfficer, .collaborator]
    static let caseStaff: Set<Role> = [.caseworker]
    /// Those who decide on a plan report: the lead department's officers and the Committee's leaders.
    static let deciders: Set<Role> = [.admin, .provinceOfficer, .leader]

    static func open(_ sample: String) -> RoutePolicy { .init(who: .anyone, sample: sample, scoped: false) }
    static func any(_ sample: String, scoped: Bool = false) -> RoutePolicy { .init(who: .signedIn, sample: sample, scoped: scoped) }
    static func only(_ roles: Set<Role>, _ sample: String, scoped: Bool = false) -> RoutePolicy { .init(who: .roles(roles), sample: sample, scoped: scoped) }
    static func circle(_ sample: String) -> RoutePolicy { .init(who: .circle, sample: sample, scoped: true) }
    func with(_ body: [String: String], refusedOnThePage: Bool = false) -> RoutePolicy {
        var p = self; p.body = body; p.refusedOnThePage = refusedOnThePage; return p
    }

    static let table: [String: RoutePolicy] = [
        // Sign-in, language, the document
        "GET /login": open("/login"), "POST /login": open("/login"), "POST /logout": open("/logout"), "POST /language": open("/language"),
        "GET /manifest.webmanifest": open("/manifest.webmanifest"), "GET /offline": open("/offline"),
        "POST /api/v1/auth/token": open("/api/v1/auth/token"), "GET /api/v1/openapi.json": open("/api/v1/openapi.json"),
        "GET /": any("/"), "GET /me": any("/me"), "POST /me/password": any("/me/password"), "POST /me/tokens": any("/me/tokens"), "POST /me/reminders": any("/me/reminders"),
        "POST /me/tokens/:id/revoke": any("/me/tokens/{token}/revoke", scoped: true),
        "GET /api/v1/me": any("/api/v1/me"), "GET /api/v1/me/work": any("/api/v1/me/work"), "GET /api/me": any("/api/me"), "GET /api/system/info": any("/api/system/info"),
        // Accounts and the audit log
        "GET /users": only(admins, "/users"), "POST /users": only(admins, "/users"), "GET /users/new": only(admins, "/users/new"),
        "GET /users/:id": only(admins, "/users/{user}", scoped: true), "POST /users/:id": only(admins, "/users/{user}", scoped: true),
        "POST /users/:id/disable": only(admins, "/users/{user}/disable", scoped: true), "POST /users/:id/enable": only(admins, "/users/{user}/enable", scoped: true),
        "GET /api/v1/users": only(admins, "/api/v1/users"), "POST /api/v1/users": only(admins, "/api/v1/users"),
        "GET /api/v1/users/:id": only(admins, "/api/v1/users/{user}", scoped: true), "PATCH /api/v1/users/:id": only(admins, "/api/v1/users/{user}", scoped: true),
        "GET /audit": only(admins, "/audit"), "GET /api/v1/audit": only(admins, "/api/v1/audit"), "GET /api/v1/audit/verify": only(admins, "/api/v1/audit/verify", scoped: true),
        // Units and hamlets
        "GET /units": any("/units"), "GET /units/:structure/:code": any("/units/2025/{commune}", scoped: true),
        "GET /units/:structure/:code/children": any("/units/2025/{commune}/children", scoped: true),
        "GET /units/suggest": any("/units/suggest?q=binh"), "GET /api/v1/units/suggest": any("/api/v1/units/suggest?q=binh"),
        "GET /units/import": only(editors, "/units/import"), "POST /units/import": only(editors, "/units/import"),
        "POST /units/2025/:code/hamlets": only(editors, "/units/2025/{commune}/hamlets", scoped: true),
        "POST /units/2025/:code/rename": only(editors, "/units/2025/{hamlet}/rename", scoped: true),
        "POST /units/2025/:code/close": only(editors, "/units/2025/{hamlet}/close", scoped: true),
        "POST /units/2025/:code/merge": only(editors, "/units/2025/{hamlet}/merge", scoped: true),
        "GET /api/v1/units": any("/api/v1/units"), "GET /api/v1/units/:structure/:code": any("/api/v1/units/2025/{commune}", scoped: true),
        "GET /api/v1/units/:structure/:code/hamlets": any("/api/v1/units/2025/{commune}/hamlets", scoped: true),
        "POST /api/v1/units/:structure/:code/hamlets": only(editors, "/api/v1/units/2025/{commune}/hamlets", scoped: true),
        "PATCH /api/v1/units/:structure/:code": only(editors, "/api/v1/units/2025/{hamlet}", scoped: true),
        "POST /api/v1/units/:structure/:code/close": only(editors, "/api/v1/units/2025/{hamlet}/close", scoped: true),
        "POST /api/v1/units/:structure/:code/merge": only(editors, "/api/v1/units/2025/{hamlet}/merge", scoped: true),
        "POST /api/v1/hamlets/import": only(editors, "/api/v1/hamlets/import"),
        // Agencies, facilities and their catalogues
        "GET /agencies": any("/agencies"), "POST /agencies": only(editors, "/agencies"), "GET /agencies/new": only(editors, "/agencies/new"),
        "GET /agencies/:id": any("/agencies/{agency}", scoped: true), "POST /agencies/:id": only(editors, "/agencies/{agency}", scoped: true),
        "GET /facilities": any("/facilities"), "POST /facilities": only(editors, "/facilities"), "GET /facilities/new": only(editors, "/facilities/new"),
        "GET /facilities/:id": any("/facilities/{facility}", scoped: true), "POST /facilities/:id": only(editors, "/facilities/{facility}", scoped: true),
        "GET /api/v1/agencies": any("/api/v1/agencies"), "POST /api/v1/agencies": only(editors, "/api/v1/agencies"),
        "GET /api/v1/agencies/:id": any("/api/v1/agencies/{agency}", scoped: true), "PATCH /api/v1/agencies/:id": only(editors, "/api/v1/agencies/{agency}", scoped: true),
        "GET /api/v1/facilities": any("/api/v1/facilities"), "POST /api/v1/facilities": only(editors, "/api/v1/facilities"),
        "GET /api/v1/facilities/:id": any("/api/v1/facilities/{facility}", scoped: true), "PATCH /api/v1/facilities/:id": only(editors, "/api/v1/facilities/{facility}", scoped: true),
        "GET /catalogues": any("/catalogues"), "POST /catalogues/:kind": only(keepers, "/catalogues/agency"),
        "POST /catalogues/:kind/:id": only(keepers, "/catalogues/agency/{agencyType}"), "POST /catalogues/titles": only(keepers, "/catalogues/titles"),
        "POST /catalogues/titles/:code/edit": only(keepers, "/catalogues/titles/{title}/edit"),
        "GET /api/v1/agency-types": any("/api/v1/agency-types"), "POST /api/v1/agency-types": only(keepers, "/api/v1/agency-types"),
        "PATCH /api/v1/agency-types/:id": only(keepers, "/api/v1/agency-types/{agencyType}"),
        "GET /api/v1/facility-types": any("/api/v1/facility-types"), "POST /api/v1/facility-types": only(keepers, "/api/v1/facility-types"),
        "PATCH /api/v1/facility-types/:id": only(keepers, "/api/v1/facility-types/{facilityType}"),
        "GET /api/v1/professional-titles": any("/api/v1/professional-titles"), "POST /api/v1/professional-titles": only(keepers, "/api/v1/professional-titles"),
        "PATCH /api/v1/professional-titles/:code": only(keepers, "/api/v1/professional-titles/{title}"),
        // The workforce register
        "GET /people": any("/people?unit={commune}", scoped: true), "POST /people": only(editors, "/people"), "GET /people/new": only(editors, "/people/new"),
        "GET /people/:id": any("/people/{person}", scoped: true), "POST /people/:id": only(editors, "/people/{person}", scoped: true),
        "GET /people/:id/edit": only(editors, "/people/{person}/edit", scoped: true),
        "POST /people/:id/assignments": only(editors, "/people/{person}/assignments", scoped: true),
        "POST /assignments/:id/end": only(editors, "/assignments/{post}/end", scoped: true),
        "POST /assignments/:id/legacy-unit": only(editors, "/assignments/{post}/legacy-unit", scoped: true),
        "POST /assignments/:id/transfer": only(editors, "/assignments/{post}/transfer", scoped: true),
        "GET /people/export": any("/people/export?unit={commune}&format=csv", scoped: true),
        "GET /people/import": only(editors, "/people/import"), "POST /people/import": only(editors, "/people/import"),
        "GET /coverage": any("/coverage?rule=\(CoverageRule.presets[0].id)&unit={commune}", scoped: true), "GET /turnover": any("/turnover?unit={commune}", scoped: true),
        "GET /api/v1/people": any("/api/v1/people?unit={commune}", scoped: true), "POST /api/v1/people": only(editors, "/api/v1/people"),
        "GET /api/v1/people/:id": any("/api/v1/people/{person}", scoped: true), "PATCH /api/v1/people/:id": only(editors, "/api/v1/people/{person}", scoped: true),
        "GET /api/v1/people/:id/assignments": any("/api/v1/people/{person}/assignments", scoped: true),
        "POST /api/v1/people/:id/assignments": only(editors, "/api/v1/people/{person}/assignments", scoped: true),
        "GET /api/v1/people/:id/training": any("/api/v1/people/{person}/training", scoped: true),
        "GET /api/v1/people/export": any("/api/v1/people/export?unit={commune}&format=csv", scoped: true),
        "POST /api/v1/people/import": only(editors, "/api/v1/people/import"),
        "POST /api/v1/assignments/:id/end": only(editors, "/api/v1/assignments/{post}/end", scoped: true),
        "PUT /api/v1/assignments/:id/legacy-unit": only(editors, "/api/v1/assignments/{post}/legacy-unit", scoped: true),
        "POST /api/v1/assignments/:id/transfer": only(editors, "/api/v1/assignments/{post}/transfer", scoped: true),
        "GET /api/v1/coverage": any("/api/v1/coverage?unit={commune}&level=hamlet&min=1", scoped: true),
        "GET /api/v1/turnover": any("/api/v1/turnover?unit={commune}", scoped: true),
        "GET /api/v1/base-salaries": any("/api/v1/base-salaries"),
        // Training
        "GET /training": any("/training"), "GET /training/courses": any("/training/courses"), "POST /training/courses": only(keepers, "/training/courses"),
        "GET /training/courses/:id": any("/training/courses/{course}"), "POST /training/courses/:id": only(keepers, "/training/courses/{course}"),
        "POST /training/classes": only(editors, "/training/classes"), "GET /training/classes/new": only(editors, "/training/classes/new"),
        "GET /training/classes/:id": any("/training/classes/{class}", scoped: true), "POST /training/classes/:id": only(editors, "/training/classes/{class}", scoped: true),
        "GET /training/classes/:id/edit": only(editors, "/training/classes/{class}/edit", scoped: true),
        "POST /training/classes/:id/enrol": only(editors, "/training/classes/{class}/enrol", scoped: true),
        "POST /training/classes/:id/enrol-all": only(editors, "/training/classes/{class}/enrol-all", scoped: true),
        "POST /training/classes/:id/results": only(editors, "/training/classes/{class}/results", scoped: true),
        "GET /training/classes/:id/roster": any("/training/classes/{class}/roster?format=csv", scoped: true),
        "POST /training/classes/:id/roster": only(editors, "/training/classes/{class}/roster", scoped: true),
        "GET /training/certificates/:id": any("/training/certificates/{participation}", scoped: true),
        "POST /training/certificate-series": only(editors, "/training/certificate-series"),
        "GET /training/figures": any("/training/figures?unit={commune}", scoped: true),
        "GET /training/figures/export": any("/training/figures/export?unit={commune}&format=csv", scoped: true),
        "GET /training/needs": any("/training/needs?unit={commune}", scoped: true), "POST /training/needs": only(editors, "/training/needs"),
        "GET /api/v1/courses": any("/api/v1/courses"), "POST /api/v1/courses": only(keepers, "/api/v1/courses"),
        "GET /api/v1/courses/:id": any("/api/v1/courses/{course}"), "PATCH /api/v1/courses/:id": only(keepers, "/api/v1/courses/{course}"),
        "GET /api/v1/classes": any("/api/v1/classes"), "POST /api/v1/classes": only(editors, "/api/v1/classes"),
        "GET /api/v1/classes/:id": any("/api/v1/classes/{class}", scoped: true), "PATCH /api/v1/classes/:id": only(editors, "/api/v1/classes/{class}", scoped: true),
        "GET /api/v1/classes/:id/participants": any("/api/v1/classes/{class}/participants", scoped: true),
        "POST /api/v1/classes/:id/participants": only(editors, "/api/v1/classes/{class}/participants", scoped: true),
        "POST /api/v1/classes/:id/participants/bulk": only(editors, "/api/v1/classes/{class}/participants/bulk", scoped: true),
        "DELETE /api/v1/classes/:id/participants/:person": only(editors, "/api/v1/classes/{class}/participants/{person}", scoped: true),
        "POST /api/v1/classes/:id/results": only(editors, "/api/v1/classes/{class}/results", scoped: true),
        "GET /api/v1/classes/:id/roster": any("/api/v1/classes/{class}/roster?format=csv", scoped: true),
        "POST /api/v1/classes/:id/roster": only(editors, "/api/v1/classes/{class}/roster", scoped: true),
        "PUT /api/v1/certificate-series/:organiser": only(editors, "/api/v1/certificate-series/{agency}", scoped: true),
        "GET /api/v1/training-needs": any("/api/v1/training-needs"),
        "POST /api/v1/training-needs": only(editors, "/api/v1/training-needs"),
        "GET /api/v1/training-needs/summary": any("/api/v1/training-needs/summary?unit={commune}", scoped: true),
        "GET /api/v1/training/figures/share": any("/api/v1/training/figures/share?unit={commune}", scoped: true),
        "GET /api/v1/training/figures/years": any("/api/v1/training/figures/years?unit={commune}", scoped: true),
        // Indicators and plans
        "GET /indicators": any("/indicators"), "POST /indicators": only(keepers, "/indicators"),
        "GET /indicators/:id": any("/indicators/{indicator}?unit={commune}", scoped: true),
        "POST /indicators/:id": only(keepers, "/indicators/{indicator}", scoped: true), "GET /indicators/:id/edit": only(keepers, "/indicators/{indicator}/edit", scoped: true),
        "GET /api/v1/indicators": any("/api/v1/indicators"), "POST /api/v1/indicators": only(keepers, "/api/v1/indicators"),
        "GET /api/v1/indicators/:id": any("/api/v1/indicators/{indicator}"),
        "PATCH /api/v1/indicators/:id": only(keepers, "/api/v1/indicators/{indicator}", scoped: true),
        "GET /api/v1/indicators/:id/values": any("/api/v1/indicators/{indicator}/values?unit={commune}", scoped: true),
        "GET /plans": any("/plans"), "POST /plans": only(editors, "/plans"), "GET /plans/new": only(editors, "/plans/new"),
        "GET /plans/:id": any("/plans/{plan}", scoped: true), "POST /plans/:id": only(editors, "/plans/{plan}", scoped: true),
        "GET /plans/:id/edit": only(editors, "/plans/{plan}/edit", scoped: true), "GET /plans/:id/export": any("/plans/{plan}/export?format=csv", scoped: true),
        "GET /plans/:id/report": any("/plans/{plan}/report", scoped: true),
        "POST /plans/:id/objectives": only(editors, "/plans/{plan}/objectives", scoped: true),
        "POST /plans/:id/objectives/:part/delete": only(editors, "/plans/{plan}/objectives/{objective}/delete", scoped: true),
        "POST /plans/:id/tasks": only(editors, "/plans/{plan}/tasks", scoped: true),
        "POST /plans/:id/tasks/:part/delete": only(editors, "/plans/{plan}/tasks/{task}/delete", scoped: true),
        "POST /plans/:id/progress": only(editors, "/plans/{plan}/progress", scoped: true),
        "POST /plans/:id/targets": only(editors, "/plans/{plan}/targets", scoped: true),
        "POST /plans/:id/targets/:part/delete": only(editors, "/plans/{plan}/targets/{target}/delete", scoped: true),
        "POST /plans/:id/budget-lines": only(editors, "/plans/{plan}/budget-lines", scoped: true),
        "POST /plans/:id/budget-lines/:part/delete": only(editors, "/plans/{plan}/budget-lines/{budget}/delete", scoped: true),
        "GET /api/v1/plans": any("/api/v1/plans"), "POST /api/v1/plans": only(editors, "/api/v1/plans"),
        "GET /api/v1/plans/:id": any("/api/v1/plans/{plan}", scoped: true), "PATCH /api/v1/plans/:id": only(editors, "/api/v1/plans/{plan}", scoped: true),
        "GET /api/v1/plans/:id/dashboard": any("/api/v1/plans/{plan}/dashboard", scoped: true),
        // Running the plan: duties, the tracker, submissions
        "GET /plans/:id/duties": any("/plans/{plan}/duties", scoped: true), "POST /plans/:id/duties": only(editors, "/plans/{plan}/duties", scoped: true),
        "POST /plans/:id/duties/:duty/delete": only(editors, "/plans/{plan}/duties/{duty}/delete", scoped: true),
        "GET /plans/:id/duties/:duty/:period/:body": any("/plans/{plan}/duties/{duty}/2022/{commune}", scoped: true),
        "POST /plans/:id/duties/:duty/:period/:body": only(editors, "/plans/{plan}/duties/{duty}/2022/{commune}", scoped: true),
        "POST /plans/:id/duties/:duty/:period/:body/decide": only(deciders, "/plans/{plan}/duties/{duty}/2022/{commune}/decide", scoped: true),
        "GET /api/v1/plans/:id/duties": any("/api/v1/plans/{plan}/duties", scoped: true),
        "POST /api/v1/plans/:id/duties": only(editors, "/api/v1/plans/{plan}/duties", scoped: true),
        "DELETE /api/v1/plans/:id/duties/:duty": only(editors, "/api/v1/plans/{plan}/duties/{duty}", scoped: true),
        "GET /api/v1/plans/:id/tracker": any("/api/v1/plans/{plan}/tracker", scoped: true),
        "POST /api/v1/plans/:id/duties/:duty/submissions/:period/:body/attachments":
            only(editors, "/api/v1/plans/{plan}/duties/{duty}/submissions/2022/{commune}/attachments", scoped: true),
        "GET /api/v1/plans/:id/duties/:duty/submissions/:period/:body/attachments/:file":
            any("/api/v1/plans/{plan}/duties/{duty}/submissions/2022/{commune}/attachments/0F8C7D1E-0000-4000-8000-000000000001", scoped: true),
        "DELETE /api/v1/plans/:id/duties/:duty/submissions/:period/:body/attachments/:file":
            only(editors, "/api/v1/plans/{plan}/duties/{duty}/submissions/2022/{commune}/attachments/0F8C7D1E-0000-4000-8000-000000000001", scoped: true),
        "POST /plans/:id/duties/:duty/:period/:body/attachments": only(editors, "/plans/{plan}/duties/{duty}/2022/{commune}/attachments", scoped: true),
        "GET /plans/:id/duties/:duty/:period/:body/attachments/:file":
            any("/plans/{plan}/duties/{duty}/2022/{commune}/attachments/0F8C7D1E-0000-4000-8000-000000000001", scoped: true),
        "POST /plans/:id/duties/:duty/:period/:body/attachments/:file/delete":
            only(editors, "/plans/{plan}/duties/{duty}/2022/{commune}/attachments/0F8C7D1E-0000-4000-8000-000000000001/delete", scoped: true),
        // A plan's activities: held in the account's subtree; a unit outside it is refused beside its field.
        "GET /api/v1/plans/:id/activities": any("/api/v1/plans/{plan}/activities", scoped: true),
        "POST /api/v1/plans/:id/activities": only(editors, "/api/v1/plans/{plan}/activities", scoped: true)
            .with(["kind": "event", "title": "Ngày Công tác xã hội", "heldOn": "25/03/2022", "unitCode": "{commune}"], refusedOnThePage: true),
        "GET /api/v1/plans/:id/activities/:activity": any("/api/v1/plans/{plan}/activities/{activity}", scoped: true),
        "PUT /api/v1/plans/:id/activities/:activity": only(editors, "/api/v1/plans/{plan}/activities/{activity}", scoped: true)
            .with(["kind": "event", "title": "Ngày Công tác xã hội", "heldOn": "25/03/2022", "unitCode": "{commune}"]),
        "DELETE /api/v1/plans/:id/activities/:activity": only(editors, "/api/v1/plans/{plan}/activities/{activity}", scoped: true),
        "POST /api/v1/plans/:id/activities/:activity/follow-ups/:followUp/close":
            only(editors, "/api/v1/plans/{plan}/activities/{activity}/follow-ups/{followUp}/close", scoped: true).with(["closedOn": "01/04/2022", "note": "Đã làm"]),
        "GET /plans/:id/activities": any("/plans/{plan}/activities", scoped: true),
        "POST /api/v1/plans/:id/activities/:activity/attachments": only(editors, "/api/v1/plans/{plan}/activities/{activity}/attachments", scoped: true),
        "GET /api/v1/plans/:id/activities/:activity/attachments/:file":
            any("/api/v1/plans/{plan}/activities/{activity}/attachments/0F8C7D1E-0000-4000-8000-000000000001", scoped: true),
        "DELETE /api/v1/plans/:id/activities/:activity/attachments/:file":
            only(editors, "/api/v1/plans/{plan}/activities/{activity}/attachments/0F8C7D1E-0000-4000-8000-000000000001", scoped: true),
        "POST /plans/:id/activities/:activity/attachments": only(editors, "/plans/{plan}/activities/{activity}/attachments", scoped: true),
        "GET /plans/:id/activities/:activity/attachments/:file": any("/plans/{plan}/activities/{activity}/attachments/0F8C7D1E-0000-4000-8000-000000000001", scoped: true),
        "POST /plans/:id/activities/:activity/attachments/:file/delete":
            only(editors, "/plans/{plan}/activities/{activity}/attachments/0F8C7D1E-0000-4000-8000-000000000001/delete", scoped: true),
        "POST /plans/:id/activities": only(editors, "/plans/{plan}/activities", scoped: true)
            .with(["kind": "event", "title": "Ngày Công tác xã hội", "heldOn": "25/03/2022", "unitCode": "{commune}"], refusedOnThePage: true),
        "GET /plans/:id/activities/:activity": any("/plans/{plan}/activities/{activity}", scoped: true),
        "POST /plans/:id/activities/:activity": only(editors, "/plans/{plan}/activities/{activity}", scoped: true)
            .with(["kind": "event", "title": "Ngày Công tác xã hội", "heldOn": "25/03/2022", "unitCode": "{commune}"]),
        "POST /plans/:id/activities/:activity/delete": only(editors, "/plans/{plan}/activities/{activity}/delete", scoped: true),
        "POST /plans/:id/activities/:activity/people": only(editors, "/plans/{plan}/activities/{activity}/people", scoped: true),
        "POST /plans/:id/activities/:activity/follow-ups": only(editors, "/plans/{plan}/activities/{activity}/follow-ups", scoped: true)
            .with(["text": "Bổ sung sổ", "dueOn": "30/06/2022"]),
        "POST /plans/:id/activities/:activity/follow-ups/:followUp/close":
            only(editors, "/plans/{plan}/activities/{activity}/follow-ups/{followUp}/close", scoped: true).with(["closedOn": "01/04/2022", "note": "Đã làm"]),
        "GET /api/v1/plans/:id/boards": any("/api/v1/plans/{plan}/boards", scoped: true),
        "POST /api/v1/plans/:id/boards": only(editors, "/api/v1/plans/{plan}/boards", scoped: true)
            .with(["name": "Ban Chỉ đạo", "unitCode": "{commune}"], refusedOnThePage: true),
        "GET /api/v1/plans/:id/boards/:board": any("/api/v1/plans/{plan}/boards/{board}", scoped: true),
        "POST /api/v1/plans/:id/boards/:board/members": only(editors, "/api/v1/plans/{plan}/boards/{board}/members", scoped: true)
            .with(["personId": "{person}", "role": "member", "fromOn": "01/01/2023"]),
        "POST /api/v1/plans/:id/boards/:board/members/:member/end": only(editors, "/api/v1/plans/{plan}/boards/{board}/members/{member}/end", scoped: true)
            .with(["toOn": "01/01/2024"]),
        "GET /plans/:id/boards": any("/plans/{plan}/boards", scoped: true),
        "POST /plans/:id/boards": only(editors, "/plans/{plan}/boards", scoped: true).with(["name": "Ban Chỉ đạo", "unitCode": "{commune}"], refusedOnThePage: true),
        "GET /plans/:id/boards/:board": any("/plans/{plan}/boards/{board}", scoped: true),
        "POST /plans/:id/boards/:board/members": only(editors, "/plans/{plan}/boards/{board}/members", scoped: true)
            .with(["personId": "{person}", "role": "member", "fromOn": "01/01/2023"]),
        "POST /plans/:id/boards/:board/members/:member/end": only(editors, "/plans/{plan}/boards/{board}/members/{member}/end", scoped: true)
            .with(["toOn": "01/01/2024"]),
        "GET /api/v1/tracker": any("/api/v1/tracker"), "GET /plans/tracker": any("/plans/tracker"),
        "GET /api/v1/plans/:id/report-text": any("/api/v1/plans/{plan}/report-text?year=2022", scoped: true),
        "PUT /api/v1/plans/:id/report-text": only(editors, "/api/v1/plans/{plan}/report-text?year=2022", scoped: true).with(["results": "Đã làm", "version": "0"]),
        "GET /plans/:id/report-text": any("/plans/{plan}/report-text?year=2022", scoped: true),
        "POST /plans/:id/report-text": only(editors, "/plans/{plan}/report-text?year=2022", scoped: true).with(["results": "Đã làm", "version": "0"]),
        "POST /plans/:id/report-text/reset": only(editors, "/plans/{plan}/report-text/reset?year=2022", scoped: true),
        "GET /api/v1/reports/:set/approvals": any("/api/v1/reports/BC_THANG_XA/approvals?period=202601"),
        "POST /api/v1/reports/:set/approvals/:unit/:period": only(keepers, "/api/v1/reports/BC_THANG_XA/approvals/{commune}/202601", scoped: true),
        "DELETE /api/v1/reports/:set/approvals/:unit/:period": only(keepers, "/api/v1/reports/BC_THANG_XA/approvals/{commune}/202601", scoped: true),
        "GET /api/v1/reports/:set/approvals/legacy": any("/api/v1/reports/BC_THANG_XA/approvals/legacy?period=202412"),
        "POST /api/v1/reports/:set/approvals/legacy/:code/:period": only(keepers, "/api/v1/reports/BC_THANG_XA/approvals/legacy/883/202412", scoped: true),
        "DELETE /api/v1/reports/:set/approvals/legacy/:code/:period": only(keepers, "/api/v1/reports/BC_THANG_XA/approvals/legacy/883/202412", scoped: true),
        "GET /reports/approvals": any("/reports/approvals"),
        "POST /reports/approvals": only(keepers, "/reports/approvals", scoped: true).with(["set": "BC_THANG_XA", "unit": "{commune}", "period": "202601", "action": "approve"]),
        // Population figures: a unit named outside the account is refused beside its field.
        "GET /api/v1/population": any("/api/v1/population?unit={commune}", scoped: true), "GET /api/v1/population/groups": any("/api/v1/population/groups"),
        "POST /api/v1/population": only(editors, "/api/v1/population", scoped: true)
            .with(["unitCode": "{commune}", "year": "2025", "group": "tre-mo-coi", "value": "3", "source": "Rà soát"], refusedOnThePage: true),
        "DELETE /api/v1/population/:figure": only(editors, "/api/v1/population/{population}", scoped: true),
        "POST /api/v1/population/import": only(editors, "/api/v1/population/import"),
        "GET /population": any("/population?unit={commune}", scoped: true), "GET /population/export": any("/population/export?unit={commune}", scoped: true),
        "POST /population": only(editors, "/population", scoped: true)
            .with(["unitCode": "{commune}", "year": "2025", "group": "tre-mo-coi", "value": "3", "source": "Rà soát"], refusedOnThePage: true),
        "POST /population/:figure/delete": only(editors, "/population/{population}/delete", scoped: true),
        "POST /population/import": only(editors, "/population/import"),
        "GET /api/v1/plans/:id/hierarchy": any("/api/v1/plans/{plan}/hierarchy", scoped: true),
        "PUT /api/v1/plans/:id/parent": only(editors, "/api/v1/plans/{plan}/parent", scoped: true),
        "POST /api/v1/plans/:id/targets/inherit": only(editors, "/api/v1/plans/{plan}/targets/inherit", scoped: true),
        "POST /plans/:id/parent": only(editors, "/plans/{plan}/parent", scoped: true), "POST /plans/:id/inherit": only(editors, "/plans/{plan}/inherit", scoped: true),
        "GET /api/v1/plans/:id/duties/:duty/submissions/:period/:body": any("/api/v1/plans/{plan}/duties/{duty}/submissions/2022/{commune}", scoped: true),
        "PUT /api/v1/plans/:id/duties/:duty/submissions/:period/:body": only(editors, "/api/v1/plans/{plan}/duties/{duty}/submissions/2022/{commune}", scoped: true),
        "POST /api/v1/plans/:id/duties/:duty/submissions/:period/:body/accept": only(keepers, "/api/v1/plans/{plan}/duties/{duty}/submissions/2022/{commune}/accept", scoped: true),
        "POST /api/v1/plans/:id/duties/:duty/submissions/:period/:body/return": only(deciders, "/api/v1/plans/{plan}/duties/{duty}/submissions/2022/{commune}/return", scoped: true),
        "POST /api/v1/plans/:id/duties/:duty/submissions/:period/:body/unaccept": only(keepers, "/api/v1/plans/{plan}/duties/{duty}/submissions/2022/{commune}/unaccept", scoped: true),
        "POST /api/v1/plans/:id/duties/:duty/submissions/:period/:body/approve": only([.leader], "/api/v1/plans/{plan}/duties/{duty}/submissions/2022/{commune}/approve", scoped: true),
        "POST /api/v1/plans/:id/duties/:duty/submissions/:period/:body/unapprove": only([.leader], "/api/v1/plans/{plan}/duties/{duty}/submissions/2022/{commune}/unapprove", scoped: true),
        "GET /api/v1/plans/:id/report": any("/api/v1/plans/{plan}/report", scoped: true),
        "POST /api/v1/plans/:id/objectives": only(editors, "/api/v1/plans/{plan}/objectives", scoped: true),
        "DELETE /api/v1/plans/:id/objectives/:part": only(editors, "/api/v1/plans/{plan}/objectives/{objective}", scoped: true),
        "POST /api/v1/plans/:id/tasks": only(editors, "/api/v1/plans/{plan}/tasks", scoped: true),
        "DELETE /api/v1/plans/:id/tasks/:part": only(editors, "/api/v1/plans/{plan}/tasks/{task}", scoped: true),
        "POST /api/v1/plans/:id/tasks/:task/progress": only(editors, "/api/v1/plans/{plan}/tasks/{task}/progress", scoped: true),
        "POST /api/v1/plans/:id/targets": only(editors, "/api/v1/plans/{plan}/targets", scoped: true),
        "DELETE /api/v1/plans/:id/targets/:part": only(editors, "/api/v1/plans/{plan}/targets/{target}", scoped: true),
        "POST /api/v1/plans/:id/budget-lines": only(editors, "/api/v1/plans/{plan}/budget-lines", scoped: true),
        "DELETE /api/v1/plans/:id/budget-lines/:part": only(editors, "/api/v1/plans/{plan}/budget-lines/{budget}", scoped: true),
        // Reporting: the catalogue, reports, totals
        "GET /reports": any("/reports"), "GET /reports/catalogue": any("/reports/catalogue"),
        "POST /reports/catalogue/:kind": only(keepers, "/reports/catalogue/forms"),
        "GET /reports/catalogue/:kind/new": only(keepers, "/reports/catalogue/forms/new"),
        "GET /reports/catalogue/:kind/:code": any("/reports/catalogue/forms/BC_THANG_XA"),
        "POST /reports/catalogue/:kind/:code": only(keepers, "/reports/catalogue/forms/BC_THANG_XA", scoped: true),
        "GET /reports/entry": only(reporters, "/reports/entry?form=BC_THANG_XA&unit={commune}&period=202601", scoped: true),
        "POST /reports/entry": only(reporters, "/reports/entry?form=BC_THANG_XA&unit={commune}&period=202601", scoped: true),
        "POST /reports/decide": only(editors, "/reports/decide?form=BC_THANG_XA&unit={commune}&period=202601", scoped: true),
        "POST /reports/approve-many": only(editors, "/reports/approve-many"),
        "GET /reports/completeness": any("/reports/completeness?form=BC_THANG_XA&unit={commune}", scoped: true),
        "GET /reports/pivot": any("/reports/pivot?form=BC_THANG_XA&unit={commune}", scoped: true),
        "GET /api/v1/data-categories": any("/api/v1/data-categories"), "POST /api/v1/data-categories": only(keepers, "/api/v1/data-categories"),
        "PATCH /api/v1/data-categories/:code": only(keepers, "/api/v1/data-categories/GIOI_TINH", scoped: true),
        "GET /api/v1/data-elements": any("/api/v1/data-elements"), "POST /api/v1/data-elements": only(keepers, "/api/v1/data-elements"),
        "GET /api/v1/data-elements/:code": any("/api/v1/data-elements/CTV_TONG"),
        "PATCH /api/v1/data-elements/:code": only(keepers, "/api/v1/data-elements/CTV_TONG", scoped: true),
        "GET /api/v1/data-sets": any("/api/v1/data-sets"), "POST /api/v1/data-sets": only(keepers, "/api/v1/data-sets"),
        "GET /api/v1/data-sets/:code": any("/api/v1/data-sets/BC_THANG_XA"),
        "PATCH /api/v1/data-sets/:code": only(keepers, "/api/v1/data-sets/BC_THANG_XA", scoped: true),
        "GET /api/v1/data-sets/:code/completeness": any("/api/v1/data-sets/BC_THANG_XA/completeness?unit={commune}", scoped: true),
        "GET /api/v1/data-sets/:code/pivot": any("/api/v1/data-sets/BC_THANG_XA/pivot?unit={commune}", scoped: true),
        "GET /api/v1/reports/:set/:org/:period": any("/api/v1/reports/BC_THANG_XA/{commune}/202601", scoped: true),
        "PUT /api/v1/reports/:set/:org/:period": only(reporters, "/api/v1/reports/BC_THANG_XA/{commune}/202601", scoped: true),
        "POST /api/v1/reports/:set/:org/:period/:decision": only(editors, "/api/v1/reports/BC_THANG_XA/{commune}/202601/approve", scoped: true),
        "GET /api/v1/data-values/totals": any("/api/v1/data-values/totals?element=CTV_TONG&unit={commune}&period=2026", scoped: true),
        // DHIS2's own paths
        "GET /api/dataValueSets": any("/api/dataValueSets?dataSet=BC_THANG_XA&period=202601&orgUnit={commune}", scoped: true),
        "GET /api/dataValueSets.json": any("/api/dataValueSets.json?dataSet=BC_THANG_XA&period=202601&orgUnit={commune}", scoped: true),
        "GET /api/dataValueSets.csv": any("/api/dataValueSets.csv?dataSet=BC_THANG_XA&period=202601&orgUnit={commune}", scoped: true),
        "GET /api/dataValueSets.adx": any("/api/dataValueSets.adx?dataSet=BC_THANG_XA&period=202601&orgUnit={commune}", scoped: true),
        "POST /api/dataValueSets": only(reporters, "/api/dataValueSets"), "POST /api/dataValueSets.json": only(reporters, "/api/dataValueSets.json"),
        "POST /api/dataValueSets.csv": only(reporters, "/api/dataValueSets.csv"), "POST /api/dataValueSets.adx": only(reporters, "/api/dataValueSets.adx"),
        "GET /api/dataValues": any("/api/dataValues?de=CTV_TONG&pe=202601&ou={commune}", scoped: true),
        "POST /api/dataValues": only(reporters, "/api/dataValues?de=CTV_TONG&pe=202601&ou={commune}&value=3", scoped: true),
        "DELETE /api/dataValues": only(reporters, "/api/dataValues?de=CTV_TONG&pe=202601&ou={commune}", scoped: true),
        "GET /api/organisationUnits": any("/api/organisationUnits"), "GET /api/organisationUnits.json": any("/api/organisationUnits.json"),
        "GET /api/organisationUnits/:id": any("/api/organisationUnits/{commune}", scoped: true),
        "GET /api/dataElements": any("/api/dataElements"), "GET /api/dataElements.json": any("/api/dataElements.json"), "GET /api/dataElements/:id": any("/api/dataElements/CTV_TONG"),
        "GET /api/dataSets": any("/api/dataSets"), "GET /api/dataSets.json": any("/api/dataSets.json"), "GET /api/dataSets/:id": any("/api/dataSets/BC_THANG_XA"),
        "GET /api/categoryCombos": any("/api/categoryCombos"), "GET /api/categoryCombos.json": any("/api/categoryCombos.json"), "GET /api/categoryCombos/:id": any("/api/categoryCombos/GIOI_TINH"),
        "GET /api/categoryOptionCombos": any("/api/categoryOptionCombos"), "GET /api/categoryOptionCombos.json": any("/api/categoryOptionCombos.json"),
        "GET /api/categoryOptionCombos/:id": any("/api/categoryOptionCombos/NAM"),
        // Cases: the circle only; the office pages by role
        "GET /cases": any("/cases"), "GET /cases/new": only(caseStaff, "/cases/new"), "POST /cases/new": only(caseStaff, "/cases/new"),
        "GET /cases/:id": circle("/cases/{case}"), "POST /cases/:id/:action": circle("/cases/{case}/note"),
        "POST /cases/:id/:action/:entry": circle("/cases/{case}/followup/{entry}"), "GET /cases/:id/export": circle("/cases/{case}/export"),
        "GET /cases/people/:id": circle("/cases/people/{served}"), "POST /cases/people/:id": circle("/cases/people/{served}"),
        "POST /cases/people/:id/consents": circle("/cases/people/{served}/consents"),
        "POST /cases/people/:id/consents/:consent/withdraw": circle("/cases/people/{served}/consents/{consent}/withdraw"),
        "GET /cases/people/:id/export": circle("/cases/people/{served}/export"), "GET /cases/people/:id/print": circle("/cases/people/{served}/print"),
        "GET /cases/figures": any("/cases/figures?unit={commune}", scoped: true),
        "GET /cases/breaches": only(admins, "/cases/breaches"), "POST /cases/breaches": only(admins, "/cases/breaches"),
        "POST /cases/breaches/:id/notified": only(admins, "/cases/breaches/{breach}/notified", scoped: true),
        "POST /cases/break-glass": only([.admin, .provinceOfficer, .caseworker], "/cases/break-glass", scoped: true)
            .with(["number": "{caseNumber}", "reason": "Cần biết nơi ở hiện tại để bảo vệ trẻ.", "hours": "2"], refusedOnThePage: true),
        "GET /cases/staff": any("/cases/staff"), "POST /cases/staff": only([.admin, .caseworker], "/cases/staff", scoped: true)
            .with(["facilityId": "{facility}", "username": "nv2", "duty": "supervisor", "reason": "Phân công thêm việc giám sát"]),
        "POST /cases/staff/:id/:staff/remove": only([.admin, .caseworker], "/cases/staff/{facility}/{staffRow}/remove", scoped: true),
        "GET /api/v1/cases": any("/api/v1/cases"), "POST /api/v1/cases": only(caseStaff, "/api/v1/cases"),
        "GET /api/v1/cases/:id": circle("/api/v1/cases/{case}"), "GET /api/v1/cases/:id/export": circle("/api/v1/cases/{case}/export"),
        "POST /api/v1/cases/:id/steps": circle("/api/v1/cases/{case}/steps"), "POST /api/v1/cases/:id/assessments": circle("/api/v1/cases/{case}/assessments"),
        "POST /api/v1/cases/:id/goals": circle("/api/v1/cases/{case}/goals"), "POST /api/v1/cases/:id/goals/:entry/done": circle("/api/v1/cases/{case}/goals/{entry}/done"),
        "POST /api/v1/cases/:id/services": circle("/api/v1/cases/{case}/services"), "POST /api/v1/cases/:id/followups": circle("/api/v1/cases/{case}/followups"),
        "POST /api/v1/cases/:id/followups/:entry/done": circle("/api/v1/cases/{case}/followups/{entry}/done"),
        "POST /api/v1/cases/:id/notes": circle("/api/v1/cases/{case}/notes"), "POST /api/v1/cases/:id/referrals": circle("/api/v1/cases/{case}/referrals"),
        "POST /api/v1/cases/:id/transfer": circle("/api/v1/cases/{case}/transfer"),
        "GET /api/v1/referrals": any("/api/v1/referrals"), "POST /api/v1/referrals/:id/answer": circle("/api/v1/referrals/{referral}/answer"),
        "POST /api/v1/served-people": only(caseStaff, "/api/v1/served-people"), "POST /api/v1/served-people/check": only(caseStaff, "/api/v1/served-people/check"),
        "GET /api/v1/served-people/:id": circle("/api/v1/served-people/{served}"), "PATCH /api/v1/served-people/:id": circle("/api/v1/served-people/{served}"),
        "GET /api/v1/served-people/:id/export": circle("/api/v1/served-people/{served}/export"),
        "POST /api/v1/served-people/:id/consents": circle("/api/v1/served-people/{served}/consents"),
        "POST /api/v1/served-people/:id/consents/:consent/withdraw": circle("/api/v1/served-people/{served}/consents/{consent}/withdraw"),
        "POST /api/v1/break-glass": only([.admin, .provinceOfficer, .caseworker], "/api/v1/break-glass", scoped: true)
            .with(["number": "{caseNumber}", "reason": "Cần biết nơi ở hiện tại để bảo vệ trẻ."]),
        "GET /api/v1/facilities/:id/staff": any("/api/v1/facilities/{facility}/staff", scoped: true),
        "POST /api/v1/facilities/:id/staff": only([.admin, .caseworker], "/api/v1/facilities/{facility}/staff", scoped: true),
        "DELETE /api/v1/facilities/:id/staff/:staff": only([.admin, .caseworker], "/api/v1/facilities/{facility}/staff/{staffRow}", scoped: true),
        "GET /api/v1/facilities/:id/staff/history": only([.admin, .caseworker], "/api/v1/facilities/{facility}/staff/history", scoped: true),
        "GET /api/v1/case-catalogue": any("/api/v1/case-catalogue"), "POST /api/v1/case-catalogue": only(keepers, "/api/v1/case-catalogue"),
        "GET /api/v1/case-figures": any("/api/v1/case-figures?unit={commune}", scoped: true),
        "GET /api/v1/data-breaches": only(admins, "/api/v1/data-breaches"), "POST /api/v1/data-breaches": only(admins, "/api/v1/data-breaches"),
        "POST /api/v1/data-breaches/:id/notified": only(admins, "/api/v1/data-breaches/{breach}/notified", scoped: true),
        "POST /api/v1/cases/anonymise": only(admins, "/api/v1/cases/anonymise"),
    ]
}
