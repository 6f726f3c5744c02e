import Vapor
import Fluent
import SQLKit
import HamletKit

/// Counts of case work over a unit's subtree and a span of days, for anyone whose scope holds the
/// unit — never names. People served are those who received at least one service in the span.
/// Sensitive categories are counted together as one protected group, so a count never says
/// that someone in a small commune has HIV.
struct CaseFigures {
    let db: any Database

    struct Line: Content { var code: String; var name: String; var people: Int; var services: Int }
    struct FacilityLine: Content { var id: UUID; var name: String; var open: Int; var overdueFollowUps: Int }
    struct Result: Content {
        var unitCode: String; var unitName: String; var from: String; var to: String
        var peopleServed: Int; var services: Int; var casesOpened: Int; var casesClosed: Int; var openAtEnd: Int
        var referralsSent: Int; var referralsCompleted: Int; var referralsDeclined: Int; var referralCompletion: Double
        var byCategory: [Line]; var byService: [Line]; var byChild: [Line]; var facilities: [FacilityLine]
    }

    static let protectedGroup = ("nhom-duoc-bao-ve", "Nhóm được bảo vệ (HIV, bạo lực gia đình, ma túy, mại dâm)")

    func run(unit: AdminUnit?, from: DayDate, to: DayDate) async throws -> Result {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? "", upper = AccessScope.upperBound(path)
        let (start, end) = (from.iso, to.iso)
        let child = UnitTree.child("c.facility_path", under: path)
        // Each service delivered in the span, with its person and the case's place.
        let services = try await sql.raw("""
            SELECT c.person_id AS person, e.code AS service, \(child) AS child FROM case_entries e JOIN cases c ON c.id = e.case_id
            WHERE e.kind = 'service' AND e.on_date >= \(bind: start) AND e.on_date <= \(bind: end)
              AND c.facility_path >= \(bind: path) AND c.facility_path < \(bind: upper)
            """).all()
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
        let place: SQLQueryString = "facility_path >= \(bind: path) AND facility_path < \(bind: upper)"
        let opened = try await count("SELECT COUNT(*) AS n FROM cases WHERE " + place + " AND opened_on >= \(bind: start) AND opened_on <= \(bind: end)")
        let closed = try await count("SELECT COUNT(*) AS n FROM cases WHERE " + place + " AND closed_on >= \(bind: start) AND closed_on <= \(bind: end)")
        let open = try await count("SELECT COUNT(*) AS n FROM cases WHERE " + place + " AND opened_on <= \(bind: end) AND (closed_on IS NULL OR closed_on > \(bind: end))")
        var referrals: [String: Int] = [:]
        for row in try await sql.raw("""
            SELECT r.status AS status, COUNT(*) AS n FROM case_referrals r JOIN cases c ON c.id = r.case_id
            WHERE r.sent_on >= \(bind: start) AND r.sent_on <= \(bind: end) AND c.facility_path >= \(bind: path) AND c.facility_path < \(bind: upper)
            GROUP BY r.status
            """).all() {
            referrals[try row.decode(column: "status", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        let sent = referrals.values.reduce(0, +)
        let names = Dictionary(catalogue.map { ($0.list + "|" + $0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let units = try await UnitTree.units(atPaths: Array(byChild.keys), on: db)
        return Result(
            unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước", from: start, to: end,
            peopleServed: people.count, services: services.count, casesOpened: opened, casesClosed: closed, openAtEnd: open,
            referralsSent: sent, referralsCompleted: referrals["completed"] ?? 0, referralsDeclined: referrals["declined"] ?? 0,
            referralCompletion: Percent.of(referrals["completed"] ?? 0, sent),
            byCategory: byCategory.sorted { $0.key < $1.key }.map { code, set in
                Line(code: code, name: code == Self.protectedGroup.0 ? Self.protectedGroup.1 : names["category|" + code] ?? code, people: set.count, services: 0)
            },
            byService: byService.sorted { $0.key < $1.key }.map { Line(code: $0.key, name: names["service|" + $0.key] ?? $0.key, people: $0.value.0.count, services: $0.value.1) },
            byChild: byChild.sorted { $0.key < $1.key }.map { Line(code: units[$0.key]?.code ?? $0.key, name: units[$0.key]?.name ?? $0.key, people: $0.value.0.count, services: $0.value.1) },
            facilities: try await facilities(path: path, today: to))
    }

    /// Open cases and overdue follow-ups per facility, today.
    func facilities(path: String, today: DayDate) async throws -> [FacilityLine] {
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
    static func sheet(_ r: Result) -> [[XLSXCell]] {
        var rows: [[XLSXCell]] = [[.text("Công tác xã hội — \(r.unitName), \(DayDate(r.from)?.vietnamese ?? r.from) đến \(DayDate(r.to)?.vietnamese ?? r.to)")]]
        rows.append([.text("Chỉ số"), .text("Số")])
        for (name, n) in [("Số người được phục vụ", r.peopleServed), ("Số lượt dịch vụ", r.services), ("Hồ sơ mở mới", r.casesOpened),
                          ("Hồ sơ đã đóng", r.casesClosed), ("Hồ sơ đang mở cuối kỳ", r.openAtEnd), ("Chuyển gửi", r.referralsSent),
                          ("Chuyển gửi hoàn thành", r.referralsCompleted)] { rows.append([.text(name), .number(Double(n))]) }
        rows.append([.text("Tỷ lệ chuyển gửi hoàn thành (%)"), .number(r.referralCompletion)])
        rows.append([]); rows.append([.text("Nhóm đối tượng"), .text("Số người")])
        for l in r.byCategory { rows.append([.text(l.name), .number(Double(l.people))]) }
        rows.append([]); rows.append([.text("Dịch vụ"), .text("Số người"), .text("Số lượt")])
        for l in r.byService { rows.append([.text(l.name), .number(Double(l.people)), .number(Double(l.services))]) }
        rows.append([]); rows.append([.text("Đơn vị"), .text("Số người"), .text("Số lượt")])
        for l in r.byChild { rows.append([.text(l.name), .number(Double(l.people)), .number(Double(l.services))]) }
        return rows
    }
}
