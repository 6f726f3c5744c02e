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

package struct CourseInput: Content {
    package var name: String?
    package var kind: String?
    package var level: String?
    package var domains: [String]?
    package var hours: Int?
    package var curriculum: String?
    package var sessions: Int?
    package var scoreScale: Double?
    package var minimumSessions: Int?

    package init(name: String? = nil, kind: String? = nil, level: String? = nil, domains: [String]? = nil, hours: Int? = nil,
                 curriculum: String? = nil, sessions: Int? = nil, scoreScale: Double? = nil, minimumSessions: Int? = nil) {
        (self.name, self.kind, self.level, self.domains) = (name, kind, level, domains)
        (self.hours, self.curriculum, self.sessions, self.scoreScale) = (hours, curriculum, sessions, scoreScale)
        self.minimumSessions = minimumSessions
    }
}

package struct BudgetInput: Content {
    package var source: String
    package var planned: Int64?
    package var spent: Int64?

    package init(source: String, planned: Int64? = nil, spent: Int64? = nil) {
        (self.source, self.planned, self.spent) = (source, planned, spent)
    }
}

package struct ClassInput: Content {
    package var courseId: UUID?
    package var organiserId: UUID?
    package var partners: String?
    package var unitCode: String?
    package var startDate: String?
    package var endDate: String?
    package var capacity: Int?
    package var status: String?
    package var planTaskId: UUID?
    package var note: String?
    package var budget: [BudgetInput]?

    package init(courseId: UUID? = nil, organiserId: UUID? = nil, partners: String? = nil, unitCode: String? = nil,
                 startDate: String? = nil, endDate: String? = nil, capacity: Int? = nil, status: String? = nil,
                 planTaskId: UUID? = nil, note: String? = nil, budget: [BudgetInput]? = nil) {
        (self.courseId, self.organiserId, self.partners, self.unitCode) = (courseId, organiserId, partners, unitCode)
        (self.startDate, self.endDate, self.capacity, self.status) = (startDate, endDate, capacity, status)
        (self.planTaskId, self.note, self.budget) = (planTaskId, note, budget)
    }
}

