import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts
import HamletOrganisations

extension MyWork {
    /// A caseworker's follow-up visits of its cases due within a week or overdue, and its
    /// referrals waiting for an answer, added to its list.
    package static func addCaseWork(to list: inout WorkList, _ work: MyWork, _ req: Request) async throws {
        let user = work.user
        let say = work.say
        let soon = req.today.adding(days: 7).iso
        for c in try await CaseAPI.summaries(req) {
            guard let next = c.nextFollowUp, next <= soon else { continue }
            let late = c.overdue > 0
            list.items.append(WorkItem(kind: "followup", title: say("Thăm lại — hồ sơ ", "Visit again — case ") + c.number, detail: c.person + " · " + English.say(c.stageLabel),
                                       due: next, state: late ? "overdue" : "due", stateLabel: late ? say("\(c.overdue) lần quá hạn", "\(c.overdue) overdue") : say("Sắp đến hạn", "Due soon"),
                                       link: "/cases/\(c.id!.uuidString)", urgent: late))
        }
        // Referrals sent to this caseworker (or its facility) waiting for its answer, and those it
        // sent still waiting for the other side's.
        for r in try await CaseAPI.incoming(req) where r.status == "sent" {
            let late = DayDate(r.sentOn).map { $0.adding(days: 3) <= req.today } ?? false
            list.items.append(WorkItem(kind: "referral", title: say("Chuyển gửi chờ trả lời — hồ sơ ", "Referral waiting for your answer — case ") + r.number, detail: r.reason + say(" · gửi ", " · sent ") + (DayDate(r.sentOn)?.vietnamese ?? r.sentOn),
                                       due: r.sentOn, state: "waiting", stateLabel: say("Chờ bạn trả lời", "Waiting for you"), link: "/cases/\(r.caseId.uuidString)", urgent: late))
        }
        let sent = try await CaseReferral.query(on: req.db).filter(\.$sentBy == user.requireAccountID()).filter(\.$status == "sent").sort(\.$sentOn).all()
        let numbers = Dictionary(try await CaseFile.query(on: req.db).filter(\.$id ~~ sent.map(\.caseID)).all().map { ($0.id!, $0.number) }, uniquingKeysWith: { a, _ in a })
        let orgs = Dictionary(try await Organisation.query(on: req.db).filter(\.$id ~~ sent.map(\.toOrganisationID)).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        for r in sent {
            list.items.append(WorkItem(kind: "referred", title: say("Đã chuyển gửi, chờ trả lời — hồ sơ ", "Referred, waiting for an answer — case ") + (numbers[r.caseID] ?? ""),
                                       detail: (orgs[r.toOrganisationID] ?? "") + say(" · gửi ", " · sent ") + (DayDate(r.sentOn)?.vietnamese ?? r.sentOn),
                                       due: nil, state: "waiting", stateLabel: say("Chờ nơi nhận trả lời", "Waiting for the receiving side"), link: "/cases/\(r.caseID.uuidString)", urgent: false))
        }
    }
}
