import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations

/// The first page after signing in: what the account's scope holds.
struct HomeRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
    }

    struct Figure: Encodable { var label: String; var value: String; var link: String }
    struct HomePage: Encodable { var work: [WorkItem]; var figures: [Figure]; var scopeCode: String; var scopeIsNation: Bool }

    func home(req: Request) async throws -> Response {
        let scope = req.scope
        let lang = req.language
        func units(_ level: UnitLevel) async throws -> Int {
            try await OpenUnits.count(level, under: scope.isNation ? "" : scope.path, on: req.db)
        }
        let orgs = req.organisations()
        let paging = Paging.all
        var figures = [
            Figure(label: Strings.text("provinces", lang), value: VietnameseFormat.integer(try await units(.province)), link: "/units"),
            Figure(label: Strings.text("communes", lang), value: VietnameseFormat.integer(try await units(.commune)), link: "/units"),
            Figure(label: Strings.text("hamlets", lang), value: VietnameseFormat.integer(try await units(.hamlet)), link: "/units"),
            Figure(label: Strings.text("agencies_title", lang), value: VietnameseFormat.integer(try await orgs.list(.agency, .init(), paging: paging).1), link: "/agencies"),
            Figure(label: Strings.text("facilities_title", lang), value: VietnameseFormat.integer(try await orgs.list(.facility, .init(), paging: paging).1), link: "/facilities"),
        ]
        if scope.isNation == false { figures.removeFirst() }
        return try await req.renderPage("home", title: Strings.text("home_title", lang), nav: "home",
                                        body: HomePage(work: try await MyWork.list(for: req).items,
                                                       figures: figures, scopeCode: scope.code, scopeIsNation: scope.isNation))
    }
}
