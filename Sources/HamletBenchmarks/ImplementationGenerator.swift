import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations
import HamletPlans

extension NationalGenerator {
    /// Running the plans at national scale: in every province a lead department and five plans of
    /// 2021–2030, each with a yearly duty for the province's communes (due 30/11); the year 2025
    /// reported by the communes (most accepted, some late, some returned, some missing); and about
    /// twenty activities per commune over 2025–2026 (briefings, events, visits with follow-ups).
    package mutating func implementation(on db: any Database) async throws -> (plans: Int, submissions: Int, activities: Int) {
        let nation = AccessScope(code: AccessScope.nationCode, path: "")
        let plans = PlanService(db: db, scope: nation, actor: nil, ip: nil), duties = DutyService(db: db, scope: nation, actor: nil, ip: nil)
        guard let type = try await OrganisationType.query(on: db).filter(\.$code == "so-y-te").first()?.requireID() else { return (0, 0, 0) }
        let units = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level ~~ [.province, .commune])
            .filter(\.$closedOn == nil).all()
        let communes = Dictionary(grouping: units.filter { $0.level == .commune }, by: { String($0.path.prefix(3)) })
        var madePlans = 0, submissions: [PlanSubmission] = [], activities: [PlanActivity] = [], sent = 0, held = 0
        func flush(_ force: Bool) async throws {
            if force || submissions.count >= 2000 { try await submissions.create(on: db); sent += submissions.count; submissions = [] }
            if force || activities.count >= 2000 { try await activities.create(on: db); held += activities.count; activities = [] }
        }
        for province in units.filter({ $0.level == .province }).sorted(by: { $0.code < $1.code }) {
            let inside = (communes[String(province.path.prefix(3))] ?? []).sorted { $0.code < $1.code }
            guard !inside.isEmpty else { continue }
            let lead = Organisation()
            lead.kind = .agency; lead.$type.id = type; lead.name = "Sở Y tế " + province.shortName
            lead.searchName = VietnameseText.folded(lead.name); lead.unitCode = province.code; lead.unitPath = province.path
            lead.providesSocialWork = false
            try await lead.create(on: db)
            for k in 1...5 {
                let plan = try await plans.save(PlanInput(number: "\(100 + k)/KH-UBND", kind: "ke-hoach", issuer: "Ủy ban nhân dân " + province.name,
                                                          issuedOn: "15/0\(k)/2021", title: "Kế hoạch thực hiện chương trình \(k) giai đoạn 2021 – 2030",
                                                          fromYear: 2021, toYear: 2030, scopeCode: province.code))
                let duty = try await duties.add(plan, DutyInput(title: "Báo cáo kết quả thực hiện kế hoạch", reporters: DutyReporters.communes.rawValue,
                                                                recipientId: try lead.requireID(), frequency: DutyFrequency.yearly.rawValue, due: "30/11"))
                madePlans += 1
                for commune in inside {
                    let roll = Int.random(in: 0..<100, using: &rng)
                    guard roll < 90 else { continue }   // one in ten has not sent
                    let s = PlanSubmission()
                    s.dutyID = try duty.requireID(); s.planID = try plan.requireID(); s.period = "2025"
                    s.body = commune.code; s.bodyName = "UBND " + commune.name; s.bodyPath = commune.path
                    s.results = "Năm 2025, \(commune.name) đã kiện toàn đội ngũ cộng tác viên, tổ chức tập huấn và truyền thông về công tác xã hội."
                    s.limits = roll % 3 == 0 ? "Kinh phí còn hạn chế." : ""; s.lessons = ""; s.nextTasks = "Tiếp tục triển khai kế hoạch."; s.proposals = ""
                    s.figures = "[]"
                    let on = roll < 70 ? "2025-11-\(10 + roll % 20)" : "2025-12-0\(1 + roll % 9)"
                    s.status = (roll < 60 ? SubmissionStatus.accepted : roll < 85 ? .submitted : .returned).rawValue
                    s.firstSubmittedOn = on; s.submittedOn = on
                    if s.status != SubmissionStatus.submitted.rawValue { s.decidedOn = "2025-12-10"; s.decidedBy = "chuyenvien" }
                    if s.status == SubmissionStatus.returned.rawValue { s.returnReason = "Thiếu số liệu kinh phí." }
                    s.version = 1
                    submissions.append(s)
                    // Each commune's activities sit on the province's first plan.
                    if k == 1 {
                        for n in 0..<Int.random(in: 16...24, using: &rng) {
                            let a = PlanActivity()
                            a.planID = try plan.requireID()
                            a.kind = [ActivityKind.briefing, .briefing, .briefing, .event, .supervision, .communication][n % 6].rawValue
                            a.title = "Hoạt động \(n + 1) tại \(commune.name)"
                            a.heldOn = String(format: "%04d-%02d-%02d", 2025 + n / 12, 1 + n % 12, 5 + Int.random(in: 0..<20, using: &rng))
                            a.unitCode = commune.code; a.unitPath = commune.path
                            a.male = Int.random(in: 3...30, using: &rng); a.female = Int.random(in: 3...40, using: &rng)
                            a.recordedBy = "chuyenvien"; a.recordedOn = a.heldOn
                            activities.append(a)
                        }
                    }
                    try await flush(false)
                }
            }
        }
        try await flush(true)
        return (madePlans, sent, held)
    }
}
