import Foundation
import Fluent
import HamletKit
import HamletWeb
import HamletOrganisations

/// The lists a caseworker's day starts from, each inside the account's own reach: the cases it
/// may open, and the referrals sent to its facilities or to it.
extension CaseAccess {
    /// The cases the account may open (its circles and live break-glass grants), newest first,
    /// each with its next open follow-up and how many are overdue on `today`.
    package func summaries(today: String) async throws -> [CaseSummary] {
        let ids = try await visibleIDs()
        guard !ids.isEmpty else { return [] }
        let cases = try await CaseFile.query(on: db).filter(\.$id ~~ ids).sort(\.$openedOn, .descending).all()
        let people = Dictionary(try await ServedPerson.query(on: db).filter(\.$id ~~ cases.map(\.personID)).all().map { ($0.id!, $0.fullName) }, uniquingKeysWith: { a, _ in a })
        let orgs = try await OrganisationChoices(db: db).names(of: cases.map(\.facilityID))
        var next: [UUID: String] = [:], overdue: [UUID: Int] = [:]
        for f in try await CaseEntry.query(on: db).filter(\.$caseID ~~ ids).filter(\.$kind == "followup").filter(\.$doneOn == nil).sort(\.$onDate).all() {
            if next[f.caseID] == nil { next[f.caseID] = f.onDate }
            if f.onDate < today { overdue[f.caseID, default: 0] += 1 }
        }
        var out: [CaseSummary] = []
        for c in cases {
            let level = try await level(c)
            out.append(CaseSummary(id: c.id, number: c.number, person: people[c.personID] ?? "", stage: c.stage, stageLabel: c.currentStage.label,
                                   facility: orgs[c.facilityID] ?? "", openedOn: c.openedOn, risk: c.risk, nextFollowUp: next[c.id!], overdue: overdue[c.id!] ?? 0,
                                   access: level == .breakGlass ? "break-glass" : "circle"))
        }
        return out
    }

    /// Referrals sent to the facilities the account manages or supervises, or assigned to it, newest first.
    package func incoming() async throws -> [CaseAPI.IncomingReferral] {
        let receiving = try await duties().filter { !$0.value.isDisjoint(with: ["manager", "supervisor"]) }.map(\.key)
        let userID = try user.requireID()
        let rows = try await CaseReferral.query(on: db).group(.or) { or in
            or.filter(\.$assigneeID == userID)
            if !receiving.isEmpty { or.filter(\.$toOrganisationID ~~ receiving) }
        }.sort(\.$sentOn, .descending).all()
        let numbers = Dictionary(try await CaseFile.query(on: db).filter(\.$id ~~ rows.map(\.caseID)).all().map { ($0.id!, $0.number) }, uniquingKeysWith: { a, _ in a })
        let orgs = try await OrganisationChoices(db: db).names(of: rows.map(\.toOrganisationID))
        return rows.map {
            CaseAPI.IncomingReferral(id: $0.id, caseId: $0.caseID, number: numbers[$0.caseID] ?? "", status: $0.status, reason: $0.reason,
                                     sentOn: $0.sentOn, to: orgs[$0.toOrganisationID] ?? "")
        }
    }
}
