import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletAccounts
import HamletOrganisations
import HamletReporting

package struct StaffInput: Content {
    package var username: String?
    package var duty: String?
    package var reason: String?
    package init(username: String? = nil, duty: String? = nil, reason: String? = nil) {
        (self.username, self.duty, self.reason) = (username, duty, reason)
    }
}
package struct StaffRemoval: Content {
    package var reason: String?
    package init(reason: String? = nil) {
        self.reason = reason
    }
}
package struct StaffRow: Content {
    package var id: UUID?
    package var userId: UUID
    package var username: String
    package var name: String
    package var duty: String
    package init(id: UUID? = nil, userId: UUID, username: String, name: String, duty: String) {
        (self.id, self.userId, self.username, self.name) = (id, userId, username, name)
        self.duty = duty
    }
}
/// A new item of the cases' lists (a new item is offered at once: it has no end yet).
package struct CatalogueItemInput: Content {
    package var list: String?
    package var code: String?
    package var name: String?
    package var sensitive: Bool?
    package var children: Bool?
    package init(list: String? = nil, code: String? = nil, name: String? = nil, sensitive: Bool? = nil, children: Bool? = nil) {
        (self.list, self.code, self.name, self.sensitive) = (list, code, name, sensitive)
        self.children = children
    }
}

/// An item as the catalogue lists it, with the day it stopped being offered.
package struct CatalogueItemRow: Content {
    package var list: String
    package var code: String
    package var name: String
    package var sensitive: Bool
    package var children: Bool
    package var validTo: String?
}
package struct BreachInput: Content {
    package var discoveredAt: Date?
    package var description: String?
    package var peopleAffected: Int?
    package var dataKinds: String?
    package var measures: String?
    package init(discoveredAt: Date? = nil, description: String? = nil, peopleAffected: Int? = nil, dataKinds: String? = nil,
                 measures: String? = nil) {
        (self.discoveredAt, self.description, self.peopleAffected, self.dataKinds) = (discoveredAt, description, peopleAffected, dataKinds)
        self.measures = measures
    }
}
package struct BreachNotice: Content {
    package var authority: Bool?
    package var subjects: Bool?
    package init(authority: Bool? = nil, subjects: Bool? = nil) {
        self.authority = authority
        self.subjects = subjects
    }
}
package struct BreachRow: Content {
    package var id: UUID?
    package var discoveredAt: Date
    package var deadline: Date
    package var description: String
    package var peopleAffected: Int
    package var dataKinds: String
    package var measures: String?
    package var notifiedAt: Date?
    package var subjectsNotifiedAt: Date?
    package var status: String

    package init(id: UUID? = nil, discoveredAt: Date, deadline: Date, description: String, peopleAffected: Int, dataKinds: String,
                 measures: String? = nil, notifiedAt: Date? = nil, subjectsNotifiedAt: Date? = nil, status: String) {
        (self.id, self.discoveredAt, self.deadline, self.description) = (id, discoveredAt, deadline, description)
        (self.peopleAffected, self.dataKinds, self.measures, self.notifiedAt) = (peopleAffected, dataKinds, measures, notifiedAt)
        (self.subjectsNotifiedAt, self.status) = (subjectsNotifiedAt, status)
    }
}
package struct AnonymiseInput: Content {
    package var retentionYears: Int?
    package var dryRun: Bool?
    package init(retentionYears: Int? = nil, dryRun: Bool? = nil) {
        self.retentionYears = retentionYears
        self.dryRun = dryRun
    }
}

