import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations

/// The DHIS2 metadata reads tools call to learn what they can exchange: organisation units (the
/// account's subtree, with its facilities), data elements, category combinations and data sets.
/// Identifiers are codes (a facility's is its id). `fields`, `filter`, `rootJunction`, `order`,
/// `page`, `pageSize` and `paging=false` work as in DHIS2 2.40.
package struct DHIS2Metadata: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        for (name, handler) in [("organisationUnits", units), ("dataElements", elements), ("dataSets", sets),
                                ("categoryCombos", categoryCombos), ("categoryOptionCombos", optionCombos)] as [(String, @Sendable (Request) async throws -> [JSONValue])] {
            let key = PathComponent(stringLiteral: name), json = PathComponent(stringLiteral: name + ".json")
            routes.get(key) { req in try await Self.list(req, key: name, handler(req)) }
            routes.get(json) { req in try await Self.list(req, key: name, handler(req)) }
            routes.get(key, ":id") { req in try await Self.one(req, handler(req)) }
        }
    }

    // MARK: answers

    package struct ListBody: Encodable {
        package var key: String
        package var pager: Pager?
        package var items: [JSONValue]

        package init(key: String, pager: Pager? = nil, items: [JSONValue]) {
            (self.key, self.pager, self.items) = (key, pager, items)
        }
        package struct Key: CodingKey {
            package var stringValue: String; package var intValue: Int? { nil }
            package init(stringValue: String) { self.stringValue = stringValue }
            package init?(intValue: Int) { nil }
        }
        package func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            try c.encodeIfPresent(pager, forKey: Key(stringValue: "pager"))
            try c.encode(items, forKey: Key(stringValue: key))
        }
    }

    package static func filters(_ req: Request) throws -> [ObjectFilter] {
        // Read from the raw query: Vapor's decoder would split `id:in:[a,b]` at the comma.
        try raw(req).filter { $0.0 == "filter" }.map(\.1).map {
            guard let f = ObjectFilter($0) else { throw HamletError.invalid("filter", "Bộ lọc “\($0)” phải có dạng thuộc_tính:phép_so:giá_trị, ví dụ level:eq:2.") }
            return f
        }
    }

    package static func raw(_ req: Request) -> [(String, String)] { req.queryPairs }

    package static func list(_ req: Request, key: String, _ all: [JSONValue]) async throws -> Response {
        let filters = try filters(req)
        let any = req.query[String.self, at: "rootJunction"]?.uppercased() == "OR"
        var kept = filters.isEmpty ? all : all.filter { o in any ? filters.contains { $0.matches(o) } : filters.allSatisfy { $0.matches(o) } }
        if let order: String = req.query["order"] {
            let parts = order.split(separator: ":")
            let path = parts[0].split(separator: "."), descending = parts.count > 1 && parts[1].lowercased().hasPrefix("desc")
            kept.sort { a, b in
                let x = a.values(at: path).first.map { "\($0)" } ?? "", y = b.values(at: path).first.map { "\($0)" } ?? ""
                return descending ? x > y : x < y
            }
        }
        let fields = FieldSelection(req.query["fields"] ?? "id,displayName")
        var body = ListBody(key: key, pager: nil, items: [])
        if req.query[String.self, at: "paging"] == "false" {
            body.items = kept.map(fields.apply)
        } else {
            var pager = Pager(page: req.query["page"], pageSize: req.query["pageSize"], total: kept.count)
            pager.link(req.url.path, query: raw(req))
            body.pager = pager
            body.items = kept[pager.range].map(fields.apply)
        }
        return try json(body)
    }

    package static func one(_ req: Request, _ all: [JSONValue]) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        guard let found = all.first(where: { $0.values(at: ["id"]).first == .string(id) }) else { throw HamletError.notFound }
        return try json(FieldSelection(req.query["fields"] ?? "*").apply(found))
    }

    package static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let response = Response(status: .ok, body: .init(data: try encoder.encode(value)))
        response.headers.contentType = .json
        return response
    }

    package static func ref(_ id: String) -> JSONValue { .object(["id": .string(id)]) }
    package static func stamp(_ date: Date?) -> JSONValue { date.map { .string(DHIS2API.iso($0)) } ?? .null }

    // MARK: organisation units

    /// DHIS2 levels from the top of the 2025 tree: province 1, commune 2, hamlet 3. Facilities have
    /// a level of their own, 4, whatever unit they belong to: a client pulling the communes
    /// (`level=2`) gets communes, not a province's service centres.
    package static func level(_ level: UnitLevel) -> Int { level == .province ? 1 : level == .hamlet ? 3 : 2 }
    package static let facilityLevel = 4

    package func units(req: Request) async throws -> [JSONValue] {
        let scope = req.scope
        let query = AdminUnit.query(on: req.db).filter(\.$structure == UnitStructure.current.rawValue)
        if !scope.isNation { query.filter(\.$path >= scope.path).filter(\.$path < AccessScope.upperBound(scope.path)) }
        // The common filters are pushed into the query, so a country-wide account does not read every hamlet.
        var wantsFacilities = true, wantsUnits = true
        if let id = req.parameters.get("id") { query.filter(\.$code == id); wantsFacilities = UUID(uuidString: id) != nil }
        // DHIS2's `level=N` parameter, and `filter=level:eq:N`: administrative units of that level, or the facilities (4).
        func level(_ raw: String) throws {
            let levels: [Int: UnitLevel] = [1: .province, 2: .commune, 3: .hamlet]
            guard let n = Int(raw), n >= 1 else { throw HamletError.invalid("level", "Cấp đơn vị: 1 (tỉnh), 2 (xã), 3 (thôn, ấp), 4 (cơ sở).") }
            if n == Self.facilityLevel { wantsUnits = false } else { wantsFacilities = false; query.filter(\.$level == (levels[n] ?? .district)) }
        }
        if let raw = req.query[String.self, at: "level"] { try level(raw) }
        for f in try Self.filters(req) where req.query[String.self, at: "rootJunction"]?.uppercased() != "OR" {
            switch (f.property, f.op) {
            case ("level", "eq"): try level(f.value)
            case ("parent.id", "eq"), ("parent.code", "eq"): query.filter(\.$parentCode == f.value)
            case ("id", "eq"), ("code", "eq"): query.filter(\.$code == f.value); wantsFacilities = UUID(uuidString: f.value) != nil
            case ("id", "in"), ("code", "in"): query.filter(\.$code ~~ f.list)
            default: break
            }
        }
        let rows = wantsUnits ? try await query.sort(\.$path).all() : []
        var out = rows.map { u -> JSONValue in
            var o: [String: JSONValue] = [
                "id": .string(u.code), "code": .string(u.code), "name": .string(u.name), "displayName": .string(u.name),
                "shortName": .string(u.shortName), "level": .int(Self.level(u.level)), "leaf": .bool(u.level == .hamlet),
                "path": .string("/" + u.path.split(separator: ".").joined(separator: "/")),
                "openingDate": .string(u.validFrom ?? "2025-07-01"), "closedDate": u.closedOn.map { .string($0) } ?? .null,
            ]
            if let parent = u.parentCode { o["parent"] = Self.ref(parent) }
            if let lat = u.lat, let lon = u.lon { o["geometry"] = .object(["type": .string("Point"), "coordinates": .array([.string(String(lon)), .string(String(lat))])]) }
            return .object(o)
        }
        if wantsFacilities {
            let facilities = Organisation.query(on: req.db).filter(\.$kind == .facility).with(\.$type)
            if !scope.isNation { facilities.filter(\.$unitPath >= scope.path).filter(\.$unitPath < AccessScope.upperBound(scope.path)) }
            for f in try await facilities.all() {
                out.append(.object([
                    "id": .string(f.id!.uuidString), "code": .string(f.id!.uuidString), "name": .string(f.name), "displayName": .string(f.name),
                    "shortName": .string(f.name), "level": .int(Self.facilityLevel), "leaf": .bool(true), "parent": Self.ref(f.unitCode),
                    "path": .string("/" + f.unitPath.split(separator: ".").joined(separator: "/") + "/" + f.id!.uuidString),
                    "openingDate": f.validFrom.map { .string($0) } ?? .null, "closedDate": f.validTo.map { .string($0) } ?? .null,
                    "organisationUnitGroups": .array([.object(["id": .string(f.type.code), "name": .string(f.type.name)])]),
                ]))
            }
        }
        return out
    }

    // MARK: catalogue

    package static func comboID(_ codes: [String]) -> String { codes.isEmpty ? ReportForm.Cell.defaultCombo : codes.joined(separator: "_") }

    package func elements(req: Request) async throws -> [JSONValue] {
        var setsOf: [UUID: [String]] = [:]
        let sets = Dictionary(try await DataSet.query(on: req.db).all().map { ($0.id!, $0.code) }, uniquingKeysWith: { a, _ in a })
        for row in try await DataSetElement.query(on: req.db).all() { setsOf[row.$element.id, default: []].append(sets[row.$dataSet.id] ?? "") }
        return try await DataElement.query(on: req.db).sort(\.$code).all().map { e in
            .object([
                "id": .string(e.code), "code": .string(e.code), "name": .string(e.name), "displayName": .string(e.name),
                "shortName": .string(e.shortName), "displayShortName": .string(e.shortName), "description": e.details.map { .string($0) } ?? .null,
                "valueType": .string(e.valueType), "aggregationType": .string(e.aggregation), "domainType": .string("AGGREGATE"),
                "zeroIsSignificant": .bool(true), "categoryCombo": Self.ref(Self.comboID(e.categoryCodes)),
                "dataSetElements": .array((setsOf[e.id!] ?? []).sorted().map { .object(["dataSet": Self.ref($0), "dataElement": Self.ref(e.code)]) }),
                "created": Self.stamp(e.createdAt), "lastUpdated": Self.stamp(e.updatedAt ?? e.createdAt),
            ])
        }
    }

    /// Every category combination elements use, with its option combinations.
    package func categoryCombos(req: Request) async throws -> [JSONValue] {
        let categories = Dictionary(try await DataCategory.query(on: req.db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>(), out: [JSONValue] = []
        let used = [[String]()] + (try await DataElement.query(on: req.db).sort(\.$code).all().map(\.categoryCodes))
        for codes in used {
            let id = Self.comboID(codes)
            guard seen.insert(id).inserted else { continue }
            let cats = codes.compactMap { categories[$0] }
            let name = codes.isEmpty ? "default" : cats.map(\.name).joined(separator: " × ")
            out.append(.object([
                "id": .string(id), "code": .string(id), "name": .string(name), "displayName": .string(name), "dataDimensionType": .string("DISAGGREGATION"),
                "categories": .array(cats.map { .object(["id": .string($0.code), "name": .string($0.name)]) }),
                "categoryOptionCombos": .array(ReportForm.combos(cats).map { .object(["id": .string($0.0), "name": .string($0.1.isEmpty ? "default" : $0.1)]) }),
            ]))
        }
        return out
    }

    package func optionCombos(req: Request) async throws -> [JSONValue] {
        var seen = Set<String>(), out: [JSONValue] = []
        for combo in try await categoryCombos(req: req) {
            guard case .object(let c) = combo, case .array(let options)? = c["categoryOptionCombos"] else { continue }
            for case .object(var o) in options where seen.insert(o["id"]?.text ?? "").inserted {
                o["code"] = o["id"]; o["displayName"] = o["name"]; o["categoryCombo"] = Self.ref(c["id"]?.text ?? "")
                out.append(.object(o))
            }
        }
        return out
    }

    package static let periodTypes: [Periodicity: String] = [.monthly: "Monthly", .quarterly: "Quarterly", .sixMonthly: "SixMonthly", .yearly: "Yearly"]

    package func sets(req: Request) async throws -> [JSONValue] {
        let fields = FieldSelection(req.query["fields"] ?? (req.parameters.get("id") == nil ? "id,displayName" : "*"))
        var out: [JSONValue] = []
        for set in try await DataSet.query(on: req.db).sort(\.$code).all() {
            let rows = try await CatalogueService(db: req.db, actor: nil, ip: nil).elementsOf(set)
            var sections: [(String, [String])] = []
            for row in rows {
                if let i = sections.firstIndex(where: { $0.0 == row.section }) { sections[i].1.append(row.element.code) } else { sections.append((row.section, [row.element.code])) }
            }
            var o: [String: JSONValue] = [
                "id": .string(set.code), "code": .string(set.code), "name": .string(set.name), "displayName": .string(set.name), "shortName": .string(set.name),
                "periodType": .string(Self.periodTypes[set.frequency] ?? "Monthly"), "openFuturePeriods": .int(0), "expiryDays": .int(0),
                "timelyDays": set.dueDays.map { .int($0) } ?? .null, "categoryCombo": Self.ref(ReportForm.Cell.defaultCombo),
                "dataSetElements": .array(rows.map { .object(["dataElement": Self.ref($0.element.code), "dataSet": Self.ref(set.code)]) }),
                "sections": .array(sections.enumerated().map { i, s in .object(["name": .string(s.0), "sortOrder": .int(i + 1), "dataElements": .array(s.1.map(Self.ref))]) }),
                "created": Self.stamp(set.createdAt), "lastUpdated": Self.stamp(set.updatedAt ?? set.createdAt),
            ]
            // The units that report it are listed only when asked for: a hamlet form has thousands.
            if fields.wants("organisationUnits") { o["organisationUnits"] = .array(try await reporters(req, set).map(Self.ref)) }
            out.append(.object(o))
        }
        return out
    }

    package func reporters(_ req: Request, _ set: DataSet) async throws -> [String] {
        let scope = req.scope
        var codes: [String] = []
        if !set.levels.isEmpty {
            let q = AdminUnit.query(on: req.db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level ~~ set.levels).filter(\.$closedOn == nil)
            if !scope.isNation { q.filter(\.$path >= scope.path).filter(\.$path < AccessScope.upperBound(scope.path)) }
            codes += try await q.sort(\.$path).all().map(\.code)
        }
        if !set.facilityTypes.isEmpty {
            let q = Organisation.query(on: req.db).filter(\.$kind == .facility).join(OrganisationType.self, on: \Organisation.$type.$id == \OrganisationType.$id)
                .filter(OrganisationType.self, \.$code ~~ set.facilityTypes)
            if !scope.isNation { q.filter(\.$unitPath >= scope.path).filter(\.$unitPath < AccessScope.upperBound(scope.path)) }
            codes += try await q.all().map { $0.id!.uuidString }
        }
        return codes
    }
}
