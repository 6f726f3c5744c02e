import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations
import HamletWorkforce

struct CourseDTO: Content {
    var id: UUID?
    var name: String
    var kind: String
    var kindLabel: String
    var level: String?
    var levelLabel: String?
    var domains: [String]
    var hours: Int
    var curriculum: String?
    var sessions: Int?
    /// 10 unless the course states another scale.
    var scoreScale: Double
    var minimumSessions: Int?

    init(_ c: Course) {
        id = c.id; name = c.name; kind = c.kind; kindLabel = c.courseKind.label; level = c.level
        levelLabel = c.level.flatMap(QualificationLevel.init(rawValue:))?.label
        domains = c.domains.map(\.rawValue); hours = c.hours; curriculum = c.curriculum
        sessions = c.sessions; scoreScale = c.resultRules.scoreScale; minimumSessions = c.minimumSessions
    }
}

struct BudgetDTO: Content { var source: String; var sourceLabel: String; var planned: Int64; var spent: Int64 }

struct ClassDTO: Content {
    var id: UUID?
    var course: CourseDTO
    var organiserId: UUID
    var organiserName: String
    var partners: String?
    var unitCode: String
    var unitName: String
    var startDate: String
    var endDate: String
    var capacity: Int?
    var status: String
    var statusLabel: String
    var planTaskId: UUID?
    var note: String?
    var budget: [BudgetDTO]
    /// Only the learners the account may see are counted.
    var participants: Int
    var completed: Int
}

struct ParticipantDTO: Content {
    var id: UUID?
    var personId: UUID
    var fullName: String
    var birthDate: String?
    var cccd: String?
    var homeUnitCode: String
    var attended: Int?
    var result: String?
    var resultLabel: String?
    var score: Double?
    var certificateNumber: String?
    var certificateDate: String?
    var completionReason: String?

    init(_ row: Participation, _ person: Person) {
        id = row.id; personId = person.id!; fullName = person.fullName; birthDate = person.birthDate; cccd = person.cccd
        homeUnitCode = person.homeUnitCode; attended = row.attended; result = row.result; resultLabel = row.trainingResult?.label
        score = row.score; certificateNumber = row.certificateNumber; certificateDate = row.certificateDate
        completionReason = row.completionReason
    }
}

struct HistoryDTO: Content {
    var classId: UUID?
    var course: String
    var kind: String
    var level: String?
    var startDate: String
    var endDate: String
    var status: String
    var result: String?
    var resultLabel: String?
    var certificateNumber: String?
    var participationId: UUID?
}

/// Builds class views with the names around them, a few queries for any number of classes.
struct ClassViews {
    let db: any Database
    let scope: AccessScope

    func make(_ classes: [TrainingClass]) async throws -> [ClassDTO] {
        let ids = classes.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let organisers = try await Organisation.query(on: db).filter(\.$id ~~ classes.map(\.organiserID)).all()
        let orgNames = Dictionary(uniqueKeysWithValues: organisers.compactMap { o in o.id.map { ($0, o.name) } })
        let units = try await AssignmentViews(db: db).names(ofUnits: classes.map(\.unitCode))
        let lines = try await ClassBudgetLine.query(on: db).filter(\.$classID ~~ ids).all()
        let rows = try await Participation.query(on: db).filter(\.$classID ~~ ids).all()
        let visible = scope.isNation ? Set(rows.map(\.personID))
            : Set(try await PeopleQuery(db: db, scope: scope).visible().filter(\.$id ~~ Array(Set(rows.map(\.personID)))).all().compactMap(\.id))
        return classes.map { c in
            let mine = rows.filter { $0.classID == c.id && visible.contains($0.personID) }
            return ClassDTO(id: c.id, course: CourseDTO(c.course), organiserId: c.organiserID, organiserName: orgNames[c.organiserID] ?? "",
                            partners: c.partners, unitCode: c.unitCode, unitName: units[c.unitCode] ?? c.unitCode,
                            startDate: c.startDate, endDate: c.endDate, capacity: c.capacity, status: c.status, statusLabel: c.classStatus.label,
                            planTaskId: c.planTaskID, note: c.note,
                            budget: lines.filter { $0.classID == c.id }.sorted { $0.source < $1.source }.map {
                                BudgetDTO(source: $0.source, sourceLabel: FundingSource(rawValue: $0.source)?.label ?? $0.source, planned: $0.planned, spent: $0.spent)
                            },
                            participants: mine.count, completed: mine.filter { $0.result == TrainingResult.completed.rawValue }.count)
        }
    }
}

/// Reading the figures' criteria from a query string, the same for the API and the pages.
enum TrainingParams {
    static func list<T: RawRepresentable>(_ req: Request, _ key: String, _ type: T.Type) throws -> [T] where T.RawValue == String {
        let raw: [String] = (req.query[key] as String?).map { CoverageRoutes.list($0) } ?? []
        return try raw.map { value in
            guard let v = T(rawValue: value) else { throw HamletError.invalid(key, "Giá trị không hợp lệ: «\(value)».") }
            return v
        }
    }

    /// `prefix` "trained" reads trainedCourseKinds, trainedSince, … (the registry's filter).
    static func trained(_ req: Request, prefix: String = "") throws -> TrainedCriteria {
        func key(_ name: String) -> String { prefix.isEmpty ? name : prefix + name.prefix(1).uppercased() + name.dropFirst() }
        var c = TrainedCriteria()
        c.courseKinds = try list(req, key("courseKinds"), CourseKind.self)
        c.courseDomains = try list(req, key("courseDomains"), WorkDomain.self)
        if let raw: String = req.query[key("minLevel")], !raw.isEmpty {
            guard let level = QualificationLevel(rawValue: raw), level != .none else { throw HamletError.invalid(key("minLevel"), "Trình độ không hợp lệ.") }
            c.minLevel = level
        }
        let levels = try list(req, key("levels"), QualificationLevel.self)
        if levels.contains(.none) { throw HamletError.invalid(key("levels"), "Trình độ không hợp lệ.") }
        if !levels.isEmpty { c.levels = levels }
        if let raw: String = req.query[key("since")], !raw.isEmpty {
            guard let day = DayDate(raw) else { throw HamletError.invalid(key("since"), "Ngày không hợp lệ (dd/MM/yyyy).") }
            c.since = day.iso
        }
        return c
    }

    static func staff(_ req: Request) throws -> StaffCriteria {
        StaffCriteria(domains: try list(req, "domains", WorkDomain.self), kinds: try list(req, "kinds", EmploymentKind.self))
    }

    static func date(_ req: Request, _ key: String = "date") throws -> String {
        guard let raw: String = req.query[key], !raw.isEmpty else { return DayDate.today().iso }
        guard let day = DayDate(raw) else { throw HamletError.invalid(key, "Ngày không hợp lệ (dd/MM/yyyy).") }
        return day.iso
    }

    static func unit(_ req: Request) async throws -> AdminUnit? { try await req.unitAsked(req.query["unit"]) }
}
