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

/// Steering boards of a plan and their dated members, inside the account's subtree.
package struct BoardService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?
    package let today: DayDate

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil, today: DayDate) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
        self.today = today
    }

    package func boards(_ plan: Plan) async throws -> [SteeringBoard] {
        try await SteeringBoard.query(on: db).filter(\.$planID == (try plan.requireID()))
            .filter(\.$unitPath >= scope.path).filter(\.$unitPath < AccessScope.upperBound(scope.path)).sort(\.$name).all()
    }

    package func find(_ plan: Plan, _ id: UUID?) async throws -> SteeringBoard {
        guard let id, let b = try await SteeringBoard.find(id, on: db), b.planID == plan.id, scope.contains(path: b.unitPath) else { throw HamletError.notFound }
        return b
    }

    package func requireEditor() throws -> any ActingAccount {
        guard let user = actor, user.role.canEditWorkforce else { throw HamletError.forbidden }
        return user
    }

    package func create(_ plan: Plan, _ input: BoardInput) async throws -> SteeringBoard {
        _ = try requireEditor()
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 300 else { throw HamletError.invalid("name", "Ghi tên ban chỉ đạo, tổ công tác (tối đa 300 ký tự).") }
        let code = (input.unitCode ?? "").trimmingCharacters(in: .whitespaces)
        guard let unit = try await UnitDirectory(db: db, scope: scope).find(.current, code), scope.contains(path: unit.path), unit.path.hasPrefix(plan.scopePath) else {
            throw HamletError.invalid("unitCode", "Cấp của ban phải là đơn vị trong phạm vi của bạn và của kế hoạch.")
        }
        var established: DayDate?
        if let raw = input.establishedOn?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            guard let day = DayDate(raw) else { throw HamletError.invalid("establishedOn", "Ngày thành lập viết như 15/06/2021.") }
            established = day
        }
        let b = SteeringBoard()
        b.planID = try plan.requireID(); b.name = name; b.unitCode = unit.code; b.unitPath = unit.path
        b.decision = input.decision?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty; b.establishedOn = established?.iso
        try await db.writeTransaction { tx in
            try await b.save(on: tx)
            var changes = AuditChanges()
            changes.add("name", nil, name); changes.add("unit", nil, unit.code); changes.add("decision", nil, b.decision)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "create", entity: "steering-board", entityID: b.id?.uuidString, scopePath: unit.path, changes: changes)
        }
        return b
    }

    /// Adds a seat. The same person, or the same title at the same agency, may not sit twice at once.
    package func addMember(_ board: SteeringBoard, _ input: MemberInput) async throws -> BoardMember {
        _ = try requireEditor()
        let title = (input.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (input.personId == nil) != title.isEmpty else {
            throw HamletError.invalid("personId", "Chọn một người trong sổ, hoặc ghi chức danh và cơ quan (không cả hai).")
        }
        var name = title
        if let person = input.personId {
            guard let p = try? await PeopleQuery(db: db, scope: scope).find(person) else { throw HamletError.invalid("personId", "Người này không có trong sổ thuộc phạm vi của bạn.") }
            name = p.fullName
        } else {
            guard title.count <= 300 else { throw HamletError.invalid("title", "Chức danh dài quá 300 ký tự.") }
            guard let org = input.organisationId, try await Organisation.find(org, on: db) != nil else {
                throw HamletError.invalid("organisationId", "Chọn cơ quan của chức danh.")
            }
        }
        guard let role = input.role.flatMap(BoardRole.init(rawValue:)) else { throw HamletError.invalid("role", "Chọn vai trò trong ban.") }
        guard let from = input.fromOn.flatMap(DayDate.init) else { throw HamletError.invalid("fromOn", "Ngày bắt đầu viết như 15/06/2021.") }
        var to: DayDate?
        if let raw = input.toOn?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            guard let day = DayDate(raw), day >= from else { throw HamletError.invalid("toOn", "Ngày thôi phải từ ngày bắt đầu trở đi.") }
            to = day
        }
        let seats = try await BoardMember.query(on: db).filter(\.$boardID == (try board.requireID())).all()
        for s in seats where input.personId != nil ? s.personID == input.personId : (s.title.map(VietnameseText.folded) == VietnameseText.folded(title) && s.organisationID == input.organisationId) {
            // Two dated spans overlap when each starts before the other ends.
            if s.fromOn <= (to?.iso ?? "9999-12-31") && from.iso <= (s.toOn ?? "9999-12-31") {
                let span = (DayDate(s.fromOn)?.vietnamese ?? s.fromOn) + (s.toOn.flatMap(DayDate.init).map { " đến " + $0.vietnamese } ?? "")
                throw HamletError.invalid(input.personId != nil ? "personId" : "title", "\(name) đã là thành viên của ban từ \(span).")
            }
        }
        let m = BoardMember()
        m.boardID = try board.requireID(); m.personID = input.personId; m.title = title.nilIfEmpty
        m.organisationID = input.personId == nil ? input.organisationId : nil; m.role = role.rawValue; m.fromOn = from.iso; m.toOn = to?.iso
        let (shown, until) = (name, to)
        try await db.writeTransaction { tx in
            try await m.save(on: tx)
            var changes = AuditChanges()
            changes.add("member", nil, shown); changes.add("role", nil, role.rawValue); changes.add("fromOn", nil, from.iso); changes.add("toOn", nil, until?.iso)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "add-member", entity: "steering-board", entityID: board.id?.uuidString, scopePath: board.unitPath, changes: changes)
        }
        return m
    }

    /// A member leaves on a day (not before they joined); the seat's history stays.
    package func endMember(_ board: SteeringBoard, _ id: UUID?, _ input: MemberEnd) async throws {
        _ = try requireEditor()
        guard let id, let m = try await BoardMember.find(id, on: db), m.boardID == board.id else { throw HamletError.notFound }
        guard m.toOn == nil else { throw HamletError.conflict("Thành viên này đã thôi từ ngày \(DayDate(m.toOn!)?.vietnamese ?? m.toOn!).") }
        guard let to = input.toOn.flatMap(DayDate.init), to.iso >= m.fromOn else { throw HamletError.invalid("toOn", "Ngày thôi phải từ ngày bắt đầu trở đi.") }
        m.toOn = to.iso
        try await db.writeTransaction { tx in
            try await m.save(on: tx)
            var changes = AuditChanges()
            changes.add("toOn", nil, to.iso)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "end-member", entity: "steering-board", entityID: board.id?.uuidString, scopePath: board.unitPath, changes: changes)
        }
    }

    package func dto(_ b: SteeringBoard) async throws -> BoardDTO {
        let id = try b.requireID()
        let seats = try await BoardMember.query(on: db).filter(\.$boardID == id).all()
        let people = Dictionary(uniqueKeysWithValues: try await Person.query(on: db).filter(\.$id ~~ seats.compactMap(\.personID)).all().map { ($0.id!, $0) })
        let orgs = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).filter(\.$id ~~ seats.compactMap(\.organisationID)).all().map { ($0.id!, $0.name) })
        let order = BoardRole.allCases.map(\.rawValue)
        let members = seats.map { s in
            BoardDTO.Member(id: s.id, personId: s.personID,
                            name: s.personID.flatMap { people[$0]?.fullName } ?? ((s.title ?? "") + (s.organisationID.flatMap { orgs[$0] }.map { ", " + $0 } ?? "")),
                            role: s.role, roleLabel: English.say(BoardRole(rawValue: s.role)?.label ?? s.role), fromOn: s.fromOn, toOn: s.toOn,
                            current: s.fromOn <= today.iso && (s.toOn ?? "9999-12-31") >= today.iso)
        }.sorted { ($0.current ? 0 : 1, order.firstIndex(of: $0.role) ?? 9, $0.fromOn) < ($1.current ? 0 : 1, order.firstIndex(of: $1.role) ?? 9, $1.fromOn) }
        let meetings = try await PlanActivity.query(on: db).filter(\.$boardID == id).sort(\.$heldOn, .descending).all()
        var named: [UUID: Int] = [:]
        for p in try await ActivityPerson.query(on: db).filter(\.$activityID ~~ meetings.compactMap(\.id)).all() { named[p.activityID, default: 0] += 1 }
        let unit = try await UnitTree.units(atPaths: [b.unitPath], on: db)[b.unitPath]
        return BoardDTO(id: id, planId: b.planID, name: b.name, unitCode: b.unitCode, unitName: unit?.name ?? b.unitCode, decision: b.decision, establishedOn: b.establishedOn,
                        members: members,
                        meetings: meetings.map { .init(id: $0.id, title: $0.title, heldOn: $0.heldOn,
                                                       participants: ActivityFigures.participants(male: $0.male, female: $0.female, named: named[$0.id!] ?? 0)) })
    }
}
