import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations
import HamletWorkforce

/// A realistic register for the demo province: a department team, commune staff (some communes
/// without, a few with too many), population officers at most health stations, and one
/// collaborator in most hamlets, carrying population, family and children work at once. Some
/// collaborators left and were replaced, some hamlets have nobody: coverage shows real gaps.
package enum DemoWorkforce {
    package static let families = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lý"]
    package static let women = (["Thị", "Ngọc", "Thị Kim", "Thị Thu", "Thị Mỹ"], ["Lan", "Hoa", "Hồng", "Thu", "Mai", "Hạnh", "Ngân", "Trang", "Yến", "Phượng", "Diễm", "Thảo"])
    package static let men = (["Văn", "Hữu", "Minh", "Quốc", "Thanh"], ["Nam", "Hùng", "Dũng", "Tâm", "Phúc", "Tài", "Khang", "Lộc", "Thành", "Trí", "Bảo", "Hiếu"])

    package struct Maker {
        package var n = 0
        package var people: [Person] = []
        package var posts: [Assignment] = []

        package var idPrefix = "089"

        package init(n: Int = 0, people: [Person] = [], posts: [Assignment] = [], idPrefix: String = "089") {
            (self.n, self.people, self.posts, self.idPrefix) = (n, people, posts, idPrefix)
        }

        package mutating func person(home: AdminUnit, level: QualificationLevel = .trungCap, sw: Bool = false) -> Person {
            n += 1
            let female = n % 3 != 0
            let (middles, givens) = female ? DemoWorkforce.women : DemoWorkforce.men
            let name = "\(families[(n * 7) % families.count]) \(middles[(n * 3) % middles.count]) \(givens[(n * 5 + n / 12) % givens.count])"
            let p = Person()
            p.id = UUID()
            p.setName(name)
            p.sex = female ? .female : .male
            let year = 1965 + (n * 13) % 38
            p.birthDate = String(format: "%04d-%02d-%02d", year, 1 + n % 12, 1 + n % 28)
            p.cccd = idPrefix + String(format: "%d%02d%06d", female ? 1 : 0, year % 100, n)
            p.phone = String(format: "09%08d", 10_000_000 + n * 7919 % 89_999_999)
            p.ethnicity = n % 17 == 0 ? "Khmer" : (n % 29 == 0 ? "Chăm" : "Kinh")
            p.homeUnitCode = home.code
            p.homeUnitPath = home.path
            p.educationLevel = "12/12"
            p.qualificationLevel = level
            p.qualifiedInSocialWork = sw
            people.append(p)
            return p
        }

        package mutating func post(_ p: Person, at unit: AdminUnit, org: Organisation? = nil, domains: [WorkDomain], title: String, kind: EmploymentKind,
                           from: String, to: String? = nil, reason: EndReason? = nil, multiple: Double? = nil, fullTime: Bool = false) {
            let a = Assignment()
            a.id = UUID()
            a.$person.id = p.id!
            a.unitCode = org?.unitCode ?? unit.code
            a.unitPath = org?.unitPath ?? unit.path
            a.$organisation.id = org?.id
            a.socialWork = domains.contains(.socialWork); a.family = domains.contains(.family)
            a.population = domains.contains(.population); a.children = domains.contains(.children)
            a.positionTitle = title
            a.employmentKind = kind
            a.fullTime = fullTime
            a.concurrent = domains.count > 1
            a.startDate = from
            a.endDate = to
            a.endReason = reason
            a.allowanceMultiple = multiple
            posts.append(a)
        }
    }

    package static func load(on db: any Database) async throws {
        var m = Maker()
        let orgs = try await Organisation.query(on: db).with(\.$type).all()
        for p in DemoData.provinces {
            m.idPrefix = p.idPrefix
            try await load(p, orgs: orgs, into: &m, on: db)
        }
        try await placeBeforeReform(m.posts, on: db)
        for chunk in m.people.chunks(of: 500) { try await chunk.create(on: db) }
        try await PersonWords.write(m.people, on: db)
        for chunk in m.posts.chunks(of: 500) { try await chunk.create(on: db) }
    }

    /// One province's register; its dates moved by the province's `shift`.
    package static func load(_ p: DemoData.Province, orgs: [Organisation], into m: inout Maker, on db: any Database) async throws {
        guard let province = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code == p.code).first() else { return }
        let communes = try await DemoData.communes(on: db, of: p.code)
        let hamlets = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level == .hamlet)
            .filter(\.$path >= province.path).filter(\.$path < AccessScope.upperBound(province.path)).sort(\.$code).all()
        func org(_ type: String, at code: String) -> Organisation? { orgs.first { $0.type.code == type && $0.unitCode == code } }
        let d = p.date
        // The provincial team.
        for (type, domains, title) in [("so-y-te", [WorkDomain.socialWork, .children], "Chuyên viên phòng Bảo trợ xã hội"),
                                       ("so-y-te", [.children], "Chuyên viên bảo vệ trẻ em"),
                                       ("chi-cuc-dan-so", [.population], "Chuyên viên dân số"),
                                       ("so-vhttdl", [.family], "Chuyên viên gia đình"),
                                       ("tt-ctxh", [.socialWork], "Nhân viên công tác xã hội")] {
            let person = m.person(home: province, level: .daiHoc, sw: domains.contains(.socialWork))
            m.post(person, at: province, org: org(type, at: province.code), domains: domains, title: title,
                   kind: type == "tt-ctxh" ? .vienChuc : .congChuc, from: d("2019-03-01"), fullTime: true)
        }
        for (i, commune) in communes.enumerated() {
            // Social-work staff: none in every 6th commune, two in every 7th, three (too many) in every 25th.
            let staff = i % 6 == 5 ? 0 : (i % 25 == 24 ? 3 : (i % 7 == 3 ? 2 : 1))
            for s in 0..<staff {
                let person = m.person(home: commune, level: s == 0 ? .daiHoc : .trungCap, sw: s == 0)
                // Staff arrive over four years, so "every commune has 1–2" climbs.
                m.post(person, at: commune, org: org("ubnd", at: commune.code), domains: [.socialWork, .children],
                       title: "Công chức Văn hóa – Xã hội", kind: .congChuc, from: d("20\(19 + (i + s) % 4)-0\(1 + s % 9)-01"), fullTime: true)
            }
            // Population officer at the health station, where there is one; every 4th station has none yet.
            if let station = org("tram-y-te", at: commune.code), i % 4 != 3 {
                let person = m.person(home: commune, level: .caoDang)
                m.post(person, at: commune, org: station, domains: [.population], title: "Viên chức dân số", kind: .vienChuc, from: d("2021-06-01"), fullTime: true)
            }
        }
        let role = "Cộng tác viên dân số – gia đình – trẻ em", domains: [WorkDomain] = [.population, .family, .children]
        for (i, hamlet) in hamlets.enumerated() {
            if i % 9 == 4 { continue }   // no collaborator yet
            let person = m.person(home: hamlet, level: i % 5 == 0 ? .soCap : .none)
            if i % 11 == 2 {
                // Left, replaced a few months later.
                m.post(person, at: hamlet, domains: domains, title: role, kind: .congTacVien, from: d("2019-01-01"), to: d("2024-09-30"), reason: .resigned, multiple: 0.3)
                let q = m.person(home: hamlet)
                m.post(q, at: hamlet, domains: domains, title: role, kind: .congTacVien, from: d("2025-02-01"), multiple: 0.5)
            } else if i % 13 == 6 {
                // Left and not replaced: a gap.
                m.post(person, at: hamlet, domains: domains, title: role, kind: .congTacVien, from: d("2020-01-01"), to: d("2025-03-31"), reason: .resigned, multiple: 0.3)
            } else {
                m.post(person, at: hamlet, domains: domains, title: role, kind: .congTacVien,
                       from: d(String(format: "20%02d-%02d-01", 18 + i % 7, 1 + i % 12)), multiple: 0.5)
            }
        }
    }

    /// A commune's posts begun before 01/07/2025 at a 2025 commune made of several: each in one of
    /// the legacy communes it was made of, in turn, as an officer would record them.
    package static func placeBeforeReform(_ posts: [Assignment], on db: any Database) async throws {
        let predecessors = try await LegacyMap(db: db).predecessors(under: "")
        var turn: [String: Int] = [:]
        for a in posts where a.startDate < UnitLoader.reform2025Date {
            let parts = a.unitPath.split(separator: ".")
            guard parts.count == 2, let choices = predecessors[String(parts[1])], choices.count > 1 else { continue }
            let k = turn[a.unitCode, default: 0]
            a.legacyUnitCode = choices[k % choices.count]
            turn[a.unitCode] = k + 1
        }
    }
}
