import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations
import HamletWorkforce

/// The demo province (An Giang, code 91): hamlets in every commune, agencies, facilities and
/// a few accounts. Loaded on the first start of an empty database unless `--no-demo`.
/// The demo password is random and printed once: no account ships with a known password.
package enum DemoData {
    package static let province = "91"

    /// The provinces of the five seed plans. `shift` moves the demo's dates by whole years so each
    /// province's register and classes run through its own plan's years (Lạng Sơn 2011–2015).
    package struct Province: Sendable {
        package var code: String
        package var name: String
        package var idPrefix: String
        package var shift: Int
        /// The department whose name the classes carry as organiser.
        package var organiser: String

        package init(code: String, name: String, idPrefix: String, shift: Int, organiser: String) {
            (self.code, self.name, self.idPrefix, self.shift) = (code, name, idPrefix, shift)
            self.organiser = organiser
        }

        /// "2020-03-01" moved by `shift` years.
        package func date(_ iso: String) -> String {
            guard shift != 0, let year = Int(iso.prefix(4)) else { return iso }
            let moved = String(year + shift) + iso.dropFirst(4)
            return moved.hasSuffix("-02-29") ? String(moved.dropLast(2)) + "28" : moved
        }
    }

    package static let provinces = [
        Province(code: "91", name: "An Giang", idPrefix: "089", shift: 0, organiser: "Sở Y tế"),
        Province(code: "38", name: "Thanh Hóa", idPrefix: "038", shift: -5, organiser: "Sở Văn hóa, Thể thao và Du lịch"),
        Province(code: "20", name: "Lạng Sơn", idPrefix: "020", shift: -8, organiser: "Sở Lao động - Thương binh và Xã hội"),
        Province(code: "86", name: "Vĩnh Long", idPrefix: "086", shift: -1, organiser: "Sở Văn hóa, Thể thao và Du lịch"),
    ]

    /// Loads the demo hamlets and organisations when there are none, and the demo accounts when
    /// there is no account yet; returns the administrator's login when it was made now.
    package static func loadIfEmpty(_ app: Application) async throws -> (String, String)? {
        let organisations = try await Organisation.query(on: app.db).count()
        let hamlets = try await AdminUnit.query(on: app.db).filter(\.$level == .hamlet).count()
        let hasData = organisations + hamlets > 0
        let hasUsers = try await User.query(on: app.db).count() > 0
        if hasData && hasUsers { return nil }
        let password = "an-giang-" + Token.random(bytes: 6).lowercased().filter { $0.isLetter || $0.isNumber }.prefix(8)
        let hash = hasUsers ? "" : try await app.password.async.hash(String(password))
        try await app.db.writeTransaction { db in
            if !hasData {
                try await loadHamlets(on: db)
                try await loadOrganisations(on: db)
                try await DemoWorkforce.load(on: db)
                try await DemoTraining.load(on: db)
                try await DemoPlans.load(on: db)
                try await DemoDuties.load(on: db)
                try await DemoPopulation.load(on: db)
                try await DemoActivities.load(on: db)
                try await DemoReporting.load(on: db)
            }
            if !hasUsers { try await loadUsers(hash: hash, on: db) }
            // Cases need their caseworkers' accounts.
            if !hasData && !hasUsers { try await DemoCases.load(on: db) }
            try await Audit.record(on: db, actor: nil, ip: nil, action: "demo", entity: "database", entityID: nil, scopePath: "")
        }
        return hasUsers ? nil : ("admin", String(password))
    }

    package static let hamletNames = ["Bình Hòa", "Bình Thạnh", "Phú Lợi", "Tân Hiệp", "Long Thạnh", "Mỹ Phú", "Hòa Bình", "An Thạnh",
                              "Thới Hòa", "Vĩnh Lợi", "Phước Thạnh", "Đông Châu", "Tây Huề", "Sơn Đông", "Nam Hòa", "Kiến Thuận"]

    package static func communes(on db: any Database, of code: String = province) async throws -> [AdminUnit] {
        try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$parentCode == code).filter(\.$level == .commune).sort(\.$code).all()
    }

    package static func loadHamlets(on db: any Database) async throws {
        var hamlets: [AdminUnit] = []
        var communes: [AdminUnit] = []
        for p in provinces { communes += try await Self.communes(on: db, of: p.code) }
        for (i, commune) in communes.enumerated() {
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

    package static func loadOrganisations(on db: any Database) async throws {
        let types = Dictionary(uniqueKeysWithValues: try await OrganisationType.query(on: db).all().map { ($0.kind.rawValue + ":" + $0.code, $0) })
        func make(_ kind: OrgKind, _ type: String, _ name: String, unit: String, path: String, sw: Bool = false, from: String? = nil, to: String? = nil,
                  note: String? = nil) -> Organisation {
            let o = Organisation()
            o.note = note
            o.kind = kind
            o.name = name
            o.searchName = VietnameseText.folded(name)
            o.$type.id = types[kind.rawValue + ":" + type]!.id!
            o.unitCode = unit
            o.unitPath = path
            o.providesSocialWork = sw
            o.validFrom = from
            o.validTo = to
            return o
        }
        var orgs: [Organisation] = []
        for p in provinces {
            let path = p.code + ".", name = p.name
            orgs += [
                make(.agency, "ubnd", "Ủy ban nhân dân tỉnh \(name)", unit: p.code, path: path),
                make(.agency, "so-y-te", "Sở Y tế tỉnh \(name)", unit: p.code, path: path),
                make(.agency, "chi-cuc-dan-so", "Chi cục Dân số tỉnh \(name)", unit: p.code, path: path),
                make(.agency, "so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch tỉnh \(name)", unit: p.code, path: path),
                make(.agency, "so-noi-vu", "Sở Nội vụ tỉnh \(name)", unit: p.code, path: path),
                // Merged away in 2025: kept as the old plans name them, with a dated note of who took the work.
                make(.agency, "so-ldtbxh", "Sở Lao động - Thương binh và Xã hội tỉnh \(name)", unit: p.code, path: path, to: "2025-02-28",
                     note: "Từ 01/03/2025 hợp nhất vào Sở Nội vụ; công tác xã hội, bảo trợ xã hội và trẻ em chuyển về Sở Y tế"),
                make(.agency, "so-tttt", "Sở Thông tin và Truyền thông tỉnh \(name)", unit: p.code, path: path, to: "2025-02-28",
                     note: "Từ 01/03/2025 hợp nhất vào Sở Khoa học và Công nghệ"),
                make(.agency, "so-gddt", "Sở Giáo dục và Đào tạo tỉnh \(name)", unit: p.code, path: path),
                make(.agency, "ubnd", "Ủy ban nhân dân các huyện, thị xã, thành phố tỉnh \(name)", unit: p.code, path: path, to: "2025-06-30",
                     note: "Từ 01/07/2025 không còn cấp huyện; nhiệm vụ chuyển về Ủy ban nhân dân các xã, phường"),
                make(.agency, "hoi-phu-nu", "Hội Liên hiệp Phụ nữ tỉnh \(name)", unit: p.code, path: path),
                // Lạng Sơn's pilot centre opened in the plan's fourth year; the others stand from the start.
                make(.facility, "tt-ctxh", "Trung tâm Công tác xã hội tỉnh \(name)", unit: p.code, path: path, sw: true,
                     from: p.code == "20" ? "2014-06-01" : "2017-01-01"),
                make(.facility, "co-so-trgxh", "Cơ sở Bảo trợ xã hội tỉnh \(name)", unit: p.code, path: path, sw: true),
                make(.facility, "benh-vien", "Bệnh viện Đa khoa tỉnh \(name)", unit: p.code, path: path, sw: p.code != "20"),
                make(.facility, "cai-nghien", "Cơ sở cai nghiện ma túy tỉnh \(name)", unit: p.code, path: path),
            ]
            if p.code == "38" {
                // Thanh Hóa's Dự án 3 names its schools as coordinating agencies.
                orgs += [make(.agency, "truong-dai-hoc", "Trường Chính trị tỉnh Thanh Hóa", unit: p.code, path: path),
                         make(.agency, "truong-dai-hoc", "Trường Đại học Văn hóa, Thể thao và Du lịch Thanh Hóa", unit: p.code, path: path)]
            }
            for commune in try await communes(on: db, of: p.code).prefix(12) {
                orgs.append(make(.agency, "ubnd", "Ủy ban nhân dân \(commune.name)", unit: commune.code, path: commune.path))
                orgs.append(make(.agency, "tram-y-te", "Trạm Y tế \(commune.name)", unit: commune.code, path: commune.path))
                orgs.append(make(.facility, "truong-hoc", "Trường Trung học cơ sở \(commune.shortName)", unit: commune.code, path: commune.path,
                                 sw: (Int(commune.code) ?? 0) % 3 == 0))
            }
        }
        try await orgs.create(on: db)
    }

    package static func loadUsers(hash: String, on db: any Database) async throws {
        let firstCommune = try await communes(on: db).first!
        let users = [
            User(username: "admin", displayName: "Quản trị hệ thống", passwordHash: hash, role: .admin, scopeCode: AccessScope.nationCode, scopePath: ""),
            User(username: "chuyenvien", displayName: "Nguyễn Thị Hòa", passwordHash: hash, role: .provinceOfficer, scopeCode: province, scopePath: province + "."),
            User(username: "lanhdao", displayName: "Trần Văn Minh", passwordHash: hash, role: .viewer, scopeCode: province, scopePath: province + "."),
            User(username: "chutich", displayName: "Phạm Quốc Bảo", passwordHash: hash, role: .leader, scopeCode: province, scopePath: province + "."),
            User(username: "canboxa", displayName: "Lê Thị Thu", passwordHash: hash, role: .communeOfficer, scopeCode: firstCommune.code, scopePath: firstCommune.path),
        ] + DemoCases.users(hash: hash) + (try await collaborators(hash: hash, on: db))
        try await users.create(on: db)
    }

    /// Hamlet collaborators: three in An Giang (two hamlets of one ward, one of the next commune)
    /// and one in each other demo province, each named after the collaborator posted there.
    package static let collaboratorAccounts = [("congtacvien", province, 0, 1), ("congtacvien2", province, 0, 2), ("congtacvien3", province, 1, 1),
                                       ("ctvthanhhoa", "38", 0, 1), ("ctvlangson", "20", 0, 1), ("ctvvinhlong", "86", 0, 1)]

    package static func collaborators(hash: String, on db: any Database) async throws -> [User] {
        var users: [User] = []
        for (username, provinceCode, commune, n) in collaboratorAccounts {
            let communes = try await Self.communes(on: db, of: provinceCode)
            guard communes.indices.contains(commune) else { continue }
            let code = communes[commune].code + "-" + String(format: "%03d", n)
            guard let hamlet = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code == code).first() else { continue }
            let post = try await Assignment.query(on: db).filter(\.$unitCode == code).filter(\.$employmentKind == .congTacVien).with(\.$person).first()
            users.append(User(username: username, displayName: post?.person.fullName ?? "Cộng tác viên \(hamlet.name)", passwordHash: hash,
                              role: .collaborator, scopeCode: hamlet.code, scopePath: hamlet.path))
        }
        return users
    }
}
