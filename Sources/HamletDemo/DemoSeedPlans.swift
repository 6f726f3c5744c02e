import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletOrganisations
import HamletWorkforce
import HamletTraining
import HamletPlans

/// The other three seed plans, entered as their documents say: Thanh Hóa 126/KH-UBND (family
/// work, 2014), Lạng Sơn 411/QĐ-UBND (social work, 2011–2015, 15 billion đồng) and Vĩnh Long's
/// 2022 family plan (its number was left blank in the document; reports by 05/12, reviews at 5
/// and 10 years).
package struct DemoSeedPlans {
    package let db: any Database
    package let service: PlanService
    package let swTrained: Indicator

    package init(db: any Database, service: PlanService, swTrained: Indicator) {
        (self.db, self.service, self.swTrained) = (db, service, swTrained)
    }

    package func indicator(owner: String, _ code: String, _ name: String, _ d: IndicatorDefinition) async throws -> Indicator {
        try await Self.indicator(code, name, d, owner: owner, on: db)
    }

    /// A seed's indicator, owned by its province ("91.") or, when plans of several provinces
    /// share it, by the country ("").
    package static func indicator(_ code: String, _ name: String, _ d: IndicatorDefinition, owner: String, on db: any Database) async throws -> Indicator {
        let i = Indicator()
        i.code = code; i.name = name; i.kind = d.kind.rawValue; i.ownerPath = owner
        i.definition = String(decoding: try JSONEncoder.sorted.encode(d), as: UTF8.self)
        try await i.create(on: db)
        return i
    }

    /// The province's agencies by the start of their names.
    package func agencies(_ province: String) async throws -> (String) -> UUID? {
        let orgs = try await Organisation.query(on: db).filter(\.$unitCode == province).filter(\.$kind == .agency).all()
        return { prefix in orgs.first { $0.name.hasPrefix(prefix) }?.id }
    }

    package func load() async throws {
        try await thanhHoa()
        try await langSon()
        try await vinhLong()
    }

    package func thanhHoa() async throws {
        let a = try await agencies("38")
        guard let culture = a("Sở Văn hóa"), let home = a("Sở Nội vụ"), let education = a("Sở Giáo dục"), let districts = a("Ủy ban nhân dân các huyện"),
              let school = a("Trường Chính trị"), let university = a("Trường Đại học Văn hóa") else { return }
        let trained = try await indicator(owner: "38.", "GD-DT", "Tỷ lệ cán bộ, công chức công tác gia đình và cộng tác viên cơ sở được tập huấn, bồi dưỡng",
            IndicatorDefinition(kind: .trainedShare, staff: StaffCriteria(domains: [.family]), trained: TrainedCriteria(courseKinds: [.tapHuan, .boiDuong])))
        let network = try await indicator(owner: "38.", "THON-CTV-GD", "Tỷ lệ thôn, bản, khu phố có cộng tác viên gia đình",
            IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(level: .hamlet, domains: [.family], kinds: [.congTacVien], min: 1)))
        let plan = try await service.save(PlanInput(
            number: "126/KH-UBND", kind: "ke-hoach", issuer: "Ủy ban nhân dân tỉnh Thanh Hóa", signer: "Vương Văn Việt", issuedOn: "2014-09-24",
            title: "Kế hoạch thực hiện Đề án kiện toàn, đào tạo nâng cao năng lực đội ngũ cán bộ thực hiện công tác gia đình các cấp đến năm 2020, tỉnh Thanh Hóa",
            fromYear: 2014, toYear: 2020, scopeCode: "38", legalBases: nil, status: "period",
            reportWhat: "Báo cáo kết quả thực hiện kế hoạch", reportBy: "Ủy ban nhân dân các huyện, thị xã, thành phố; các sở, ngành",
            reportTo: "Sở Văn hóa, Thể thao và Du lịch (tổng hợp báo cáo Ủy ban nhân dân tỉnh, Bộ Văn hóa, Thể thao và Du lịch)", reportDue: "30/11",
            interimYear: 2016, finalYear: 2020))
        _ = try await service.addObjective(plan, ObjectiveInput(general: true, text: "Kiện toàn tổ chức bộ máy, nâng cao năng lực đội ngũ cán bộ, công chức công tác gia đình các cấp và mạng lưới cộng tác viên gia đình ở cơ sở, nhằm thực hiện có hiệu quả Chiến lược Phát triển Gia đình trên địa bàn tỉnh Thanh Hóa đến năm 2020, tầm nhìn đến 2030."))
        let o1 = try await service.addObjective(plan, ObjectiveInput(text: "Đến năm 2015: hoàn thành việc xây dựng, phát triển mạng lưới cộng tác viên gia đình ở cơ sở, theo hướng sử dụng cộng tác viên hiện có."))
        let o2 = try await service.addObjective(plan, ObjectiveInput(text: "Đến năm 2016: 60% trở lên cán bộ, công chức thực hiện công tác gia đình các cấp, các ngành và mạng lưới cộng tác viên cơ sở được tham gia các lớp tập huấn, bồi dưỡng; đến năm 2020: 100%."))
        _ = try await service.addTarget(plan, TargetInput(indicatorId: network.id, unitCode: "38", objectiveId: o1.id,
                                                          stages: [StageInput(deadline: "2015-12-31", value: 100)], baselineYear: 2013))
        _ = try await service.addTarget(plan, TargetInput(indicatorId: trained.id, unitCode: "38", objectiveId: o2.id,
                                                          stages: [StageInput(deadline: "2016-12-31", value: 60), StageInput(deadline: "2020-12-31", value: 100)],
                                                          baselineYear: 2013))
        // The three component projects with the lead and coordinating agencies the plan names.
        for (title, coordinating, frame, status) in [
            ("Dự án 1: Điều tra thực trạng đội ngũ cán bộ làm công tác gia đình từ tỉnh đến cơ sở", [home, districts], "Quý I/2015", TaskStatus.done),
            ("Dự án 2: Kiện toàn tổ chức, bộ máy thực hiện công tác gia đình các cấp và xây dựng mạng lưới cộng tác viên cơ sở", [home, districts], "Quý II/2015", .done),
            ("Dự án 3: Đào tạo, bồi dưỡng nâng cao năng lực đội ngũ cán bộ, công chức thực hiện công tác gia đình các cấp và mạng lưới cộng tác viên cơ sở",
             [education, school, university, districts], "2015 - 2020", .done)] {
            let t = try await service.addTask(plan, TaskInput(title: title, leadAgencyId: culture, coordinatingAgencyIds: coordinating, timeFrame: frame, status: status.rawValue))
            _ = try await service.addProgress(plan, task: t, ProgressInput(on: TimeFrame(frame)?.end.iso, status: status.rawValue, text: "Đã hoàn thành theo kế hoạch."))
        }
    }

    package func langSon() async throws {
        let a = try await agencies("20")
        guard let labour = a("Sở Lao động"), let home = a("Sở Nội vụ"), let media = a("Sở Thông tin") else { return }
        // "Mỗi xã … có ít nhất từ 01 đến 02 cán bộ": a floor of one (a commune with three meets it).
        let communeFloor = try await indicator(owner: "20.", "CTXH-XA-1", "Tỷ lệ xã, phường, thị trấn có ít nhất 01 người làm công tác xã hội",
            IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(level: .commune, domains: [.socialWork], min: 1)))
        let centre = try await indicator(owner: "20.", "TT-CTXH", "Số trung tâm cung cấp dịch vụ công tác xã hội",
            IndicatorDefinition(kind: .facilityCount, facilityTypes: ["tt-ctxh"]))
        // "120 người trình độ trung cấp, cao đẳng, đại học" by đào tạo and đào tạo lại.
        let degree = try await indicator(owner: "20.", "DT-DH", "Số người làm công tác xã hội được đào tạo, đào tạo lại trình độ trung cấp, cao đẳng, đại học",
            IndicatorDefinition(kind: .trainedCount, trained: TrainedCriteria(courseKinds: [.daoTao, .daoTaoLai], levels: [.trungCap, .caoDang, .daiHoc]), fromYear: 2011))
        let skills = try await indicator(owner: "20.", "DT-KN", "Số người được tập huấn, bồi dưỡng kỹ năng công tác xã hội",
            IndicatorDefinition(kind: .trainedCount, trained: TrainedCriteria(courseKinds: [.tapHuan, .boiDuong], courseDomains: [.socialWork]), fromYear: 2011))
        let budget = try await indicator(owner: "20.", "KP-411", "Kinh phí thực hiện Đề án phát triển nghề công tác xã hội tỉnh Lạng Sơn đã chi",
            IndicatorDefinition(kind: .budgetSpent, fromYear: 2011, budgetOf: .plans, planNumbers: ["411/QĐ-UBND"]))
        let plan = try await service.save(PlanInput(
            number: "411/QĐ-UBND", kind: "quyet-dinh", issuer: "Ủy ban nhân dân tỉnh Lạng Sơn", signer: "Tô Hùng Khoa", issuedOn: "2011-03-22",
            title: "Phê duyệt kế hoạch thực hiện Đề án phát triển nghề công tác xã hội tỉnh Lạng Sơn giai đoạn 2011 – 2015",
            fromYear: 2011, toYear: 2015, scopeCode: "20",
            legalBases: "Luật Tổ chức HĐND và UBND ngày 26/11/2003\nQuyết định số 32/2010/QĐ-TTg ngày 25/3/2010 của Thủ tướng Chính phủ phê duyệt Đề án phát triển nghề công tác xã hội giai đoạn 2010 - 2020\nQuyết định số 1305/QĐ-LĐTBXH ngày 22/10/2010 của Bộ Lao động - Thương binh và Xã hội",
            status: "period", reportWhat: "Báo cáo tình hình và kết quả thực hiện Đề án, định kỳ 6 tháng và năm", reportBy: "Sở Lao động - Thương binh và Xã hội",
            reportTo: "Ủy ban nhân dân tỉnh, Bộ Lao động - Thương binh và Xã hội", reportDue: nil, interimYear: 2013, finalYear: 2015))
        let o1 = try await service.addObjective(plan, ObjectiveInput(text: "Đến năm 2015 mỗi xã, phường, thị trấn có ít nhất từ 01 đến 02 cán bộ, viên chức, nhân viên công tác xã hội hoặc cộng tác viên công tác xã hội với mức phụ cấp bằng mức lương tối thiểu chung."))
        let o2 = try await service.addObjective(plan, ObjectiveInput(text: "Xây dựng thí điểm 01 mô hình Trung tâm cung cấp dịch vụ công tác xã hội cấp tỉnh."))
        let o3 = try await service.addObjective(plan, ObjectiveInput(text: "Đào tạo, đào tạo lại, bồi dưỡng, tập huấn kỹ năng cho 50% số cán bộ, viên chức, nhân viên, cộng tác viên công tác xã hội; 120 người trình độ đại học (24 người/năm), 348 người tập huấn kỹ năng (70 người/năm)."))
        let o4 = try await service.addObjective(plan, ObjectiveInput(text: "Tổng kinh phí dự kiến giai đoạn 2011 – 2015 là 15 tỷ đồng (nguồn hỗ trợ từ trung ương và ngân sách địa phương)."))
        let years = (2011...2015).map { String($0) + "-12-31" }
        for (indicator, objective, stages) in [(communeFloor, o1, [(years[4], 100.0)]), (centre, o2, [(years[4], 1)]), (swTrained, o3, [(years[4], 50)]),
                                               (degree, o3, years.enumerated().map { ($0.element, Double(24 * ($0.offset + 1))) }),
                                               (skills, o3, years.enumerated().map { ($0.element, Double(min(348, 70 * ($0.offset + 1)))) }),
                                               (budget, o4, [(years[4], 15_000_000_000)])] {
            _ = try await service.addTarget(plan, TargetInput(indicatorId: indicator.id, unitCode: "20", objectiveId: objective.id,
                                                              stages: stages.map { StageInput(deadline: $0.0, value: $0.1) }, baselineYear: 2010, baselineValue: 0))
        }
        for (title, lead, coordinating, frame) in [("Tuyên truyền nâng cao nhận thức nghề công tác xã hội", media, [labour], "2011 - 2015"),
                                                   ("Điều tra, thu thập thông tin và xây dựng cơ sở dữ liệu phát triển nghề công tác xã hội", labour, [home], "Năm 2011"),
                                                   ("Phát triển đội ngũ cán bộ, viên chức, nhân viên và cộng tác viên công tác xã hội", labour, [home], "2011 - 2015"),
                                                   ("Xây dựng thí điểm Trung tâm cung cấp dịch vụ công tác xã hội cấp tỉnh", labour, [home], "2013 - 2014"),
                                                   ("Giám sát, đánh giá việc thực hiện Đề án (giữa kỳ và tổng kết)", labour, [home], "2013 - 2015")] {
            let t = try await service.addTask(plan, TaskInput(title: title, leadAgencyId: lead, coordinatingAgencyIds: coordinating, timeFrame: frame, status: TaskStatus.inProgress.rawValue))
            // Dated updates, so a report for 2013 tells 2013's state, not the plan's end.
            if let f = TimeFrame(frame) {
                _ = try await service.addProgress(plan, task: t, ProgressInput(on: f.start.iso, status: TaskStatus.inProgress.rawValue, text: "Bắt đầu triển khai."))
                _ = try await service.addProgress(plan, task: t, ProgressInput(on: f.end.iso, status: TaskStatus.done.rawValue, text: "Hoàn thành."))
            }
        }
        // 15 billion over five years, central and local.
        for (year, central, local, share) in [(2011, 1_200, 800, 0.92), (2012, 1_500, 1_000, 0.95), (2013, 1_800, 1_200, 0.9),
                                              (2014, 2_100, 1_400, 0.97), (2015, 2_400, 1_600, 0.88)] as [(Int, Int64, Int64, Double)] {
            for (source, millions) in [("central", central), ("local", local)] {
                let planned = millions * 1_000_000
                _ = try await service.addBudget(plan, PlanBudgetInput(source: source, year: year, planned: planned, spent: Int64(Double(planned) * share)))
            }
        }
    }

    package func vinhLong() async throws {
        let a = try await agencies("86")
        guard let culture = a("Sở Văn hóa"), let health = a("Sở Y tế"), let media = a("Sở Thông tin"), let labour = a("Sở Lao động") else { return }
        let plan = try await service.save(PlanInput(
            number: "…/QĐ-UBND", kind: "quyet-dinh", issuer: "Ủy ban nhân dân tỉnh Vĩnh Long", signer: nil, issuedOn: "2022-07-01",
            title: "Kế hoạch triển khai thực hiện Kế hoạch số 94-KH/TU ngày 31/3/2022 của Ban Thường vụ Tỉnh ủy thực hiện Chỉ thị số 06-CT/TW ngày 24/6/2021 của Ban Bí thư về tăng cường sự lãnh đạo của Đảng đối với công tác xây dựng gia đình trong tình hình mới",
            fromYear: 2022, toYear: 2031, scopeCode: "86",
            legalBases: "Luật Tổ chức Chính quyền địa phương ngày 19/6/2015\nQuyết định số 2074/QĐ-TTg ngày 10/12/2021 của Thủ tướng Chính phủ\nKế hoạch số 94-KH/TU ngày 31/3/2022 của Ban Thường vụ Tỉnh ủy Vĩnh Long",
            status: "period", reportWhat: "Báo cáo kết quả thực hiện Kế hoạch hằng năm", reportBy: "Các sở, ban, ngành, đoàn thể tỉnh; Ủy ban nhân dân các huyện, thị xã, thành phố",
            reportTo: "Sở Văn hóa, Thể thao và Du lịch (tổng hợp báo cáo Ủy ban nhân dân tỉnh, Bộ Văn hóa, Thể thao và Du lịch)", reportDue: "05/12",
            interimYear: 2026, finalYear: 2031))
        _ = try await service.addObjective(plan, ObjectiveInput(general: true, text: "Tạo chuyển biến mạnh mẽ từ nhận thức, hành động của các cấp ủy đảng, chính quyền đối với công tác xây dựng gia đình trong tình hình mới."))
        for (title, lead, coordinating, frame, status) in [
            ("Tuyên truyền nâng cao nhận thức, ý thức trách nhiệm về xây dựng gia đình trong tình hình mới", media, [culture], "2022 - 2031", TaskStatus.inProgress),
            ("Xây dựng Kế hoạch thực hiện Chiến lược phát triển gia đình Việt Nam đến năm 2030", culture, [health, labour], "Năm 2022", .done),
            ("Tập huấn, bồi dưỡng nhân lực làm công tác gia đình các cấp", culture, [health], "2022 - 2031", .inProgress),
            ("Phát triển mạng lưới cộng tác viên dân số, gia đình, trẻ em", health, [culture], "2022 - 2025", .inProgress),
            ("Sơ kết 05 năm thực hiện Kế hoạch", culture, [health, labour], "Quý IV/2026", .notStarted)] {
            _ = try await service.addTask(plan, TaskInput(title: title, leadAgencyId: lead, coordinatingAgencyIds: coordinating, timeFrame: frame, status: status.rawValue))
        }
    }
}
