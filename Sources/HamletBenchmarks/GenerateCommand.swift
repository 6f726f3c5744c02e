import Vapor
import Fluent
import HamletKit
import SQLKit
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletOrganisations
import HamletWorkforce
import HamletTraining
import HamletReporting
import HamletPlans
import HamletDemo

/// `hamlet generate --hamlets-per-commune 30 --people 300000`: national-scale data for the
/// benchmarks — hamlets in all 3,321 communes, people, and their posts (current and ended),
/// deterministic for a given seed; and a year of monthly reports from every hamlet and commune.
/// Each part is made once; a later run adds only what is missing.
package struct GenerateCommand: AsyncCommand {
    package struct Signature: CommandSignature {
        @Option(name: "hamlets-per-commune", help: "Số thôn sinh cho mỗi xã (mặc định 30 ≈ 100.000 thôn)") package var hamlets: Int?
        @Option(name: "people", help: "Số người (mặc định 300.000)") package var people: Int?
        @Option(name: "seed", help: "Hạt giống ngẫu nhiên") package var seed: Int?

        package init() {}
        @Option(name: "participations", help: "Số lượt học viên trong 10 năm lớp học (mặc định 2.000.000; 0 = bỏ qua)") package var participations: Int?
        @Option(name: "report-months", help: "Số tháng báo cáo của mọi thôn và xã (mặc định 12 ≈ 25 triệu giá trị; 0 = bỏ qua)") package var reportMonths: Int?
    }
    package var help: String { "Sinh dữ liệu quy mô quốc gia để đo hiệu năng (không dùng cho dữ liệu thật)." }
    /// Migrations and the unit lists, as a start without the demo does (the app's `Bootstrap`).
    package let prepare: @Sendable (Application) async throws -> Void

    package init(prepare: @escaping @Sendable (Application) async throws -> Void) {
        self.prepare = prepare
    }

    package func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await prepare(app)
        let started = Date()
        func say(_ text: String) { context.console.print(text + " (\(Int(Date().timeIntervalSince(started))) s)") }
        var generator = NationalGenerator(seed: UInt64(signature.seed ?? 2026))
        let participations = signature.participations ?? 2_000_000, months = signature.reportMonths ?? 12
        // Each part is made once: a later run adds the parts a database does not have yet.
        var made = false
        if try await Person.query(on: app.db).count() == 0 {
            say("Thôn: \(VietnameseFormat.integer(try await generator.hamlets(perCommune: signature.hamlets ?? 30, on: app.db)))")
            let (people, posts) = try await generator.people(count: signature.people ?? 300_000, on: app.db)
            say("Người: \(VietnameseFormat.integer(people)), nhiệm vụ: \(VietnameseFormat.integer(posts))")
            made = true
        }
        if participations > 0, try await Participation.query(on: app.db).count() == 0 {
            let (classes, rows) = try await generator.training(participations: participations, on: app.db)
            say("Lớp: \(VietnameseFormat.integer(classes)), lượt học viên: \(VietnameseFormat.integer(rows))")
            made = true
        }
        if try await Organisation.query(on: app.db).filter(\.$kind == .facility).count() == 0 {
            let (facilities, staff) = try await generator.facilities(on: app.db)
            say("Cơ sở: \(VietnameseFormat.integer(facilities)), người làm công tác xã hội tại cơ sở: \(VietnameseFormat.integer(staff))")
            made = true
        }
        if months > 0, try await DataValue.query(on: app.db).count() == 0 {
            let (reports, values) = try await generator.reporting(months: months, on: app.db)
            say("Báo cáo: \(VietnameseFormat.integer(reports)), giá trị: \(VietnameseFormat.integer(values))")
            made = true
        }
        if try await PlanSubmission.query(on: app.db).count() == 0 {
            let (plans, submissions, activities) = try await generator.implementation(on: app.db)
            say("Kế hoạch: \(VietnameseFormat.integer(plans)), báo cáo thực hiện: \(VietnameseFormat.integer(submissions)), hoạt động: \(VietnameseFormat.integer(activities))")
            made = true
        }
        guard made else {
            context.console.error("Cơ sở dữ liệu đã có đủ dữ liệu sinh: hãy sinh dữ liệu trên một cơ sở dữ liệu trống.")
            throw ExitCode(1)
        }
        try await Self.analyze(app.db)
    }

    /// Fresh statistics and visibility after a bulk load, as autovacuum would make later: without
    /// statistics PostgreSQL plans the word index and the posts as if the tables were empty, and
    /// without the visibility map its covering indexes still read the tables.
    package static func analyze(_ db: any Database) async throws {
        // SQLite is left without statistics, as a fresh user file would be; the queries are
        // written so its planner needs none.
        guard let sql = db as? any SQLDatabase, SQLText.isPostgres(db) else { return }
        try await sql.raw("VACUUM ANALYZE").run()
    }
}

