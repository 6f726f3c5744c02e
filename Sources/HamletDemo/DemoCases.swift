import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts
import HamletOrganisations
import HamletCases
import HamletPlans

/// An Giang's social-work service centre with its staff and a few dozen fictional cases across
/// the workflow (2020 and 2025–2026), consents, referrals to the province's social-assistance
/// centre, overdue visits; and seed 004's two case targets on plan 588/QĐ-UBND.
package enum DemoCases {
    package static let accounts: [(String, String, String)] = [("quanlyctxh", "Phan Thị Ngọc", "manager"), ("giamsatctxh", "Huỳnh Văn Tâm", "supervisor"),
                                                       ("nhanvienctxh", "Lý Thị Kim", "caseworker"), ("nhanvienctxh2", "Đỗ Minh Khoa", "caseworker")]

    package static func users(hash: String) -> [User] {
        accounts.map { User(username: $0.0, displayName: $0.1, passwordHash: hash, role: .caseworker, scopeCode: DemoData.province, scopePath: DemoData.province + ".") }
    }

    package static func load(on db: any Database) async throws {
        let orgs = try await Organisation.query(on: db).filter(\.$unitCode == DemoData.province).filter(\.$kind == .facility).all()
        guard let centre = orgs.first(where: { $0.name.hasPrefix("Trung tâm Công tác xã hội") }), let shelter = orgs.first(where: { $0.name.hasPrefix("Cơ sở Bảo trợ xã hội") }) else { return }
        var staff: [String: User] = [:]
        for u in try await User.query(on: db).filter(\.$username ~~ accounts.map(\.0)).all() { staff[u.username] = u }
        for (username, _, duty) in accounts {
            guard let u = staff[username] else { return }
            let row = FacilityStaff(); row.facilityID = centre.id!; row.userID = u.id!; row.duty = duty; row.reason = "Phân công ban đầu (dữ liệu mẫu)"
            try await row.create(on: db)
        }
        let manager = staff["quanlyctxh"]!, supervisor = staff["giamsatctxh"]!, workers = [staff["nhanvienctxh"]!, staff["nhanvienctxh2"]!]
        let communes = try await DemoData.communes(on: db)
        let categories = ["nguoi-cao-tuoi-co-don", "nguoi-khuyet-tat", "tre-mo-coi", "tre-bi-bo-roi", "bao-luc-gia-dinh", "ho-ngheo", "tre-khuyet-tat-nang", "nhiem-hiv"]
        let services = ["tu-van", "tri-lieu", "thuc-pham", "y-te", "hoc-tap", "tro-giup-phap-ly", "cho-o", "tro-cap"]
        let stages: [CaseStage] = [.intake, .assessment, .plan, .service, .service, .service, .review, .closed]
        var number: [Int: Int] = [:]
        // 10 people served in 2020, 26 cases in 2025–2026 (13 people served in 2025: +30%).
        var specs: [(year: Int, month: Int, stage: CaseStage)] = []
        for k in 0..<10 { specs.append((2020, 2 + k % 9, .closed)) }
        for k in 0..<26 {
            let stage: CaseStage = k < 13 ? stages[3 + k % 5] : stages[k % 8]
            specs.append((k >= 16 ? 2026 : 2025, 1 + (k * 5) % 11, stage))
        }
        for (n, spec) in specs.enumerated() {
            let child = [2, 3, 6].contains(n % 8)
            let female = n % 3 != 1
            let (middles, givens) = female ? DemoWorkforce.women : DemoWorkforce.men
            let name = "\(DemoWorkforce.families[(n * 7) % DemoWorkforce.families.count]) \(middles[n % middles.count]) \(givens[(n * 5) % givens.count])"
            let category = child ? categories[[2, 3, 6][n % 3]] : categories[[0, 1, 4, 5, 7][n % 5]]
            let commune = communes[(n * 3) % communes.count]
            let p = ServedPerson()
            p.fullName = name; p.searchName = VietnameseText.folded(name); p.sortKey = VietnameseCollation.nameKey(name)
            p.birthDate = child ? "\(spec.year - 6 - n % 9)-0\(1 + n % 9)-1\(n % 9)" : "\(1945 + (n * 3) % 50)-0\(1 + n % 9)-2\(n % 8)"
            p.sex = female ? "female" : "male"; p.unitCode = commune.code; p.unitPath = commune.path; p.address = "Ấp \(DemoData.hamletNames[n % DemoData.hamletNames.count])"
            if child { p.guardianName = "\(DemoWorkforce.families[(n * 11) % DemoWorkforce.families.count]) Văn Hòa"; p.guardianRelation = n % 2 == 0 ? "chú" : "bà ngoại" }
            p.poverty = n % 4 == 0 ? "poor" : n % 4 == 1 ? "near-poor" : "none"
            p.categoriesJSON = "[\"\(category)\"]"; p.facilityID = centre.id!; p.createdBy = workers[n % 2].id!
            p.phone = child ? nil : String(format: "09%08d", 12_340_000 + n)
            try await p.create(on: db)
            let opened = DayDate(year: spec.year, month: spec.month, day: 3 + n % 20)!
            let consent = Consent()
            consent.personID = p.id!; consent.givenOn = opened.iso; consent.givenBy = child ? (p.guardianName ?? name) : name
            consent.relation = child ? "guardian" : "self"; consent.scopeJSON = #"["basic","sensitive","share"]"#; consent.childAgreed = child; consent.recordedBy = workers[n % 2].id!
            try await consent.create(on: db)
            number[spec.year, default: 0] += 1
            let c = CaseFile()
            c.number = String(format: "HS-%d-%04d", spec.year, number[spec.year]!); c.personID = p.id!; c.facilityID = centre.id!; c.facilityPath = centre.unitPath
            c.caseworkerID = workers[n % 2].id!; c.supervisorID = supervisor.id; c.stage = spec.stage.rawValue; c.openedOn = opened.iso
            c.source = ["self", "family", "community", "referral", "authority"][n % 5]
            c.summary = child ? "Trẻ mất nguồn chăm sóc, đang ở với người thân." : "Hoàn cảnh khó khăn, cần hỗ trợ sinh kế và sức khỏe."
            let path = CaseStage.allCases.prefix { $0 != spec.stage } + [spec.stage]
            var day = opened
            var entries: [CaseEntry] = []
            func entry(_ kind: String, _ on: DayDate, code: String?, text: String? = nil, detail: String? = nil, done: String? = nil) {
                let e = CaseEntry()
                e.kind = kind; e.onDate = on.iso; e.code = code; e.text = text; e.detail = detail; e.doneOn = done
                e.byUser = c.caseworkerID; e.byName = workers[n % 2].displayName
                entries.append(e)
            }
            for stage in path {
                entry("step", day, code: stage.rawValue)
                switch stage {
                case .assessment:
                    entry("assessment", day, code: ["low", "medium", "high"][n % 3], text: "Đánh giá tại nhà.",
                          detail: child ? #"{"education":"some","family":"urgent","safety":"some"}"# : #"{"health":"some","livelihood":"urgent"}"#)
                    c.risk = ["low", "medium", "high"][n % 3]
                case .plan: entry("goal", day.adding(days: 90), code: n % 4 == 0 ? "achieved" : "open", text: child ? "Trẻ đi học đều, có người chăm sóc ổn định" : "Có nguồn thu nhập ổn định")
                case .service:
                    for k in 0..<(1 + n % 3) { entry("service", day.adding(days: 3 + k * 10), code: services[(n + k) % services.count], detail: k == 0 ? "Trung tâm" : nil) }
                    entry("followup", day.adding(days: 30), code: c.caseworkerID.uuidString, done: n % 3 == 0 ? nil : day.adding(days: 31).iso)
                case .closed: c.closedOn = day.iso; c.closeReason = "Đã đạt mục tiêu kế hoạch"
                default: break
                }
                day = day.adding(days: 7)
            }
            try await c.create(on: db)
            for e in entries { e.caseID = c.id!; try await e.create(on: db) }
            if n % 6 == 2 {
                let r = CaseReferral()
                r.caseID = c.id!; r.toOrganisationID = shelter.id!; r.toPath = shelter.unitPath; r.reason = child ? "Cần chăm sóc thay thế tạm thời" : "Cần chăm sóc dài hạn"
                r.status = ["sent", "accepted", "completed"][n % 3]; r.sentOn = opened.adding(days: 10).iso; r.sentBy = c.caseworkerID
                if r.status != "sent" { r.answeredOn = opened.adding(days: 12).iso; r.feedback = "Đã tiếp nhận." }
                try await r.create(on: db)
            }
        }
        _ = manager
        try await targets(on: db)
    }

    /// Seed 004 (An Giang 588/QĐ-UBND): people in difficult circumstances supported in 2025, +20%
    /// over 2020; at least 85% of orphaned, abandoned, HIV-affected, severely disabled and
    /// disaster-affected children supported.
    package static func targets(on db: any Database) async throws {
        guard let plan = try await Plan.query(on: db).filter(\.$number == "588/QĐ-UBND").first() else { return }
        let service = PlanService(db: db, scope: AccessScope(code: AccessScope.nationCode, path: ""), actor: nil, ip: nil)
        let served = try await DemoSeedPlans.indicator("CTXH-HOTRO", "Số người có hoàn cảnh khó khăn được tư vấn, hỗ trợ (so với năm 2020)",
                                                       IndicatorDefinition(kind: .casesServed, baselineYear: 2020), owner: DemoData.province + ".", on: db)
        let children = try await DemoSeedPlans.indicator("TRE-HOTRO", "Tỷ lệ trẻ em mồ côi, bị bỏ rơi, ảnh hưởng HIV, khuyết tật nặng, thiên tai được trợ giúp",
            IndicatorDefinition(kind: .casesGroupServed, caseCategories: DemoPopulation.groups, base: .population), owner: DemoData.province + ".", on: db)
        let o = try await service.addObjective(plan, ObjectiveInput(text: "Năm 2025, số người có hoàn cảnh đặc biệt khó khăn được tư vấn, hỗ trợ tăng 20% so với năm 2020; ít nhất 85% trẻ em có hoàn cảnh đặc biệt được trợ giúp."))
        _ = try await service.addTarget(plan, TargetInput(indicatorId: served.id, unitCode: DemoData.province, objectiveId: o.id,
                                                          stages: [StageInput(deadline: "2025-12-31", value: 20)], baselineYear: 2020, baselineValue: 0))
        _ = try await service.addTarget(plan, TargetInput(indicatorId: children.id, unitCode: DemoData.province, objectiveId: o.id,
                                                          stages: [StageInput(deadline: "2025-12-31", value: 85)], baselineYear: 2020))
    }
}
