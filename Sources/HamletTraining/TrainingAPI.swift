import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations
import HamletWorkforce

extension Request {
    package func training() throws -> TrainingService { TrainingService(db: db, scope: scope, actor: currentUser, ip: clientIP) }
    package func enrolments() -> EnrolmentService { EnrolmentService(db: db, scope: scope, actor: currentUser, ip: clientIP) }
    package var trainingQuery: TrainingQuery { TrainingQuery(db: db, scope: scope) }
}

/// /api/v1/courses, /classes and their participants, training needs, and the training figures.
package struct TrainingAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("courses", use: courses)
        routes.post("courses", use: createCourse)
        routes.get("courses", ":id", use: course)
        routes.patch("courses", ":id", use: updateCourse)
        routes.get("classes", use: classes)
        routes.post("classes", use: createClass)
        routes.get("classes", ":id", use: klass)
        routes.patch("classes", ":id", use: updateClass)
        routes.get("classes", ":id", "participants", use: participants)
        routes.post("classes", ":id", "participants", use: enrol)
        routes.post("classes", ":id", "participants", "bulk", use: enrolAll)
        routes.delete("classes", ":id", "participants", ":person", use: withdraw)
        routes.post("classes", ":id", "results", use: results)
        routes.get("classes", ":id", "roster", use: RosterRoutes.export)
        routes.upload("classes", ":id", "roster", use: RosterRoutes.importAPI)
        routes.put("certificate-series", ":organiser", use: series)
        routes.get("people", ":id", "training", use: history)
        routes.get("training-needs", use: needs)
        routes.post("training-needs", use: createNeed)
        routes.get("training-needs", "summary", use: needsSummary)
        routes.get("training", "figures", "share", use: share)
        routes.get("training", "figures", "years", use: years)
    }

    package func courses(req: Request) async throws -> ListBody<CourseDTO> {
        let paging = try Paging(req)
        let (page, total) = try await req.trainingQuery.courses(q: req.query["q"], kind: req.query["kind"], offset: paging.offset, limit: paging.per)
        return ListBody(items: page.map(CourseDTO.init), total: total, page: paging.page, per: paging.per)
    }

    package func course(req: Request) async throws -> CourseDTO {
        guard let c = try await Course.find(req.parameters.get("id", as: UUID.self), on: req.db) else { throw HamletError.notFound }
        return CourseDTO(c)
    }

    package func createCourse(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditCatalogues)
        let c = try await req.training().saveCourse(try req.content.decode(CourseInput.self))
        return try Response.created(CourseDTO(c))
    }

    package func updateCourse(req: Request) async throws -> CourseDTO {
        _ = try req.requireRole(\.canEditCatalogues)
        guard let c = try await Course.find(req.parameters.get("id", as: UUID.self), on: req.db) else { throw HamletError.notFound }
        var input = try req.content.decode(CourseInput.self)
        input.name = input.name ?? c.name; input.kind = input.kind ?? c.kind; input.hours = input.hours ?? c.hours
        input.domains = input.domains ?? c.domains.map(\.rawValue); input.curriculum = input.curriculum ?? c.curriculum
        if input.level == nil { input.level = c.level }
        input.sessions = input.sessions ?? c.sessions; input.scoreScale = input.scoreScale ?? c.scoreScale
        input.minimumSessions = input.minimumSessions ?? c.minimumSessions
        return CourseDTO(try await req.training().saveCourse(input, into: c))
    }

    /// The class list's filter as the page and the API take it: `status`, `year`, `course`.
    package static func classFilter(_ req: Request) throws -> TrainingQuery.ClassFilter {
        var filter = TrainingQuery.ClassFilter()
        if let status: String = req.query["status"], !status.isEmpty {
            guard let known = ClassStatus(rawValue: status) else { throw HamletError.invalid("status", "Trạng thái không hợp lệ.") }
            filter.status = known
        }
        filter.year = req.query["year"]
        filter.course = req.query["course"]
        return filter
    }

    package func classes(req: Request) async throws -> ListBody<ClassDTO> {
        let paging = try Paging(req)
        let (rows, total) = try await req.trainingQuery.classes(try Self.classFilter(req), paging: paging)
        return ListBody(items: try await ClassViews(db: req.db, scope: req.scope).make(rows), total: total, page: paging.page, per: paging.per)
    }

    package func klass(req: Request) async throws -> ClassDTO {
        let c = try await req.trainingQuery.findClass(req.parameters.get("id", as: UUID.self))
        return try await ClassViews(db: req.db, scope: req.scope).make([c])[0]
    }

    package func createClass(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let c = try await req.training().saveClass(try req.content.decode(ClassInput.self))
        return try Response.created(try await ClassViews(db: req.db, scope: req.scope).make([c])[0])
    }

    package func updateClass(req: Request) async throws -> ClassDTO {
        let c = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        var input = try req.content.decode(ClassInput.self)
        input.courseId = input.courseId ?? c.$course.id; input.organiserId = input.organiserId ?? c.organiserID
        input.unitCode = input.unitCode ?? c.unitCode; input.startDate = input.startDate ?? c.startDate; input.endDate = input.endDate ?? c.endDate
        input.status = input.status ?? c.status; input.capacity = input.capacity ?? c.capacity; input.partners = input.partners ?? c.partners
        input.note = input.note ?? c.note; input.planTaskId = input.planTaskId ?? c.planTaskID
        _ = try await req.training().saveClass(input, into: c)
        return try await ClassViews(db: req.db, scope: req.scope).make([c])[0]
    }

    package func participants(req: Request) async throws -> ListBody<ParticipantDTO> {
        let c = try await req.trainingQuery.findClass(req.parameters.get("id", as: UUID.self))
        let items = try await req.trainingQuery.participants(of: c).map { ParticipantDTO($0.0, $0.1) }
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    package struct EnrolInput: Content {
        package var personId: UUID?
        package init(personId: UUID? = nil) {
            self.personId = personId
        }
    }
    package struct BulkResult: Content {
        package var enrolled: Int
        package var alreadyEnrolled: Int
        package init(enrolled: Int, alreadyEnrolled: Int) {
            self.enrolled = enrolled
            self.alreadyEnrolled = alreadyEnrolled
        }
    }

    package func enrol(req: Request) async throws -> Response {
        let c = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        let row = try await req.enrolments().enrol(try req.content.decode(EnrolInput.self).personId, in: c)
        let person = try await PeopleQuery(db: req.db, scope: req.scope).find(row.personID)
        return try Response.created(ParticipantDTO(row, person))
    }

    package func enrolAll(req: Request) async throws -> BulkResult {
        let c = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        let (added, already) = try await req.enrolments().enrolAll(try req.content.decode(BulkEnrolInput.self), in: c)
        return BulkResult(enrolled: added, alreadyEnrolled: already)
    }

    package func withdraw(req: Request) async throws -> HTTPStatus {
        let c = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        try await req.enrolments().withdraw(req.parameters.get("person", as: UUID.self), from: c)
        return .noContent
    }

    package func results(req: Request) async throws -> ListBody<ParticipantDTO> {
        let c = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        _ = try await req.enrolments().record(try req.content.decode([ResultInput].self), in: c)
        return try await participants(req: req)
    }

    package struct SeriesInput: Content {
        package var pattern: String?
        package var nextNumber: Int?
        package init(pattern: String? = nil, nextNumber: Int? = nil) {
            self.pattern = pattern
            self.nextNumber = nextNumber
        }
    }
    package struct SeriesDTO: Content {
        package var organiserId: UUID
        package var pattern: String
        package var nextNumber: Int
        package var example: String
        package init(organiserId: UUID, pattern: String, nextNumber: Int, example: String) {
            (self.organiserId, self.pattern, self.nextNumber, self.example) = (organiserId, pattern, nextNumber, example)
        }
    }

    package func series(req: Request) async throws -> SeriesDTO {
        let input = try req.content.decode(SeriesInput.self)
        return try await saveSeries(req, organiser: req.parameters.get("organiser", as: UUID.self), pattern: input.pattern, next: input.nextNumber ?? 1)
    }

    /// An organiser's numbering, for agencies inside the account's subtree.
    package func saveSeries(_ req: Request, organiser: UUID?, pattern: String?, next: Int) async throws -> SeriesDTO {
        let user = try req.requireRole(\.canEditCatalogues)
        return try await TrainingService(db: req.db, scope: req.scope, actor: user, ip: req.clientIP).saveSeries(organiser: organiser, pattern: pattern, next: next)
    }

    package func history(req: Request) async throws -> ListBody<HistoryDTO> {
        let person = try await PeopleQuery(db: req.db, scope: req.scope).find(req.parameters.get("id", as: UUID.self))
        let items = try await Self.historyItems(req, person)
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    package static func historyItems(_ req: Request, _ person: Person) async throws -> [HistoryDTO] {
        try await req.trainingQuery.history(of: person).map { row, c in
            HistoryDTO(classId: c.id, course: c.course.name, kind: c.course.courseKind.label,
                       level: c.course.level.flatMap(QualificationLevel.init(rawValue:))?.label, startDate: c.startDate, endDate: c.endDate,
                       status: c.classStatus.label, result: row.result, resultLabel: row.trainingResult?.label,
                       certificateNumber: row.certificateNumber, participationId: row.id)
        }
    }

    package func needs(req: Request) async throws -> ListBody<NeedDTO> {
        let paging = try Paging(req)
        let (items, total) = try await NeedsService(db: req.db, scope: req.scope, actor: req.currentUser, ip: req.clientIP)
            .list(year: req.query["year"], paging: paging)
        return ListBody(items: items, total: total, page: paging.page, per: paging.per)
    }

    package func createNeed(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditWorkforce)
        let need = try await NeedsService(db: req.db, scope: req.scope, actor: req.currentUser, ip: req.clientIP)
            .create(try req.content.decode(NeedInput.self))
        return try Response.created(need)
    }

    package func needsSummary(req: Request) async throws -> NeedsSummary {
        let unit = try await TrainingParams.unit(req)
        return try await NeedsService(db: req.db, scope: req.scope, actor: req.currentUser, ip: req.clientIP)
            .summary(unit: unit, year: req.query["year"])
    }

    package func share(req: Request) async throws -> TrainedShare {
        try await TrainingFigures(db: req.db).share(unit: try await TrainingParams.unit(req), date: try TrainingParams.date(req),
                                                    staff: try TrainingParams.staff(req), trained: try TrainingParams.trained(req))
    }

    package func years(req: Request) async throws -> TrainingYears {
        let (from, to) = try Self.yearRange(req)
        return try await TrainingFigures(db: req.db).years(unit: try await TrainingParams.unit(req), from: from, to: to,
                                                           trained: try TrainingParams.trained(req))
    }

    package static func yearRange(_ req: Request) throws -> (Int, Int) {
        let thisYear = DayDate.today().year
        let from = (req.query["from"] as String?).flatMap { Int($0) } ?? thisYear - 4
        let to = (req.query["to"] as String?).flatMap { Int($0) } ?? thisYear
        guard (1990...2100).contains(from) else { throw HamletError.invalid("from", "Năm bắt đầu không hợp lệ.") }
        guard (1990...2100).contains(to), to >= from else { throw HamletError.invalid("to", "Năm kết thúc phải từ năm bắt đầu trở đi.") }
        return (from, to)
    }
}
