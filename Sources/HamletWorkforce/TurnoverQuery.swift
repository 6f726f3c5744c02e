import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits

/// Joined, left and the turnover rate per year, for a unit and each unit below it, counted in
/// people by `Turnover` (HamletKit): each year's closing count is its opening count plus joiners
/// minus leavers, and each year opens where the one before closed.
package struct TurnoverQuery {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    /// `opening`: people on 31/12 of the year before; `closing`: on 31/12 of the year.
    package struct Year: Content {
        package var year: Int
        package var opening: Int
        package var joined: Int
        package var left: Int
        package var closing: Int
        package var rate: Double
        package init(year: Int, opening: Int, joined: Int, left: Int, closing: Int, rate: Double) {
            (self.year, self.opening, self.joined, self.left) = (year, opening, joined, left)
            (self.closing, self.rate) = (closing, rate)
        }
    }
    package struct Child: Content {
        package var code: String
        package var name: String
        package var years: [Year]
        package init(code: String, name: String, years: [Year]) {
            (self.code, self.name, self.years) = (code, name, years)
        }
    }
    package struct Result: Content {
        package var unitCode: String
        package var unitName: String
        package var years: [Year]
        package var children: [Child]
        package init(unitCode: String, unitName: String, years: [Year], children: [Child]) {
            (self.unitCode, self.unitName, self.years, self.children) = (unitCode, unitName, years, children)
        }
    }

    package func run(unit: AdminUnit?, from: Int, to: Int, domains: [WorkDomain], kinds: [EmploymentKind]) async throws -> Result {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? ""
        let depth = path.split(separator: ".").count + 1
        var filter: SQLQueryString = "a.unit_path >= \(bind: path) AND a.unit_path < \(bind: AccessScope.upperBound(path))"
        if !domains.isEmpty {
            filter += " AND ("
            for (i, d) in domains.enumerated() { filter += "\(unsafeRaw: i == 0 ? "" : " OR ")a.\(unsafeRaw: d.column) = \(true)" }
            filter += ")"
        }
        if !kinds.isEmpty { filter += " AND CAST(a.employment_kind AS TEXT) IN (\(binds: kinds.map(\.rawValue)))" }
        func child(_ p: String) -> String { p.split(separator: ".").prefix(depth).joined(separator: ".") + "." }

        // Every post that touches the years asked (from the day before the first one).
        let rows = try await sql.raw("SELECT a.unit_path AS path, a.person_id AS pid, a.start_date AS s, a.end_date AS e FROM assignments a WHERE " + filter
            + " AND a.start_date <= \(bind: "\(to)-12-31") AND (a.end_date IS NULL OR a.end_date >= \(bind: "\(from - 1)-12-31"))").all()
        var people: [UUID: Int] = [:], places: [String: Int] = [:], spells: [Turnover.Spell] = []
        spells.reserveCapacity(rows.count)
        for row in rows {
            guard let start = DayDate(try row.decode(column: "s", as: String.self)) else { continue }
            let person = try row.decode(column: "pid", as: UUID.self)
            let place = child(try row.decode(column: "path", as: String.self))
            let p = people[person] ?? { let n = people.count; people[person] = n; return n }()
            let k = places[place] ?? { let n = places.count; places[place] = n; return n }()
            spells.append(.init(person: p, place: k, start: start, end: try row.decode(column: "e", as: String?.self).flatMap(DayDate.init)))
        }
        let counted = Turnover.years(spells, from: from, to: to) { [$0, -1] }
        func years(_ key: Int) -> [Year] {
            (counted[key] ?? (from...to).map { Turnover.Year(year: $0, opening: 0, joined: 0, left: 0, closing: 0, rate: 0) })
                .map { Year(year: $0.year, opening: $0.opening, joined: $0.joined, left: $0.left, closing: $0.closing, rate: $0.rate) }
        }
        let units = places.isEmpty ? [] : try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$path ~~ Array(places.keys)).all()
        return Result(unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước", years: years(-1),
                      children: units.sorted { $0.path < $1.path }.map { Child(code: $0.code, name: $0.name, years: years(places[$0.path] ?? -2)) })
    }
}

