import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit

/// A plan report up the chain: the lead department accepts or returns what a body sent; where the
/// duty asks for it, the People's Committee of the plan's scope then approves or returns it. A
/// level decides only after the level below has; it may undo its decision only while the level
/// above has not decided; a return always carries its reason; each step is audited.
extension SubmissionService {
    package enum Decision: String { case accept, giveBack = "return", undoAccept = "unaccept", approve, undoApproval = "unapprove" }

    /// The Committee's side: a leader whose subtree holds the whole plan.
    package func mayApprove(_ plan: Plan) -> Bool {
        actor?.role == .leader && scope.contains(path: plan.scopePath)
    }

    package func decide(_ plan: Plan, _ duty: PlanDuty, period: String, body key: String, _ decision: Decision, reason: String?) async throws -> PlanSubmission {
        let (period, body) = try await locate(plan, duty, period: period, body: key)
        let submission = try await existing(duty, period, body)
        let status = submission.flatMap { SubmissionStatus(rawValue: $0.status) }
        let committee = duty.committeeApproves == true
        // Who decides at which step, and what must stand before it.
        let next: SubmissionStatus
        switch decision {
        case .accept, .undoAccept:
            guard mayDecide(plan) else { throw HamletError.forbidden }
            if decision == .accept {
                guard status == .submitted else { throw HamletError.conflict("Chỉ báo cáo đã gửi mới được tiếp nhận hoặc trả lại.") }
                next = .accepted
            } else {
                guard status != .approved else { throw HamletError.conflict("UBND đã phê duyệt báo cáo này: không hủy tiếp nhận được.") }
                guard status == .accepted else { throw HamletError.conflict("Báo cáo chưa được tiếp nhận.") }
                next = .submitted
            }
        case .giveBack:
            // The lead department returns what was sent; the Committee what was accepted.
            if status == .submitted, mayDecide(plan) { next = .returned }
            else if status == .accepted, committee, mayApprove(plan) { next = .returned }
            else if mayDecide(plan) || mayApprove(plan) { throw HamletError.conflict("Báo cáo ở tình trạng này không trả lại được.") }
            else { throw HamletError.forbidden }
        case .approve, .undoApproval:
            guard mayApprove(plan) else { throw HamletError.forbidden }
            guard committee else { throw HamletError.conflict("Nhiệm vụ báo cáo này không cần UBND phê duyệt.") }
            if decision == .approve {
                guard status == .accepted else {
                    throw HamletError.conflict(status == .approved ? "Báo cáo đã được phê duyệt." : "Cơ quan chủ trì chưa tiếp nhận báo cáo này: chưa phê duyệt được.")
                }
                next = .approved
            } else {
                guard status == .approved else { throw HamletError.conflict("Báo cáo chưa được phê duyệt.") }
                next = .accepted
            }
        }
        guard let submission else { throw HamletError.conflict("Đơn vị chưa gửi báo cáo.") }
        let why = VietnameseText.normalized(reason ?? "")
        if decision == .giveBack {
            guard !why.isEmpty, why.count <= 1000 else { throw HamletError.invalid("reason", "Trả lại cần ghi lý do (tối đa 1.000 ký tự).") }
        }
        let before = submission.status
        submission.status = next.rawValue
        switch decision {
        case .accept: submission.returnReason = nil; submission.decidedOn = today.iso; submission.decidedBy = actor?.username
        case .giveBack:
            submission.returnReason = why; submission.decidedOn = today.iso; submission.decidedBy = actor?.username
            submission.approvedOn = nil; submission.approvedBy = nil
        case .undoAccept: submission.decidedOn = nil; submission.decidedBy = nil
        case .approve: submission.approvedOn = today.iso; submission.approvedBy = actor?.username
        case .undoApproval: submission.approvedOn = nil; submission.approvedBy = nil
        }
        submission.version += 1
        try await db.writeTransaction { tx in
            try await submission.save(on: tx)
            var changes = AuditChanges()
            changes.add("status", before, submission.status)
            if decision == .giveBack { changes.add("reason", nil, why) }
            try await Audit.record(on: tx, actor: actor, ip: ip, action: decision.rawValue, entity: "plan_submission",
                                   entityID: submission.id?.uuidString, scopePath: body.path, changes: changes)
        }
        return submission
    }
}
