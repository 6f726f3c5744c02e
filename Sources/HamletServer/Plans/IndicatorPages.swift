import Vapor
import Fluent
import HamletKit

/// The indicators: their list, and one indicator's value at a unit and date, its children's
/// figures (each a link one level down) and its trend at each year's end.
struct IndicatorPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("indicators", use: list)
        routes.get("indicators", ":id", use: show)
    }

    struct Row: Encodable { var id: String; var code: String; var name: String; var kind: String; var measure: String }

    func list(req: Request) async throws -> Response {
        let rows = try await Indicator.query(on: req.db).sort(\.$code).all().map {
            Row(id: $0.id!.uuidString, code: $0.code, name: $0.name, kind: IndicatorKind(rawValue: $0.kind)?.label ?? $0.kind,
                measure: IndicatorKind(rawValue: $0.kind)?.measure ?? "")
        }
        return try await req.renderPage("plans/indicators", title: Strings.text("indicators_title", req.language), nav: "plans", body: ["rows": rows])
    }

    struct ChildRow: Encodable { var code: String; var name: String; var value: String; var bar: Double; var detail: String }
    struct TrendRow: Encodable { var label: String; var value: String }
    struct ShowPage: Encodable {
        var id: String; var value: IndicatorValue; var shown: String; var isPercent: Bool; var children: [ChildRow]
        var unit: String; var date: String; var chart: String?; var trend: [TrendRow]
    }

    func show(req: Request) async throws -> Response {
        let indicator = try await IndicatorAPI.find(req)
        let unit = try await TrainingParams.unit(req)
        let date = try TrainingParams.date(req)
        let engine = IndicatorEngine(db: req.db)
        let value = try await engine.value(indicator, unit: unit, date: date)
        let percent = value.measure == "%"
        func text(_ v: Double) -> String { percent ? VietnameseFormat.decimal(v) + "%" : VietnameseFormat.integer(Int(v)) }
        // The value at each of the last six year ends, and on the day asked.
        var points: [LineChart.Point] = [], trend: [TrendRow] = []
        let year = DayDate(date)?.year ?? DayDate.today().year
        for y in (year - 5)..<year {
            let v = try await engine.value(indicator, unit: unit, date: String(format: "%04d-12-31", y))
            points.append(.init(label: String(y), value: v.value))
            trend.append(TrendRow(label: "31/12/\(y)", value: text(v.value)))
        }
        points.append(.init(label: DayDate(date)?.vietnamese ?? date, value: value.value))
        trend.append(TrendRow(label: DayDate(date)?.vietnamese ?? date, value: text(value.value)))
        let maximum = percent ? 100 : max(1, (points.map(\.value).max() ?? 1) * 1.2)
        let chart = LineChart(title: indicator.name + " — " + value.unitName, points: points, maximum: maximum, unit: percent ? "%" : "")
        return try await req.renderPage("plans/indicator", title: indicator.name, nav: "plans", body: ShowPage(
            id: indicator.id!.uuidString, value: value, shown: text(value.value), isPercent: percent,
            children: value.children.map { c in
                ChildRow(code: c.code, name: c.name, value: text(c.value), bar: percent ? c.value : 0,
                         detail: [c.numerator, c.denominator].compactMap { $0 }.map(VietnameseFormat.integer).joined(separator: "/"))
            },
            unit: req.query["unit"] ?? "", date: DayDate(date)?.vietnamese ?? date, chart: chart.svg, trend: trend))
    }
}