/// The course catalogue and the classes: every rule checked before anything is stored.
package struct TrainingService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
    }

    // MARK: Courses

    package func saveCourse(_ input: CourseInput, into course: Course = Course()) async throws -> Course {
        let creating = course.id == nil
        let name = VietnameseText.normalized(input.name ?? "")
        guard !name.isEmpty, name.count <= 300 else { throw HamletError.invalid("name", "Cần tên khoá học (tối đa 300 ký tự).") }
        guard let kind = input.kind.flatMap(CourseKind.init(rawValue:)) else {
            throw HamletError.invalid("kind", "Loại hình không hợp lệ: \(CourseKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var level: String?
        if kind.isFormal {
            guard let raw = input.level, let l = QualificationLevel(rawValue: raw), l != .none else {
                throw HamletError.invalid("level", "Đào tạo cần ghi trình độ: sơ cấp, trung cấp, cao đẳng, đại học, thạc sĩ hoặc tiến sĩ.")
            }
            level = l.rawValue
        } else if let raw = input.level, !raw.isEmpty {
            throw HamletError.invalid("level", "Chỉ khoá đào tạo mới có trình độ; tập huấn và bồi dưỡng thì để trống.")
        }
        let domains = try Self.domains(input.domains)
        guard let hours = input.hours, hours > 0, hours <= 10_000 else { throw HamletError.invalid("hours", "Số giờ học là số nguyên dương.") }
        if let problem = ClassResultRules.check(sessions: input.sessions, scoreScale: input.scoreScale, minimumSessions: input.minimumSessions) {
            throw HamletError.invalid(problem.field, problem.message)
        }
        let curriculum = VietnameseText.normalized(input.curriculum ?? "")
        guard curriculum.count <= 4000 else { throw HamletError.invalid("curriculum", "Nội dung quá dài (tối đa 4.000 ký tự).") }
        var changes = AuditChanges()
        changes.add("name", creating ? nil : course.name, name)
        changes.add("kind", creating ? nil : course.kind, kind.rawValue)
        changes.add("level", creating ? nil : course.level, level)
        changes.add("domains", creating ? nil : course.domains.map(\.rawValue).joined(separator: ","), domains.map(\.rawValue).joined(separator: ","))
        changes.add("hours", creating ? nil : String(course.hours), String(hours))
        changes.add("sessions", creating ? nil : course.sessions.map(String.init), input.sessions.map(String.init))
        changes.add("score_scale", creating ? nil : course.scoreScale.map { String($0) }, input.scoreScale.map { String($0) })
        changes.add("minimum_sessions", creating ? nil : course.minimumSessions.map(String.init), input.minimumSessions.map(String.init))
        course.name = name
        course.searchName = VietnameseText.folded(name)
        course.kind = kind.rawValue
        course.level = level
        course.socialWork = domains.contains(.socialWork)
        course.family = domains.contains(.family)
        course.population = domains.contains(.population)
        course.children = domains.contains(.children)
        course.hours = hours
        course.curriculum = curriculum.nilIfEmpty
        course.sessions = input.sessions
        course.scoreScale = input.scoreScale
        course.minimumSessions = input.minimumSessions
        let audit = changes
        try await db.writeTransaction { tx in
            try await course.save(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: creating ? "create" : "update", entity: "course",
                                   entityID: course.id?.uuidString, scopePath: "", changes: audit)
        }
        return course
    }

    package static func domains(_ raw: [String]?) throws -> [WorkDomain] {
        let domains = try (raw ?? []).filter { !$0.isEmpty }.map { value -> WorkDomain in
            guard let d = WorkDomain(rawValue: value) else {
                throw HamletError.invalid("domains", "Lĩnh vực không hợp lệ: «\(value)». Chọn trong: \(WorkDomain.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return d
        }
        guard !domains.isEmpty else { throw HamletError.invalid("domains", "Chọn ít nhất một lĩnh vực.") }
        return domains
    }

    // MARK: Classes

    package func saveClass(_ input: ClassInput, into klass: TrainingClass = TrainingClass()) async throws -> TrainingClass {
        let creating = klass.id == nil
        guard let courseID = input.courseId, let course = try await Course.find(courseID, on: db) else {
            throw HamletError.invalid("courseId", "Chọn một khoá học có trong danh mục.")
        }
        let organisations = OrganisationService(db: db, scope: AccessScope(code: AccessScope.nationCode, path: ""), actor: actor, ip: ip)
        guard let organiserID = input.organiserId, let organiser = try await organisations.query(.agency).filter(\.$id == organiserID).first() else {
            throw HamletError.invalid("organiserId", "Đơn vị tổ chức phải là một cơ quan có trong danh mục.")
        }
        let directory = UnitDirectory(db: db, scope: scope)
        guard let typed = input.unitCode, let unit = try await directory.pick(typed, field: "unitCode"), scope.contains(path: unit.path) else {
            throw HamletError.invalid("unitCode", "Địa điểm: đơn vị không có hoặc nằm ngoài phạm vi của bạn (gõ tên hoặc mã).")
        }
        guard let start = input.startDate.flatMap(DayDate.init) else { throw HamletError.invalid("startDate", "Ngày khai giảng không hợp lệ (dd/MM/yyyy).") }
        guard let end = input.endDate.flatMap(DayDate.init) else { throw HamletError.invalid("endDate", "Ngày bế giảng không hợp lệ (dd/MM/yyyy).") }
        guard end >= start else { throw HamletError.invalid("endDate", "Ngày bế giảng không được trước ngày khai giảng.") }
        if let capacity = input.capacity, capacity <= 0 || capacity > 100_000 {
            throw HamletError.invalid("capacity", "Số học viên dự kiến là số nguyên dương.")
        }
        guard let status = ClassStatus(rawValue: input.status ?? "planned") else {
            throw HamletError.invalid("status", "Trạng thái không hợp lệ: \(ClassStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if status == .finished, start > DayDate.today() {
            throw HamletError.invalid("status", "Lớp chưa khai giảng thì chưa thể kết thúc.")
        }
        var lines: [FundingSource: (Int64, Int64)] = [:]
        for line in input.budget ?? [] {
            guard let source = FundingSource(rawValue: line.source) else {
                throw HamletError.invalid("budget", "Nguồn kinh phí không hợp lệ: «\(line.source)» (central, local, other).")
            }
            guard lines[source] == nil else { throw HamletError.invalid("budget", "Nguồn «\(source.label)» ghi hai lần.") }
            let planned = line.planned ?? 0, spent = line.spent ?? 0
            guard planned >= 0, planned < 1_000_000_000_000 else { throw HamletError.invalid("budget.\(source.rawValue).planned", "Kinh phí dự kiến (\(source.label)) phải là số không âm.") }
            guard spent >= 0, spent < 1_000_000_000_000 else { throw HamletError.invalid("budget.\(source.rawValue).spent", "Kinh phí đã chi (\(source.label)) phải là số không âm.") }
            lines[source] = (planned, spent)
        }
        let partners = VietnameseText.normalized(input.partners ?? "")
        let note = VietnameseText.normalized(input.note ?? "")
        guard partners.count <= 500 else { throw HamletError.invalid("partners", "Quá dài (tối đa 500 ký tự).") }
        guard note.count <= 2000 else { throw HamletError.invalid("note", "Quá dài (tối đa 2.000 ký tự).") }
        var changes = AuditChanges()
        changes.add("course", creating ? nil : klass.$course.id.uuidString, courseID.uuidString)
        changes.add("organiser", creating ? nil : klass.organiserID.uuidString, organiserID.uuidString)
        changes.add("unit", creating ? nil : klass.unitCode, unit.code)
        changes.add("start_date", creating ? nil : klass.startDate, start.iso)
        changes.add("end_date", creating ? nil : klass.endDate, end.iso)
        changes.add("status", creating ? nil : klass.status, status.rawValue)
        klass.$course.id = try course.requireID()
        klass.organiserID = try organiser.requireID()
        klass.partners = partners.nilIfEmpty
        klass.unitCode = unit.code
        klass.unitPath = unit.path
        klass.startDate = start.iso
        klass.endDate = end.iso
        klass.capacity = input.capacity
        klass.status = status.rawValue
        klass.planTaskID = input.planTaskId
        klass.note = note.nilIfEmpty
        let budget = lines.sorted(by: { $0.key.rawValue < $1.key.rawValue })
        for (source, (planned, spent)) in budget where input.budget != nil { changes.add("budget.\(source.rawValue)", nil, "\(planned)/\(spent)") }
        let audit = changes
        try await db.writeTransaction { tx in
            try await klass.save(on: tx)
            let classID = try klass.requireID()
            if !creating {
                try await Participation.query(on: tx).filter(\.$classID == classID)
                    .set(\.$classEnd, to: klass.endDate).set(\.$classCancelled, to: status == .cancelled).set(\.$courseID, to: klass.$course.id)
                    .update()
            }
            if input.budget != nil {
                try await ClassBudgetLine.query(on: tx).filter(\.$classID == classID).delete()
                for (source, (planned, spent)) in budget {
                    let line = ClassBudgetLine()
                    line.classID = classID
                    line.source = source.rawValue
                    line.planned = planned
                    line.spent = spent
                    try await line.create(on: tx)
                }
            }
            try await Audit.record(on: tx, actor: actor, ip: ip, action: creating ? "create" : "update", entity: "training_class",
                                   entityID: classID.uuidString, scopePath: unit.path, changes: audit)
        }
        klass.$course.value = course // the class is returned with its course, as a read gives it
        return klass
    }
}
