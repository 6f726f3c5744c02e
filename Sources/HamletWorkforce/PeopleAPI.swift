import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts

/// /api/v1/people, their assignments, and the catalogues behind them.
package struct PeopleAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        let people = routes.grouped("people")
        people.get(use: list)
        people.get("export", use: export)
        people.post(use: create)
        people.get(":id", use: show)
        people.patch(":id", use: update)
        people.get(":id", "assignments", use: assignments)
        people.post(":id", "assignments", use: addAssignment)
        routes.post("assignments", ":id", "end", use: end)
        routes.post("assignments", ":id", "transfer", use: transfer)
        routes.get("professional-titles", use: titles)
        routes.post("professional-titles", use: createTitle)
        routes.patch("professional-titles", ":code", use: updateTitle)
        routes.get("base-salaries", use: salaries)
    }

    package static func filter(_ req: Request) async throws -> PeopleQuery.Filter {
        var filter = PeopleQuery.Filter(q: req.query["q"], title: req.query["title"])
        if let code: String = req.query["unit"], !code.isEmpty {
            filter.unit = try await UnitDirectory(db: req.db, scope: req.scope).require(.current, code)
        }
        if let raw: String = req.query["domain"], !raw.isEmpty {
            guard let d = WorkDomain(rawValue: raw) else { throw HamletError.invalid("domain", "Lĩnh vực không hợp lệ.") }
            filter.domain = d
        }
        if let raw: String = req.query["kind"], !raw.isEmpty {
            guard let k = EmploymentKind(rawValue: raw) else { throw HamletError.invalid("kind", "Loại hình không hợp lệ.") }
            filter.kind = k
        }
        if let raw: String = req.query["activeOn"], !raw.isEmpty {
            guard let day = DayDate(raw) else { throw HamletError.invalid("activeOn", "Ngày không hợp lệ (dd/MM/yyyy).") }
            filter.activeOn = day.iso
        }
        if let raw: String = req.query["qualification"], !raw.isEmpty {
            guard let level = QualificationLevel(rawValue: raw) else { throw HamletError.invalid("qualification", "Trình độ không hợp lệ.") }
            filter.qualification = level
        }
        if let raw: String = req.query["trained"], !raw.isEmpty {
            guard ["yes", "no"].contains(raw) else { throw HamletError.invalid("trained", "trained là yes hoặc no.") }
            filter.trained = (raw == "yes", try req.application.peopleTraining.condition(req, "trained"))
        }
        return filter
    }

    package func list(req: Request) async throws -> ListBody<PersonDTO> {
        let paging = try Paging(req)
        let (people, total) = try await PeopleQuery(db: req.db, scope: req.scope).listed(try await Self.filter(req), paging: paging)
        return ListBody(items: people, total: total, page: paging.page, per: paging.per)
    }

    /// `?format=xlsx|csv` and the list's filters; posts as they stand on `activeOn` (default today).
    package func export(req: Request) async throws -> Response {
        let filter = try await Self.filter(req)
        return try await PeopleExport.respond(req, format: req.query["format"] ?? "xlsx", filter: filter, day: filter.activeOn ?? DayDate.today().iso)
    }

    /// The person with every post held (`posts`: when the caller has read them already).
    package func detail(_ req: Request, _ person: Person, posts read: [Assignment]? = nil) async throws -> PersonDTO {
        var posts = read ?? []
        if read == nil { posts = try await PeopleQuery(db: req.db, scope: req.scope).posts(of: person) }
        let views = AssignmentViews(db: req.db)
        return PersonDTO(person, unitNames: try await views.names(ofUnits: [person.homeUnitCode]),
                         assignments: try await views.make(posts, today: DayDate.today().iso))
    }

    package func create(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let person = try await req.people().create(try req.content.decode(PersonInput.self))
        let response = Response(status: .created)
        try response.content.encode(try await detail(req, person))
        return response
    }

    package func show(req: Request) async throws -> PersonDTO {
        try await detail(req, try await PeopleQuery(db: req.db, scope: req.scope).find(req.parameters.get("id", as: UUID.self)))
    }

    package func update(req: Request) async throws -> PersonDTO {
        _ = try req.requireRole(\.canEditWorkforce)
        let person = try await PeopleQuery(db: req.db, scope: req.scope).find(req.parameters.get("id", as: UUID.self))
        try await req.people().update(person, try req.content.decode(PersonInput.self))
        return try await detail(req, person)
    }

    package func assignments(req: Request) async throws -> ListBody<AssignmentDTO> {
        let person = try await PeopleQuery(db: req.db, scope: req.scope).find(req.parameters.get("id", as: UUID.self))
        let items = try await detail(req, person).assignments ?? []
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    package func addAssignment(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let person = try await PeopleQuery(db: req.db, scope: req.scope).find(req.parameters.get("id", as: UUID.self))
        let a = try await req.assignments().create(for: person, try req.content.decode(AssignmentInput.self))
        let response = Response(status: .created)
        try response.content.encode(try await AssignmentViews(db: req.db).make([a], today: DayDate.today().iso)[0])
        return response
    }

    package func end(req: Request) async throws -> AssignmentDTO {
        _ = try req.requireRole(\.canEditWorkforce)
        let (a, _) = try await req.editableAssignment(req.parameters.get("id", as: UUID.self))
        try await req.assignments().end(a, try req.content.decode(EndInput.self))
        return try await AssignmentViews(db: req.db).make([a], today: DayDate.today().iso)[0]
    }

    package func transfer(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let (a, person) = try await req.editableAssignment(req.parameters.get("id", as: UUID.self))
        let new = try await req.assignments().transfer(a, person: person, try req.content.decode(AssignmentInput.self))
        let response = Response(status: .created)
        try response.content.encode(try await AssignmentViews(db: req.db).make([new], today: DayDate.today().iso)[0])
        return response
    }

    package struct TitleDTO: Content {
        package var code: String
        package var name: String
        package var validTo: String?
        package init(code: String, name: String, validTo: String? = nil) {
            (self.code, self.name, self.validTo) = (code, name, validTo)
        }
    }
    package struct SalaryDTO: Content {
        package var effectiveFrom: String
        package var amount: Int
        package var legalBasis: String
        package init(effectiveFrom: String, amount: Int, legalBasis: String) {
            (self.effectiveFrom, self.amount, self.legalBasis) = (effectiveFrom, amount, legalBasis)
        }
    }

    package func titles(req: Request) async throws -> ListBody<TitleDTO> {
        let items = try await TitleCatalogue(db: req.db).all().map { TitleDTO(code: $0.code, name: $0.name, validTo: $0.validTo) }
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    package struct TitleInput: Content {
        package var code: String?
        package var name: String?
        package var validTo: String?
        package init(code: String? = nil, name: String? = nil, validTo: String? = nil) {
            (self.code, self.name, self.validTo) = (code, name, validTo)
        }
    }

    package func createTitle(req: Request) async throws -> Response {
        let user = try req.requireRole(\.canEditCatalogues)
        let title = try await TitleCatalogue(db: req.db, actor: user, ip: req.clientIP).create(try req.content.decode(TitleInput.self))
        let response = Response(status: .created)
        try response.content.encode(TitleDTO(code: title.code, name: title.name, validTo: title.validTo))
        return response
    }

    package func updateTitle(req: Request) async throws -> TitleDTO {
        let user = try req.requireRole(\.canEditCatalogues)
        let catalogue = TitleCatalogue(db: req.db, actor: user, ip: req.clientIP)
        let title = try await catalogue.find(req.parameters.get("code"))
        try await catalogue.update(title, try req.content.decode(TitleInput.self))
        return TitleDTO(code: title.code, name: title.name, validTo: title.validTo)
    }

    package func salaries(req: Request) async throws -> ListBody<SalaryDTO> {
        let items = try await BaseSalary.decrees(on: req.db)
            .map { SalaryDTO(effectiveFrom: $0.effectiveFrom, amount: $0.amount, legalBasis: $0.legalBasis) }
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }
}
