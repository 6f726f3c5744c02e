import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations
import HamletWorkforce
import HamletTraining

extension NationalGenerator {
    /// Ten years of classes (2016–2025) in every province, about 40 learners each, drawn from the
    /// people holding a post in the class's commune during the class; mostly completed.
    package mutating func training(participations: Int, on db: any Database) async throws -> (Int, Int) {
        guard let sql = db as? any SQLDatabase else { return (0, 0) }
        let courseSpecs: [(String, CourseKind, QualificationLevel?, WorkDomain)] = [
            ("Tập huấn kỹ năng truyền thông dân số", .tapHuan, nil, .population), ("Tập huấn phòng, chống bạo lực gia đình", .tapHuan, nil, .family),
            ("Tập huấn bảo vệ trẻ em", .tapHuan, nil, .children), ("Tập huấn công tác xã hội cơ bản", .tapHuan, nil, .socialWork),
            ("Bồi dưỡng nghiệp vụ dân số", .boiDuong, nil, .population), ("Bồi dưỡng công tác xã hội cấp xã", .boiDuong, nil, .socialWork),
            ("Sơ cấp công tác xã hội", .daoTao, .soCap, .socialWork), ("Trung cấp công tác xã hội", .daoTao, .trungCap, .socialWork),
            ("Cử nhân công tác xã hội", .daoTao, .daiHoc, .socialWork), ("Đào tạo lại nghiệp vụ dân số", .daoTaoLai, .trungCap, .population),
        ]
        let courses = courseSpecs.map { name, kind, level, domain -> Course in
            let c = Course()
            c.id = UUID(); c.name = name; c.searchName = VietnameseText.folded(name); c.kind = kind.rawValue; c.level = level?.rawValue
            c.socialWork = domain == .socialWork; c.family = domain == .family; c.population = domain == .population; c.children = domain == .children
            c.hours = kind.isFormal ? 900 : 24
            return c
        }
        try await courses.create(on: db)
        // One organiser per province.
        let provinces = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level == .province).all()
        guard let agencyType = try await OrganisationType.query(on: db).filter(\.$kind == .agency).filter(\.$code == "so-y-te").first() else { return (0, 0) }
        var organisers: [String: UUID] = [:]
        for province in provinces {
            let o = Organisation()
            o.id = UUID(); o.kind = .agency; o.$type.id = try agencyType.requireID(); o.name = "Sở Y tế " + province.name
            o.searchName = VietnameseText.folded(o.name); o.unitCode = province.code; o.unitPath = province.path; o.providesSocialWork = false
            try await o.create(on: db)
            organisers[province.path] = o.id
        }
        // People by commune, with their posts' dates, from the posts table.
        var byCommune: [String: [(UUID, String, String)]] = [:]
        for row in try await sql.raw("SELECT person_id, unit_path, start_date, end_date FROM assignments").all() {
            let path = try row.decode(column: "unit_path", as: String.self)
            guard path.count >= 9 else { continue }
            byCommune[String(path.prefix(9)), default: []].append((try row.decode(column: "person_id", as: UUID.self),
                                                                   try row.decode(column: "start_date", as: String.self),
                                                                   try row.decode(column: "end_date", as: String?.self) ?? "9999"))
        }
        let communes = Array(byCommune.keys).sorted()
        var classes = 0, made = 0
        var classRows: [[any SQLExpression]] = [], rows: [[any SQLExpression]] = [], budget: [[any SQLExpression]] = []
        func flush() async throws {
            if !classRows.isEmpty {
                let q = sql.insert(into: TrainingClass.schema).columns("id", "course_id", "organiser_id", "unit_code", "unit_path", "start_date", "end_date", "status")
                for r in classRows { q.values(r) }
                try await q.run(); classRows = []
            }
            if !budget.isEmpty {
                let q = sql.insert(into: ClassBudgetLine.schema).columns("id", "class_id", "source", "planned", "spent")
                for r in budget { q.values(r) }
                try await q.run(); budget = []
            }
            for chunk in rows.chunks(of: 3000) {
                let q = sql.insert(into: Participation.schema)
                    .columns("id", "class_id", "person_id", "organiser_id", "course_id", "class_end", "class_cancelled", "result", "attended")
                for r in chunk { q.values(r) }
                try await q.run()
            }
            rows = []
        }
        while made < participations {
            let commune = communes.randomElement(using: &rng)!
            let year = Int.random(in: 2016...2025, using: &rng)
            let start = DayDate(year: year, month: Int.random(in: 1...11, using: &rng), day: Int.random(in: 1...25, using: &rng))!
            let end = start.adding(days: Int.random(in: 1...4, using: &rng))
            let course = courses.randomElement(using: &rng)!
            let cancelled = Int.random(in: 0..<50, using: &rng) == 0
            let classID = UUID()
            let province = String(commune.prefix(3))
            guard let organiser = organisers[province] else { continue }
            classRows.append([SQLBind(classID), SQLBind(course.id!), SQLBind(organiser), SQLBind(String(commune.dropFirst(3).dropLast())), SQLBind(commune),
                              SQLBind(start.iso), SQLBind(end.iso), SQLBind(cancelled ? "cancelled" : "finished")])
            budget.append([SQLBind(UUID()), SQLBind(classID), SQLBind("local"), SQLBind(Int64(40_000_000)), SQLBind(Int64(cancelled ? 0 : 36_000_000))])
            classes += 1
            let pool = byCommune[commune]!.filter { $0.1 <= end.iso && $0.2 >= start.iso }
            var seen = Set<UUID>()
            for _ in 0..<min(40, pool.count) {
                let person = pool.randomElement(using: &rng)!.0
                guard seen.insert(person).inserted else { continue }
                let roll = Int.random(in: 0..<100, using: &rng)
                let result: String? = cancelled ? nil : (roll < 85 ? "completed" : (roll < 92 ? "not-completed" : "absent"))
                rows.append([SQLBind(UUID()), SQLBind(classID), SQLBind(person), SQLBind(organiser), SQLBind(course.id!), SQLBind(end.iso), SQLBind(cancelled),
                             SQLBind(result), SQLBind(result == "absent" ? 0 : 3)])
                made += 1
            }
            if rows.count >= 20_000 { try await flush() }
        }
        try await flush()
        return (classes, made)
    }
}
