import Vapor
import Fluent
import HamletKit

/// IHE ADX in and out, beside DHIS2's JSON and CSV: `POST /api/dataValueSets` with
/// `Content-Type: application/adx+xml` (or `/api/dataValueSets.adx`), and `GET` with
/// `Accept: application/adx+xml` (or `.adx`). Values go through the same importer, so the same
/// checks, locks, audit and import summary apply.
struct ADXExchange: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("dataValueSets.adx", use: exportADX)
        routes.upload("dataValueSets.adx", use: importADX)
    }

    static func isADX(_ type: HTTPMediaType?) -> Bool {
        guard let type else { return false }
        return type.subType == "adx+xml" || (type.subType == "xml" && (type.type == "application" || type.type == "text"))
    }

    func importADX(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEnterReports)
        return try await Upload.handle(req) { upload in
            let groups: [ADX.Group]
            do {
                groups = try ADX.read(try upload.data())
            } catch let error as ADX.ReadError {
                throw HamletError.badRequest(error.message, field: "adx")
            }
            return try await DHIS2API.answer(req, try await Self.values(groups, on: req.db))
        }
    }

    /// ADX groups as the importer's values: the period as its DHIS2 id, the disaggregation as the
    /// element's combination code. What cannot be matched is passed on as written, so the
    /// importer lists it as a conflict naming the field.
    static func values(_ groups: [ADX.Group], on db: any Database) async throws -> [DHIS2Value] {
        let combos = try await Combinations(db: db)
        return groups.flatMap { g in
            let period = Period(adx: g.period)?.id ?? g.period
            let attribute = g.otherAttributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            return g.values.map { v in
                DHIS2Value(dataElement: v.dataElement, period: period, orgUnit: g.orgUnit,
                           categoryOptionCombo: combos.code(element: v.dataElement, v.disaggregation),
                           attributeOptionCombo: attribute.isEmpty ? nil : attribute, value: v.value, comment: v.annotation)
            }
        }
    }

    func exportADX(req: Request) async throws -> Response {
        let values = try await DHIS2API().values(req)
        let combos = try await Combinations(db: req.db)
        let sets = req.query[[String].self, at: "dataSet"] ?? []
        var groups: [ADX.Group] = []
        var index: [String: Int] = [:]
        for v in values {
            let orgUnit = v.orgUnit ?? "", period = Period(v.period ?? "")?.adx ?? (v.period ?? "")
            let key = orgUnit + "|" + period
            if index[key] == nil {
                index[key] = groups.count
                groups.append(ADX.Group(orgUnit: orgUnit, period: period, dataSet: sets.count == 1 ? sets[0].uppercased() : nil, values: []))
            }
            groups[index[key]!].values.append(ADX.Value(dataElement: v.dataElement ?? "", value: v.value,
                                                        disaggregation: combos.options(element: v.dataElement ?? "", combo: v.categoryOptionCombo ?? "")))
        }
        let response = Response(status: .ok, body: .init(string: ADX.write(groups, exported: DHIS2API.iso(Date()))))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "adx+xml", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// Each element's combinations with the option they take in each category.
    struct Combinations {
        var byElement: [String: [(code: String, name: String, options: [String: String])]] = [:]

        init(db: any Database) async throws {
            let categories = Dictionary(try await DataCategory.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            for e in try await DataElement.query(on: db).all() {
                byElement[e.code] = ReportForm.combinations(e.categoryCodes.compactMap { categories[$0] })
            }
        }

        func code(element: String, _ options: [String: String]) -> String {
            let wanted = options.mapValues { $0.uppercased() }
            if let found = byElement[element.uppercased()]?.first(where: { $0.options == wanted }) { return found.code }
            return options.isEmpty ? ReportForm.Cell.defaultCombo : options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }

        func options(element: String, combo: String) -> [String: String] {
            byElement[element]?.first { $0.code == combo }?.options ?? [:]
        }
    }
}
