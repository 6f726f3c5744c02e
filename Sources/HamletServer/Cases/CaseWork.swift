import Vapor
import HamletKit

extension MyWork {
    /// An account's whole list for a request: its reporting and plan work, and for a caseworker the
    /// follow-up visits of its cases due within a week or overdue, the overdue first.
    static func list(for req: Request) async throws -> WorkList {
        let user = try req.requireUser()
        var list = try await MyWork(db: req.db, user: user, today: req.today).list()
        guard user.role == .caseworker else { return list }
        let soon = req.today.adding(days: 7).iso
        for c in try await CaseAPI.summaries(req) {
            guard let next = c.nextFollowUp, next <= soon else { continue }
            let late = c.overdue > 0
            list.items.append(WorkItem(kind: "followup", title: "Thăm lại — hồ sơ " + c.number, detail: c.person + " · " + c.stageLabel,
                                       due: next, state: late ? "overdue" : "due", stateLabel: late ? "\(c.overdue) lần quá hạn" : "Sắp đến hạn",
                                       link: "/cases/\(c.id!.uuidString)", urgent: late))
        }
        list.sort()
        return list
    }
}
