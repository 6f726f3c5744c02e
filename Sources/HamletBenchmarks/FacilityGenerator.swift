import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations
import HamletWorkforce

extension NationalGenerator {
    /// Facilities at about the country's numbers: schools in every commune (~21,000), hospitals
    /// (~1,500) and social-assistance facilities (~400) in every province, and a social-work
    /// centre per province; some opened lately and some closed. Social workers are posted at some
    /// of them; they are new people, so the registry's other figures stay as they were.
    package mutating func facilities(on db: any Database) async throws -> (facilities: Int, staff: Int) {
        let units = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$level ~~ [.province, .commune]).all()
        let communes = Dictionary(grouping: units.filter { $0.level == .commune }, by: { String($0.path.prefix(3)) })
        var types: [String: UUID] = [:]
        for t in try await OrganisationType.query(on: db).filter(\.$kind == .facility).all() { types[t.code] = try t.requireID() }
        // Type, how many per place, the share providing social-work services, social workers per facility.
        let perCommune: [(String, ClosedRange<Int>, Int, ClosedRange<Int>)] = [("truong-hoc", 3...10, 20, 0...1)]
        let perProvince: [(String, ClosedRange<Int>, Int, ClosedRange<Int>)] = [
            ("tt-ctxh", 1...1, 100, 4...12), ("co-so-trgxh", 8...16, 70, 0...4), ("benh-vien", 30...60, 40, 0...2)]
        var n = try await Person.query(on: db).count()
        var organisations: [Organisation] = [], people: [Person] = [], posts: [Assignment] = []
        var made = 0, staff = 0
        func flush() async throws {
            try await organisations.create(on: db); made += organisations.count; organisations = []
            try await people.create(on: db); try await PersonWords.write(people, on: db); staff += people.count; people = []
            try await posts.create(on: db); posts = []
        }
        for province in units.filter({ $0.level == .province }).sorted(by: { $0.code < $1.code }) {
            let inside = communes[String(province.path.prefix(3))] ?? []
            guard !inside.isEmpty else { continue }
            var places: [(String, AdminUnit, Int, ClosedRange<Int>)] = []
            for commune in inside.sorted(by: { $0.code < $1.code }) {
                for (code, count, serving, workers) in perCommune {
                    for _ in 1...Int.random(in: count, using: &rng) { places.append((code, commune, serving, workers)) }
                }
            }
            for (code, count, serving, workers) in perProvince {
                for _ in 1...Int.random(in: count, using: &rng) {
                    places.append((code, code == "tt-ctxh" ? province : inside.randomElement(using: &rng)!, serving, workers))
                }
            }
            for (number, (code, place, serving, workers)) in places.enumerated() {
                guard let type = types[code] else { continue }
                let o = Organisation()
                o.id = UUID(); o.kind = .facility; o.$type.id = type
                o.name = "\(OrganisationCatalogue.defaults.first { $0.1 == code }?.2 ?? code) số \(number + 1) \(place.name)"
                o.searchName = VietnameseText.folded(o.name); o.unitCode = place.code; o.unitPath = place.path
                o.providesSocialWork = Int.random(in: 0..<100, using: &rng) < serving
                let roll = Int.random(in: 0..<100, using: &rng)
                if roll < 5 { o.validFrom = String(format: "%04d-%02d-01", Int.random(in: 2021...2026, using: &rng), Int.random(in: 1...12, using: &rng)) }
                if roll >= 97 { o.validTo = String(format: "%04d-12-31", Int.random(in: 2018...2025, using: &rng)) }
                organisations.append(o)
                for _ in 0..<Int.random(in: workers, using: &rng) {
                    let p = person(n, living: place)
                    n += 1
                    people.append(p)
                    let start = String(format: "%04d-%02d-01", Int.random(in: 2012...2025, using: &rng), Int.random(in: 1...12, using: &rng))
                    let ended = Int.random(in: 0..<10, using: &rng) == 0
                    let a = post(p, place, collaborator: false, from: start, to: ended ? "2025-12-31" : nil, reason: ended ? .resigned : nil)
                    a.$organisation.id = o.id
                    a.socialWork = true; a.family = false; a.population = false; a.children = false
                    a.positionTitle = "Nhân viên công tác xã hội"
                    posts.append(a)
                }
            }
            try await flush()
        }
        return (made, staff)
    }
}
