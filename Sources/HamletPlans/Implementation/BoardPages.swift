import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletOrganisations
import HamletWorkforce

/// /plans/:id/boards: the plan's steering boards; each board's page with its members (who sat
/// when), a form to add or end a seat, and its meetings.
package struct BoardPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("plans", ":id", "boards", use: list)
        routes.post("plans", ":id", "boards", use: create)
        routes.get("plans", ":id", "boards", ":board", use: show)
        routes.post("plans", ":id", "boards", ":board", "members", use: addMember)
        routes.post("plans", ":id", "boards", ":board", "members", ":member", "end", use: endMember)
    }

    package struct BoardForm: Content {
        package var name: String?
        package var unitCode: String?
        package var decision: String?
        package var establishedOn: String?
        package init(name: String? = nil, unitCode: String? = nil, decision: String? = nil, establishedOn: String? = nil) {
            (self.name, self.unitCode, self.decision, self.establishedOn) = (name, unitCode, decision, establishedOn)
        }
    }
    package struct MemberForm: Content {
        package var personId: String?
        package var title: String?
        package var organisationId: String?
        package var role: String?
        package var fromOn: String?
        package var toOn: String?
        package init(personId: String? = nil, title: String? = nil, organisationId: String? = nil, role: String? = nil,
                     fromOn: String? = nil, toOn: String? = nil) {
            (self.personId, self.title, self.organisationId, self.role) = (personId, title, organisationId, role)
            (self.fromOn, self.toOn) = (fromOn, toOn)
        }
    }
    package struct ListPage: Encodable {
        package var planId: String
        package var planNumber: String
        package var boards: [BoardDTO]
        package var mayEdit: Bool
        package var form: BoardForm
        package var error: String?
        package var errorField: String?

        package init(planId: String, planNumber: String, boards: [BoardDTO], mayEdit: Bool, form: BoardForm, error: String? = nil,
                     errorField: String? = nil) {
            (self.planId, self.planNumber, self.boards, self.mayEdit) = (planId, planNumber, boards, mayEdit)
            (self.form, self.error, self.errorField) = (form, error, errorField)
        }
    }

    package func list(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        return try await render(req, plan, form: BoardForm(unitCode: req.scope.isNation ? plan.scopeCode : req.currentUser?.scopeCode), error: nil)
    }

    package func render(_ req: Request, _ plan: Plan, form: BoardForm, error: HamletError?) async throws -> Response {
        var boards: [BoardDTO] = []
        for b in try await req.boards().boards(plan) { boards.append(try await req.boards().dto(b)) }
        return try await req.renderPage("implementation/boards", title: English.say("Ban chỉ đạo, tổ công tác") + " — " + plan.number, status: error?.status ?? .ok, nav: "plans",
                                        body: ListPage(planId: try plan.requireID().uuidString, planNumber: plan.number, boards: boards,
                                                       mayEdit: req.currentUser?.role.canEditWorkforce ?? false, form: form, error: error?.message, errorField: error?.field))
    }

    package func create(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        _ = try req.boards().requireEditor()
        var form = try req.content.decode(BoardForm.self)
        form.unitCode = try await UnitDirectory(db: req.db, scope: req.scope).code(typed: form.unitCode)
        do {
            let b = try await req.boards().create(plan, BoardInput(name: form.name, unitCode: form.unitCode, decision: form.decision, establishedOn: form.establishedOn))
            return req.redirect(to: "/plans/\(try plan.requireID())/boards/\(try b.requireID())", notice: "saved")
        } catch let error as HamletError where error.status == .unprocessableEntity {
            return try await render(req, plan, form: form, error: error)
        }
    }

    package struct ShowPage: Encodable {
        package var planId: String
        package var planNumber: String
        package var board: BoardDTO
        package var mayEdit: Bool
        package var people: [FormOption]
        package var organisations: [FormOption]
        package var roles: [FormOption]
        package var form: MemberForm
        package var error: String?
        package var errorField: String?
        package var today: String

        package init(planId: String, planNumber: String, board: BoardDTO, mayEdit: Bool, people: [FormOption],
                     organisations: [FormOption], roles: [FormOption], form: MemberForm, error: String? = nil, errorField: String? = nil,
                     today: String) {
            (self.planId, self.planNumber, self.board, self.mayEdit) = (planId, planNumber, board, mayEdit)
            (self.people, self.organisations, self.roles, self.form) = (people, organisations, roles, form)
            (self.error, self.errorField, self.today) = (error, errorField, today)
        }
    }

    package func show(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        return try await renderShow(req, plan, try await req.boards().find(plan, req.parameters.get("board", as: UUID.self)), form: MemberForm(role: BoardRole.member.rawValue), error: nil)
    }

    package func renderShow(_ req: Request, _ plan: Plan, _ b: SteeringBoard, form: MemberForm, error: HamletError?) async throws -> Response {
        let mayEdit = req.currentUser?.role.canEditWorkforce ?? false
        var people: [FormOption] = [], organisations: [FormOption] = []
        if mayEdit {
            // The register's people working in the board's unit today, and the agencies there.
            people = try await Assignment.holders(under: b.unitPath, on: req.today, limit: 400, db: req.db).map {
                FormOption(value: $0.person.id!.uuidString, label: $0.person.fullName + " — " + $0.title, selected: $0.person.id!.uuidString == form.personId)
            }
            organisations = try await OrganisationChoices(db: req.db).list(.agency, under: plan.scopePath, limit: 300)
                .map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id!.uuidString == form.organisationId) }
        }
        return try await req.renderPage("implementation/board", title: b.name, status: error?.status ?? .ok, nav: "plans", body: ShowPage(
            planId: try plan.requireID().uuidString, planNumber: plan.number, board: try await req.boards().dto(b), mayEdit: mayEdit,
            people: people, organisations: organisations, roles: FormOption.list(BoardRole.self, selected: form.role), form: form,
            error: error?.message, errorField: error?.field, today: req.today.vietnamese))
    }

    package func addMember(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let b = try await req.boards().find(plan, req.parameters.get("board", as: UUID.self))
        _ = try req.boards().requireEditor()
        let form = try req.content.decode(MemberForm.self)
        do {
            _ = try await req.boards().addMember(b, MemberInput(personId: form.personId.flatMap(UUID.init(uuidString:)), title: form.title,
                                                                organisationId: form.organisationId.flatMap(UUID.init(uuidString:)), role: form.role, fromOn: form.fromOn, toOn: form.toOn))
            return req.redirect(to: "/plans/\(try plan.requireID())/boards/\(try b.requireID())#members", notice: "saved")
        } catch let error as HamletError where error.status == .unprocessableEntity {
            return try await renderShow(req, plan, b, form: form, error: error)
        }
    }

    package func endMember(req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let b = try await req.boards().find(plan, req.parameters.get("board", as: UUID.self))
        do {
            try await req.boards().endMember(b, req.parameters.get("member", as: UUID.self), try req.content.decode(MemberEnd.self))
        } catch let error as HamletError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderShow(req, plan, b, form: MemberForm(role: BoardRole.member.rawValue), error: error)
        }
        return req.redirect(to: "/plans/\(try plan.requireID())/boards/\(try b.requireID())#members", notice: "saved")
    }
}
