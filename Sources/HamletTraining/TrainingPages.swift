import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts
import HamletOrganisations
import HamletWorkforce

/// Pages: the classes, the course catalogue, and the class form.
package struct TrainingPages: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        let training = routes.grouped("training")
        training.get(use: list)
        training.get("courses", use: courses)
        training.post("courses", use: createCourse)
        training.get("courses", ":id", use: editCourse)
        training.post("courses", ":id", use: updateCourse)
        training.post("certificate-series", use: saveSeries)
        training.get("classes", "new", use: newClass)
        training.post("classes", use: createClass)
        training.get("classes", ":id", "edit", use: editClass)
        training.post("classes", ":id", use: updateClass)
    }

    package struct Row: Encodable {
        package var id: String
        package var course: String
        package var kind: String
        package var place: String
        package var dates: String
        package var status: String
        package var participants: Int
        package var completed: Int
        package init(id: String, course: String, kind: String, place: String, dates: String, status: String, participants: Int,
                     completed: Int) {
            (self.id, self.course, self.kind, self.place) = (id, course, kind, place)
            (self.dates, self.status, self.participants, self.completed) = (dates, status, participants, completed)
        }
    }
    package struct ListPage: Encodable {
        package var rows: [Row]
        package var total: Int
        package var year: String
        package var statuses: [FormOption]
        package var canEdit: Bool
        package var page: Int
        package var pages: Int
        package var prev: Int?
        package var next: Int?
        package var query: String

        package init(rows: [Row], total: Int, year: String, statuses: [FormOption], canEdit: Bool, page: Int, pages: Int,
                     prev: Int? = nil, next: Int? = nil, query: String) {
            (self.rows, self.total, self.year, self.statuses) = (rows, total, year, statuses)
            (self.canEdit, self.page, self.pages, self.prev) = (canEdit, page, pages, prev)
            (self.next, self.query) = (next, query)
        }
    }

    package func list(req: Request) async throws -> Response {
        let paging = try Paging(req, defaultPer: 50)
        let (rows, total) = try await req.trainingQuery.classes(try TrainingAPI.classFilter(req), paging: paging)
        let views = try await ClassViews(db: req.db, scope: req.scope).make(rows)
        let pages = max(1, (total + paging.per - 1) / paging.per)
        let q = req.url.query.map { $0.split(separator: "&").filter { !$0.hasPrefix("page=") }.joined(separator: "&") } ?? ""
        return try await req.renderPage("training/index", title: Strings.text("training_title", req.language), nav: "training", body: ListPage(
            rows: views.map { c in Row(id: c.id!.uuidString, course: c.course.name, kind: English.say(c.course.kindLabel) + (c.course.levelLabel.map { " — " + English.say($0) } ?? ""),
                                       place: c.unitName, dates: Self.period(c.startDate, c.endDate), status: c.statusLabel,
                                       participants: c.participants, completed: c.completed) },
            total: total, year: req.query["year"] ?? "", statuses: FormOption.list(ClassStatus.self, selected: req.query["status"]),
            canEdit: req.currentUser?.role.canEditWorkforce ?? false, page: paging.page, pages: pages,
            prev: paging.page > 1 ? paging.page - 1 : nil, next: paging.page < pages ? paging.page + 1 : nil, query: q))
    }

    package static func period(_ start: String, _ end: String) -> String {
        let s = DayDate(start)?.vietnamese ?? start, e = DayDate(end)?.vietnamese ?? end
        return s == e ? s : s + " – " + e
    }

    // MARK: Courses

    package struct CourseForm: Content {
        package var name: String?
        package var kind: String?
        package var level: String?
        package var hours: String?
        package var curriculum: String?
        package var sessions: String?
        package var scoreScale: String?
        package var minimumSessions: String?
        package var socialWork: String?
        package var family: String?
        package var population: String?
        package var children: String?

        package init(name: String? = nil, kind: String? = nil, level: String? = nil, hours: String? = nil,
                     curriculum: String? = nil, sessions: String? = nil, scoreScale: String? = nil,
                     minimumSessions: String? = nil, socialWork: String? = nil, family: String? = nil, population: String? = nil,
                     children: String? = nil) {
            (self.name, self.kind, self.level, self.hours) = (name, kind, level, hours)
            (self.curriculum, self.sessions, self.scoreScale, self.minimumSessions) = (curriculum, sessions, scoreScale, minimumSessions)
            (self.socialWork, self.family, self.population, self.children) = (socialWork, family, population, children)
        }
    }
    package struct SeriesRow: Encodable {
        package var organiser: String
        package var pattern: String
        package var next: Int
        package init(organiser: String, pattern: String, next: Int) {
            (self.organiser, self.pattern, self.next) = (organiser, pattern, next)
        }
    }
    package struct CoursesPage: Encodable {
        package var rows: [CourseDTO]
        package var kinds: [FormOption]
        package var levels: [FormOption]
        package var canEdit: Bool
        package var id: String?
        package var values: CourseForm
        package var error: String?
        package var errorField: String?
        package var series: [SeriesRow]
        package var organisers: [FormOption]

        package init(rows: [CourseDTO], kinds: [FormOption], levels: [FormOption], canEdit: Bool, id: String? = nil, values: CourseForm,
                     error: String? = nil, errorField: String? = nil, series: [SeriesRow], organisers: [FormOption]) {
            (self.rows, self.kinds, self.levels, self.canEdit) = (rows, kinds, levels, canEdit)
            (self.id, self.values, self.error, self.errorField) = (id, values, error, errorField)
            (self.series, self.organisers) = (series, organisers)
        }
    }

    package func courses(req: Request) async throws -> Response {
        try await renderCourses(req, id: nil, values: CourseForm(), error: nil)
    }

    /// The catalogue, with the add form, or the edit form of one course (`id`).
    package func renderCourses(_ req: Request, id: UUID?, values: CourseForm, error: HamletError?) async throws -> Response {
        let rows = try await req.trainingQuery.courses().map(CourseDTO.init)
        let organisers = try await req.trainingQuery.organisers()
        let names = Dictionary(uniqueKeysWithValues: organisers.compactMap { o in o.id.map { ($0, o.name) } })
        let series = try await req.trainingQuery.certificateSeries().compactMap { s in
            names[s.organiserID].map { SeriesRow(organiser: $0, pattern: s.pattern, next: s.nextNumber) }
        }
        return try await req.renderPage("training/courses", title: Strings.text("courses_title", req.language), status: error?.status ?? .ok,
                                        nav: "training", body: CoursesPage(
            rows: rows, kinds: FormOption.list(CourseKind.self, selected: values.kind),
            levels: FormOption.list(QualificationLevel.self, selected: values.level).filter { $0.value != "none" },
            canEdit: req.currentUser?.role.canEditCatalogues ?? false, id: id?.uuidString, values: values, error: error?.message, errorField: error?.field,
            series: series, organisers: organisers.filter { req.scope.contains(path: $0.unitPath) }
                .map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: false) }))
    }

    package func courseInput(_ form: CourseForm) throws -> CourseInput {
        let domains = [("social-work", form.socialWork), ("family", form.family), ("population", form.population), ("children", form.children)]
            .filter { $0.1 == "on" }.map(\.0)
        guard let hours = Int(form.hours ?? "") else { throw HamletError.invalid("hours", "Số giờ học là số nguyên dương.") }
        func whole(_ raw: String?, _ field: String, _ message: String) throws -> Int? {
            guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            guard let n = Int(raw.trimmingCharacters(in: .whitespaces)) else { throw HamletError.invalid(field, message) }
            return n
        }
        var scale: Double?
        if let raw = form.scoreScale?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            guard let n = Double(raw.replacingOccurrences(of: ",", with: ".")) else { throw HamletError.invalid("scoreScale", "Thang điểm là số (ví dụ 10).") }
            scale = n
        }
        return CourseInput(name: form.name, kind: form.kind, level: form.level, domains: domains, hours: hours, curriculum: form.curriculum,
                           sessions: try whole(form.sessions, "sessions", "Số buổi học là số nguyên."), scoreScale: scale,
                           minimumSessions: try whole(form.minimumSessions, "minimumSessions", "Số buổi tối thiểu là số nguyên."))
    }

    package func createCourse(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditCatalogues)
        let form = try req.content.decode(CourseForm.self)
        do {
            _ = try await req.training().saveCourse(try courseInput(form))
        } catch let error as HamletError {
            return try await renderCourses(req, id: nil, values: form, error: error)
        }
        return req.redirect(to: "/training/courses", notice: "saved")
    }

    package func editCourse(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditCatalogues)
        guard let c = try await Course.find(req.parameters.get("id", as: UUID.self), on: req.db) else { throw HamletError.notFound }
        let on: (Bool) -> String? = { $0 ? "on" : nil }
        return try await renderCourses(req, id: c.id, values: CourseForm(name: c.name, kind: c.kind, level: c.level, hours: String(c.hours), curriculum: c.curriculum,
                                                                         sessions: c.sessions.map(String.init), scoreScale: c.scoreScale.map { VietnameseFormat.decimal($0) },
                                                                         minimumSessions: c.minimumSessions.map(String.init),
                                                                         socialWork: on(c.socialWork), family: on(c.family), population: on(c.population),
                                                                         children: on(c.children)), error: nil)
    }

    package func updateCourse(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditCatalogues)
        guard let c = try await Course.find(req.parameters.get("id", as: UUID.self), on: req.db) else { throw HamletError.notFound }
        let form = try req.content.decode(CourseForm.self)
        do {
            _ = try await req.training().saveCourse(try courseInput(form), into: c)
        } catch let error as HamletError {
            return try await renderCourses(req, id: c.id, values: form, error: error)
        }
        return req.redirect(to: "/training/courses", notice: "saved")
    }

    package struct SeriesForm: Content {
        package var organiserId: String?
        package var pattern: String?
        package var nextNumber: String?
        package init(organiserId: String? = nil, pattern: String? = nil, nextNumber: String? = nil) {
            (self.organiserId, self.pattern, self.nextNumber) = (organiserId, pattern, nextNumber)
        }
    }

    package func saveSeries(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditCatalogues)
        let form = try req.content.decode(SeriesForm.self)
        guard let id = form.organiserId.flatMap(UUID.init(uuidString:)) else {
            return try await renderCourses(req, id: nil, values: CourseForm(), error: .invalid("organiserId", "Chọn đơn vị tổ chức."))
        }
        do {
            guard let next = Int(form.nextNumber ?? "1") else { throw HamletError.invalid("nextNumber", "Số tiếp theo là số nguyên từ 1 trở lên.") }
            _ = try await TrainingAPI().saveSeries(req, organiser: id, pattern: form.pattern, next: next)
        } catch let error as HamletError {
            return try await renderCourses(req, id: nil, values: CourseForm(), error: error)
        }
        return req.redirect(to: "/training/courses", notice: "saved")
    }

    // MARK: Class form

    package struct ClassForm: Content {
        package var courseId: String?
        package var organiserId: String?
        package var partners: String?
        package var unitCode: String?
        package var startDate: String?
        package var endDate: String?
        package var capacity: String?
        package var status: String?
        package var note: String?
        package var centralPlanned: String?
        package var centralSpent: String?
        package var localPlanned: String?
        package var localSpent: String?
        package var otherPlanned: String?
        package var otherSpent: String?

        package init(courseId: String? = nil, organiserId: String? = nil, partners: String? = nil, unitCode: String? = nil,
                     startDate: String? = nil, endDate: String? = nil, capacity: String? = nil, status: String? = nil,
                     note: String? = nil, centralPlanned: String? = nil, centralSpent: String? = nil, localPlanned: String? = nil,
                     localSpent: String? = nil, otherPlanned: String? = nil, otherSpent: String? = nil) {
            (self.courseId, self.organiserId, self.partners, self.unitCode) = (courseId, organiserId, partners, unitCode)
            (self.startDate, self.endDate, self.capacity, self.status) = (startDate, endDate, capacity, status)
            (self.note, self.centralPlanned, self.centralSpent, self.localPlanned) = (note, centralPlanned, centralSpent, localPlanned)
            (self.localSpent, self.otherPlanned, self.otherSpent) = (localSpent, otherPlanned, otherSpent)
        }
    }
    package struct ClassFormPage: Encodable {
        package var id: String?
        package var values: ClassForm
        package var courses: [FormOption]
        package var organisers: [FormOption]
        package var statuses: [FormOption]
        package var error: String?
        package var errorField: String?

        package init(id: String? = nil, values: ClassForm, courses: [FormOption], organisers: [FormOption], statuses: [FormOption],
                     error: String? = nil, errorField: String? = nil) {
            (self.id, self.values, self.courses, self.organisers) = (id, values, courses, organisers)
            (self.statuses, self.error, self.errorField) = (statuses, error, errorField)
        }
    }

    package func renderClassForm(_ req: Request, id: String?, values: ClassForm, error: HamletError?) async throws -> Response {
        let courses = try await req.trainingQuery.courses()
        let organisers = try await req.trainingQuery.organisers()
        return try await req.renderPage("training/class-form", title: Strings.text(id == nil ? "class_new" : "edit", req.language),
                                        status: error?.status ?? .ok, nav: "training", body: ClassFormPage(
            id: id, values: values,
            courses: courses.map { FormOption(value: $0.id!.uuidString, label: $0.name + " (" + $0.courseKind.label + ")", selected: $0.id?.uuidString == values.courseId) },
            organisers: organisers.map { FormOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id?.uuidString == values.organiserId) },
            statuses: FormOption.list(ClassStatus.self, selected: values.status ?? "planned"), error: error?.message, errorField: error?.field))
    }

    /// Form text to the API's input; money may be typed as "1.500.000".
    package func input(_ form: ClassForm) throws -> ClassInput {
        var budget: [BudgetInput] = []
        for (source, planned, spent) in [("central", form.centralPlanned, form.centralSpent), ("local", form.localPlanned, form.localSpent),
                                         ("other", form.otherPlanned, form.otherSpent)] {
            let p = try FormValue.money(planned, field: "budget.\(source).planned"), s = try FormValue.money(spent, field: "budget.\(source).spent")
            if p != nil || s != nil { budget.append(BudgetInput(source: source, planned: p, spent: s)) }
        }
        var capacity: Int?
        if let raw = form.capacity, !raw.isEmpty {
            guard let n = Int(raw) else { throw HamletError.invalid("capacity", "Số học viên dự kiến là số nguyên dương.") }
            capacity = n
        }
        return ClassInput(courseId: form.courseId.flatMap(UUID.init(uuidString:)), organiserId: form.organiserId.flatMap(UUID.init(uuidString:)),
                          partners: form.partners, unitCode: form.unitCode, startDate: form.startDate, endDate: form.endDate, capacity: capacity,
                          status: form.status, note: form.note, budget: budget)
    }

    package func newClass(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        return try await renderClassForm(req, id: nil, values: ClassForm(unitCode: ""), error: nil)
    }

    package func createClass(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let form = try req.content.decode(ClassForm.self)
        do {
            let c = try await req.training().saveClass(try input(form))
            return req.redirect(to: "/training/classes/\(c.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await renderClassForm(req, id: nil, values: form, error: error)
        }
    }

    package func editClass(req: Request) async throws -> Response {
        let c = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        let lines = try await req.trainingQuery.budgetLines(of: c)
        func line(_ s: String) -> ClassBudgetLine? { lines.first { $0.source == s } }
        let values = ClassForm(courseId: c.$course.id.uuidString, organiserId: c.organiserID.uuidString, partners: c.partners, unitCode: c.unitCode,
                               startDate: DayDate(c.startDate)?.vietnamese, endDate: DayDate(c.endDate)?.vietnamese, capacity: c.capacity.map(String.init),
                               status: c.status, note: c.note,
                               centralPlanned: line("central").map { String($0.planned) }, centralSpent: line("central").map { String($0.spent) },
                               localPlanned: line("local").map { String($0.planned) }, localSpent: line("local").map { String($0.spent) },
                               otherPlanned: line("other").map { String($0.planned) }, otherSpent: line("other").map { String($0.spent) })
        return try await renderClassForm(req, id: c.id?.uuidString, values: values, error: nil)
    }

    package func updateClass(req: Request) async throws -> Response {
        let c = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        let form = try req.content.decode(ClassForm.self)
        do {
            _ = try await req.training().saveClass(try input(form), into: c)
            return req.redirect(to: "/training/classes/\(c.id!.uuidString)", notice: "saved")
        } catch let error as HamletError {
            return try await renderClassForm(req, id: c.id?.uuidString, values: form, error: error)
        }
    }
}
