import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts

/// IHE ADX in and out, beside DHIS2's JSON and CSV: `POST /api/dataValueSets` with
/// `Content-Type: application/adx+xml` (or `/api/dataValueSets.adx`), and `GET` with
/// `Accept: application/adx+xml` (or `.adx`). Values go through the same importer, so the same
/// checks, locks, audit and import summary apply.
package struct ADXExchange: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("dataValueSets.adx", use: exportADX)
        routes.upload("dataValueSets.adx", use: importADX)
    }

    package static func isADX(_ type: HTTPMediaType?) -> Bool {
        guard let type else { return false }
        return type.subType == "adx+xml" || (type.subType == "xml" && (type.type == "application" || type.type == "text"))
    }

    package func importADX(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEnterReports)
        return try await Upload.handle(req) { upload in
            return try await DHIS2API.answer(req, ADXValues(data: try upload.requireFile(), combos: try await Combinations(db: req.db)))
        }
    }

    /// An ADX file's values, read from its bytes a slice at a time (`ADX.Stream`): the period as its
    /// DHIS2 id, the disaggregation as the element's combination code. What cannot be matched is
    /// passed on as written, so the importer lists it as a conflict naming the field.
    package struct ADXValues: DataValueSource {
        package let data: Data
        package let combos: Combinations

        package init(data: Data, combos: Combinations) {
            self.data = data
            self.combos = combos
        }

        package func forEachBatch(_ size: Int, _ body: ([DHIS2Value], Int) async throws -> Void) async throws {
            var stream = ADX.Stream()
            var batch: [DHIS2Value] = [], first = 0
            var group: (orgUnit: String, period: String, attribute: String?)? = nil
            var offset = 0
            let slice = 256 * 1024
            while offset < data.count || offset == 0 {
                let end = min(offset + slice, data.count)
                do {
                    try data[offset..<end].withUnsafeBytes { bytes in
                        try stream.feed(bytes) { item in
                            switch item {
                            case .group(let g):
                                let attribute = g.otherAttributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                                group = (g.orgUnit, Period(adx: g.period)?.id ?? g.period, attribute.isEmpty ? nil : attribute)
                            case .value(let v):
                                batch.append(DHIS2Value(dataElement: v.dataElement, period: group?.period, orgUnit: group?.orgUnit,
                                                        categoryOptionCombo: combos.code(element: v.dataElement, v.disaggregation),
                                                        attributeOptionCombo: group?.attribute, value: v.value, comment: v.annotation))
                            }
                        }
                    }
                    if end == data.count { try stream.finish() }
                } catch let error as ADX.ReadError {
                    throw HamletError.badRequest(error.message, field: "adx")
                }
                offset = end
                if batch.count >= size || offset >= data.count {
                    if !batch.isEmpty { try await body(batch, first) }
                    first += batch.count
                    batch = []
                }
                if offset >= data.count { return }
            }
        }
    }

    package func exportADX(req: Request) async throws -> Response {
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
        let response = Response(status: .ok, body: .init(string: ADX.write(groups, exported: DHIS2API.iso(HamletClock.shared.now))))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "adx+xml", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// Each element's combinations with the option they take in each category.
    package struct Combinations: Sendable {
        package var byElement: [String: [(code: String, name: String, options: [String: String])]] = [:]

        package init(db: any Database) async throws {
            let categories = Dictionary(try await DataCategory.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            for e in try await DataElement.query(on: db).all() {
                byElement[e.code] = ReportForm.combinations(e.categoryCodes.compactMap { categories[$0] })
            }
        }

        package func code(element: String, _ options: [String: String]) -> String {
            let wanted = options.mapValues { $0.uppercased() }
            if let found = byElement[element.uppercased()]?.first(where: { $0.options == wanted }) { return found.code }
            return options.isEmpty ? ReportForm.Cell.defaultCombo : options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }

        package func options(element: String, combo: String) -> [String: String] {
            byElement[element]?.first { $0.code == combo }?.options ?? [:]
        }
    }
}
