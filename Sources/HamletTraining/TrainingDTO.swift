import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations
import HamletWorkforce

package struct CourseDTO: Content {
    package var id: UUID?
    package var name: String
    package var kind: String
    package var kindLabel: String
    package var level: String?
    package var levelLabel: String?
    package var domains: [String]
    package var hours: Int
    package var curriculum: String?
    package var sessions: Int?
    /// 10 unless the course states another scale.
    package var scoreScale: Double
    package var minimumSessions: Int?

    package init(_ c: Course) {
        id = c.id; name = c.name; kind = c.kind; kindLabel = c.courseKind.label; level = c.level
        levelLabel = c.level.flatMap(QualificationLevel.init(rawValue:))?.label
        domains = c.domains.map(\.rawValue); hours = c.hours; curriculum = c.curriculum
        sessions = c.sessions; scoreScale = c.resultRules.scoreScale; minimumSessions = c.minimumSessions
    }
}

package struct BudgetDTO: Content {
    package var source: String
    package var sourceLabel: String
    package var planned: Int64
    package var spent: Int64
    package init(source: String, sourceLabel: String, planned: Int64, spent: Int64) {
        (self.source, self.sourceLabel, self.planned, self.spent) = (source, sourceLabel, planned, spent)
    }
}

package struct ClassDTO: Content {
    package var id: UUID?
    package var course: CourseDTO
    package var organiserId: UUID
    package var organiserName: String
    package var partners: String?
    package var unitCode: String
    package var unitName: String
    package var startDate: String
    package var endDate: String
    package var capacity: Int?
    package var status: String
    package var statusLabel: String
    package var planTaskId: UUID?
    package var note: String?
    package var budget: [BudgetDTO]
    /// Only the learners the account may see are counted.
    package var participants: Int
    package var completed: Int

    package init(id: UUID? = nil, course: CourseDTO, organiserId: UUID, organiserName: String, partners: String? = nil,
                 unitCode: String, unitName: String, startDate: String, endDate: String, capacity: Int? = nil, status: String,
                 statusLabel: String, planTaskId: UUID? = nil, note: String? = nil, budget: [BudgetDTO], participants: Int,
                 completed: Int) {
        (self.id, self.course, self.organiserId, self.organiserName) = (id, course, organiserId, organiserName)
        (self.partners, self.unitCode, self.unitName, self.startDate) = (partners, unitCode, unitName, startDate)
        (self.endDate, self.capacity, self.status, self.statusLabel) = (endDate, capacity, status, statusLabel)
        (self.planTaskId, self.note, self.budget, self.participants) = (planTaskId, note, budget, participants)
        self.completed = completed
    }
}

package struct ParticipantDTO: Content {
    package var id: UUID?
    package var personId: UUID
    package var fullName: String
    package var birthDate: String?
    package var cccd: String?
    package var homeUnitCode: String
    package var attended: Int?
    package var result: String?
    package var resultLabel: String?
    package var score: Double?
    package var certificateNumber: String?
    package var certificateDate: String?
    package var completionReason: String?

    package init(_ row: Participation, _ person: Person) {
        id = row.id; personId = person.id!; fullName = person.fullName; birthDate = person.birthDate; cccd = person.cccd
        homeUnitCode = person.homeUnitCode; attended = row.attended; result = row.result; resultLabel = row.trainingResult?.label
        score = row.score; certificateNumber = row.certificateNumber; certificateDate = row.certificateDate
        completionReason = row.completionReason
    }
}

package struct HistoryDTO: Content {
    package var classId: UUID?
    package var course: String
    package var kind: String
    package var level: String?
    package var startDate: String
    package var endDate: String
    package var status: String
    package var result: String?
    package var resultLabel: String?
    package var certificateNumber: String?
    package var participationId: UUID?

    package init(classId: UUID? = nil, course: String, kind: String, level: String? = nil, startDate: String, endDate: String,
                 status: String, result: String? = nil, resultLabel: String? = nil, certificateNumber: String? = nil,
                 participationId: UUID? = nil) {
        (self.classId, self.course, self.kind, self.level) = (classId, course, kind, level)
        (self.startDate, self.endDate, self.status, self.result) = (startDate, endDate, status, result)
        (self.resultLabel, self.certificateNumber, self.participationId) = (resultLabel, certificateNumber, participationId)
    }
}

/// Builds class views with the names around them, a few queries for any number of classes.
package struct ClassViews {
    package let db: any Database
    package let scope: AccessScope

    package init(db: any Database, scope: AccessScope) { self.db = db; self.scope = scope }

    package func make(_ classes: [TrainingClass]) async throws -> [ClassDTO] {
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
package enum TrainingParams {
    package static func list<T: RawRepresentable>(_ req: Request, _ key: String, _ type: T.Type) throws -> [T] where T.RawValue == String {
        let raw: [String] = (req.query[key] as String?).map { CoverageRoutes.list($0) } ?? []
        return try raw.map { value in
            guard let v = T(rawValue: value) else { throw HamletError.invalid(key, "Giá trị không hợp lệ: «\(value)».") }
            return v
        }
    }

    /// `prefix` "trained" reads trainedCourseKinds, trainedSince, … (the registry's filter).
    package static func trained(_ req: Request, prefix: String = "") throws -> TrainedCriteria {
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

    package static func staff(_ req: Request) throws -> StaffCriteria {
        StaffCriteria(domains: try list(req, "domains", WorkDomain.self), kinds: try list(req, "kinds", EmploymentKind.self))
    }

    package static func date(_ req: Request, _ key: String = "date") throws -> String {
        guard let raw: String = req.query[key], !raw.isEmpty else { return DayDate.today().iso }
        guard let day = DayDate(raw) else { throw HamletError.invalid(key, "Ngày không hợp lệ (dd/MM/yyyy).") }
        return day.iso
    }

    package static func unit(_ req: Request) async throws -> AdminUnit? { try await req.unitAsked(req.query["unit"]) }
}
