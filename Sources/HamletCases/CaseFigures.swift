import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations

/// Counts of case work over a unit's subtree (or one facility) and a span of days, for anyone
/// whose scope holds the unit — never names. People served are those who received at least one
/// service in the span. Sensitive categories are counted together as one protected group, and
/// for anyone outside the cases' circle counts from 1 to 4 are hidden ("< 5", `SmallCounts`),
/// so a count never says that someone in a small commune has HIV.
package struct CaseFigures {
    package let db: any Database

    package init(db: any Database) {
        self.db = db
    }

    /// A count is nil where it is hidden ("< 5").
    package struct Line: Content {
        package var code: String
        package var name: String
        package var people: Int?
        package var services: Int?
        package init(code: String, name: String, people: Int? = nil, services: Int? = nil) {
            (self.code, self.name, self.people, self.services) = (code, name, people, services)
        }
    }
    package struct FacilityLine: Content {
        package var id: UUID
        package var name: String
        package var open: Int?
        package var overdueFollowUps: Int?
        package init(id: UUID, name: String, open: Int? = nil, overdueFollowUps: Int? = nil) {
            (self.id, self.name, self.open, self.overdueFollowUps) = (id, name, open, overdueFollowUps)
        }
    }
    package struct Result: Content {
        package var unitCode: String
        package var unitName: String
        package var from: String
        package var to: String
        package var facility: String?
        package var peopleServed: Int?
        package var services: Int?
        package var casesOpened: Int?
        package var casesClosed: Int?
        package var openAtEnd: Int?
        package var referralsSent: Int?
        package var referralsCompleted: Int?
        package var referralsDeclined: Int?
        package var referralCompletion: Double?
        package var byCategory: [Line]
        package var byService: [Line]
        package var byChild: [Line]
        package var facilities: [FacilityLine]
        /// Whether small counts were hidden, and the rule, said beside the table.
        package var suppressed: Bool = false
        package var rule: String? = nil

        package init(unitCode: String, unitName: String, from: String, to: String, facility: String? = nil,
                     peopleServed: Int? = nil, services: Int? = nil, casesOpened: Int? = nil, casesClosed: Int? = nil,
                     openAtEnd: Int? = nil, referralsSent: Int? = nil, referralsCompleted: Int? = nil,
                     referralsDeclined: Int? = nil, referralCompletion: Double? = nil, byCategory: [Line], byService: [Line],
                     byChild: [Line], facilities: [FacilityLine], suppressed: Bool = false, rule: String? = nil) {
            (self.unitCode, self.unitName, self.from, self.to) = (unitCode, unitName, from, to)
            (self.facility, self.peopleServed, self.services, self.casesOpened) = (facility, peopleServed, services, casesOpened)
            (self.casesClosed, self.openAtEnd, self.referralsSent, self.referralsCompleted) = (casesClosed, openAtEnd, referralsSent, referralsCompleted)
            (self.referralsDeclined, self.referralCompletion, self.byCategory, self.byService) = (referralsDeclined, referralCompletion, byCategory, byService)
            (self.byChild, self.facilities, self.suppressed, self.rule) = (byChild, facilities, suppressed, rule)
        }
    }

    package static let protectedGroup = ("nhom-duoc-bao-ve", "Nhóm được bảo vệ (HIV, bạo lực gia đình, ma túy, mại dâm)")

    package func run(unit: AdminUnit?, facility: Organisation? = nil, from: DayDate, to: DayDate) async throws -> Result {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? "", upper = AccessScope.upperBound(path)
        let (start, end) = (from.iso, to.iso)
        let child = UnitTree.child("c.facility_path", under: path)
        let only: SQLQueryString = facility.map { " AND c.facility_id = \(bind: $0.id!)" } ?? ""
        // Each service delivered in the span, with its person and the case's place.
        let services = try await sql.raw("""
            SELECT c.person_id AS person, e.code AS service, \(child) AS child FROM case_entries e JOIN cases c ON c.id = e.case_id
            WHERE e.kind = 'service' AND e.on_date >= \(bind: start) AND e.on_date <= \(bind: end)
              AND c.facility_path >= \(bind: path) AND c.facility_path < \(bind: upper)
            """ + only).all()
        var people = Set<UUID>(), byService: [String: (Set<UUID>, Int)] = [:], byChild: [String: (Set<UUID>, Int)] = [:]
        for row in services {
            let person = try row.decode(column: "person", as: UUID.self), service = try row.decode(column: "service", as: String?.self) ?? ""
            let place = try row.decode(column: "child", as: String.self)
            people.insert(person)
            byService[service, default: ([], 0)].0.insert(person); byService[service, default: ([], 0)].1 += 1
            byChild[place, default: ([], 0)].0.insert(person); byChild[place, default: ([], 0)].1 += 1
        }
        let catalogue = try await CaseCatalogueItem.query(on: db).all()
        let sensitive = Set(catalogue.filter { $0.list == "category" && $0.sensitive }.map(\.code))
        var byCategory: [String: Set<UUID>] = [:]
        for chunk in Array(people).chunks(of: 500) {
            for p in try await ServedPerson.query(on: db).filter(\.$id ~~ Array(chunk)).all() {
                let groups = Set(p.categories.map { sensitive.contains($0) ? Self.protectedGroup.0 : $0 })
                for g in groups { byCategory[g, default: []].insert(p.id!) }
            }
        }
        func count(_ query: SQLQueryString) async throws -> Int { try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0 }
        let place: SQLQueryString = "facility_path >= \(bind: path) AND facility_path < \(bind: upper)" + (facility.map { " AND facility_id = \(bind: $0.id!)" } ?? "")
        let opened = try await count("SELECT COUNT(*) AS n FROM cases WHERE " + place + " AND opened_on >= \(bind: start) AND opened_on <= \(bind: end)")
        let closed = try await count("SELECT COUNT(*) AS n FROM cases WHERE " + place + " AND closed_on >= \(bind: start) AND closed_on <= \(bind: end)")
        let open = try await count("SELECT COUNT(*) AS n FROM cases WHERE " + place + " AND opened_on <= \(bind: end) AND (closed_on IS NULL OR closed_on > \(bind: end))")
        var referrals: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT r.status AS status, COUNT(*) AS n FROM case_referrals r JOIN cases c ON c.id = r.case_id
            WHERE r.sent_on >= \(bind: start) AND r.sent_on <= \(bind: end) AND c.facility_path >= \(bind: path) AND c.facility_path < \(bind: upper)
            """ + only + " GROUP BY r.status").all() {
            referrals[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        let sent = referrals.values.reduce(0, +)
        let names = Dictionary(catalogue.map { ($0.list + "|" + $0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let units = try await UnitTree.units(atPaths: Array(byChild.keys), on: db)
        return Result(
            unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước", from: start, to: end, facility: facility?.name,
            peopleServed: people.count, services: services.count, casesOpened: opened, casesClosed: closed, openAtEnd: open,
            referralsSent: sent, referralsCompleted: referrals["completed"] ?? 0, referralsDeclined: referrals["declined"] ?? 0,
            referralCompletion: Percent.of(referrals["completed"] ?? 0, sent),
            byCategory: byCategory.sorted { $0.key < $1.key }.map { code, set in
                Line(code: code, name: code == Self.protectedGroup.0 ? English.say(Self.protectedGroup.1) : names["category|" + code] ?? code, people: set.count, services: 0)
            },
            byService: byService.sorted { $0.key < $1.key }.map { Line(code: $0.key, name: names["service|" + $0.key] ?? $0.key, people: $0.value.0.count, services: $0.value.1) },
            byChild: byChild.sorted { $0.key < $1.key }.map { Line(code: units[$0.key]?.code ?? $0.key, name: units[$0.key]?.name ?? $0.key, people: $0.value.0.count, services: $0.value.1) },
            facilities: try await facilities(path: path, today: to).filter { facility == nil || $0.id == facility?.id })
    }

    /// Open cases and overdue follow-ups per facility, today.
    package func facilities(path: String, today: DayDate) async throws -> [FacilityLine] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let upper = AccessScope.upperBound(path)
        var open: [UUID: Int] = [:], overdue: [UUID: Int] = [:]
        for row in try await sql.raw("SELECT facility_id AS f, COUNT(*) AS n FROM cases WHERE facility_path >= \(bind: path) AND facility_path < \(bind: upper) AND closed_on IS NULL GROUP BY facility_id").all() {
            open[try row.decode(column: "f", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        for row in try await sql.raw("""
            SELECT c.facility_id AS f, COUNT(*) AS n FROM case_entries e JOIN cases c ON c.id = e.case_id
            WHERE e.kind = 'followup' AND e.done_on IS NULL AND e.on_date < \(bind: today.iso) AND c.closed_on IS NULL
              AND c.facility_path >= \(bind: path) AND c.facility_path < \(bind: upper) GROUP BY c.facility_id
            """).all() {
            overdue[try row.decode(column: "f", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        let ids = Array(Set(open.keys).union(overdue.keys))
        guard !ids.isEmpty else { return [] }
        return try await Organisation.query(on: db).filter(\.$id ~~ ids).sort(\.$name).all().map {
            FacilityLine(id: $0.id!, name: $0.name, open: open[$0.id!] ?? 0, overdueFollowUps: overdue[$0.id!] ?? 0)
        }
    }

    /// The table as a download: counts only, never names.
    package static func sheet(_ r: Result) -> [[XLSXCell]] {
        func cell(_ n: Int?) -> XLSXCell { n.map { .number(Double($0)) } ?? .text(SmallCounts.shown) }
        var rows: [[XLSXCell]] = [[.text("Công tác xã hội — \(r.unitName)\(r.facility.map { ", " + $0 } ?? ""), \(DayDate(r.from)?.vietnamese ?? r.from) đến \(DayDate(r.to)?.vietnamese ?? r.to)")]]
        if let rule = r.rule { rows.append([.text(rule)]) }
        rows.append([.text("Chỉ số"), .text("Số")])
        for (name, n) in [("Số người được phục vụ", r.peopleServed), ("Số lượt dịch vụ", r.services), ("Hồ sơ mở mới", r.casesOpened),
                          ("Hồ sơ đã đóng", r.casesClosed), ("Hồ sơ đang mở cuối kỳ", r.openAtEnd), ("Chuyển gửi", r.referralsSent),
                          ("Chuyển gửi hoàn thành", r.referralsCompleted)] { rows.append([.text(name), cell(n)]) }
        rows.append([.text("Tỷ lệ chuyển gửi hoàn thành (%)"), r.referralCompletion.map { .number($0) } ?? .text("—")])
        rows.append([]); rows.append([.text("Nhóm đối tượng"), .text("Số người")])
        for l in r.byCategory { rows.append([.text(l.name), cell(l.people)]) }
        rows.append([]); rows.append([.text("Dịch vụ"), .text("Số người"), .text("Số lượt")])
        for l in r.byService { rows.append([.text(l.name), cell(l.people), cell(l.services)]) }
        rows.append([]); rows.append([.text("Đơn vị"), .text("Số người"), .text("Số lượt")])
        for l in r.byChild { rows.append([.text(l.name), cell(l.people), cell(l.services)]) }
        return rows
    }
}

extension CaseFigures.Result {
    /// The figures as someone outside the cases' circle sees them: every count from 1 to 4
    /// hidden, and whatever else would give one back from a total (`SmallCounts`).
    package func hidingSmallCounts() -> CaseFigures.Result {
        var r = self
        r.suppressed = true
        r.rule = SmallCounts.explanation
        func primary(_ n: Int?) -> Int? { n.flatMap { SmallCounts.hides($0) ? nil : $0 } }
        r.casesOpened = primary(casesOpened); r.casesClosed = primary(casesClosed); r.openAtEnd = primary(openAtEnd)
        // People: by unit adds up to the people served (nearly: one person may be served in two units).
        let people = peopleServed ?? 0
        let byUnit = SmallCounts.group(byChild.map { $0.people ?? 0 }, total: people)
        r.peopleServed = byUnit.hideTotal || SmallCounts.hides(people) ? nil : people
        for i in byUnit.hidden { r.byChild[i].people = nil }
        r.byCategory = byCategory.map { var l = $0; l.people = primary(l.people); return l }
        for i in r.byService.indices { r.byService[i].people = primary(byService[i].people) }
        // Services: by kind and by unit each add up to the total.
        let total = services ?? 0
        let byKind = SmallCounts.group(byService.map { $0.services ?? 0 }, total: total)
        let byPlace = SmallCounts.group(byChild.map { $0.services ?? 0 }, total: total)
        for i in byKind.hidden { r.byService[i].services = nil }
        for i in byPlace.hidden { r.byChild[i].services = nil }
        r.services = byKind.hideTotal || byPlace.hideTotal ? nil : total
        // Referrals: completed, declined and the rest add up to those sent.
        let sent = referralsSent ?? 0, completed = referralsCompleted ?? 0, declined = referralsDeclined ?? 0
        let referrals = SmallCounts.group([completed, declined, sent - completed - declined], total: sent)
        r.referralsSent = referrals.hideTotal ? nil : sent
        r.referralsCompleted = referrals.hidden.contains(0) ? nil : completed
        r.referralsDeclined = referrals.hidden.contains(1) ? nil : declined
        if r.referralsSent == nil || r.referralsCompleted == nil { r.referralCompletion = nil }
        r.facilities = facilities.map { var f = $0; f.open = primary(f.open); f.overdueFollowUps = primary(f.overdueFollowUps); return f }
        return r
    }
}
