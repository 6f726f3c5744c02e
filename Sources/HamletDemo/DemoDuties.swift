import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletOrganisations
import HamletPlans

/// The seed plans' reporting duties as their documents state them, and a year of An Giang's
/// communes reporting on 588/QĐ-UBND: most on time and accepted (half of those approved by the
/// People's Committee), some late, one returned with its reason, a few still drafts, the rest missing.
package enum DemoDuties {
    package struct Duty {
        package var plan: String
        package var title: String
        package var reporters: DutyReporters
        package var by: [String]
        package var to: String
        package var frequency: DutyFrequency
        package var due: String
        /// "… để tổng hợp, báo cáo UBND tỉnh": the Committee approves what the lead department accepted.
        package var committee = false

        package init(plan: String, title: String, reporters: DutyReporters, by: [String], to: String, frequency: DutyFrequency,
                     due: String, committee: Bool = false) {
            (self.plan, self.title, self.reporters, self.by) = (plan, title, reporters, by)
            (self.to, self.frequency, self.due, self.committee) = (to, frequency, due, committee)
        }
    }

    package static let duties: [Duty] = [
        Duty(plan: "588/QĐ-UBND", title: "Báo cáo kết quả thực hiện Đề án", reporters: .communes, by: [], to: "Sở Y tế", frequency: .yearly, due: "30/11", committee: true),
        Duty(plan: "588/QĐ-UBND", title: "Báo cáo tổng kết Đề án", reporters: .organisations, by: ["Sở Y tế"], to: "Ủy ban nhân dân tỉnh", frequency: .final, due: "15/12"),
        Duty(plan: "170/KH-UBND", title: "Báo cáo kết quả xây dựng mạng lưới cộng tác viên dân số", reporters: .communes, by: [], to: "Sở Y tế", frequency: .yearly, due: "30/11"),
        Duty(plan: "126/KH-UBND", title: "Báo cáo kết quả thực hiện kế hoạch", reporters: .communes, by: [], to: "Sở Văn hóa", frequency: .yearly, due: "30/11"),
        Duty(plan: "411/QĐ-UBND", title: "Báo cáo tình hình và kết quả thực hiện Đề án", reporters: .organisations, by: ["Sở Lao động"], to: "Ủy ban nhân dân tỉnh",
             frequency: .sixMonthly, due: "15/6; 15/12"),
        Duty(plan: "…/QĐ-UBND", title: "Báo cáo kết quả thực hiện Kế hoạch hằng năm", reporters: .organisations, by: ["Sở Y tế", "Sở Giáo dục", "Hội Liên hiệp Phụ nữ"],
             to: "Sở Văn hóa", frequency: .yearly, due: "05/12", committee: true),
    ]

    package static func load(on db: any Database) async throws {
        let nation = AccessScope(code: "VN", path: "")
        let service = DutyService(db: db, scope: nation, actor: nil, ip: nil)
        for d in duties {
            guard let plan = try await Plan.query(on: db).filter(\.$number == d.plan).first() else { continue }
            let orgs = try await Organisation.query(on: db).filter(\.$unitCode == String(plan.scopeCode.prefix(2))).filter(\.$kind == .agency).all()
            func agency(_ prefix: String) -> UUID? { orgs.first { $0.name.hasPrefix(prefix) }?.id }
            guard let to = agency(d.to) else { continue }
            let by = d.by.compactMap(agency)
            guard d.reporters != .organisations || by.count == d.by.count else { continue }
            _ = try await service.add(plan, DutyInput(title: d.title, reporters: d.reporters.rawValue, reporterIds: by, recipientId: to,
                                                      frequency: d.frequency.rawValue, due: d.due, committeeApproves: d.committee))
        }
        try await communesReport588(on: db, service: service)
    }

    /// 588's yearly report for 2025 from An Giang's first twenty communes.
    package static func communesReport588(on db: any Database, service: DutyService) async throws {
        guard let plan = try await Plan.query(on: db).filter(\.$number == "588/QĐ-UBND").first(),
              let duty = try await service.duties(plan).first(where: { $0.frequency == DutyFrequency.yearly.rawValue }),
              let period = service.periods(duty, plan).first(where: { $0.id == "2025" }) else { return }
        let bodies = Array(try await service.bodies(duty, plan).prefix(20))
        let writer = SubmissionService(db: db, scope: AccessScope(code: "VN", path: ""), actor: nil, ip: nil, today: period.due)
        for (n, body) in bodies.enumerated() {
            let s = PlanSubmission()
            s.dutyID = try duty.requireID(); s.planID = try plan.requireID(); s.period = period.id
            s.body = body.key; s.bodyName = body.name; s.bodyPath = body.path
            s.results = "Trong năm, \(body.name) đã rà soát, bố trí người làm công tác xã hội; phối hợp tổ chức tập huấn cho cộng tác viên và cán bộ xã; tư vấn, hỗ trợ các hộ có hoàn cảnh khó khăn trên địa bàn."
            s.limits = n % 3 == 0 ? "Kinh phí còn hạn chế; cộng tác viên kiêm nhiệm nhiều việc nên thời gian dành cho công tác xã hội chưa nhiều." : ""
            s.lessons = ""; s.nextTasks = "Tiếp tục kiện toàn đội ngũ; tăng cường truyền thông về công tác xã hội."; s.proposals = ""
            s.figures = String(decoding: try JSONEncoder.sorted.encode(try await writer.figures(plan, duty, body, period, notes: [:])), as: UTF8.self)
            let sentOn: DayDate
            switch n {
            case 0..<12: sentOn = period.due.adding(days: -(n % 9) - 1); s.status = SubmissionStatus.accepted.rawValue
            case 12..<15: sentOn = period.due.adding(days: n - 8); s.status = SubmissionStatus.submitted.rawValue
            case 15: sentOn = period.due.adding(days: -3); s.status = SubmissionStatus.returned.rawValue
                s.returnReason = "Thiếu số liệu kinh phí đã chi và số người được tư vấn, hỗ trợ; đề nghị bổ sung."
            default: sentOn = period.due; s.status = SubmissionStatus.draft.rawValue
            }
            if s.status != SubmissionStatus.draft.rawValue { s.firstSubmittedOn = sentOn.iso; s.submittedOn = sentOn.iso }
            if s.status == SubmissionStatus.accepted.rawValue || s.status == SubmissionStatus.returned.rawValue {
                s.decidedOn = sentOn.adding(days: 2).iso; s.decidedBy = "chuyenvien"
            }
            // Half of those accepted, approved since by the Committee's leader.
            if n < 6 { s.status = SubmissionStatus.approved.rawValue; s.approvedOn = sentOn.adding(days: 9).iso; s.approvedBy = "chutich" }
            s.version = 1
            try await s.create(on: db)
        }
    }
}