/// The feature's administration: who works at a facility, the catalogues, the breach register,
/// anonymisation after the retention period, and the counts anyone with the scope may read.
package struct CaseAdminAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped(NoStore())
        r.get("facilities", ":id", "staff", use: staff)
        r.post("facilities", ":id", "staff", use: addStaff)
        r.delete("facilities", ":id", "staff", ":staff", use: removeStaff)
        r.get("facilities", ":id", "staff", "history", use: staffHistory)
        r.get("case-catalogue", use: catalogue)
        r.post("case-catalogue", use: addItem)
        r.get("case-figures", use: figures)
        r.get("data-breaches", use: breaches)
        r.post("data-breaches", use: addBreach)
        r.post("data-breaches", ":id", "notified", use: notified)
        r.post("cases", "anonymise", use: anonymise)
    }

    /// A facility inside the account's scope; 404 otherwise.
    package static func facility(_ req: Request) async throws -> Organisation {
        try await OrganisationService(db: req.db, scope: req.scope).find(.facility, req.parameters.get("id", as: UUID.self))
    }

    package func staff(req: Request) async throws -> [StaffRow] {
        let f = try await Self.facility(req)
        let rows = try await StaffService.active(at: [f.requireID()], on: req.db)
        let users = try await Accounts(db: req.db).byID(rows.map(\.userID))
        return rows.compactMap { s in users[s.userID].map { StaffRow(id: s.id, userId: $0.id!, username: $0.username, name: $0.displayName, duty: s.duty) } }
            .sorted { ($0.duty, $0.username) < ($1.duty, $1.username) }
    }

    package func addStaff(req: Request) async throws -> Response {
        let f = try await Self.facility(req)
        let input = try req.content.decode(StaffInput.self)
        let row = try await StaffService(db: req.db, actor: try req.requireUser(), ip: req.clientIP).add(to: f, username: input.username, duty: input.duty, reason: input.reason)
        let user = try await Accounts(db: req.db).find(row.userID)
        return try Response.created(StaffRow(id: row.id, userId: user.id!, username: user.username, name: user.displayName, duty: row.duty))
    }

    /// Ends a duty (`?reason=` or a JSON body): the row stays, with who ended it and why.
    package func removeStaff(req: Request) async throws -> HTTPStatus {
        let f = try await Self.facility(req)
        guard let row = try await FacilityStaff.find(req.parameters.get("staff", as: UUID.self), on: req.db), row.facilityID == f.id else { throw HamletError.notFound }
        let reason = req.query[String.self, at: "reason"] ?? (try? req.content.decode(StaffRemoval.self))?.reason
        try await StaffService(db: req.db, actor: try req.requireUser(), ip: req.clientIP).remove(row, from: f, reason: reason)
        return .noContent
    }

    /// Who held a duty at the facility, added by whom and why, until when: for its managers and administrators.
    package func staffHistory(req: Request) async throws -> [StaffService.HistoryRow] {
        let f = try await Self.facility(req)
        try await StaffService(db: req.db, actor: try req.requireUser(), ip: req.clientIP).requireManager(f)
        return try await StaffService.history(of: f, on: req.db)
    }

    package func catalogue(req: Request) async throws -> [CatalogueItemRow] {
        try await CaseCatalogue(db: req.db).all().map {
            CatalogueItemRow(list: $0.list, code: $0.code, name: $0.name, sensitive: $0.sensitive, children: $0.children, validTo: $0.validTo)
        }
    }

    package func addItem(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditCatalogues)
        let input = try req.content.decode(CatalogueItemInput.self)
        _ = try await CaseCatalogue(db: req.db).add(input, actor: req.currentUser, ip: req.clientIP)
        return try Response.created(input)
    }

    /// `?unit=CODE&from=dd/MM/yyyy&to=…` (default: this year to date); `format=xlsx|csv`.
    package static func figures(_ req: Request) async throws -> CaseFigures.Result {
        let unit = try await req.unitAsked(req.query["unit"])
        let today = DayDate.today()
        let from = try (req.query[String.self, at: "from"]).map { raw -> DayDate in
            guard let d = DayDate(raw) else { throw HamletError.invalid("from", "Ngày viết dd/MM/yyyy.") }
            return d
        } ?? DayDate(year: today.year, month: 1, day: 1)!
        let to = try (req.query[String.self, at: "to"]).map { raw -> DayDate in
            guard let d = DayDate(raw) else { throw HamletError.invalid("to", "Ngày viết dd/MM/yyyy.") }
            return d
        } ?? today
        guard from <= to else { throw HamletError.invalid("to", "Ngày cuối phải sau ngày đầu.") }
        // `facility=ID`: one facility's figures, shown whole to its managers (their circle).
        var facility: Organisation? = nil
        if let raw = req.query[String.self, at: "facility"], !raw.isEmpty {
            let outside = HamletError.invalid("facility", "Không có cơ sở này trong phạm vi của bạn.")
            // Only "no such facility here" is the caller's mistake; a failing database stays a 500.
            do { facility = try await OrganisationService(db: req.db, scope: req.scope).find(.facility, UUID(uuidString: raw)) }
            catch let e as HamletError where e.status == .notFound { throw outside }
            guard let f = facility, unit.map({ f.unitPath.hasPrefix($0.path) }) ?? true else { throw outside }
        }
        let figures = try await CaseFigures(db: req.db).run(unit: unit, facility: facility, from: from, to: to)
        let manages = try await facility.asyncMap { f in try await req.caseAccess().duties()[f.id!]?.contains("manager") == true } ?? false
        return manages ? figures : figures.hidingSmallCounts()
    }

    package func figures(req: Request) async throws -> Response {
        let format: String? = req.query["format"]
        if format != nil { _ = try TableDownload.format(req) }
        let r = try await Self.figures(req)
        if let format { return try TableDownload.response(CaseFigures.sheet(r), format: format, name: "cong-tac-xa-hoi-\(r.unitCode)") }
        return try await r.encodeResponse(for: req)
    }

    package static func breachRow(_ b: DataBreach) -> BreachRow {
        let status = b.notifiedAt.map { $0 <= b.deadline ? "notified" : "notified-late" } ?? (HamletClock.shared.now > b.deadline ? "overdue" : "open")
        return BreachRow(id: b.id, discoveredAt: b.discoveredAt, deadline: b.deadline, description: b.details, peopleAffected: b.peopleAffected, dataKinds: b.dataKinds,
                         measures: b.measures, notifiedAt: b.notifiedAt, subjectsNotifiedAt: b.subjectsNotifiedAt, status: status)
    }

    package static func requireBreachKeeper(_ req: Request) throws -> User {
        try req.requireRole { [.admin, .provinceOfficer].contains($0) }
    }

    package func breaches(req: Request) async throws -> [BreachRow] {
        let user = try Self.requireBreachKeeper(req)
        return try await BreachBook.list(within: user.scope, on: req.db).map(Self.breachRow)
    }

    package func addBreach(req: Request) async throws -> Response {
        let user = try Self.requireBreachKeeper(req)
        let input = try req.content.decode(BreachInput.self)
        let b = try BreachBook.make(input, by: user)
        try await BreachBook.save(b, action: "create", by: req.currentUser, ip: req.clientIP, on: req.db)
        return try Response.created(Self.breachRow(b))
    }

    package func notified(req: Request) async throws -> BreachRow {
        let user = try Self.requireBreachKeeper(req)
        let b = try await BreachBook.find(req.parameters.get("id", as: UUID.self), within: user.scope, on: req.db)
        let input = try req.content.decode(BreachNotice.self)
        if input.authority == true, b.notifiedAt == nil { b.notifiedAt = HamletClock.shared.now }
        if input.subjects == true, b.subjectsNotifiedAt == nil { b.subjectsNotifiedAt = HamletClock.shared.now }
        try await BreachBook.save(b, action: "notify", by: req.currentUser, ip: req.clientIP, on: req.db)
        return Self.breachRow(b)
    }

    package func anonymise(req: Request) async throws -> Anonymiser.Summary {
        let user = try req.requireRole { $0 == .admin }
        let input = try req.content.decode(AnonymiseInput.self)
        let years = input.retentionYears ?? Anonymiser.defaultYears
        guard (1...100).contains(years) else { throw HamletError.invalid("retentionYears", "Thời hạn lưu từ 1 đến 100 năm.") }
        return try await Anonymiser(db: req.db, actor: user, ip: req.clientIP).run(retentionYears: years, within: user.scope, dryRun: input.dryRun ?? false)
    }
}
