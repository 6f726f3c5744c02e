import Vapor
import HamletKit
import Fluent
import HamletWeb
import HamletAccounts

/// Who may open a case. Not the unit scope: a case is seen by its circle only — its caseworker,
/// its supervisor, the managers of its facility, and the receiving side of an active referral
/// (the assignee, or the receiving facility's managers and supervisors) — and, for a limited
/// time and a written reason, by a manager who broke the glass. Everyone else gets 404 and sees
/// the case only as a count. Every way in but break-glass needs a duty the person holds now at
/// the facility concerned: removed from a facility's staff, a caseworker no longer opens the
/// cases still written in their name.
package struct CaseAccess {
    package let db: any Database
    package let user: User

    package init(db: any Database, user: User) {
        self.db = db
        self.user = user
    }

    package enum Level: Equatable { case none, breakGlass, circle }

    /// Only caseworker accounts take people in and open cases; everyone else is refused at once.
    package func requireCaseworker() throws {
        guard user.role == .caseworker else {
            throw HamletError(status: .forbidden, code: "forbidden", message: "Chỉ nhân viên công tác xã hội của cơ sở mới tiếp nhận và lập hồ sơ.", field: nil)
        }
    }

    /// The user's duties by facility ("caseworker", "supervisor", "manager").
    package func duties() async throws -> [UUID: Set<String>] {
        var out: [UUID: Set<String>] = [:]
        for row in try await FacilityStaff.active(on: db).filter(\.$userID == user.id!).all() { out[row.facilityID, default: []].insert(row.duty) }
        return out
    }

    package func level(_ c: CaseFile) async throws -> Level {
        guard let me = user.id else { return .none }
        let duties = try await duties()
        let here = duties[c.facilityID] ?? []
        if !here.isEmpty, c.caseworkerID == me || c.supervisorID == me || here.contains("manager") { return .circle }
        let receiving = duties.filter { !$0.value.isDisjoint(with: ["manager", "supervisor"]) }.map(\.key)
        let referrals = try await CaseReferral.query(on: db).filter(\.$caseID == c.id!).filter(\.$status ~~ ["sent", "accepted"]).all()
        if referrals.contains(where: { ($0.assigneeID == me && duties[$0.toOrganisationID] != nil) || receiving.contains($0.toOrganisationID) }) { return .circle }
        let glass = try await BreakGlass.query(on: db).filter(\.$caseID == c.id!).filter(\.$userID == me).filter(\.$expiresAt > HamletClock.shared.now).count()
        return glass > 0 ? .breakGlass : .none
    }

    /// The ids of every case the user may open, for lists.
    package func visibleIDs() async throws -> [UUID] {
        guard let me = user.id else { return [] }
        let duties = try await duties()
        guard !duties.isEmpty else {
            return try await BreakGlass.query(on: db).filter(\.$userID == me).filter(\.$expiresAt > HamletClock.shared.now).all().map(\.caseID)
        }
        let facilities = Array(duties.keys)
        let managed = duties.filter { $0.value.contains("manager") }.map(\.key)
        let receiving = duties.filter { !$0.value.isDisjoint(with: ["manager", "supervisor"]) }.map(\.key)
        var ids = Set(try await CaseFile.query(on: db).group(.or) { or in
            or.group(.and) { mine in
                mine.filter(\.$facilityID ~~ facilities).group(.or) { $0.filter(\.$caseworkerID == me).filter(\.$supervisorID == me) }
            }
            if !managed.isEmpty { or.filter(\.$facilityID ~~ managed) }
        }.all(\.$id))
        for r in try await CaseReferral.query(on: db).filter(\.$status ~~ ["sent", "accepted"]).group(.or, { or in
            or.group(.and) { $0.filter(\.$assigneeID == me).filter(\.$toOrganisationID ~~ facilities) }
            if !receiving.isEmpty { or.filter(\.$toOrganisationID ~~ receiving) }
        }).all() { ids.insert(r.caseID) }
        for g in try await BreakGlass.query(on: db).filter(\.$userID == me).filter(\.$expiresAt > HamletClock.shared.now).all() { ids.insert(g.caseID) }
        return Array(ids)
    }

    /// The case, if the user may open it; 404 otherwise, never 403 (a 403 would say it exists).
    func open(_ id: UUID?, allowBreakGlass: Bool = true) async throws -> (CaseFile, Level) {
        guard let id, let c = try await CaseFile.find(id, on: db) else { throw HamletError.notFound }
        let level = try await level(c)
        guard level == .circle || (allowBreakGlass && level == .breakGlass) else { throw HamletError.notFound }
        return (c, level)
    }

    /// A served person's record: through any case of theirs the user may open, as a manager of
    /// the facility that made it, or as the one who made it while no case is open yet.
    package func person(_ id: UUID?) async throws -> ServedPerson {
        guard let id, let p = try await ServedPerson.find(id, on: db) else { throw HamletError.notFound }
        let duties = try await duties()
        if duties[p.facilityID]?.contains("manager") == true { return p }
        let cases = try await CaseFile.query(on: db).filter(\.$personID == id).all()
        if cases.isEmpty && p.createdBy == user.id && duties[p.facilityID] != nil { return p }
        for c in cases where try await level(c) != .none { return p }
        throw HamletError.notFound
    }

    /// Whether the user may break the glass on this case: an administrator or provincial officer
    /// whose scope holds the facility, or the manager of any facility inside that scope.
    package func mayBreakGlass(_ c: CaseFile) async throws -> Bool {
        guard user.scope.contains(path: c.facilityPath) else { return false }
        if [.admin, .provinceOfficer].contains(user.role) { return true }
        return try await duties().values.contains { $0.contains("manager") }
    }
}
