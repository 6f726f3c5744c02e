import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts

/// Signs a request in from HTTP Basic credentials, as DHIS2 tools send them; the same checks
/// and failure counting as the login form.
package struct BasicAuthenticator: AsyncMiddleware {
    package init() {}
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let basic = request.headers.basicAuthorization {
            request.auth.login(try await SignIn.verify(username: basic.username, password: basic.password, on: request))
        }
        return try await next.respond(to: request)
    }
}

/// The DHIS2 Web API paths aggregate-data tools use, under /api (not /api/v1): data value sets
/// in JSON and CSV, single values, and the server's identity. Identifiers are codes.
package struct DHIS2API: RouteCollection {
    package init() {}
    package func boot(routes: any RoutesBuilder) throws {
        routes.get("dataValueSets", use: exportJSON)
        routes.get("dataValueSets.json", use: exportJSON)
        routes.get("dataValueSets.csv", use: exportCSV)
        routes.upload("dataValueSets", use: importAny)
        routes.upload("dataValueSets.json", use: importAny)
        routes.upload("dataValueSets.csv", use: importCSV)
        routes.get("dataValues", use: getValue)
        routes.post("dataValues", use: postValue)
        routes.delete("dataValues", use: deleteValue)
        routes.get("system", "info", use: systemInfo)
        routes.get("me", use: me)
    }

    package static let csvHeader = ["dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby", "lastupdated", "comment", "followup", "deleted"]

    package func importAny(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEnterReports)
        if req.headers.contentType?.subType == "csv" || req.headers.contentType == .plainText { return try await importCSV(req: req) }
        if ADXExchange.isADX(req.headers.contentType) { return try await ADXExchange().importADX(req: req) }
        guard req.headers.contentType == nil || req.headers.contentType?.subType.hasSuffix("json") == true else {
            throw HamletError(status: .unsupportedMediaType, code: "unsupported_media_type",
                              message: "Chỉ nhận JSON, CSV hoặc ADX (XML).", field: nil)
        }
        return try await Upload.handle(req) { upload in
            // Read a batch at a time from the file: a large payload is never held as values all at once.
            let batches: DataValueSetBatches
            do { batches = try DataValueSetBatches(try upload.data()) } catch let failure as DataValueSetJSON.Failure {
                throw HamletError.badRequest("Dữ liệu gửi lên không đọc được: \(failure.message).", field: failure.field)
            }
            return try await Self.answer(req, batches)
        }
    }

    /// A value set as CSV: one value a row, up to a million rows within the upload's size.
    package static let csvLimits: TableLimits = {
        var l = TableLimits()
        l.rows = 1_000_000; l.columns = 11; l.cells = 11_000_000
        return l
    }()

    package func importCSV(req: Request) async throws -> Response {
        _ = try req.requireRole(\.canEnterReports)
        return try await Upload.handle(req) { upload in try await Self.answer(req, CSVValues(rows: CSVRows(try upload.requireFile(), limits: Self.csvLimits))) }
    }

    /// DHIS2's value CSV (dataelement, period, orgunit, catoptcombo, attroptcombo, value, …, deleted),
    /// with or without its header row, read a batch of rows at a time.
    package struct CSVValues: DataValueSource {
        package var rows: CSVRows

        package init(rows: CSVRows) {
            self.rows = rows
        }

        package func forEachBatch(_ size: Int, _ body: ([DHIS2Value], Int) async throws -> Void) async throws {
            var reader = rows
            reader.rewind()
            var first = 0, atTop = true
            while true {
                var batch: [SheetRow]
                do { batch = try reader.read(size) } catch let error as TableError { throw HamletError.badRequest(error.description, field: "file") }
                if batch.isEmpty { return }
                if atTop, let head = batch.first, head[0].lowercased().replacingOccurrences(of: "_", with: "") == "dataelement" { batch.removeFirst() }
                atTop = false
                let values = batch.filter { !$0.isBlank }.map { r in
                    DHIS2Value(dataElement: r[0], period: r[1], orgUnit: r[2], categoryOptionCombo: r[3], attributeOptionCombo: r[4], value: r[5],
                               storedBy: r[6], lastUpdated: r[7], comment: r[8], followup: r[9] == "true", deleted: r[10] == "true")
                }
                try await body(values, first)
                first += values.count
            }
        }
    }

    package static func answer(_ req: Request, _ values: some DataValueSource) async throws -> Response {
        let atomic = (req.query[String.self, at: "atomic"] ?? req.query[String.self, at: "atomicMode"]).map { $0 == "true" || $0 == "ALL" } ?? false
        let dryRun = req.query[String.self, at: "dryRun"] == "true"
        let summary = try await DataValueImporter(db: req.db, scope: req.scope, actor: req.currentUser, ip: req.clientIP, catalogue: try await .kept(req))
            .run(values, atomic: atomic, dryRun: dryRun)
        let failed = summary.status == "ERROR"
        let message = ImportMessage(httpStatus: failed ? "Conflict" : "OK", httpStatusCode: failed ? 409 : 200, status: failed ? "ERROR" : summary.status == "WARNING" ? "WARNING" : "OK",
                                    message: summary.description, response: summary)
        let response = Response(status: failed ? .conflict : .ok)
        try response.content.encode(message, as: .json)
        return response
    }

    /// The values asked for: a form (`dataSet`, or `dataElement`s), periods (`period` or
    /// `startDate`/`endDate`), units (`orgUnit`, with `children=true` for the subtree).
    package func values(_ req: Request) async throws -> [DHIS2Value] {
        try await req.readingMayLag { db in try await values(req, on: db) }
    }

    private func values(_ req: Request, on db: any Database) async throws -> [DHIS2Value] {
        let read = DataValueRead(db: db)
        let elements = try await read.elements(ofSets: req.query[[String].self, at: "dataSet"] ?? [],
                                               codes: req.query[[String].self, at: "dataElement"] ?? [], scope: req.scope)
        guard !elements.isEmpty else { throw HamletError.invalid("dataSet", "Cần ít nhất một dataSet hoặc dataElement.") }
        let units = req.query[[String].self, at: "orgUnit"] ?? []
        guard !units.isEmpty else { throw HamletError.invalid("orgUnit", "Cần ít nhất một orgUnit.") }
        let children = req.query[String.self, at: "children"] == "true"
        var out: [DHIS2Value] = [], storers: [UUID: String] = [:]
        for code in units {
            let unit = try await req.unitAsked(code, field: "orgUnit", byName: false)
            out += try await read.values(of: elements, at: unit, children: children, span: try Self.span(req), storers: &storers)
        }
        return out
    }

    /// `period` (one or more), or `startDate` and `endDate`.
    private static func span(_ req: Request) throws -> DataValueRead.Span {
        if let periods = req.query[[String].self, at: "period"], !periods.isEmpty {
            return .periods(try periods.map { p in
                guard let period = Period(p) else { throw HamletError.invalid("period", "Kỳ “\(p)” không đúng dạng.") }
                return period
            })
        }
        if let start: String = req.query["startDate"], let end: String = req.query["endDate"] { return .days(from: start, to: end) }
        throw HamletError.invalid("period", "Cần period, hoặc startDate và endDate.")
    }

    // MARK: single values

    /// One value named as DHIS2 names it: `de`, `pe`, `ou`, `co`, `value` in the query or a form
    /// body, or a JSON body with the long names.
    package func single(_ req: Request) throws -> DHIS2Value {
        var v = (req.headers.contentType == .json ? try? req.content.decode(DHIS2Value.self) : nil) ?? DHIS2Value()
        let form = req.headers.contentType == .urlEncodedForm ? (try? req.content.decode([String: String].self)) ?? [:] : [:]
        func pick(_ short: String, _ long: String) -> String? { req.query[String.self, at: short] ?? req.query[String.self, at: long] ?? form[short] ?? form[long] }
        v.dataElement = pick("de", "dataElement") ?? v.dataElement
        v.period = pick("pe", "period") ?? v.period
        v.orgUnit = pick("ou", "orgUnit") ?? v.orgUnit
        v.categoryOptionCombo = pick("co", "categoryOptionCombo") ?? v.categoryOptionCombo
        v.value = pick("value", "value") ?? v.value
        for (field, text) in [("de", v.dataElement), ("pe", v.period), ("ou", v.orgUnit)] where (text ?? "").isEmpty {
            throw HamletError.invalid(field, "Thiếu tham số \(field).")
        }
        return v
    }

    package func getValue(req: Request) async throws -> [String] {
        let v = try single(req)
        guard let period = Period(v.period!) else { throw HamletError.invalid("pe", "Kỳ “\(v.period!)” không đúng dạng.") }
        let importer = DataValueImporter(db: req.db, scope: req.scope, actor: req.currentUser, ip: nil)
        guard let org = try await importer.resolve(v.orgUnit!, before: period.end.iso <= UnitLoader.legacyEnd) else { throw HamletError.notFound }
        let combo = (v.categoryOptionCombo ?? "").isEmpty ? ReportForm.Cell.defaultCombo : v.categoryOptionCombo!
        guard let row = try await DataValueRead(db: req.db).one(element: v.dataElement!, combo: combo, period: period, at: (org.structure, org.code)) else {
            throw HamletError.notFound
        }
        return [row.value]
    }

    package func postValue(req: Request) async throws -> HTTPStatus { try await write(req, try single(req)) }

    package func deleteValue(req: Request) async throws -> HTTPStatus {
        var v = try single(req)
        v.deleted = true
        return try await write(req, v)
    }

    /// One value through the importer, so the same checks, locks and audit apply; a refusal is
    /// a 409 naming the field, as DHIS2 answers.
    package func write(_ req: Request, _ value: DHIS2Value) async throws -> HTTPStatus {
        let summary = try await DataValueImporter(db: req.db, scope: req.scope, actor: req.currentUser, ip: req.clientIP, catalogue: try await .kept(req))
            .run([value], atomic: true, dryRun: false)
        if let conflict = summary.conflicts.first {
            if conflict.errorCode == "E1103" { throw HamletError.notFound }
            throw HamletError.conflict(conflict.value, field: conflict.property)
        }
        if value.deleted == true { return summary.importCount.deleted > 0 ? .noContent : .notFound }
        return .created
    }

    package static func iso(_ date: Date) -> String { TimeStamp.iso(date) }

    package func exportJSON(req: Request) async throws -> Response {
        if req.headers.accept.contains(where: { ADXExchange.isADX($0.mediaType) }) { return try await ADXExchange().exportADX(req: req) }
        // DHIS2 answers CSV to `Accept: application/csv` (or text/csv) as to the `.csv` path.
        if req.headers.accept.contains(where: { $0.mediaType.subType == "csv" && ["application", "text"].contains($0.mediaType.type) }) { return try await exportCSV(req: req) }
        let values = try await values(req)
        let response = Response(status: .ok)
        try response.content.encode(DHIS2ValueSet(dataSet: req.query["dataSet"], dataValues: values), as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    package func exportCSV(req: Request) async throws -> Response {
        let values = try await values(req)
        let rows = [Self.csvHeader] + values.map { v in
            [v.dataElement ?? "", v.period ?? "", v.orgUnit ?? "", v.categoryOptionCombo ?? "", v.attributeOptionCombo ?? "", v.value ?? "", v.storedBy ?? "", v.lastUpdated ?? "", "", "false", "false"]
        }
        let response = Response(status: .ok, body: .init(data: CSVTable.write(rows, bom: false)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    package struct SystemInfo: Content {
        package var version: String
        package var revision: String
        package var serverDate: String
        package var systemName: String
        package var contextPath: String
        package var calendar: String
        package var dateFormat: String
        package init(version: String, revision: String, serverDate: String, systemName: String, contextPath: String,
                     calendar: String, dateFormat: String) {
            (self.version, self.revision, self.serverDate, self.systemName) = (version, revision, serverDate, systemName)
            (self.contextPath, self.calendar, self.dateFormat) = (contextPath, calendar, dateFormat)
        }
    }

    package func systemInfo(req: Request) async throws -> SystemInfo {
        SystemInfo(version: "2.40.0", revision: "hamlet", serverDate: Self.iso(HamletClock.shared.now), systemName: "Hamlet", contextPath: "",
                   calendar: "iso8601", dateFormat: "yyyy-mm-dd")
    }

    package struct Me: Content {
        package struct Ref: Content {
            package var id: String
            package var code: String
            package var name: String
            package init(id: String, code: String, name: String) {
                (self.id, self.code, self.name) = (id, code, name)
            }
        }
        package var id: String
        package var username: String
        package var name: String
        package var displayName: String
        package var organisationUnits: [Ref]
        package var authorities: [String]

        package init(id: String, username: String, name: String, displayName: String, organisationUnits: [Ref], authorities: [String]) {
            (self.id, self.username, self.name, self.displayName) = (id, username, name, displayName)
            (self.organisationUnits, self.authorities) = (organisationUnits, authorities)
        }
    }

    package func me(req: Request) async throws -> Me {
        guard let user = req.currentUser else { throw HamletError.unauthorized }
        let unit = user.scope.isNation ? nil : try await UnitDirectory(db: req.db, scope: user.scope).find(.current, user.scopeCode)
        let org = Me.Ref(id: unit?.code ?? AccessScope.nationCode, code: unit?.code ?? AccessScope.nationCode, name: unit?.name ?? "Cả nước")
        return Me(id: user.id!.uuidString, username: user.username, name: user.displayName, displayName: user.displayName, organisationUnits: [org],
                  authorities: user.role.canEnterReports ? ["F_DATAVALUE_ADD"] : [])
    }
}
