import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletWorkforce

/// Recording a plan's activities, inside the account's subtree and the plan's scope and years.
package struct ActivityService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?
    package let today: DayDate

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil, today: DayDate) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
        self.today = today
    }

    /// The plan's activities the account may see (held in its subtree), newest first.
    package func list(_ plan: Plan, kind: ActivityKind? = nil, year: Int? = nil) async throws -> [PlanActivity] {
        let query = PlanActivity.query(on: db).filter(\.$planID == (try plan.requireID()))
            .filter(\.$unitPath >= scope.path).filter(\.$unitPath < AccessScope.upperBound(scope.path))
        if let kind { query.filter(\.$kind == kind.rawValue) }
        if let year { query.filter(\.$heldOn >= String(format: "%04d-01-01", year)).filter(\.$heldOn <= String(format: "%04d-12-31", year)) }
        return try await query.sort(\.$heldOn, .descending).sort(\.$title).limit(1000).all()
    }

    package func find(_ plan: Plan, _ id: UUID?) async throws -> PlanActivity {
        guard let id, let a = try await PlanActivity.find(id, on: db), a.planID == plan.id, scope.contains(path: a.unitPath) else { throw HamletError.notFound }
        return a
    }

    /// Officers record what happened in their own units.
    package var mayRecord: Bool { actor?.role.canEditWorkforce ?? false }

    package func requireRecorder() throws -> any ActingAccount {
        guard let user = actor, mayRecord else { throw HamletError.forbidden }
        return user
    }

    package struct Checked {
        package var unit: AdminUnit
        package var held: DayDate
        package var ends: DayDate?
        package var kind: ActivityKind
        package var title: String
        package var people: [UUID]
        package var followUps: [(String, DayDate)]
        package init(unit: AdminUnit, held: DayDate, ends: DayDate? = nil, kind: ActivityKind, title: String, people: [UUID],
                     followUps: [(String, DayDate)]) {
            (self.unit, self.held, self.ends, self.kind) = (unit, held, ends, kind)
            (self.title, self.people, self.followUps) = (title, people, followUps)
        }
    }

    /// Every rule of an activity; the first problem is thrown with its field.
    package func check(_ plan: Plan, _ input: ActivityInput) async throws -> Checked {
        guard let kind = input.kind.flatMap(ActivityKind.init(rawValue:)) else { throw HamletError.invalid("kind", "Chọn loại hoạt động.") }
        let title = (input.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= 300 else { throw HamletError.invalid("title", "Ghi tên hoạt động (tối đa 300 ký tự).") }
        guard let held = input.heldOn.flatMap(DayDate.init) else { throw HamletError.invalid("heldOn", "Ngày tổ chức viết như 25/03/2025.") }
        guard (plan.fromYear...plan.toYear).contains(held.year) else {
            throw HamletError.invalid("heldOn", "Ngày \(held.vietnamese) ngoài thời gian của kế hoạch (\(plan.fromYear)–\(plan.toYear)).")
        }
        var ends: DayDate?
        if let raw = input.endsOn?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            guard let day = DayDate(raw), day >= held, day.year <= plan.toYear else {
                throw HamletError.invalid("endsOn", "Ngày kết thúc phải từ ngày tổ chức đến hết thời gian của kế hoạch.")
            }
            ends = day
        }
        let code = (input.unitCode ?? "").trimmingCharacters(in: .whitespaces)
        guard let unit = try await UnitDirectory(db: db, scope: scope).find(.current, code), scope.contains(path: unit.path),
              unit.path.hasPrefix(plan.scopePath) else {
            throw HamletError.invalid("unitCode", "Nơi tổ chức phải là đơn vị trong phạm vi của bạn và của kế hoạch.")
        }
        if let task = input.taskId {
            guard let t = try await PlanTask.find(task, on: db), t.planID == plan.id else { throw HamletError.invalid("taskId", "Nhiệm vụ không thuộc kế hoạch này.") }
        }
        if let board = input.boardId {
            guard let b = try await SteeringBoard.find(board, on: db), b.planID == plan.id else { throw HamletError.invalid("boardId", "Ban chỉ đạo không thuộc kế hoạch này.") }
            guard kind == .meeting else { throw HamletError.invalid("kind", "Hoạt động của ban chỉ đạo là một cuộc họp.") }
        }
        for (field, value) in [("male", input.male), ("female", input.female), ("reached", input.reached)] where (value ?? 0) < 0 || (value ?? 0) > 10_000_000 {
            throw HamletError.invalid(field, "Số người là số nguyên từ 0 trở lên.")
        }
        for (field, value) in [("spentCentral", input.spentCentral), ("spentLocal", input.spentLocal), ("spentOther", input.spentOther)] where (value ?? 0) < 0 {
            throw HamletError.invalid(field, "Kinh phí là số đồng, từ 0 trở lên.")
        }
        for (field, value) in [("place", input.place), ("organiser", input.organiser), ("outputs", input.outputs), ("findings", input.findings), ("decisions", input.decisions)]
            where (value ?? "").count > 4000 {
            throw HamletError.invalid(field, "Nội dung dài quá 4000 ký tự.")
        }
        let people = Array(Set(input.personIds ?? []))
        if !people.isEmpty {
            let finder = PeopleQuery(db: db, scope: scope)
            for id in people where (try? await finder.find(id)) == nil {
                throw HamletError.invalid("personIds", "Có người tham dự không có trong sổ thuộc phạm vi của bạn.")
            }
        }
        var followUps: [(String, DayDate)] = []
        for f in input.followUps ?? [] {
            let text = (f.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty && (f.dueOn ?? "").isEmpty { continue }
            guard !text.isEmpty, text.count <= 1000 else { throw HamletError.invalid("followUps", "Ghi việc cần làm sau giám sát (tối đa 1000 ký tự).") }
            guard let due = f.dueOn.flatMap(DayDate.init), due >= held else { throw HamletError.invalid("followUps", "Hạn của việc cần làm phải là một ngày từ ngày tổ chức trở đi.") }
            followUps.append((text, due))
        }
        return Checked(unit: unit, held: held, ends: ends, kind: kind, title: title, people: people, followUps: followUps)
    }

    /// Records a new activity, or changes one (the attendees given replace those named; follow-ups given are added).
    package func save(_ plan: Plan, _ input: ActivityInput, into existing: PlanActivity? = nil) async throws -> PlanActivity {
        let user = try requireRecorder()
        let c = try await check(plan, input)
        let a = existing ?? PlanActivity()
        let before = existing.map(Self.summary)
        a.planID = try plan.requireID(); a.taskID = input.taskId; a.boardID = input.boardId; a.kind = c.kind.rawValue; a.title = c.title
        a.heldOn = c.held.iso; a.endsOn = c.ends?.iso; a.unitCode = c.unit.code; a.unitPath = c.unit.path
        a.place = input.place?.nilIfEmpty; a.organiser = input.organiser?.nilIfEmpty; a.male = input.male; a.female = input.female; a.reached = input.reached
        a.spentCentral = input.spentCentral; a.spentLocal = input.spentLocal; a.spentOther = input.spentOther
        a.outputs = input.outputs?.nilIfEmpty; a.findings = input.findings?.nilIfEmpty; a.decisions = input.decisions?.nilIfEmpty
        if existing == nil { a.recordedBy = user.username; a.recordedOn = today.iso }
        try await db.writeTransaction { tx in
            try await a.save(on: tx)
            let id = try a.requireID()
            // Attendees given are the whole list; none given leaves them as they are.
            if input.personIds != nil {
                try await ActivityPerson.query(on: tx).filter(\.$activityID == id).delete()
                for p in c.people { let row = ActivityPerson(); row.activityID = id; row.personID = p; try await row.create(on: tx) }
            }
            for (text, due) in c.followUps {
                let f = ActivityFollowUp(); f.activityID = id; f.text = text; f.dueOn = due.iso; try await f.create(on: tx)
            }
            var changes = AuditChanges()
            let after = Self.summary(a)
            for key in after.keys.sorted() { changes.add(key, before?[key] ?? nil, after[key] ?? nil) }
            if input.personIds != nil { changes.add("people", nil, String(c.people.count)) }
            changes.add("followUps", nil, c.followUps.isEmpty ? nil : String(c.followUps.count))
            try await Audit.record(on: tx, actor: actor, ip: ip, action: existing == nil ? "create" : "update", entity: "plan-activity",
                                   entityID: id.uuidString, scopePath: a.unitPath, changes: changes)
        }
        return a
    }

    package static func summary(_ a: PlanActivity) -> [String: String?] {
        ["kind": a.kind, "title": a.title, "heldOn": a.heldOn, "endsOn": a.endsOn, "unit": a.unitCode, "place": a.place, "organiser": a.organiser,
         "male": a.male.map(String.init), "female": a.female.map(String.init), "reached": a.reached.map(String.init),
         "spent": [a.spentCentral, a.spentLocal, a.spentOther].map { $0.map(String.init) ?? "" }.joined(separator: "/"),
         "outputs": a.outputs, "findings": a.findings, "decisions": a.decisions, "task": a.taskID?.uuidString, "board": a.boardID?.uuidString]
    }

    package func remove(_ plan: Plan, _ a: PlanActivity) async throws {
        _ = try requireRecorder()
        try await db.writeTransaction { tx in
            try await a.delete(on: tx)
            var changes = AuditChanges()
            changes.add("title", a.title, nil); changes.add("heldOn", a.heldOn, nil); changes.add("unit", a.unitCode, nil)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "delete", entity: "plan-activity", entityID: a.id?.uuidString, scopePath: a.unitPath, changes: changes)
        }
    }

    package struct CloseInput: Content {
        package var closedOn: String?
        package var note: String?
        package init(closedOn: String? = nil, note: String? = nil) {
            self.closedOn = closedOn
            self.note = note
        }
    }

    /// Closes a follow-up on a day (not before the visit, not after today), with what was done.
    package func close(_ a: PlanActivity, followUp id: UUID?, _ input: CloseInput) async throws -> ActivityFollowUp {
        _ = try requireRecorder()
        guard let id, let f = try await ActivityFollowUp.find(id, on: db), f.activityID == a.id else { throw HamletError.notFound }
        guard f.closedOn == nil else { throw HamletError.conflict("Việc này đã đóng ngày \(DayDate(f.closedOn!)?.vietnamese ?? f.closedOn!).") }
        guard let day = input.closedOn.flatMap(DayDate.init), day.iso >= a.heldOn, day <= today else {
            throw HamletError.invalid("closedOn", "Ngày hoàn thành phải từ ngày giám sát đến hôm nay.")
        }
        let note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw HamletError.invalid("note", "Ghi việc đã làm để đóng.") }
        f.closedOn = day.iso; f.closingNote = note
        try await db.writeTransaction { tx in
            try await f.save(on: tx)
            var changes = AuditChanges()
            changes.add("closedOn", nil, day.iso); changes.add("note", nil, note)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "close", entity: "plan-activity-followup", entityID: id.uuidString, scopePath: a.unitPath, changes: changes)
        }
        return f
    }

    package func dto(_ a: PlanActivity) async throws -> ActivityDTO { try await dtos([a])[0] }

    /// The activities as the API gives them, with a handful of queries for the whole list.
    package func dtos(_ list: [PlanActivity]) async throws -> [ActivityDTO] {
        let ids = try list.map { try $0.requireID() }
        var names: [UUID: [Person]] = [:], followUps: [UUID: [ActivityFollowUp]] = [:]
        for chunk in ids.chunks(of: 500) {
            for row in try await ActivityPerson.query(on: db).filter(\.$activityID ~~ Array(chunk)).join(Person.self, on: \ActivityPerson.$personID == \Person.$id).all() {
                names[row.activityID, default: []].append(try row.joined(Person.self))
            }
            for f in try await ActivityFollowUp.query(on: db).filter(\.$activityID ~~ Array(chunk)).sort(\.$dueOn).all() { followUps[f.activityID, default: []].append(f) }
        }
        let files = try await self.files(of: ids)
        let units = try await UnitTree.units(atPaths: Array(Set(list.map(\.unitPath))), on: db)
        let tasks = Dictionary(uniqueKeysWithValues: try await PlanTask.query(on: db).filter(\.$id ~~ Array(Set(list.compactMap(\.taskID)))).all().map { ($0.id!, $0.title) })
        let boards = Dictionary(uniqueKeysWithValues: try await SteeringBoard.query(on: db).filter(\.$id ~~ Array(Set(list.compactMap(\.boardID)))).all().map { ($0.id!, $0.name) })
        return zip(list, ids).map { a, id in
            let people = (names[id] ?? []).sorted { $0.sortKey < $1.sortKey }
            let kind = ActivityKind(rawValue: a.kind)
            return ActivityDTO(id: id, planId: a.planID, taskId: a.taskID, task: a.taskID.flatMap { tasks[$0] }, boardId: a.boardID, board: a.boardID.flatMap { boards[$0] },
                               kind: a.kind, kindLabel: English.say(kind?.label ?? a.kind),
                               title: a.title, heldOn: a.heldOn, endsOn: a.endsOn, unitCode: a.unitCode, unitName: units[a.unitPath]?.name ?? a.unitCode,
                               place: a.place, organiser: a.organiser, male: a.male, female: a.female,
                               participants: ActivityFigures.participants(male: a.male, female: a.female, named: people.count), reached: a.reached,
                               spentCentral: a.spentCentral, spentLocal: a.spentLocal, spentOther: a.spentOther,
                               spent: (a.spentCentral ?? 0) + (a.spentLocal ?? 0) + (a.spentOther ?? 0),
                               outputs: a.outputs, findings: a.findings, decisions: a.decisions,
                               people: people.map { .init(id: $0.id!, fullName: $0.fullName) },
                               followUps: (followUps[id] ?? []).map { f in
                                   let state = FollowUpState.of(due: f.dueOn, closed: f.closedOn, asOf: today.iso)
                                   return .init(id: f.id, text: f.text, dueOn: f.dueOn, closedOn: f.closedOn, closingNote: f.closingNote, state: state.rawValue, stateLabel: English.say(state.label))
                               },
                               files: files[id] ?? [],
                               recordedBy: a.recordedBy, recordedOn: a.recordedOn)
        }
    }
}
