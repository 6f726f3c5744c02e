import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations
import HamletWorkforce
import HamletTraining
import HamletPlans

/// The five seed plans with their real numbers: An Giang's Quyết định 588/QĐ-UBND (social work,
/// 2021–2025) and Kế hoạch 170/KH-UBND (population network, 2023), then Thanh Hóa's 126/KH-UBND,
/// Lạng Sơn's 411/QĐ-UBND and Vĩnh Long's 2022 family plan (`DemoSeedPlans`).
package enum DemoPlans {
    /// The kinds of organisation 588/QĐ-UBND lists beside the communes.
    package static let placesOf588 = ["co-so-trgxh", "tt-ctxh", "cai-nghien", "trai-giam", "truong-giao-duong", "so-tu-phap", "truong-hoc", "benh-vien"]

    package static func load(on db: any Database) async throws {
        let orgs = try await Organisation.query(on: db).filter(\.$unitCode == DemoData.province).all()
        func agency(_ prefix: String) -> UUID? { orgs.first { $0.name.hasPrefix(prefix) }?.id }
        guard let health = agency("Sở Y tế"), let home = agency("Sở Nội vụ"), let labour = agency("Sở Lao động"),
              let culture = agency("Sở Văn hóa"),
              let province = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code == DemoData.province).first()
        else { return }
        // Lạng Sơn's plan measures its communes and training by the first two as well.
        func indicator(_ code: String, _ name: String, _ d: IndicatorDefinition) async throws -> Indicator {
            try await DemoSeedPlans.indicator(code, name, d, owner: ["CTXH-XA", "CTXH-DT"].contains(code) ? "" : DemoData.province + ".", on: db)
        }
        _ = try await indicator("CTXH-XA", "Tỷ lệ xã, phường có 1–2 người làm công tác xã hội",
            IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(level: .commune, domains: [.socialWork], min: 1, max: 2)))
        // 588's own list of places: one denominator over the communes and these organisations; "ít nhất
        // từ 01 đến 02" is a floor of one.
        let placesStaff = try await indicator("CTXH-CQ-XA", "Tỷ lệ cơ quan, tổ chức, cơ sở và xã, phường bố trí người làm công tác xã hội",
            IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(level: .commune, organisationTypes: Self.placesOf588,
                                                                           domains: [.socialWork], min: 1)))
        let swTrained = try await indicator("CTXH-DT", "Tỷ lệ người làm công tác xã hội được đào tạo, bồi dưỡng",
            IndicatorDefinition(kind: .trainedShare, staff: StaffCriteria(domains: [.socialWork])))
        let services = try await indicator("CS-DVCTXH", "Tỷ lệ cơ sở trợ giúp xã hội, y tế, giáo dục cung cấp dịch vụ công tác xã hội",
            IndicatorDefinition(kind: .facilitiesWithService, facilityTypes: ["tt-ctxh", "co-so-trgxh", "benh-vien", "truong-hoc"]))
        let stations = try await indicator("TYT-DS", "Tỷ lệ trạm y tế xã có 1 viên chức dân số",
            IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(organisationType: "tram-y-te", domains: [.population], min: 1, max: 1)))
        _ = try await indicator("THON-CTV", "Tỷ lệ thôn, ấp, khóm có cộng tác viên dân số",
            IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(level: .hamlet, domains: [.population], kinds: [.congTacVien], min: 1)))
        // 170: "Mỗi cộng tác viên đảm nhiệm 03 nhiệm vụ": one post holding the three.
        let hamlets = try await indicator("THON-CTV-3NV", "Tỷ lệ thôn, ấp, khóm có cộng tác viên đảm nhiệm 03 nhiệm vụ (dân số, gia đình, trẻ em)",
            IndicatorDefinition(kind: .unitsWithPeople, rule: CoverageRule(level: .hamlet, allDomains: true, domains: [.population, .family, .children],
                                                                           kinds: [.congTacVien], min: 1)))
        _ = try await indicator("CTV-DT", "Tỷ lệ cộng tác viên dân số được tập huấn",
            IndicatorDefinition(kind: .trainedShare, staff: StaffCriteria(domains: [.population], kinds: [.congTacVien]), trained: TrainedCriteria(courseKinds: [.tapHuan])))

        let service = PlanService(db: db, scope: AccessScope(code: AccessScope.nationCode, path: ""), actor: nil, ip: nil)
        // 588/QĐ-UBND, 24/03/2021.
        let p588 = try await service.save(PlanInput(
            number: "588/QĐ-UBND", kind: "quyet-dinh", issuer: "Ủy ban nhân dân tỉnh An Giang", signer: "Lê Văn Phước",
            issuedOn: "2021-03-24", title: "Kế hoạch triển khai thực hiện Chương trình phát triển công tác xã hội tỉnh An Giang giai đoạn 2021 - 2025",
            fromYear: 2021, toYear: 2025, scopeCode: province.code,
            legalBases: "Luật Tổ chức chính quyền địa phương ngày 19/6/2015\nQuyết định số 112/QĐ-TTg ngày 22/01/2021 của Thủ tướng Chính phủ ban hành Chương trình phát triển công tác xã hội giai đoạn 2021 - 2030",
            status: "period", reportWhat: "Báo cáo kết quả thực hiện", reportBy: "Sở Lao động - Thương binh và Xã hội",
            reportTo: "Ủy ban nhân dân tỉnh", reportDue: nil, interimYear: 2023, finalYear: 2025))
        _ = try await service.addObjective(p588, ObjectiveInput(general: true, text: "Tiếp tục đẩy mạnh phát triển công tác xã hội tại các ngành, các cấp; nâng cao chất lượng dịch vụ công tác xã hội, đáp ứng nhu cầu của người dân."))
        let o1 = try await service.addObjective(p588, ObjectiveInput(text: "Phấn đấu đạt 60% số cơ quan, tổ chức, cơ sở trợ giúp xã hội, cơ sở cai nghiện ma túy, trại giam, trường giáo dưỡng, các cơ quan tư pháp, trường học, bệnh viện, xã, phường, thị trấn và đơn vị liên quan thực hiện phân công, bố trí nhân sự làm công tác xã hội, trong đó, có ít nhất từ 01 đến 02 cán bộ, công chức, viên chức, nhân viên công tác xã hội."))
        let o2 = try await service.addObjective(p588, ObjectiveInput(text: "Ít nhất 30% người làm công tác xã hội được đào tạo, bồi dưỡng, tập huấn kỹ năng."))
        let o3 = try await service.addObjective(p588, ObjectiveInput(text: "Tối thiểu 50% cơ sở trợ giúp xã hội, y tế, giáo dục có cung cấp dịch vụ công tác xã hội."))
        for (indicator, objective, value) in [(placesStaff, o1, 60.0), (swTrained, o2, 30.0), (services, o3, 50.0)] {
            _ = try await service.addTarget(p588, TargetInput(indicatorId: indicator.id, unitCode: province.code, objectiveId: objective.id,
                                                               stages: [StageInput(deadline: "2025-12-31", value: value)], baselineYear: 2020))
        }
        for (title, frame, status) in [("Tuyên truyền, nâng cao nhận thức về công tác xã hội", "2021 - 2025", TaskStatus.inProgress),
                                       ("Rà soát, bố trí người làm công tác xã hội tại xã, phường", "Năm 2022", .done),
                                       ("Đào tạo, bồi dưỡng, tập huấn kỹ năng công tác xã hội", "2021 - 2025", .inProgress)] {
            // The seed's lead is the Department of Labour (merged away in 2025: its dated note says who took the work).
            let t = try await service.addTask(p588, TaskInput(title: title, leadAgencyId: labour, coordinatingAgencyIds: [home], timeFrame: frame, status: status.rawValue))
            if status == .done {
                _ = try await service.addProgress(p588, task: t, ProgressInput(on: "2022-12-20", status: status.rawValue, text: "Đã rà soát 102 xã, phường; bố trí người ở các xã còn thiếu."))
            }
        }
        for (year, planned, spent) in [(2021, 1_200_000_000, 1_050_000_000), (2022, 1_400_000_000, 1_310_000_000), (2023, 1_500_000_000, 1_420_000_000),
                                       (2024, 1_500_000_000, 1_380_000_000), (2025, 1_600_000_000, 0)] as [(Int, Int64, Int64)] {
            _ = try await service.addBudget(p588, PlanBudgetInput(source: "local", year: year, planned: planned, spent: spent))
        }
        // 170/KH-UBND, 09/03/2023.
        let p170 = try await service.save(PlanInput(
            number: "170/KH-UBND", kind: "ke-hoach", issuer: "Ủy ban nhân dân tỉnh An Giang", signer: "Lê Văn Phước", issuedOn: "2023-03-09",
            title: "Kế hoạch triển khai thực hiện Đề án nghiên cứu, xây dựng mô hình tổ chức bộ máy, mạng lưới và cơ chế phối hợp liên ngành làm công tác dân số và phát triển trên địa bàn tỉnh An Giang",
            fromYear: 2023, toYear: 2030, scopeCode: province.code,
            legalBases: "Quyết định số 496/QĐ-TTg ngày 30/3/2021 của Thủ tướng Chính phủ\nCông văn số 3059/BYT-TCDS ngày 20/4/2021 của Bộ Y tế",
            status: "period", reportWhat: "Tổng hợp tình hình thực hiện kế hoạch, định kỳ báo cáo", reportBy: "Sở Y tế", reportTo: "Ủy ban nhân dân tỉnh", reportDue: nil,
            interimYear: 2025, finalYear: 2030))
        _ = try await service.addObjective(p170, ObjectiveInput(general: true, text: "Kiện toàn tổ chức bộ máy, xây dựng mạng lưới cộng tác viên dân số và cơ chế phối hợp liên ngành làm công tác dân số và phát triển."))
        let o4 = try await service.addObjective(p170, ObjectiveInput(text: "Mỗi trạm y tế xã có 01 viên chức làm công tác dân số."))
        let o5 = try await service.addObjective(p170, ObjectiveInput(text: "Mỗi thôn, ấp, khóm có cộng tác viên dân số kiêm công tác gia đình và trẻ em."))
        _ = try await service.addTarget(p170, TargetInput(indicatorId: stations.id, unitCode: province.code, objectiveId: o4.id,
                                                           stages: [StageInput(deadline: "2025-12-31", value: 100)], baselineYear: 2022))
        _ = try await service.addTarget(p170, TargetInput(indicatorId: hamlets.id, unitCode: province.code, objectiveId: o5.id,
                                                           stages: [StageInput(deadline: "2030-12-31", value: 100)],
                                                           baselineYear: 2022))
        // As section V of the plan assigns them.
        _ = try await service.addTask(p170, TaskInput(title: "Xây dựng hướng dẫn, triển khai đội ngũ cộng tác viên dân số kiêm công tác gia đình và trẻ em tại cơ sở",
                                                       leadAgencyId: health, coordinatingAgencyIds: [culture, labour], timeFrame: "2023 - 2025",
                                                       status: TaskStatus.inProgress.rawValue))
        _ = try await service.addTask(p170, TaskInput(title: "Kiện toàn Ban Chỉ đạo công tác Dân số và phát triển; nâng cao hiệu lực, hiệu quả tổ chức bộ máy làm công tác dân số và phát triển các cấp",
                                                       leadAgencyId: health, coordinatingAgencyIds: [home], timeFrame: "2023 - 2030",
                                                       status: TaskStatus.inProgress.rawValue))
        try await DemoSeedPlans(db: db, service: service, swTrained: swTrained).load()
    }
}