/// A small, fast, seedable generator (SplitMix64), so runs are repeatable.
package struct SplitMix: RandomNumberGenerator {
    package var state: UInt64

    package init(state: UInt64) {
        self.state = state
    }
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

package struct NationalGenerator {
    package var rng: SplitMix
    package init(seed: UInt64) { rng = SplitMix(state: seed) }

    package mutating func hamlets(perCommune: Int, on db: any Database) async throws -> Int {
        let communes = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level == .commune).all()
        var batch: [AdminUnit] = []
        var total = 0
        for commune in communes {
            let ward = commune.type == "Phường"
            let count = max(1, perCommune / 2 + Int.random(in: 0...perCommune, using: &rng))
            for n in 1...count {
                let h = AdminUnit()
                h.id = UUID()
                h.structure = commune.structure
                h.code = commune.code + "-" + String(format: "%03d", n)
                h.name = (ward ? "Tổ dân phố " : "Thôn ") + String(n)
                h.shortName = h.name
                h.type = ward ? "Tổ dân phố" : "Thôn"
                h.level = .hamlet
                h.parentCode = commune.code
                h.path = commune.path + h.code + "."
                h.searchName = VietnameseText.folded(h.name)
                h.validFrom = "2025-07-01"
                batch.append(h)
            }
            if batch.count >= 1000 { try await batch.create(on: db); total += batch.count; batch = [] }
        }
        if !batch.isEmpty { try await batch.create(on: db); total += batch.count }
        return total
    }

    package mutating func people(count: Int, on db: any Database) async throws -> (Int, Int) {
        let places = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level != .district).all()
        let hamlets = places.filter { $0.level == .hamlet }, communes = places.filter { $0.level == .commune }, provinces = places.filter { $0.level == .province }
        var people: [Person] = [], posts: [Assignment] = []
        var made = 0, madePosts = 0
        for n in 0..<count {
            let roll = Int.random(in: 0..<100, using: &rng)
            let place = roll < 70 ? hamlets.randomElement(using: &rng)! : (roll < 95 ? communes.randomElement(using: &rng)! : provinces.randomElement(using: &rng)!)
            let p = person(n, living: place)
            people.append(p)
            let collaborator = place.level == .hamlet
            let start = String(format: "%04d-%02d-01", Int.random(in: 2012...2025, using: &rng), Int.random(in: 1...12, using: &rng))
            // A third of people also held an earlier post that ended: 400,000 posts for 300,000 people.
            if n % 3 == 0 {
                let previousEnd = String(format: "%04d-12-31", Int(start.prefix(4))! - 1)
                posts.append(post(p, place, collaborator: collaborator, from: "2010-01-01", to: previousEnd, reason: .transferred))
            }
            let ended = Int.random(in: 0..<10, using: &rng) == 0
            posts.append(post(p, place, collaborator: collaborator, from: start, to: ended ? "2025-12-31" : nil, reason: ended ? .resigned : nil))
            if people.count >= 1000 {
                try await people.create(on: db); try await PersonWords.write(people, on: db); made += people.count; people = []
                try await posts.create(on: db); madePosts += posts.count; posts = []
            }
        }
        if !people.isEmpty { try await people.create(on: db); try await PersonWords.write(people, on: db); made += people.count }
        if !posts.isEmpty { try await posts.create(on: db); madePosts += posts.count }
        return (made, madePosts)
    }

    /// Person number `n`, living in `place`; `n` makes the ID card and phone numbers unique.
    package mutating func person(_ n: Int, living place: AdminUnit) -> Person {
        let female = Bool.random(using: &rng)
        let (middles, givens) = female ? DemoWorkforce.women : DemoWorkforce.men
        let name = "\(DemoWorkforce.families.randomElement(using: &rng)!) \(middles.randomElement(using: &rng)!) \(givens.randomElement(using: &rng)!)"
        let p = Person()
        p.id = UUID()
        p.setName(name)
        p.sex = female ? .female : .male
        let year = Int.random(in: 1960...2003, using: &rng)
        p.birthDate = String(format: "%04d-%02d-%02d", year, Int.random(in: 1...12, using: &rng), Int.random(in: 1...28, using: &rng))
        p.cccd = String(format: "%03d%d%02d%06d", Int.random(in: 1...96, using: &rng), female ? 1 : 0, year % 100, n)
        p.phone = String(format: "09%08d", n)
        p.homeUnitCode = place.code
        p.homeUnitPath = place.path
        p.qualificationLevel = QualificationLevel.allCases.randomElement(using: &rng)!
        p.qualifiedInSocialWork = Int.random(in: 0..<5, using: &rng) == 0
        return p
    }

    package mutating func post(_ p: Person, _ place: AdminUnit, collaborator: Bool, from: String, to: String?, reason: EndReason?) -> Assignment {
        let a = Assignment()
        a.id = UUID()
        a.$person.id = p.id!
        a.unitCode = place.code
        a.unitPath = place.path
        if collaborator {
            a.population = true; a.family = Bool.random(using: &rng); a.children = Bool.random(using: &rng); a.socialWork = false
            a.employmentKind = .congTacVien
        } else {
            let d = WorkDomain.allCases.randomElement(using: &rng)!
            a.socialWork = d == .socialWork; a.family = d == .family; a.population = d == .population; a.children = d == .children
            a.employmentKind = [.canBo, .congChuc, .vienChuc, .nhanVien].randomElement(using: &rng)!
        }
        a.positionTitle = collaborator ? "Cộng tác viên" : "Chuyên viên"
        a.fullTime = !collaborator
        a.concurrent = collaborator
        a.startDate = from
        a.endDate = to
        a.endReason = reason
        return a
    }
}
