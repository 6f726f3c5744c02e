import Vapor
import Fluent
import HamletKit

/// The demo province (An Giang, code 91): hamlets in every commune, agencies, facilities and
/// a few accounts. Loaded on the first start of an empty database unless `--no-demo`.
/// The demo password is random and printed once: no account ships with a known password.
enum DemoData {
    static let province = "91"

    /// Loads the demo hamlets and organisations when there are none, and the demo accounts when
    /// there is no account yet; returns the administrator's login when it was made now.
    static func loadIfEmpty(_ app: Application) async throws -> (String, String)? {
        let organisations = try await Organisation.query(on: app.db).count()
        let hamlets = try await AdminUnit.query(on: app.db).filter(\.$level == .hamlet).count()
        let hasData = organisations + hamlets > 0
        let hasUsers = try await User.query(on: app.db).count() > 0
        if hasData && hasUsers { return nil }
        let password = "an-giang-" + Token.random(bytes: 6).lowercased().filter { $0.isLetter || $0.isNumber }.prefix(8)
        let hash = hasUsers ? "" : try await app.password.async.hash(String(password))
        try await app.db.transaction { db in
            if !hasData {
                try await loadHamlets(on: db)
                try await loadOrganisations(on: db)
                try await DemoWorkforce.load(on: db)
                try await DemoTraining.load(on: db)
                try await DemoPlans.load(on: db)
            }
            if !hasUsers { try await loadUsers(hash: hash, on: db) }
            try await Audit.record(on: db, actor: nil, ip: nil, action: "demo", entity: "database", entityID: nil, scopePath: "")
        }
        return hasUsers ? nil : ("admin", String(password))
    }

    static let hamletNames = ["Bình Hòa", "Bình Thạnh", "Phú Lợi", "Tân Hiệp", "Long Thạnh", "Mỹ Phú", "Hòa Bình", "An Thạnh",
                              "Thới Hòa", "Vĩnh Lợi", "Phước Thạnh", "Đông Châu", "Tây Huề", "Sơn Đông", "Nam Hòa", "Kiến Thuận"]

    static func communes(on db: any Database) async throws -> [AdminUnit] {
        try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$parentCode == province).filter(\.$level == .commune).sort(\.$code).all()
    }

    static func loadHamlets(on db: any Database) async throws {
        var hamlets: [AdminUnit] = []
        for (i, commune) in try await communes(on: db).enumerated() {
            let ward = commune.type == "Phường"
            let count = 4 + (Int(commune.code) ?? i) % 6
            for n in 1...count {
                let h = AdminUnit()
                h.id = UUID()
                h.structure = commune.structure
                h.code = commune.code + "-" + String(format: "%03d", n)
                h.name = ward ? "Khóm \(n)" : "Ấp " + hamletNames[(i * 3 + n) % hamletNames.count]
                h.shortName = h.name
                h.type = ward ? "Khóm" : "Ấp"
                h.level = .hamlet
                h.parentCode = commune.code
                h.path = commune.path + h.code + "."
                h.searchName = VietnameseText.folded(h.name)
                h.validFrom = "2025-07-01"
                hamlets.append(h)
            }
        }
        for chunk in hamlets.chunks(of: 500) { try await chunk.create(on: db) }
        let events = hamlets.map { UnitEvent(unitCode: $0.code, kind: "created", effectiveDate: "2025-07-01", new: $0.name, username: "demo") }
        for chunk in events.chunks(of: 500) { try await chunk.create(on: db) }
    }

    static func loadOrganisations(on db: any Database) async throws {
        let types = Dictionary(uniqueKeysWithValues: try await OrganisationType.query(on: db).all().map { ($0.kind.rawValue + ":" + $0.code, $0) })
        let communes = try await communes(on: db)
        let provincePath = province + "."
        func make(_ kind: OrgKind, _ type: String, _ name: String, unit: String, path: String, sw: Bool = false, from: String = "2025-07-01") -> Organisation {
            let o = Organisation()
            o.kind = kind
            o.name = name
            o.searchName = VietnameseText.folded(name)
            o.$type.id = types[kind.rawValue + ":" + type]!.id!
            o.unitCode = unit
            o.unitPath = path
            o.providesSocialWork = sw
            o.validFrom = from
            return o
        }
        var orgs = [
            make(.agency, "ubnd", "Ủy ban nhân dân tỉnh An Giang", unit: province, path: provincePath),
            make(.agency, "so-y-te", "Sở Y tế tỉnh An Giang", unit: province, path: provincePath),
            make(.agency, "chi-cuc-dan-so", "Chi cục Dân số tỉnh An Giang", unit: province, path: provincePath),
            make(.agency, "so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch tỉnh An Giang", unit: province, path: provincePath),
            make(.agency, "so-noi-vu", "Sở Nội vụ tỉnh An Giang", unit: province, path: provincePath),
            make(.agency, "hoi-phu-nu", "Hội Liên hiệp Phụ nữ tỉnh An Giang", unit: province, path: provincePath),
            make(.facility, "tt-ctxh", "Trung tâm Công tác xã hội tỉnh An Giang", unit: province, path: provincePath, sw: true),
            make(.facility, "co-so-trgxh", "Cơ sở Bảo trợ xã hội tỉnh An Giang", unit: province, path: provincePath, sw: true),
            make(.facility, "benh-vien", "Bệnh viện Đa khoa Trung tâm An Giang", unit: province, path: provincePath, sw: true),
            make(.facility, "cai-nghien", "Cơ sở cai nghiện ma túy tỉnh An Giang", unit: province, path: provincePath),
        ]
        for commune in communes.prefix(12) {
            orgs.append(make(.agency, "ubnd", "Ủy ban nhân dân \(commune.name)", unit: commune.code, path: commune.path))
            orgs.append(make(.agency, "tram-y-te", "Trạm Y tế \(commune.name)", unit: commune.code, path: commune.path))
            orgs.append(make(.facility, "truong-hoc", "Trường Trung học cơ sở \(commune.shortName)", unit: commune.code, path: commune.path,
                             sw: (Int(commune.code) ?? 0) % 3 == 0))
        }
        try await orgs.create(on: db)
    }

    static func loadUsers(hash: String, on db: any Database) async throws {
        let firstCommune = try await communes(on: db).first!
        let users = [
            User(username: "admin", displayName: "Quản trị hệ thống", passwordHash: hash, role: .admin, scopeCode: AccessScope.nationCode, scopePath: ""),
            User(username: "chuyenvien", displayName: "Nguyễn Thị Hòa", passwordHash: hash, role: .provinceOfficer, scopeCode: province, scopePath: province + "."),
            User(username: "lanhdao", displayName: "Trần Văn Minh", passwordHash: hash, role: .viewer, scopeCode: province, scopePath: province + "."),
            User(username: "canboxa", displayName: "Lê Thị Thu", passwordHash: hash, role: .communeOfficer, scopeCode: firstCommune.code, scopePath: firstCommune.path),
        ]
        try await users.create(on: db)
    }
}
