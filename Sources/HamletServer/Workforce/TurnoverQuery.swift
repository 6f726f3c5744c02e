import Vapor
import Fluent
import SQLKit
import HamletKit

/// Joined, left and the turnover rate per year, for a unit and each unit below it.
/// Joined = posts started that year; left = posts ended that year (a transfer out counts as
/// leaving the place it left); rate = left ÷ the average of the headcounts on 1 January and
/// 31 December, where a person with several posts in a place counts once.
struct TurnoverQuery {
    let db: any Database

    struct Year: Content { var year: Int; var joined: Int; var left: Int; var headcountStart: Int; var headcountEnd: Int; var rate: Double }
    struct Child: Content { var code: String; var name: String; var years: [Year] }
    struct Result: Content { var unitCode: String; var unitName: String; var years: [Year]; var children: [Child] }

    func run(unit: AdminUnit?, from: Int, to: Int, domains: [WorkDomain], kinds: [EmploymentKind]) async throws -> Result {
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

        // Starts and ends per place and year, grouped by the database.
        var joined: [String: [Int: Int]] = [:], left: [String: [Int: Int]] = [:]
        for (column, target) in [("start_date", 0), ("end_date", 1)] {
            let rows = try await sql.raw("""
                SELECT a.unit_path AS path, SUBSTR(a.\(unsafeRaw: column), 1, 4) AS y, COUNT(*) AS n FROM assignments a
                WHERE
                """ + " " + filter + " AND a.\(unsafeRaw: column) >= \(bind: "\(from)-01-01") AND a.\(unsafeRaw: column) <= \(bind: "\(to)-12-31") GROUP BY a.unit_path, SUBSTR(a.\(unsafeRaw: column), 1, 4)").all()
            for row in rows {
                let key = child(try row.decode(column: "path", as: String.self))
                let year = Int(try row.decode(column: "y", as: String.self)) ?? 0
                let n = try row.decode(column: "n", as: Int.self)
                if target == 0 { joined[key, default: [:]][year, default: 0] += n } else { left[key, default: [:]][year, default: 0] += n }
            }
        }
        // Headcounts: distinct people per place on each 1 January and 31 December.
        var heads: [String: [String: Set<UUID>]] = [:]   // day → child → people
        var days: [String] = []
        for year in from...to { days.append("\(year)-01-01"); days.append("\(year)-12-31") }
        for day in days {
            let rows = try await sql.raw("SELECT DISTINCT a.unit_path AS path, a.person_id AS pid FROM assignments a WHERE " + filter
                + " AND a.start_date <= \(bind: day) AND (a.end_date IS NULL OR a.end_date >= \(bind: day))").all()
            var perChild: [String: Set<UUID>] = [:]
            for row in rows { perChild[child(try row.decode(column: "path", as: String.self)), default: []].insert(try row.decode(column: "pid", as: UUID.self)) }
            heads[day] = perChild
        }
        func years(_ keys: [String]) -> [Year] {
            (from...to).map { y in
                let j = keys.reduce(0) { $0 + (joined[$1]?[y] ?? 0) }
                let l = keys.reduce(0) { $0 + (left[$1]?[y] ?? 0) }
                let start = keys.reduce(into: Set<UUID>()) { $0.formUnion(heads["\(y)-01-01"]?[$1] ?? []) }.count
                let end = keys.reduce(into: Set<UUID>()) { $0.formUnion(heads["\(y)-12-31"]?[$1] ?? []) }.count
                let average = Double(start + end) / 2
                return Year(year: y, joined: j, left: l, headcountStart: start, headcountEnd: end,
                            rate: average == 0 ? 0 : (Double(l) * 1000 / average).rounded() / 10)
            }
        }
        let childPaths = Set(joined.keys).union(left.keys).union(heads.values.flatMap(\.keys))
        let units = childPaths.isEmpty ? [] : try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$path ~~ Array(childPaths)).all()
        return Result(unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước", years: years(Array(childPaths)),
                      children: units.sorted { $0.path < $1.path }.map { Child(code: $0.code, name: $0.name, years: years([$0.path])) })
    }
}

/// GET /api/v1/turnover?unit=&from=&to=&domains=&kinds= and the turnover page.
struct TurnoverRoutes: RouteCollection {
    let api: Bool

    func boot(routes: any RoutesBuilder) throws {
        routes.get("turnover") { req in try await (api ? turnover(req).encodeResponse(for: req) : page(req)) }
    }

    func parse(_ req: Request) async throws -> (AdminUnit?, Int, Int, [WorkDomain], [EmploymentKind]) {
        let thisYear = DayDate.today().year
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
        let code = req.query[String.self, at: "unit"] ?? (req.scope.isNation ? "" : req.scope.code)
        var unit: AdminUnit? = nil
        if !code.isEmpty, code.uppercased() != AccessScope.nationCode {
            unit = try await UnitDirectory(db: req.db, scope: req.scope).requireEditable(code)
        } else if !req.scope.isNation { throw HamletError.notFound }
        return (unit, from, to, domains, kinds)
    }

    func turnover(_ req: Request) async throws -> TurnoverQuery.Result {
        let (unit, from, to, domains, kinds) = try await parse(req)
        return try await TurnoverQuery(db: req.db).run(unit: unit, from: from, to: to, domains: domains, kinds: kinds)
    }

    struct Cell: Encodable { var joined: Int; var left: Int; var rate: String }
    struct Row: Encodable { var code: String; var name: String; var cells: [Cell] }
    struct Page_: Encodable { var unit: String; var from: Int; var to: Int; var years: [Int]; var total: Row; var rows: [Row] }

    func page(_ req: Request) async throws -> Response {
        let (unit, from, to, domains, kinds) = try await parse(req)
        let r = try await TurnoverQuery(db: req.db).run(unit: unit, from: from, to: to, domains: domains, kinds: kinds)
        func cells(_ years: [TurnoverQuery.Year]) -> [Cell] { years.map { Cell(joined: $0.joined, left: $0.left, rate: VietnameseFormat.decimal($0.rate)) } }
        return try await req.renderPage("people/turnover", title: Strings.text("turnover_title", req.language), nav: "turnover", body: Page_(
            unit: unit?.code ?? "", from: from, to: to, years: Array(from...to), total: Row(code: r.unitCode, name: r.unitName, cells: cells(r.years)),
            rows: r.children.map { Row(code: $0.code, name: $0.name, cells: cells($0.years)) }))
    }
}
