import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts
import HamletOrganisations
import HamletWorkforce

/// One class's page: its facts and budget, its learners (those the account may see), the forms
/// to enrol and record results, the roster file both ways, and each learner's certificate.
package struct ClassPage: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        let c = routes.grouped("training", "classes", ":id")
        c.get(use: show)
        c.post("enrol", use: enrol)
        c.post("enrol-all", use: enrolAll)
        c.post("results", use: results)
        c.get("roster", use: RosterRoutes.export)
        c.upload("roster", use: importRoster)
        routes.get("training", "certificates", ":id", use: certificate)
    }

    package struct Learner: Encodable {
        package var personId: String
        package var fullName: String
        package var birthDate: String
        package var home: String
        package var attended: String
        package var score: String
        package var results: [FormOption]
        package var certificate: String
        package var participationId: String
        package var completed: Bool
        package var reason: String
        /// This learner's refused values, each with its field, shown in the row.
        package var problems: [ValidationFailure.Problem] = []
        package var invalid: [String: Bool] = [:]

        package init(personId: String, fullName: String, birthDate: String, home: String, attended: String, score: String,
                     results: [FormOption], certificate: String, participationId: String, completed: Bool, reason: String,
                     problems: [ValidationFailure.Problem] = [], invalid: [String: Bool] = [:]) {
            (self.personId, self.fullName, self.birthDate, self.home) = (personId, fullName, birthDate, home)
            (self.attended, self.score, self.results, self.certificate) = (attended, score, results, certificate)
            (self.participationId, self.completed, self.reason, self.problems) = (participationId, completed, reason, problems)
            self.invalid = invalid
        }
    }
    package struct Page_: Encodable {
        package var klass: ClassDTO
        package var dates: String
        package var learners: [Learner]
        package var canEdit: Bool
        package var domains: [FormOption]
        package var kinds: [FormOption]
        package var budget: [BudgetRow]
        package var error: String?
        package var errorField: String?
        package var report: RosterRoutes.Report?
        package var payload: String?
        package var rules: String
        package var refused: Int

        package init(klass: ClassDTO, dates: String, learners: [Learner], canEdit: Bool, domains: [FormOption], kinds: [FormOption],
                     budget: [BudgetRow], error: String? = nil, errorField: String? = nil, report: RosterRoutes.Report? = nil,
                     payload: String? = nil, rules: String, refused: Int) {
            (self.klass, self.dates, self.learners, self.canEdit) = (klass, dates, learners, canEdit)
            (self.domains, self.kinds, self.budget, self.error) = (domains, kinds, budget, error)
            (self.errorField, self.report, self.payload, self.rules) = (errorField, report, payload, rules)
            self.refused = refused
        }
    }
    package struct BudgetRow: Encodable {
        package var source: String
        package var planned: String
        package var spent: String
        package init(source: String, planned: String, spent: String) {
            (self.source, self.planned, self.spent) = (source, planned, spent)
        }
    }

    package func render(_ req: Request, _ klass: TrainingClass, error: HamletError? = nil, report: RosterRoutes.Report? = nil, payload: String? = nil,
                typed: ResultsForm? = nil, refused: [String: [ValidationFailure.Problem]] = [:]) async throws -> Response {
        let dto = try await ClassViews(db: req.db, scope: req.scope).make([klass])[0]
        let rows = try await req.trainingQuery.participants(of: klass)
        let names = try await AssignmentViews(db: req.db).names(ofUnits: rows.map(\.1.homeUnitCode))
        let learners = rows.map { row, person in
            // After a refusal the learner's row shows what was typed, not what is stored.
            let key = person.id!.uuidString
            let result = typed?.result?[key] ?? row.result
            let problems = refused[key] ?? []
            return Learner(personId: key, fullName: person.fullName, birthDate: person.birthDate.flatMap { DayDate($0)?.vietnamese } ?? "",
                    home: names[person.homeUnitCode] ?? person.homeUnitCode, attended: typed?.attended?[key] ?? row.attended.map(String.init) ?? "",
                    score: typed?.score?[key] ?? row.score.map { VietnameseFormat.decimal($0) } ?? "",
                    results: [FormOption(value: "", label: "—", selected: (result ?? "").isEmpty)] + FormOption.list(TrainingResult.self, selected: result),
                    certificate: row.certificateNumber ?? "", participationId: row.id!.uuidString, completed: row.result == TrainingResult.completed.rawValue,
                    reason: typed?.reason?[key] ?? row.completionReason ?? "",
                    problems: problems, invalid: Dictionary(problems.compactMap { $0.field.map { ($0, true) } }, uniquingKeysWith: { a, _ in a }))
        }
        let status: HTTPResponseStatus = !refused.isEmpty ? .unprocessableEntity
            : error?.status ?? (report.map { $0.problems.isEmpty ? .ok : .unprocessableEntity } ?? .ok)
        return try await req.renderPage("training/class", title: dto.course.name, status: status, nav: "training", body: Page_(
            klass: dto, dates: TrainingPages.period(dto.startDate, dto.endDate), learners: learners,
            canEdit: req.trainingQuery.canEdit(klass, user: req.currentUser),
            domains: FormOption.list(WorkDomain.self, selected: nil), kinds: FormOption.list(EmploymentKind.self, selected: nil),
            budget: dto.budget.map { BudgetRow(source: $0.sourceLabel, planned: VietnameseFormat.integer(Int($0.planned)), spent: VietnameseFormat.integer(Int($0.spent))) },
            error: error?.message, errorField: error?.field, report: report, payload: payload,
            rules: Self.rules(dto.course), refused: refused.count))
    }

    /// "12 buổi; thang điểm 10; hoàn thành khi có mặt ít nhất 10 buổi".
    package static func rules(_ course: CourseDTO) -> String {
        var parts: [String] = []
        if let sessions = course.sessions { parts.append("\(sessions) buổi") }
        let scale = course.scoreScale
        parts.append("thang điểm " + (scale == scale.rounded() ? VietnameseFormat.integer(Int(scale)) : VietnameseFormat.decimal(scale)))
        if let minimum = course.minimumSessions { parts.append("hoàn thành khi có mặt ít nhất \(minimum) buổi") }
        return parts.map(English.say).joined(separator: "; ")
    }

    package func show(req: Request) async throws -> Response {
        try await render(req, try await req.trainingQuery.findClass(req.parameters.get("id", as: UUID.self)))
    }

    package struct EnrolForm: Content {
        package var person: String?
        package var birthDate: String?
        package init(person: String? = nil, birthDate: String? = nil) {
            self.person = person
            self.birthDate = birthDate
        }
    }

    package func enrol(req: Request) async throws -> Response {
        let klass = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        let form = try req.content.decode(EnrolForm.self)
        do {
            let person = try await RosterRoutes.find(typed: form.person ?? "", birth: form.birthDate ?? "", in: PeopleQuery(db: req.db, scope: req.scope))
            _ = try await req.enrolments().enrol(person.id, in: klass)
        } catch let error as HamletError {
            return try await render(req, klass, error: HamletError(status: error.status, code: error.code, message: error.message, field: "person"))
        }
        return req.redirect(to: "/training/classes/\(klass.id!.uuidString)", notice: "saved")
    }

    package struct EnrolAllForm: Content {
        package var unitCode: String?
        package var domains: [String]?
        package var kinds: [String]?
        package init(unitCode: String? = nil, domains: [String]? = nil, kinds: [String]? = nil) {
            (self.unitCode, self.domains, self.kinds) = (unitCode, domains, kinds)
        }
    }

    package func enrolAll(req: Request) async throws -> Response {
        let klass = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        let form = try req.content.decode(EnrolAllForm.self)
        do {
            _ = try await req.enrolments().enrolAll(BulkEnrolInput(unitCode: form.unitCode, domains: form.domains, kinds: form.kinds), in: klass)
        } catch let error as HamletError {
            return try await render(req, klass, error: error)
        }
        return req.redirect(to: "/training/classes/\(klass.id!.uuidString)", notice: "saved")
    }

    /// The results table posts result[<person>], score[<person>], attended[<person>], issue[<person>].
    package struct ResultsForm: Content {
        package var result: [String: String]?
        package var score: [String: String]?
        package var attended: [String: String]?
        package var issue: [String: String]?
        package var reason: [String: String]?

        package init(result: [String: String]? = nil, score: [String: String]? = nil, attended: [String: String]? = nil,
                     issue: [String: String]? = nil, reason: [String: String]? = nil) {
            (self.result, self.score, self.attended, self.issue) = (result, score, attended, issue)
            self.reason = reason
        }
    }

    package func results(req: Request) async throws -> Response {
        let klass = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        let form = try req.content.decode(ResultsForm.self)
        var inputs: [ResultInput] = []
        var unreadable: [String: [ValidationFailure.Problem]] = [:]
        for (key, result) in (form.result ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let id = UUID(uuidString: key) else { continue }
            var input = ResultInput(personId: id, result: result)
            if let raw = form.score?[key], !raw.isEmpty {
                if let score = Double(raw.replacingOccurrences(of: ",", with: ".")) { input.score = score }
                else { unreadable[key, default: []].append(.init(field: "score", message: "Điểm phải là số (ví dụ 8,5).")) }
            }
            if let raw = form.attended?[key], !raw.isEmpty {
                if let n = Int(raw) { input.attended = n } else { unreadable[key, default: []].append(.init(field: "attended", message: "Số buổi có mặt là số nguyên.")) }
            }
            if let reason = form.reason?[key] { input.completionReason = reason }
            input.issueCertificate = form.issue?[key] == "on"
            inputs.append(input)
        }
        do {
            if !unreadable.isEmpty { return try await render(req, klass, typed: form, refused: unreadable) }
            _ = try await req.enrolments().record(inputs, in: klass)
        } catch let failure as ValidationFailure {
            // Problems come back by position in the batch: each goes to its learner's row.
            var refused: [String: [ValidationFailure.Problem]] = [:]
            for problem in failure.problems {
                guard let line = problem.line, inputs.indices.contains(line - 1), let id = inputs[line - 1].personId else { continue }
                refused[id.uuidString, default: []].append(problem)
            }
            return try await render(req, klass, error: refused.isEmpty ? .invalid(failure.problems.first?.field ?? "", failure.problems.first?.message ?? "") : nil,
                                    typed: form, refused: refused)
        } catch let error as HamletError {
            return try await render(req, klass, error: error, typed: form)
        }
        return req.redirect(to: "/training/classes/\(klass.id!.uuidString)", notice: "saved")
    }

    package func importRoster(req: Request) async throws -> Response {
        let klass = try await req.trainingQuery.requireEditable(req.parameters.get("id", as: UUID.self), user: req.currentUser)
        let user = try req.requireUser()
        let outcome = try await Upload.handle(req) { upload -> (RosterRoutes.Report, String?)? in
            guard let (data, filename, pending) = try await upload.pageFile(for: user, on: req.db) else { return nil }
            let report = try await RosterRoutes.run(req, klass, data: data, commit: upload.fields["commit"] == "1")
            if report.committed { try await pending?.delete(on: req.db); return (report, nil) }
            var kept = pending?.id
            if kept == nil { kept = try await PendingUpload.keep(data, filename: filename, for: user, on: req.db) }
            return (report, kept?.uuidString)
        }
        guard let (report, kept) = outcome else { return try await render(req, klass, error: .invalid("file", "Chưa chọn tệp (XLSX hoặc CSV).")) }
        if report.committed { return req.redirect(to: "/training/classes/\(klass.id!.uuidString)", notice: "imported") }
        return try await render(req, klass, report: report, payload: kept)
    }

    package struct CertificatePage: Encodable {
        package var organiser: String
        package var fullName: String
        package var birthDate: String
        package var course: String
        package var kind: String
        package var dates: String
        package var place: String
        package var number: String
        package var issuedOn: String
        package var hours: Int
        package var result: String
        package var placeName: String

        package init(organiser: String, fullName: String, birthDate: String, course: String, kind: String, dates: String,
                     place: String, number: String, issuedOn: String, hours: Int, result: String, placeName: String) {
            (self.organiser, self.fullName, self.birthDate, self.course) = (organiser, fullName, birthDate, course)
            (self.kind, self.dates, self.place, self.number) = (kind, dates, place, number)
            (self.issuedOn, self.hours, self.result, self.placeName) = (issuedOn, hours, result, placeName)
        }
    }

    /// Giấy chứng nhận: A4, printable, for a learner who completed the class.
    package func certificate(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self), let row = try await Participation.find(id, on: req.db) else { throw HamletError.notFound }
        let person = try await PeopleQuery(db: req.db, scope: req.scope).find(row.personID)
        let klass = try await req.trainingQuery.findClass(row.classID)
        guard row.trainingResult == .completed, let number = row.certificateNumber else {
            throw HamletError.conflict("Chưa có giấy chứng nhận: học viên cần hoàn thành lớp và được cấp số.")
        }
        let organiser = try await Organisation.find(klass.organiserID, on: req.db)
        let names = try await AssignmentViews(db: req.db).names(ofUnits: [klass.unitCode])
        let issued = DayDate(row.certificateDate ?? klass.endDate) ?? DayDate.today()
        let province = try await AdminUnit.query(on: req.db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$path == String(klass.unitPath.prefix(3))).first()
        return try await req.view.render("training/certificate", CertificatePage(
            organiser: (organiser?.name ?? "").uppercased(), fullName: person.fullName,
            birthDate: person.birthDate.flatMap { DayDate($0)?.vietnamese } ?? "", course: klass.course.name, kind: klass.course.courseKind.label.lowercased(),
            dates: "từ ngày \(DayDate(klass.startDate)?.vietnamese ?? "") đến ngày \(DayDate(klass.endDate)?.vietnamese ?? "")",
            place: names[klass.unitCode] ?? "", number: number,
            issuedOn: VietnameseFormat.officialDate(day: issued.day, month: issued.month, year: issued.year),
            hours: klass.course.hours, result: row.score.map { "Điểm: " + VietnameseFormat.decimal($0) } ?? "",
            placeName: province?.shortName ?? "")).encodeResponse(for: req)
    }
}
