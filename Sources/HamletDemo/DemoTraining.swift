import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletOrganisations
import HamletWorkforce
import HamletTraining
import HamletPlans

/// Eight years of classes for the demo province (2018–2025, one planned for 2026), so the
/// trained share of hamlet collaborators climbs year by year, one class was cancelled, some
/// learners were absent, and a degree programme runs over four years.
package enum DemoTraining {
    package struct Plan {
        package var course: Int; var year: Int; var month: Int; var days: Int; var communes: (Int) -> Bool
        package var domain: WorkDomain
        package var kinds: [EmploymentKind]
        package var status: ClassStatus = .finished
        package var spent: Int64
        package var source: FundingSource = .local
    }

    package static func load(on db: any Database) async throws {
        let courses = try await makeCourses(on: db)
        let posts = try await Assignment.query(on: db).all()
        for p in DemoData.provinces {
            try await load(p, courses: courses, posts: posts.filter { $0.unitPath.hasPrefix(p.code + ".") }, on: db)
        }
    }

    package static func makeCourses(on db: any Database) async throws -> [Course] {
        let specs: [(String, CourseKind, QualificationLevel?, [WorkDomain], Int)] = [
            ("Tập huấn kỹ năng truyền thông dân số, gia đình, trẻ em", .tapHuan, nil, [.population, .family, .children], 16),
            ("Bồi dưỡng nghiệp vụ công tác xã hội cho cán bộ cấp xã", .boiDuong, nil, [.socialWork, .children], 40),
            ("Tập huấn phòng, chống bạo lực gia đình", .tapHuan, nil, [.family], 16),
            ("Cử nhân công tác xã hội (vừa làm vừa học)", .daoTao, .daiHoc, [.socialWork], 1800),
        ]
        let courses = specs.map { name, kind, level, domains, hours -> Course in
            let c = Course()
            c.id = UUID(); c.name = name; c.searchName = VietnameseText.folded(name); c.kind = kind.rawValue; c.level = level?.rawValue
            c.socialWork = domains.contains(.socialWork); c.family = domains.contains(.family)
            c.population = domains.contains(.population); c.children = domains.contains(.children); c.hours = hours
            return c
        }
        try await courses.create(on: db)
        return courses
    }

    /// One province's classes, its years moved by the province's `shift`.
    package static func load(_ province: DemoData.Province, courses: [Course], posts: [Assignment], on db: any Database) async throws {
        guard let organiser = try await Organisation.query(on: db).filter(\.$unitCode == province.code)
                .filter(\.$name == province.organiser + " tỉnh " + province.name).first(),
              let organiserID = organiser.id else { return }
        let shift = province.shift
        let series = CertificateSeries()
        series.organiserID = organiserID; series.nextNumber = 1
        series.pattern = "{n}/{year}/GCN-" + ["Sở Y tế": "SYT", "Sở Văn hóa, Thể thao và Du lịch": "SVHTTDL"][province.organiser, default: "SLĐTBXH"]

        let communes = try await DemoData.communes(on: db, of: province.code)
        var plans: [Plan] = []
        for (i, unshifted) in (2018...2025).enumerated() {
            let year = unshifted + shift
            // Collaborators: a sixth more communes each year, so the share climbs.
            let upTo = min(6, i + 1)
            plans.append(Plan(course: 0, year: year, month: 4, days: 3, communes: { $0 % 8 == i % 8 && $0 % 6 < upTo }, domain: .population,
                              kinds: [.congTacVien], status: unshifted == 2021 ? .cancelled : .finished, spent: 85_000_000))
            plans.append(Plan(course: 0, year: year, month: 9, days: 3, communes: { $0 % 8 == (i + 4) % 8 && $0 % 6 < upTo }, domain: .population,
                              kinds: [.congTacVien], spent: 80_000_000))
            plans.append(Plan(course: 1, year: year, month: 6, days: 5, communes: { $0 % 4 == i % 4 }, domain: .socialWork,
                              kinds: [.congChuc, .canBo, .vienChuc], spent: 120_000_000, source: .central))
            // Family work: a third of the communes each year, in turn.
            plans.append(Plan(course: 2, year: year, month: 11, days: 2, communes: { $0 % 3 == i % 3 }, domain: .family, kinds: [.congTacVien], spent: 40_000_000))
        }
        plans.append(Plan(course: 3, year: 2023, month: 6, days: 0, communes: { $0 % 3 == 0 }, domain: .socialWork, kinds: [.congChuc, .canBo, .vienChuc],
                          spent: 700_000_000, source: .central))
        if shift == 0 {
            plans.append(Plan(course: 0, year: 2026, month: 3, days: 3, communes: { $0 % 7 == 0 }, domain: .population, kinds: [.congTacVien],
                              status: .planned, spent: 0))
        }

        var classes: [TrainingClass] = [], lines: [ClassBudgetLine] = [], rows: [Participation] = []
        var n = 0
        for plan in plans {
            let chosen = Set(communes.enumerated().filter { plan.communes($0.offset) }.map(\.element.path))
            let k = TrainingClass()
            k.id = UUID(); k.$course.id = courses[plan.course].id!; k.organiserID = organiserID
            k.unitCode = province.code; k.unitPath = province.code + "."
            let start = plan.course == 3 ? DayDate(year: 2019 + shift, month: 9, day: 1)! : DayDate(year: plan.year, month: plan.month, day: 10)!
            let end = plan.course == 3 ? DayDate(year: 2023 + shift, month: 6, day: 30)! : start.adding(days: plan.days - 1)
            k.startDate = start.iso; k.endDate = end.iso; k.status = plan.status.rawValue
            k.partners = plan.course == 3 ? "Trường Đại học Lao động - Xã hội (Cơ sở II)" : nil
            let learners = Set(posts.filter { a in
                chosen.contains(String(a.unitPath.prefix(9))) && a.domains.contains(plan.domain) && plan.kinds.contains(a.employmentKind)
                    && a.startDate <= k.endDate && (a.endDate ?? "9999") >= k.startDate
            }.map { $0.$person.id })
            // A class nobody in the demo register could attend is not made up.
            if learners.isEmpty && plan.status != .planned { continue }
            classes.append(k)
            if plan.spent > 0 {
                let line = ClassBudgetLine()
                line.id = UUID(); line.classID = k.id!; line.source = plan.source.rawValue
                line.planned = plan.spent + plan.spent / 10; line.spent = plan.status == .cancelled ? 0 : plan.spent
                lines.append(line)
            }
            for person in learners.sorted(by: { $0.uuidString < $1.uuidString }) {
                n += 1
                let row = Participation()
                row.id = UUID(); row.classID = k.id!; row.personID = person; row.organiserID = organiserID
                row.courseID = k.$course.id; row.classEnd = k.endDate; row.classCancelled = plan.status == .cancelled
                if plan.status == .finished {
                    let result: TrainingResult = n % 17 == 0 ? .absent : (n % 11 == 0 ? .notCompleted : .completed)
                    row.result = result.rawValue
                    row.attended = result == .absent ? 0 : max(0, plan.days - (n % 13 == 0 && plan.days > 1 ? 1 : 0))
                    if result == .completed {
                        // 6 to 10 on the scale of 10, halves included (never above the scale).
                        row.score = min(10, Double(6 + n % 5) + (n % 2 == 0 ? 0.5 : 0))
                        row.certificateNumber = EnrolmentService.format(series.pattern, n: series.nextNumber, year: String(end.year))
                        row.certificateDate = end.iso
                        series.nextNumber += 1
                    }
                }
                rows.append(row)
            }
        }
        try await classes.create(on: db)
        try await lines.create(on: db)
        for chunk in rows.chunks(of: 500) { try await Array(chunk).create(on: db) }
        try await series.create(on: db)
    }
}
