import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb

/// Where one expected report stands on a day.
package enum TrackState: String, Codable, CaseIterable, Sendable, Choice {
    /// Not yet due, not yet sent.
    case due
    /// Past its due day and not sent.
    case missing
    case submitted, late, returned, accepted, approved
    package var label: String {
        switch self {
        case .due: "Chưa đến hạn"
        case .missing: "Quá hạn, chưa gửi"
        case .submitted: "Đã gửi đúng hạn"
        case .late: "Gửi muộn"
        case .returned: "Bị trả lại"
        case .accepted: "Đã tiếp nhận"
        case .approved: "UBND đã phê duyệt"
        }
    }
}

package struct TrackerRow: Content {
    package var dutyId: UUID
    package var duty: String
    package var period: String
    package var periodLabel: String
    package var body: String
    package var bodyName: String
    /// The unit the body sits at.
    package var unitCode: String
    package var due: String
    package var state: String
    package var stateLabel: String
    package var late: Bool
    package var submittedOn: String?
    package var returnReason: String?
    /// Accepted, and the duty asks the People's Committee to approve.
    package var awaitsCommittee: Bool = false
    package var link: String

    package init(dutyId: UUID, duty: String, period: String, periodLabel: String, body: String, bodyName: String,
                 unitCode: String, due: String, state: String, stateLabel: String, late: Bool, submittedOn: String? = nil,
                 returnReason: String? = nil, awaitsCommittee: Bool = false, link: String) {
        (self.dutyId, self.duty, self.period, self.periodLabel) = (dutyId, duty, period, periodLabel)
        (self.body, self.bodyName, self.unitCode, self.due) = (body, bodyName, unitCode, due)
        (self.state, self.stateLabel, self.late, self.submittedOn) = (state, stateLabel, late, submittedOn)
        (self.returnReason, self.awaitsCommittee, self.link) = (returnReason, awaitsCommittee, link)
    }
}

package struct TrackerDTO: Content {
    package var planId: UUID
    package var asOf: String
    /// How many rows are in each state.
    package var counts: [String: Int]
    package var items: [TrackerRow]

    package init(planId: UUID, asOf: String, counts: [String: Int], items: [TrackerRow]) {
        (self.planId, self.asOf, self.counts, self.items) = (planId, asOf, counts, items)
    }
}

/// Every report a plan's duties expect for the periods begun by a day, one per period and body,
/// and where each stands: the officer's list of who sent, who is late, who is missing.
package struct DutyTracker {
    package let db: any Database
    package let scope: AccessScope
    /// Each kind of reporters under a plan's scope, read once: a tracker over a province's plans
    /// asks for the same communes duty after duty, plan after plan.
    private let read = BodiesRead()
    private final class BodiesRead { var byKey: [String: [DutyBody]] = [:] }

    package init(db: any Database, scope: AccessScope) {
        self.db = db
        self.scope = scope
    }

    /// `choose` keeps some of a duty's periods begun by the day (the cross-plan tracker's last
    /// fallen due and coming soon), so only their reports are read.
    package struct Sent {
        package var status: String
        package var firstSubmittedOn: String?
        package var returnReason: String?
        package init(status: String, firstSubmittedOn: String? = nil, returnReason: String? = nil) {
            (self.status, self.firstSubmittedOn, self.returnReason) = (status, firstSubmittedOn, returnReason)
        }
    }

    package func rows(_ plan: Plan, asOf day: DayDate, period only: String? = nil, choose: (([DutyPeriod]) -> [DutyPeriod])? = nil) async throws -> [TrackerRow] {
        let service = DutyService(db: db, scope: scope, actor: nil, ip: nil)
        let planID = try plan.requireID()
        var wanted: [(PlanDuty, [DutyPeriod])] = []
        for duty in try await service.duties(plan) {
            var periods = service.periods(duty, plan).filter { $0.start <= day && (only == nil || $0.id == only) }
            if let choose { periods = choose(periods) }
            if !periods.isEmpty { wanted.append((duty, periods)) }
        }
        guard !wanted.isEmpty else { return [] }
        // Where each report stands, without its text: plain rows, a tracker reads thousands.
        var byKey: [String: Sent] = [:]
        guard let sql = db as? any SQLDatabase else { return [] }
        for row in try await sql.raw("""
            SELECT duty_id, period, body, status, first_submitted_on, return_reason FROM plan_submissions
            WHERE plan_id = \(bind: planID) AND period IN (\(binds: Array(Set(wanted.flatMap { $0.1.map(\.id) }))))
            """).all() {
            let s = Sent(status: try row.decode(column: "status", as: String.self), firstSubmittedOn: try row.decode(column: "first_submitted_on", as: String?.self),
                         returnReason: try row.decode(column: "return_reason", as: String?.self))
            byKey[try row.decode(column: "duty_id", as: UUID.self).uuidString + "|" + row.decode(column: "period", as: String.self) + "|" + row.decode(column: "body", as: String.self)] = s
        }
        let wholePlan = scope.contains(path: plan.scopePath)
        var rows: [TrackerRow] = []
        for (duty, periods) in wanted {
            let dutyID = try duty.requireID()
            let key = duty.reporters + "|" + duty.reporterRefs + "|" + plan.scopePath
            let all: [DutyBody]
            if let known = read.byKey[key] { all = known } else { all = try await service.bodies(duty, plan); read.byKey[key] = all }
            let bodies = all.filter { wholePlan || scope.contains(path: $0.path) }
            for period in periods.reversed() {
                for body in bodies {
                    let s = byKey[dutyID.uuidString + "|" + period.id + "|" + body.key]
                    let first = s?.firstSubmittedOn.flatMap(DayDate.init)
                    let late = first.map { $0 > period.due } ?? false
                    let state: TrackState
                    switch s.flatMap({ SubmissionStatus(rawValue: $0.status) }) {
                    case .accepted?: state = .accepted
                    case .approved?: state = .approved
                    case .submitted?: state = late ? .late : .submitted
                    case .returned?: state = .returned
                    case .draft?, nil: state = day > period.due ? .missing : .due
                    }
                    rows.append(TrackerRow(dutyId: dutyID, duty: duty.title, period: period.id, periodLabel: period.label, body: body.key, bodyName: body.name,
                                           unitCode: body.unitCode, due: period.due.iso, state: state.rawValue, stateLabel: state.label, late: late,
                                           submittedOn: s?.firstSubmittedOn, returnReason: s?.returnReason,
                                           awaitsCommittee: state == .accepted && duty.committeeApproves == true,
                                           link: "/plans/\(planID)/duties/\(dutyID)/\(period.id)/\(body.key)"))
                }
            }
        }
        return rows
    }

    package func dto(_ plan: Plan, asOf day: DayDate, period: String? = nil) async throws -> TrackerDTO {
        let items = try await rows(plan, asOf: day, period: period)
        var counts = Dictionary(uniqueKeysWithValues: TrackState.allCases.map { ($0.rawValue, 0) })
        for r in items { counts[r.state, default: 0] += 1 }
        return TrackerDTO(planId: try plan.requireID(), asOf: day.iso, counts: counts, items: items)
    }
}
