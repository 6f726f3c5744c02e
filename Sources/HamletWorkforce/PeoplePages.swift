import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletOrganisations

/// The register's pages: list and search, a person's page with their posts, and the forms.
package struct PeoplePages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("people", use: list)
        routes.get("people", "new", use: newForm)
        routes.get("people", "export", use: PeopleAPI().export)
        routes.post("people", use: create)
        routes.get("people", ":id", use: show)
        routes.get("people", ":id", "edit", use: editForm)
        routes.post("people", ":id", use: update)
        routes.post("people", ":id", "assignments", use: addAssignment)
        routes.post("assignments", ":id", "end", use: end)
        routes.post("assignments", ":id", "transfer", use: transfer)
    }

    package struct Row: Encodable {
        package var id: String
        package var fullName: String
        package var birthDate: String
        package var home: String
        package var phone: String
        package var qualification: String
        package init(id: String, fullName: String, birthDate: String, home: String, phone: String, qualification: String) {
            (self.id, self.fullName, self.birthDate, self.home) = (id, fullName, birthDate, home)
            (self.phone, self.qualification) = (phone, qualification)
        }
    }
    package struct ListPage: Encodable {
        package var rows: [Row]; package var total: String; package var query: String
        package var q: String; package var unit: String; package var activeOn: String; package var trained: String; package var trainedSince: String; package var courseKinds: [FormOption]
        package var domains: [FormOption]; package var kinds: [FormOption]; package var levels: [FormOption]
        package var page: Int; package var pages: Int; package var prev: Int?; package var next: Int?; package var canEdit: Bool
    }

    package func list(req: Request) async throws -> Response {
        let paging = try Paging(req, defaultPer: 50)
        let filter = try await PeopleAPI.filter(req)
        let (people, total) = try await PeopleQuery(db: req.db, scope: req.scope).list(filter, paging: paging)
        let names = try await AssignmentViews(db: req.db).names(ofUnits: people.map(\.homeUnitCode))
        let pages = max(1, (total + paging.per - 1) / paging.per)
        let query = req.url.query.map { $0.split(separator: "&").filter { !$0.hasPrefix("page=") }.joined(separator: "&") } ?? ""
        return try await req.renderPage("people/index", title: Strings.text("people_title", req.language), nav: "people", body: ListPage(
            rows: people.map { Row(id: $0.id!.uuidString, fullName: $0.fullName, birthDate: $0.birthDate.flatMap { DayDate($0)?.vietnamese } ?? "",
                                   home: names[$0.homeUnitCode] ?? $0.homeUnitCode, phone: $0.phone ?? "", qualification: English.say($0.qualificationLevel.label)) },
            total: VietnameseFormat.integer(total), query: query, q: req.query["q"] ?? "", unit: req.query["unit"] ?? "",
            activeOn: req.query["activeOn"] ?? "", trained: req.query["trained"] ?? "", trainedSince: req.query["trainedSince"] ?? "",
            courseKinds: req.application.peopleTraining.courseKinds(req.query["trainedCourseKinds"]),
            domains: FormOption.list(WorkDomain.self, selected: req.query["domain"]),
            kinds: FormOption.list(EmploymentKind.self, selected: req.query["kind"]),
            levels: FormOption.list(QualificationLevel.self, selected: req.query["qualification"]),
            page: paging.page, pages: pages, prev: paging.page > 1 ? paging.page - 1 : nil, next: paging.page < pages ? paging.page + 1 : nil,
            canEdit: req.currentUser?.role.canEditWorkforce ?? false))
    }

    // MARK: - Person form

    package struct PersonForm: Content {
        package var fullName: String?; package var sex: String?; package var birthDate: String?; package var cccd: String?; package var phone: String?; package var ethnicity: String?
        package var homeUnitCode: String?; package var educationLevel: String?; package var qualificationLevel: String?; package var qualificationField: String?
        package var qualifiedInSocialWork: String?; package var titleCode: String?; package var notes: String?; package var confirmDuplicate: String?

        package var input: PersonInput {
            PersonInput(fullName: fullName ?? "", sex: sex ?? "", birthDate: birthDate ?? "", cccd: cccd ?? "", phone: phone ?? "",
                        ethnicity: ethnicity ?? "", homeUnitCode: homeUnitCode ?? "", educationLevel: educationLevel ?? "",
                        qualificationLevel: qualificationLevel ?? "", qualificationField: qualificationField ?? "",
                        qualifiedInSocialWork: qualifiedInSocialWork == "on", titleCode: titleCode ?? "", notes: notes ?? "",
                        confirmDuplicate: confirmDuplicate == "on")
        }
    }

    package struct FormPage: Encodable {
        package var id: String?; package var values: PersonForm; package var sexes: [FormOption]; package var levels: [FormOption]; package var titles: [FormOption]
        package var error: String?; package var errorField: String?; package var duplicate: Bool
    }

    package func renderForm(_ req: Request, id: String?, values: PersonForm, error: HamletError?) async throws -> Response {
        let titles = try await TitleCatalogue(db: req.db).all()
            .map { FormOption(value: $0.code, label: "\($0.code) — \($0.name)", selected: $0.code == values.titleCode) }
        return try await req.renderPage("people/form", title: id == nil ? Strings.text("person_new", req.language) : (values.fullName ?? ""),
                                        status: error?.status ?? .ok, nav: "people",
            body: FormPage(id: id, values: values, sexes: FormOption.list(Sex.self, selected: values.sex),
                           levels: FormOption.list(QualificationLevel.self, selected: values.qualificationLevel),
                           titles: titles, error: error?.message, errorField: error?.field, duplicate: error?.code == "possible_duplicate"))
    }

    package func newForm(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        // Never pre-filled: a code typed after a pre-filled one would merge with it ("91" + "30292").
        return try await renderForm(req, id: nil, values: PersonForm(), error: nil)
    }

    package func create(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let form = try req.content.decode(PersonForm.self)
        do {
            let person = try await req.people().create(form.input)
            return req.redirect(to: "/people/\(person.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await renderForm(req, id: nil, values: form, error: error)
        }
    }

    package func editForm(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let p = try await PeopleQuery(db: req.db, scope: req.scope).find(req.parameters.get("id", as: UUID.self))
        let values = PersonForm(fullName: p.fullName, sex: p.sex?.rawValue, birthDate: p.birthDate.flatMap { DayDate($0)?.vietnamese }, cccd: p.cccd,
                                phone: p.phone, ethnicity: p.ethnicity, homeUnitCode: p.homeUnitCode, educationLevel: p.educationLevel,
                                qualificationLevel: p.qualificationLevel.rawValue, qualificationField: p.qualificationField,
                                qualifiedInSocialWork: p.qualifiedInSocialWork ? "on" : nil, titleCode: p.titleCode, notes: p.notes)
        return try await renderForm(req, id: p.id?.uuidString, values: values, error: nil)
    }

    package func update(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let person = try await PeopleQuery(db: req.db, scope: req.scope).find(req.parameters.get("id", as: UUID.self))
        let form = try req.content.decode(PersonForm.self)
        do {
            try await req.people().update(person, form.input)
            return req.redirect(to: "/people/\(person.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await renderForm(req, id: person.id?.uuidString, values: form, error: error)
        }
    }

    // MARK: - Person page and posts

    package struct PostRow: Encodable {
        package var id: String; package var place: String; package var unitCode: String; package var domains: String; package var position: String; package var kind: String
        package var start: String; package var end: String?; package var endReason: String?; package var allowance: String; package var active: Bool; package var editable: Bool
        /// Before the reform: the legacy commune recorded, and those it may be (when it may be set here).
        package var legacy: String? = nil; package var legacyChoices: [FormOption] = []
    }
    package struct ShowPage: Encodable {
        package var person: PersonDTO; package var sex: String; package var birthDate: String; package var qualification: String; package var title: String
        package var posts: [PostRow]; package var canEdit: Bool; package var domains: [FormOption]; package var kinds: [FormOption]; package var reasons: [FormOption]; package var organisations: [FormOption]
        package var training: [TrainingRow]
        package var error: String?; package var errorField: String?
    }
    package struct TrainingRow: Encodable {
        package var classId: String
        package var course: String
        package var kind: String
        package var dates: String
        package var result: String
        package var certificate: String
        package var participationId: String
        package init(classId: String, course: String, kind: String, dates: String, result: String, certificate: String,
                     participationId: String) {
            (self.classId, self.course, self.kind, self.dates) = (classId, course, kind, dates)
            (self.result, self.certificate, self.participationId) = (result, certificate, participationId)
        }
    }

    package func show(req: Request) async throws -> Response {
        try await renderShow(req, id: req.parameters.get("id", as: UUID.self), error: nil)
    }

    package func renderShow(_ req: Request, id: UUID?, error: HamletError?) async throws -> Response {
        let person = try await PeopleQuery(db: req.db, scope: req.scope).find(id)
        let held = try await PeopleQuery(db: req.db, scope: req.scope).posts(of: person)
        let dto = try await PeopleAPI().detail(req, person, posts: held)
        let titleName = try await person.titleCode.asyncMap { try await TitleCatalogue(db: req.db).named($0) } ?? nil
        let canEdit = req.currentUser?.role.canEditWorkforce ?? false
        // Only posts inside the account's own subtree can be ended or transferred from here.
        let editable = Set(held.filter { req.scope.contains(path: $0.unitPath) }.compactMap(\.id))
        let pathOf = Dictionary(held.compactMap { a in a.id.map { ($0, a.unitPath) } }, uniquingKeysWith: { a, _ in a })
        var posts = (dto.assignments ?? []).map { a in
            PostRow(id: a.id!.uuidString, place: a.organisationName.map { "\($0) — \(a.unitName ?? a.unitCode)" } ?? (a.unitName ?? a.unitCode),
                    unitCode: a.unitCode, domains: a.domains.compactMap { WorkDomain(rawValue: $0).map { English.say($0.label) } }.joined(separator: ", "),
                    position: a.positionTitle + (a.concurrent ? English.say(" (kiêm nhiệm)") : "") + (a.fullTime ? English.say(" · chuyên trách") : ""),
                    kind: EmploymentKind(rawValue: a.employmentKind).map { English.say($0.label) } ?? a.employmentKind,
                    start: DayDate(a.startDate)?.vietnamese ?? a.startDate, end: a.endDate.flatMap { DayDate($0)?.vietnamese },
                    endReason: a.endReason.flatMap { EndReason(rawValue: $0).map { English.say($0.label) } },
                    allowance: a.allowanceToday.map { English.say(VietnameseFormat.integer($0) + " đ" + (a.allowanceMultiple.map { " (hệ số \(VietnameseFormat.decimal($0, places: 2)))" } ?? "")) } ?? "",
                    active: a.active, editable: canEdit && a.endDate == nil && editable.contains(a.id!),
                    legacy: a.legacyUnitName.map { $0 + " (" + (a.legacyUnitCode ?? "") + ")" })
        }
        // A post held before 01/07/2025 at a commune made of several: which one it was in.
        for (k, a) in (dto.assignments ?? []).enumerated() where canEdit && a.startDate < UnitLoader.reform2025Date && editable.contains(a.id!) {
            guard let id = a.id, let path = pathOf[id] else { continue }
            let choices = try await LegacyMap(db: req.db).predecessors(ofPlaceAt: path)
            if choices.count > 1 { posts[k].legacyChoices = choices.map { FormOption(value: $0.code, label: $0.name, selected: $0.code == a.legacyUnitCode) } }
        }
        return try await req.renderPage("people/show", title: person.fullName, status: error?.status ?? .ok, nav: "people", body: ShowPage(
            person: dto, sex: person.sex.map { English.say($0.label) } ?? "", birthDate: person.birthDate.flatMap { DayDate($0)?.vietnamese } ?? "",
            qualification: English.say(person.qualificationLevel.label) + (person.qualifiedInSocialWork ? English.say(" (chuyên ngành công tác xã hội)") : ""),
            title: titleName.map { "\($0.code) — \($0.name)" } ?? "", posts: posts, canEdit: canEdit,
            domains: FormOption.list(WorkDomain.self, selected: nil),
            kinds: FormOption.list(EmploymentKind.self, selected: EmploymentKind.congTacVien.rawValue),
            reasons: FormOption.list(EndReason.self, selected: nil),
            organisations: canEdit ? try await organisationOptions(req) : [],
            training: try await req.application.peopleTraining.history(req, person),
            error: error?.message, errorField: error?.field))
    }

    /// Agencies and facilities the account may place people in, for the post form.
    package func organisationOptions(_ req: Request) async throws -> [FormOption] {
        let service = req.organisations()
        var all: [Organisation] = []
        for kind in OrgKind.allCases { all += try await service.all(kind, limit: 300) }
        return all.map { FormOption(value: $0.id!.uuidString, label: "\($0.name) (\($0.type.name))", selected: false) }
    }

    package struct PostForm: Content {
        package var organisationId: String?
        package var unitCode: String?; package var domains: [String]?; package var positionTitle: String?; package var employmentKind: String?
        package var fullTime: String?; package var concurrent: String?; package var startDate: String?; package var allowanceAmount: String?; package var allowanceMultiple: String?

        package func input() throws -> AssignmentInput {
            func number<T: LosslessStringConvertible>(_ raw: String?, _ field: String) throws -> T? {
                guard let raw = raw?.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: T.self == Double.self ? "." : ""),
                      !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
                guard let value = T(raw.trimmingCharacters(in: .whitespaces)) else { throw HamletError.invalid(field, "Phải là một số.") }
                return value
            }
            return AssignmentInput(unitCode: unitCode, organisationId: organisationId.flatMap { UUID(uuidString: $0) }, domains: domains ?? [], positionTitle: positionTitle, employmentKind: employmentKind,
                                   fullTime: fullTime == "on", concurrent: concurrent == "on", startDate: startDate,
                                   allowanceAmount: try number(allowanceAmount, "allowanceAmount"),
                                   allowanceMultiple: try number(allowanceMultiple, "allowanceMultiple"))
        }
    }

    /// Runs a change to a person's posts; a refusal shows the person's page again with the message.
    package func act(_ req: Request, person id: UUID?, _ body: () async throws -> Void) async throws -> Response {
        do {
            try await body()
            return req.redirect(to: "/people/\(id?.uuidString ?? "")", notice: "saved")
        } catch let error as HamletError where error.status != .notFound && error.status != .forbidden {
            return try await renderShow(req, id: id, error: error)
        }
    }

    package func addAssignment(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let person = try await PeopleQuery(db: req.db, scope: req.scope).find(req.parameters.get("id", as: UUID.self))
        let form = try req.content.decode(PostForm.self)
        return try await act(req, person: person.id) { _ = try await req.assignments().create(for: person, try form.input()) }
    }

    package func end(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let (a, person) = try await req.editableAssignment(req.parameters.get("id", as: UUID.self))
        let input = try req.content.decode(EndInput.self)
        return try await act(req, person: person.id) { try await req.assignments().end(a, input) }
    }

    package func transfer(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let (a, person) = try await req.editableAssignment(req.parameters.get("id", as: UUID.self))
        let form = try req.content.decode(PostForm.self)
        return try await act(req, person: person.id) { _ = try await req.assignments().transfer(a, person: person, try form.input()) }
    }
}
