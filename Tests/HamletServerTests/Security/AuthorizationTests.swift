import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb

/// Every route of the app against `RoutePolicy`: a route with no entry fails; each is tried
/// anonymously, by a role it does not allow (in An Giang, where the record is) and by an allowed
/// role of Thanh Hóa, and each of those must be refused — never answered, never a server error.
final class AuthorizationTests: XCTestCase {
    static let weakestFirst: [Role] = [.viewer, .leader, .collaborator, .caseworker, .communeOfficer, .provinceOfficer, .admin]
    static let strongestFirst: [Role] = [.admin, .provinceOfficer, .communeOfficer, .collaborator, .caseworker, .leader, .viewer]

    func key(_ route: Route) -> String { "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/") }

    func testEveryRouteHasAPolicy() async throws {
        try await withApp { app in
            let missing = app.routes.all.map(key).filter { RoutePolicy.table[$0] == nil }.sorted()
            XCTAssertEqual(missing, [], "routes with no entry in RoutePolicy.table: say who may use them")
            let stale = Set(RoutePolicy.table.keys).subtracting(app.routes.all.map(key)).sorted()
            XCTAssertEqual(stale, [], "entries for routes that no longer exist")
        }
    }

    func testEveryRouteRefusesTheAnonymousTheWrongRoleAndOtherProvinces() async throws {
        try await withApp { app in
            app.importGate = ImportGate(limit: 100)
            var fixture = try await AuthorizationFixture.make(app)
            var failures: [String] = []
            for route in app.routes.all.sorted(by: { key($0) < key($1) }) {
                let name = key(route)
                guard let policy = RoutePolicy.table[name] else { continue }
                let path = fixture.fill(policy.sample)
                let body = policy.body.mapValues(fixture.fill)
                func expectRefused(_ who: String?, _ label: String, allowed refusals: Set<HTTPStatus>) async throws {
                    let allowed = policy.refusedOnThePage && who != nil ? refusals.union([.unprocessableEntity]) : refusals
                    let status = try await send(app, &fixture, route.method, path, as: who, body: body)
                    if !allowed.contains(status) { failures.append("\(name) [\(label)\(who.map { " " + $0 } ?? "")]: \(status.code)") }
                }
                switch policy.who {
                case .anyone: continue
                case .signedIn: break
                case .roles(let roles):
                    if let wrong = Self.weakestFirst.first(where: { !roles.contains($0) }) {
                        try await expectRefused("ag-\(wrong.rawValue)", "wrong role", allowed: [.forbidden, .notFound])
                    }
                case .circle:
                    try await expectRefused("ag-\(Role.provinceOfficer.rawValue)", "outside the circle", allowed: [.notFound])
                    try await expectRefused("ag-caseworker", "outside the circle", allowed: [.notFound, .forbidden])
                }
                try await expectRefused(nil, "anonymous", allowed: [.unauthorized, .seeOther, .forbidden])
                if policy.scoped {
                    let roles: Set<Role> = switch policy.who { case .roles(let r): r; case .circle: [.caseworker]; default: RoutePolicy.all }
                    let outsider = Self.strongestFirst.first { roles.contains($0) }!
                    try await expectRefused("th-\(outsider.rawValue)", "other province", allowed: [.forbidden, .notFound])
                    // From another hamlet of the commune, the commune and the province's plans are the way up:
                    // read, they answer with the hamlet's own part only (HamletScopeTests); anything else is refused.
                    let wayUp = route.method == .GET && (policy.sample.contains("{commune}") || policy.sample.contains("{plan}"))
                    if !wayUp { try await expectRefused("hm-\(outsider.rawValue)", "another hamlet", allowed: [.forbidden, .notFound]) }
                }
            }
            XCTAssertEqual(failures, [], "\n" + failures.joined(separator: "\n"))
        }
    }

    /// A request as a browser (pages: session and CSRF token) or a script (the API: a token).
    func send(_ app: Application, _ fixture: inout AuthorizationFixture, _ method: HTTPMethod, _ path: String, as who: String?,
              body: [String: String]) async throws -> HTTPStatus {
        var status = HTTPStatus.ok
        if path.hasPrefix("/api/") {
            let token = who.flatMap { fixture.tokens[$0] }
            try await app.test(method, path, beforeRequest: { req in
                if let token { req.headers.bearerAuthorization = .init(token: token) }
                if method != .GET { try req.content.encode(body, as: .json) }
            }, afterResponse: { res async in status = res.status })
            return status
        }
        var browser = who.flatMap { fixture.browsers[$0] } ?? Browser()
        if who == nil { try await app.test(.GET, "/login") { res async in browser.absorb(res) } }
        try await app.page(method, path, as: &browser, form: method == .GET ? nil : body) { status = $0.status }
        if let who { fixture.browsers[who] = browser }
        return status
    }
}