/// GET /api/v1/turnover?unit=&from=&to=&domains=&kinds= and the turnover page.
package struct TurnoverRoutes: RouteCollection {
    package let api: Bool

    package init(api: Bool) { self.api = api }

    package func boot(routes: any RoutesBuilder) throws {
        routes.get("turnover") { req in try await (api ? turnover(req).encodeResponse(for: req) : page(req)) }
    }

    package func parse(_ req: Request) async throws -> (AdminUnit?, Int, Int, [WorkDomain], [EmploymentKind]) {
        let thisYear = req.today.year
        let to = try req.query[String.self, at: "to"].map { raw -> Int in
            guard let y = Int(raw), (1990...thisYear).contains(y) else { throw HamletError.invalid("to", "Năm không hợp lệ.") }
            return y
        } ?? thisYear
        let from = try req.query[String.self, at: "from"].map { raw -> Int in
            guard let y = Int(raw), (1990...to).contains(y) else { throw HamletError.invalid("from", "Năm bắt đầu phải trước hoặc bằng năm kết thúc.") }
            return y
        } ?? max(1990, to - 4)
        if to - from > 30 { throw HamletError.invalid("from", "Tối đa 30 năm một lần.") }
        let domains = try CoverageRoutes.list(req.query["domains"] ?? "").map { raw in
            guard let d = WorkDomain(rawValue: raw) else { throw HamletError.invalid("domains", "Lĩnh vực không hợp lệ: \(raw).") }
            return d
        }
        let kinds = try CoverageRoutes.list(req.query["kinds"] ?? "").map { raw in
            guard let k = EmploymentKind(rawValue: raw) else { throw HamletError.invalid("kinds", "Loại hình không hợp lệ: \(raw).") }
            return k
        }
        let unit = try await req.unitAsked(req.query[String.self, at: "unit"])
        return (unit, from, to, domains, kinds)
    }

    package func turnover(_ req: Request) async throws -> TurnoverQuery.Result {
        let (unit, from, to, domains, kinds) = try await parse(req)
        return try await TurnoverQuery(db: req.db).run(unit: unit, from: from, to: to, domains: domains, kinds: kinds)
    }

    /// `year`: the column's, for the card a phone shows each row as.
    package struct Cell: Encodable {
        package var year: Int
        package var opening: Int
        package var joined: Int
        package var left: Int
        package var closing: Int
        package var rate: String
        package init(year: Int, opening: Int, joined: Int, left: Int, closing: Int, rate: String) {
            (self.year, self.opening, self.joined, self.left) = (year, opening, joined, left)
            (self.closing, self.rate) = (closing, rate)
        }
    }
    package struct Row: Encodable {
        package var code: String
        package var name: String
        package var cells: [Cell]
        package init(code: String, name: String, cells: [Cell]) {
            (self.code, self.name, self.cells) = (code, name, cells)
        }
    }
    package struct Page_: Encodable {
        package var unit: String
        package var from: Int
        package var to: Int
        package var years: [Int]
        package var total: Row
        package var rows: [Row]
        package init(unit: String, from: Int, to: Int, years: [Int], total: Row, rows: [Row]) {
            (self.unit, self.from, self.to, self.years) = (unit, from, to, years)
            (self.total, self.rows) = (total, rows)
        }
    }

    package func page(_ req: Request) async throws -> Response {
        let (unit, from, to, domains, kinds) = try await parse(req)
        let r = try await TurnoverQuery(db: req.db).run(unit: unit, from: from, to: to, domains: domains, kinds: kinds)
        func cells(_ years: [TurnoverQuery.Year]) -> [Cell] { years.map { Cell(year: $0.year, opening: $0.opening, joined: $0.joined, left: $0.left, closing: $0.closing, rate: VietnameseFormat.decimal($0.rate)) } }
        return try await req.renderPage("people/turnover", title: Strings.text("turnover_title", req.language), nav: "turnover", body: Page_(
            unit: unit?.code ?? "", from: from, to: to, years: Array(from...to), total: Row(code: r.unitCode, name: r.unitName, cells: cells(r.years)),
            rows: r.children.map { Row(code: $0.code, name: $0.name, cells: cells($0.years)) }))
    }
}
