import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAccounts
import HamletUnits

extension Request {
    package func reports() -> ReportService { ReportService(db: db, scope: scope, actor: currentUser, ip: clientIP) }
    package func reportingCatalogue() -> CatalogueService { CatalogueService(db: db, actor: currentUser, ip: clientIP) }
}

/// /api/v1: the reporting catalogue (categories, data elements, data sets), one report per
/// form × unit × period with its approval steps, and live totals.
package struct ReportingAPI: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("data-categories", use: categories)
        routes.post("data-categories", use: createCategory)
        routes.patch("data-categories", ":code", use: updateCategory)
        routes.get("data-elements", use: elements)
        routes.post("data-elements", use: createElement)
        routes.get("data-elements", ":code", use: element)
        routes.patch("data-elements", ":code", use: updateElement)
        routes.get("data-sets", use: dataSets)
        routes.post("data-sets", use: createDataSet)
        routes.get("data-sets", ":code", use: dataSet)
        routes.patch("data-sets", ":code", use: updateDataSet)
        routes.get("reports", ":set", ":org", ":period", use: report)
        routes.put("reports", ":set", ":org", ":period", use: save)
        routes.post("reports", ":set", ":org", ":period", ":decision", use: decide)
        routes.get("data-values", "totals", use: totals)
        routes.get("data-sets", ":code", "completeness", use: completeness)
        routes.get("data-sets", ":code", "pivot", use: pivot)
    }

    /// JSON, or with `format=xlsx|csv` the same table as a download.
    package func pivot(req: Request) async throws -> Response {
        let format: String? = req.query["format"]
        if format != nil { _ = try TableDownload.format(req) }
        let r = try await ReportPivot.run(req, form: req.parameters.get("code"))
        if let format { return try TableDownload.response(ReportPivot.sheet(r), format: format, name: "tong-hop-\(r.dataSet)-\(r.unitCode)-\(r.from)-\(r.to)") }
        return try await r.encodeResponse(for: req)
    }

    package func completeness(req: Request) async throws -> ReportCompleteness.Result {
        let set = try await req.reports().dataSet(req.parameters.get("code"))
        let unit = try await req.unitAsked(req.query["unit"])
        let periods = try ReportCompleteness.span(set, from: req.query["from"], to: req.query["to"])
        return try await ReportCompleteness.kept(req, set, unit: unit, periods: periods)
    }

    package func categories(req: Request) async throws -> ListBody<CategoryDTO> {
        let items = try await req.reportingCatalogue().categories().map(CategoryDTO.init)
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    package func createCategory(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditCatalogues)
        return try Response.created(CategoryDTO(try await req.reportingCatalogue().saveCategory(try req.content.decode(CategoryInput.self))))
    }

    package func updateCategory(req: Request) async throws -> CategoryDTO {
        _ = try req.requireRole(\.canEditCatalogues)
        let catalogue = req.reportingCatalogue()
        let c = try await catalogue.category(req.parameters.get("code"))
        return CategoryDTO(try await catalogue.saveCategory(try req.content.decode(CategoryInput.self), into: c))
    }

    package func elements(req: Request) async throws -> ListBody<ElementDTO> {
        let paging = try Paging(req)
        let (page, total) = try await req.reportingCatalogue().elements(offset: paging.offset, limit: paging.per)
        return ListBody(items: page.map(ElementDTO.init), total: total, page: paging.page, per: paging.per)
    }

    package static func findElement(_ req: Request) async throws -> DataElement {
        try await req.reportingCatalogue().element(req.parameters.get("code"))
    }

    package func element(req: Request) async throws -> ElementDTO { ElementDTO(try await Self.findElement(req)) }

    package func createElement(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditCatalogues)
        return try Response.created(ElementDTO(try await req.reportingCatalogue().saveElement(try req.content.decode(ElementInput.self))))
    }

    package func updateElement(req: Request) async throws -> ElementDTO {
        _ = try req.requireRole(\.canEditCatalogues)
        let e = try await Self.findElement(req)
        return ElementDTO(try await req.reportingCatalogue().saveElement(try req.content.decode(ElementInput.self), into: e))
    }

    package func dataSets(req: Request) async throws -> ListBody<DataSetDTO> {
        var items: [DataSetDTO] = []
        for s in try await req.reportingCatalogue().dataSets() {
            items.append(DataSetDTO(s, elements: try await req.reportingCatalogue().elementsOf(s)))
        }
        return ListBody(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    package func dataSet(req: Request) async throws -> DataSetDTO {
        let s = try await req.reports().dataSet(req.parameters.get("code"))
        return DataSetDTO(s, elements: try await req.reportingCatalogue().elementsOf(s))
    }

    package func createDataSet(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEditCatalogues)
        let s = try await req.reportingCatalogue().saveDataSet(try req.content.decode(DataSetInput.self))
        return try Response.created(DataSetDTO(s, elements: try await req.reportingCatalogue().elementsOf(s)))
    }

    package func updateDataSet(req: Request) async throws -> DataSetDTO {
        _ = try req.requireRole(\.canEditCatalogues)
        let s = try await req.reports().dataSet(req.parameters.get("code"))
        let saved = try await req.reportingCatalogue().saveDataSet(try req.content.decode(DataSetInput.self), into: s)
        return DataSetDTO(saved, elements: try await req.reportingCatalogue().elementsOf(saved))
    }

    /// The form, the unit and the period named in the path, each checked.
    package static func target(_ req: Request) async throws -> (DataSet, ReportPlace, Period) {
        try await req.reports().target(form: req.parameters.get("set"), unit: req.parameters.get("org"), period: req.parameters.get("period"))
    }

    package func report(req: Request) async throws -> Response {
        let (set, place, period) = try await Self.target(req)
        var dto = ReportDTO(try await req.reports().state(set, place, period))
        dto.reminders = try await ReminderDTO.of(set.code, place.code, period.id, on: req.db)
        return try Self.noStore(dto)
    }

    package func save(req: Request) async throws -> Response {
        let (set, place, period) = try await Self.target(req)
        let input = try req.content.decode(ReportInput.self)
        do {
            return try Self.noStore(ReportDTO(try await req.reports().save(set, place, period, input, typed: false)))
        } catch let stale as StaleReport {
            struct Body: Content { var error: ErrorBody.Detail; var current: ReportDTO }
            let response = Response(status: .conflict)
            try response.content.encode(Body(error: .init(code: "stale", message: Self.staleMessage, field: "version"), current: ReportDTO(stale.current)))
            return response
        }
    }

    package static let staleMessage = "Báo cáo vừa được người khác lưu; số liệu hiện tại được gửi kèm. Không có gì bị ghi đè: hãy xem lại rồi lưu lại."

    package struct DecisionInput: Content {
        package var comment: String?
        package init(comment: String? = nil) {
            self.comment = comment
        }
    }

    package func decide(req: Request) async throws -> Response {
        let (set, place, period) = try await Self.target(req)
        guard let decision = ReportService.Decision(rawValue: req.parameters.get("decision") ?? "") else { throw HamletError.notFound }
        let input = try? req.content.decode(DecisionInput.self)
        return try Self.noStore(ReportDTO(try await req.reports().decide(set, place, period, decision, comment: input?.comment)))
    }

    package static func noStore(_ dto: ReportDTO) throws -> Response {
        let response = Response(status: .ok)
        try response.content.encode(dto)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    package func totals(req: Request) async throws -> ReportTotals.Result {
        let unknown = HamletError.invalid("element", "Chọn một chỉ tiêu báo cáo (mã).")
        guard let code: String = req.query["element"] else { throw unknown }
        let element: DataElement
        // Only "no such element" is the asker's mistake; a failing database stays a 500.
        do { element = try await req.reportingCatalogue().element(code) } catch let error as HamletError where error.status == .notFound { throw unknown }
        let unit = try await req.unitAsked(req.query["unit"])
        let (from, to) = try ReportTotals.span(from: req.query["from"] ?? req.query["period"], to: req.query["to"] ?? req.query["period"])
        let map = try UnitMap.from(req)
        let question = Question("report-totals", element.code, unit?.path ?? "VN", from.id, to.id, req.query["combo"], "\(map)")
        return try await req.readingMayLag { db in
            // The element's own values, not every report: a save of another element leaves the answer kept.
            try await req.kept(question, on: db, reads: { [DataVersions.figures, DataVersions.keyed("values", try element.requireID())] }) {
                try await ReportTotals(db: db).run(element, unit: unit, from: from, to: to, combo: req.query["combo"], map: map)
            }
        }
    }
}
