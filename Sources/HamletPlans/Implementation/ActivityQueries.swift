import Foundation
import Fluent
import HamletKit
import HamletWeb
import HamletUnits

/// What the activity pages read besides the activities themselves: how many people each names,
/// how its follow-ups stand, and what the recording form offers (the plan's tasks, the units).
extension ActivityService {
    /// For each activity: the people named, and its follow-ups closed and in all.
    package func tallies(_ ids: [UUID]) async throws -> (named: [UUID: Int], followUps: [UUID: (closed: Int, all: Int)]) {
        var named: [UUID: Int] = [:], followUps: [UUID: (closed: Int, all: Int)] = [:]
        for chunk in ids.chunks(of: 500) {
            for p in try await ActivityPerson.query(on: db).filter(\.$activityID ~~ Array(chunk)).all() { named[p.activityID, default: 0] += 1 }
            for f in try await ActivityFollowUp.query(on: db).filter(\.$activityID ~~ Array(chunk)).all() {
                let state = FollowUpState.of(due: f.dueOn, closed: f.closedOn, asOf: today.iso)
                var v = followUps[f.activityID] ?? (0, 0)
                v.all += 1
                if state == .closedOnTime || state == .closedLate { v.closed += 1 }
                followUps[f.activityID] = v
            }
        }
        return (named, followUps)
    }

    /// The plan's tasks in their order, for an activity to count towards.
    package func tasks(of plan: Plan) async throws -> [PlanTask] {
        try await PlanTask.query(on: db).filter(\.$planID == plan.requireID()).sort(\.$position).all()
    }

    /// Where an activity may be recorded: the open provinces and communes inside both the plan's
    /// scope and the account's subtree (the deeper of the two), at most 1,200.
    package func recordingUnits(_ plan: Plan) async throws -> [AdminUnit] {
        let base = scope.path.count > plan.scopePath.count ? scope.path : plan.scopePath
        return try await OpenUnits.under(base, levels: [.province, .commune], limit: 1200, on: db)
    }
}
