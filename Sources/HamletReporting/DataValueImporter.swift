import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations

/// One value in DHIS2's layout (identifiers by code): the JSON reader's own type, so a large
/// payload is held once, not copied into a second array.
package typealias DHIS2Value = DataValueSetJSON.Value
extension DataValueSetJSON.Value: Content {}

/// Where an import's values come from, a batch at a time: a list in memory (CSV, ADX, one value),
/// or a JSON payload read in batches from its file (`DataValueSetBatches`).
package protocol DataValueSource: Sendable {
    func forEachBatch(_ size: Int, _ body: ([DHIS2Value], Int) async throws -> Void) async throws
}

extension Array: DataValueSource where Element == DHIS2Value {
    package func forEachBatch(_ size: Int, _ body: ([DHIS2Value], Int) async throws -> Void) async throws {
        for start in stride(from: 0, to: count, by: size) { try await body(Array(self[start..<Swift.min(start + size, count)]), start) }
    }
}

extension DataValueSetBatches: DataValueSource {
    package func forEachBatch(_ size: Int, _ body: ([DHIS2Value], Int) async throws -> Void) async throws {
        var reader = self
        reader.rewind()
        var first = 0
        while true {
            let batch: [DHIS2Value]
            do { batch = try reader.read(size) } catch let failure as DataValueSetJSON.Failure {
                throw HamletError.badRequest("Dữ liệu gửi lên không đọc được: \(failure.message).", field: failure.field)
            }
            if batch.isEmpty { return }
            try await body(batch, first)
            first += batch.count
        }
    }
}

/// DHIS2's data value set: header fields fill in what each value leaves out.
package struct DHIS2ValueSet: Content {
    package var dataSet: String?
    package var completeDate: String?
    package var period: String?
    package var orgUnit: String?
    package var attributeOptionCombo: String?
    package var dataValues: [DHIS2Value]

    package init(dataSet: String? = nil, completeDate: String? = nil, period: String? = nil, orgUnit: String? = nil,
                 attributeOptionCombo: String? = nil, dataValues: [DHIS2Value]) {
        (self.dataSet, self.completeDate, self.period, self.orgUnit) = (dataSet, completeDate, period, orgUnit)
        (self.attributeOptionCombo, self.dataValues) = (attributeOptionCombo, dataValues)
    }
}

extension DHIS2ValueSet {
    /// The values of a posted JSON value set, read by `DataValueSetJSON` (a general decoder cost
    /// more than every check of the import); the header's period, unit and attribute combination
    /// fill in what each value leaves out.
    package static func values(json bytes: UnsafeRawBufferPointer) throws -> [DHIS2Value] {
        var set: DataValueSetJSON
        do { set = try DataValueSetJSON.read(bytes) } catch let failure as DataValueSetJSON.Failure {
            throw HamletError.badRequest("Dữ liệu gửi lên không đọc được: \(failure.message).", field: failure.field)
        }
        var values = set.dataValues
        set.dataValues = []
        if set.period != nil || set.orgUnit != nil || set.attributeOptionCombo != nil {
            for i in values.indices {
                if values[i].period == nil { values[i].period = set.period }
                if values[i].orgUnit == nil { values[i].orgUnit = set.orgUnit }
                if values[i].attributeOptionCombo == nil { values[i].attributeOptionCombo = set.attributeOptionCombo }
            }
        }
        return values
    }
}

/// DHIS2's answer to an import, inside its web message wrapper.
package struct ImportSummary: Content {
    package struct Count: Content {
        package var imported = 0, updated = 0, ignored = 0, deleted = 0

        package init(imported: Int = 0, updated: Int = 0, ignored: Int = 0, deleted: Int = 0) {
            (self.imported, self.updated, self.ignored, self.deleted) = (imported, updated, ignored, deleted)
        }
    }
    package struct Conflict: Content {
        package var object: String
        package var value: String
        package var property: String
        package var errorCode: String
        package var indexes: [Int]
        package init(object: String, value: String, property: String, errorCode: String, indexes: [Int]) {
            (self.object, self.value, self.property, self.errorCode) = (object, value, property, errorCode)
            self.indexes = indexes
        }
    }
    package var responseType = "ImportSummary"
    package var status: String
    package var description: String
    package var importCount: Count
    package var conflicts: [Conflict]

    package init(status: String, description: String, importCount: Count, conflicts: [Conflict]) {
        (self.status, self.description, self.importCount, self.conflicts) = (status, description, importCount, conflicts)
    }
    package var dataSetComplete = "false"
}

package struct ImportMessage: Content {
    package var httpStatus: String
    package var httpStatusCode: Int
    package var status: String
    package var message: String
    package var response: ImportSummary

    package init(httpStatus: String, httpStatusCode: Int, status: String, message: String, response: ImportSummary) {
        (self.httpStatus, self.httpStatusCode, self.status, self.message) = (httpStatus, httpStatusCode, status, message)
        self.response = response
    }

}

/// Reads values from outside (DHIS2 JSON or CSV, ADX): each is checked on its own, the good ones
/// are stored and the bad ones listed, or nothing at all when `atomic`. The same payload twice
/// changes nothing the second time. Legacy units' values are stored under their own code and
/// counted at their default 2025 successor. Everything it needs is read up front in a few
/// queries per thousand units, and the values are written in multi-row statements, so a large
/// import costs about the same per value as a small one.
package struct DataValueImporter {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?
    /// The catalogue as already read (`Catalogue.kept`), or nil to read it now.
    package var catalogue: Catalogue?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil, catalogue: Catalogue? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
        self.catalogue = catalogue
    }

    /// `legacyPath`: a legacy unit's own path, which approvals of the chain of the time hold.
    package struct Org: Sendable {
        package var structure: String
        package var code: String
        package var path: String
        package var level: UnitLevel?
        package var facilityType: String?
        package var legacyPath: String? = nil
        package init(structure: String, code: String, path: String, level: UnitLevel? = nil, facilityType: String? = nil,
                     legacyPath: String? = nil) {
            (self.structure, self.code, self.path, self.level) = (structure, code, path, level)
            (self.facilityType, self.legacyPath) = (facilityType, legacyPath)
        }
    }

    /// Inserts beyond this many are counted in the audit entry rather than listed one by one
    /// (each stored value keeps who stored it and when).
    package static let listedInserts = 1_000

    /// Values are checked and written a chunk at a time inside one transaction, so what an
    /// import holds beyond the payload itself is bounded by the chunk, whatever its size (a
    /// 50 MB payload once took 850 MB); `atomic` rolls the whole transaction back.
    package static let chunkSize = 20_000
    /// Conflicts listed in the answer; beyond this many they are counted.
    package static let listedConflicts = 1_000

    /// What a run carries from chunk to chunk: counts, the conflicts listed, and every cell seen
    /// (as four small numbers, not five texts: a payload names each cell once).
    package final class Progress: @unchecked Sendable {
        package var count = ImportSummary.Count()
        package var conflicts: [ImportSummary.Conflict] = []
        package var refused = 0, inserted = 0
        package var seen = Set<SeenKey>()
        package var combos: [String: Int32] = [:], spans: [String: Int32] = [:], orgs: [String: Int32] = [:]

        package func index(_ text: String, in table: inout [String: Int32]) -> Int32 {
            if let i = table[text] { return i }
            let i = Int32(table.count); table[text] = i; return i
        }
    }
    package struct SeenKey: Hashable {
        package var element: Int32
        package var combo: Int32
        package var span: Int32
        package var org: Int32
        package init(element: Int32, combo: Int32, span: Int32, org: Int32) {
            (self.element, self.combo, self.span, self.org) = (element, combo, span, org)
        }
    }
    /// Undoes everything an `atomic` import wrote once a value was refused.
    package struct AtomicRollback: Error {}

    package func run(_ values: some DataValueSource, atomic: Bool, dryRun: Bool, today: DayDate = .today()) async throws -> ImportSummary {
        guard let user = actor, user.role.canEnterReports else { throw HamletError.forbidden }
        let catalogue: Catalogue
        if let kept = self.catalogue { catalogue = kept } else { catalogue = try await Catalogue(db: db) }
        // Periods and units are read once each, whatever the number of values naming them.
        var periods: [String: DataValueWriter.Span] = [:]
        var wanted: Set<String> = []
        var last: (String?, String?) = (nil, nil)
        var total = 0
        try await values.forEachBatch(Self.chunkSize) { batch, _ in
            total += batch.count
            for v in batch {
                // Payloads list a unit's values together: each unit and period is looked up once.
                if (v.orgUnit, v.period) == last { continue }
                last = (v.orgUnit, v.period)
                let raw = v.period ?? ""
                if periods[raw] == nil, let p = Period(raw) { periods[raw] = DataValueWriter.Span(p) }
                if let p = periods[raw] { wanted.insert((v.orgUnit ?? "").trimmedFast + (p.legacy ? "|old" : "")) }
            }
        }
        let orgs = try await resolve(Array(wanted))
        let lookups = Lookups(catalogue: catalogue, periods: periods, orgs: orgs, today: today)
        let progress = Progress()
        progress.seen.reserveCapacity(total)
        if dryRun {
            try await values.forEachBatch(Self.chunkSize) { batch, first in
                try await importChunk(batch, first, lookups, progress, user: user, writing: nil)
            }
        } else {
            do {
                try await db.writeTransaction { tx in
                    try await values.forEachBatch(Self.chunkSize) { batch, first in
                        try await importChunk(batch, first, lookups, progress, user: user, writing: tx)
                    }
                    if atomic && progress.refused > 0 { throw AtomicRollback() }
                }
            } catch is AtomicRollback {}
        }
        let values = (count: total, ())
        let more = progress.refused - progress.conflicts.count
        let listed = more > 0 ? " \(progress.conflicts.count) giá trị đầu bị từ chối được liệt kê, còn \(more) giá trị khác." : ""
        if atomic && progress.refused > 0 {
            return ImportSummary(status: "ERROR", description: "Có \(progress.refused) giá trị bị từ chối; theo yêu cầu atomic, không giá trị nào được lưu." + listed,
                                 importCount: .init(ignored: values.count), conflicts: progress.conflicts)
        }
        let status = progress.refused == 0 ? "SUCCESS" : "WARNING"
        return ImportSummary(status: status, description: (dryRun ? "Chạy thử: không lưu gì." : progress.refused == 0 ? "Đã nhập xong." : "Đã nhập các giá trị hợp lệ; các giá trị bị từ chối được liệt kê.") + listed,
                             importCount: progress.count, conflicts: progress.conflicts)
    }

    /// What every chunk looks values up in.
    package struct Lookups: Sendable {
        package let catalogue: Catalogue
        package let periods: [String: DataValueWriter.Span]
        package let orgs: [String: Org]
        package let today: DayDate

        package init(catalogue: Catalogue, periods: [String: DataValueWriter.Span], orgs: [String: Org], today: DayDate) {
            (self.catalogue, self.periods, self.orgs, self.today) = (catalogue, periods, orgs, today)
        }
    }

    /// One chunk: each value checked, compared with what is stored, and (when writing) stored.
    private func importChunk(_ values: [DHIS2Value], _ first: Int, _ lookups: Lookups, _ progress: Progress, user: any ActingAccount,
                             writing tx: (any Database)?) async throws {
        let catalogue = lookups.catalogue
        var conflicts: [ImportSummary.Conflict] = []
        func refuse(_ i: Int, _ object: String, _ property: String, _ code: String, _ message: String) {
            conflicts.append(.init(object: object, value: message, property: property, errorCode: code, indexes: [i]))
        }
        var accepted: [(Int, DataValueWriter.Row, DataValueWriter.CellKey, Bool)] = []  // index, row, cell, delete
        accepted.reserveCapacity(values.count)
        for (k, v) in values.enumerated() {
            let i = first + k
            let code = (v.dataElement ?? "").trimmedFast
            guard let element = catalogue.elements[code] ?? catalogue.elements[code.uppercased()] else { refuse(i, v.dataElement ?? "", "dataElement", "E1100", "Không có chỉ tiêu mã “\(v.dataElement ?? "")”."); continue }
            guard let span = lookups.periods[v.period ?? ""] else { refuse(i, v.period ?? "", "period", "E1101", "Kỳ “\(v.period ?? "")” không đúng dạng 2026, 2026S1, 2026Q3, 202611."); continue }
            let period = span.period
            guard period.start <= lookups.today else { refuse(i, period.id, "period", "E1102", "\(period.label) chưa bắt đầu."); continue }
            let orgCode = (v.orgUnit ?? "").trimmedFast
            guard let org = lookups.orgs[orgCode + (span.legacy ? "|old" : "")] else {
                refuse(i, orgCode, "orgUnit", "E1103", "Không có đơn vị “\(orgCode)” trong phạm vi của tài khoản."); continue
            }
            let combo = (v.categoryOptionCombo ?? "").isEmpty || v.categoryOptionCombo == "HllvX50cXC0" ? ReportForm.Cell.defaultCombo : v.categoryOptionCombo!
            guard element.combos.contains(combo) else { refuse(i, combo, "categoryOptionCombo", "E1104", "Chỉ tiêu \(element.code) không có tổ hợp phân tổ “\(combo)”."); continue }
            // Hamlet has no attribute categories: values under another one would merge unseen.
            if let attribute = v.attributeOptionCombo, !["", ReportForm.Cell.defaultCombo, "HllvX50cXC0"].contains(attribute) {
                refuse(i, attribute, "attributeOptionCombo", "E1108", "Hamlet không dùng phân tổ thuộc tính (attributeOptionCombo “\(attribute)”); chỉ nhận default."); continue
            }
            // The unit must report a form of this period's kind that holds the element.
            guard catalogue.reports(org, element.id, period.periodicity) else {
                refuse(i, orgCode, "orgUnit", "E1105", "Đơn vị \(orgCode) không báo cáo chỉ tiêu \(element.code) theo kỳ \(period.periodicity.label.lowercased())."); continue
            }
            let seen = SeenKey(element: catalogue.index[element.id] ?? -1, combo: progress.index(combo, in: &progress.combos),
                               span: progress.index(span.id, in: &progress.spans), org: progress.index(org.structure + "|" + org.code, in: &progress.orgs))
            let key = DataValueWriter.CellKey(element: element.code, combo: combo, period: span.id, structure: org.structure, code: org.code)
            guard progress.seen.insert(seen).inserted else { refuse(i, key.text, "dataElement", "E1107", "Giá trị này có hai lần trong cùng một lần gửi."); continue }
            let raw = v.value ?? ""
            let row = DataValueWriter.Row(elementID: element.id, combo: combo, span: span, structure: org.structure, orgCode: org.code, unitPath: org.path, value: "", number: nil)
            if v.deleted == true || raw.trimmedFast.isEmpty { accepted.append((i, row, key, true)); continue }
            switch element.read(raw) {
            case .failure(let error): refuse(i, raw, "value", "E7619", "\(element.code): \(English.say(error.message))")
            case .success(let parsed):
                var typed = row
                typed.value = parsed.text; typed.number = parsed.number
                accepted.append((i, typed, key, false))
            }
        }

        // What is stored now, and which of those reports are approved (locked), for the units and periods named.
        let reader = tx ?? db
        let places = Set(accepted.map { $0.1.orgCode }), periodIDs = Set(accepted.map { $0.1.span.id })
        let standing = try await ValueStanding.read(orgCodes: Array(places), periods: Array(periodIDs), elements: catalogue.codes, on: reader)
        // Units the level above approved hold everything under them, reports not yet made included.
        let (stored, locked, held) = (standing.stored, standing.locked, standing.held)
        var upserts: [DataValueWriter.Row] = [], deletes: [Int] = []
        var audit = AuditChanges(), listedHere = 0, updated = 0
        for (i, row, key, delete) in accepted {
            if row.structure != UnitStructure.legacy.rawValue,
               !locked.isEmpty, catalogue.forms(holding: row.elementID, row.period.periodicity).contains(where: { locked.contains(row.orgCode + "|" + row.span.id + "|" + $0.uuidString) }) {
                refuse(i, row.orgCode, "period", "E1106", "Báo cáo \(row.period.label) của \(row.orgCode) đã được duyệt: số liệu bị khóa."); continue
            }
            // A legacy unit's value is held by its own approval, its district's, or its 2025 province's.
            let own = row.structure == UnitStructure.legacy.rawValue ? lookups.orgs[row.orgCode + "|old"]?.legacyPath : nil
            if !held.isEmpty, catalogue.forms(holding: row.elementID, row.period.periodicity).contains(where: { id in
                held.contains { $0.set == id && $0.period == row.span.id && (row.unitPath.hasPrefix($0.path) || (own?.hasPrefix($0.path) ?? false)) } }) {
                refuse(i, row.orgCode, "period", "E1106", "Báo cáo \(row.period.label) của \(row.orgCode) đã được duyệt: số liệu bị khóa."); continue
            }
            let existing = stored[key]
            if delete {
                guard let existing else { progress.count.ignored += 1; continue }
                progress.count.deleted += 1; deletes.append(existing.id); audit.add(key.text, existing.value, nil)
            } else if let existing {
                if existing.value == row.value { progress.count.ignored += 1; continue }
                progress.count.updated += 1; updated += 1; upserts.append(row); audit.add(key.text, existing.value, row.value)
            } else {
                progress.count.imported += 1; upserts.append(row); progress.inserted += 1
                if progress.inserted <= Self.listedInserts { audit.add(key.text, nil, row.value); listedHere += 1 }
            }
        }
        conflicts.sort { $0.indexes[0] < $1.indexes[0] }
        progress.refused += conflicts.count
        // As DHIS2 counts them: a refused value is an ignored one.
        progress.count.ignored += conflicts.count
        progress.conflicts += conflicts.prefix(max(0, Self.listedConflicts - progress.conflicts.count))
        let insertedHere = upserts.count - updated
        if insertedHere > listedHere { audit.add("imported", nil, "\(insertedHere) giá trị mới (liệt kê \(listedHere) giá trị đầu)") }
        guard let tx, let sql = tx as? any SQLDatabase, !upserts.isEmpty || !deletes.isEmpty else { return }
        // A form open in someone's browser must not save over imported values unnoticed.
        var touched: [String: Set<String>] = [:]
        var lastReport: (String, String)? = nil
        for row in upserts where row.structure != UnitStructure.legacy.rawValue {
            if let lastReport, lastReport == (row.span.id, row.orgCode) { continue }
            lastReport = (row.span.id, row.orgCode)
            touched[row.span.id, default: []].insert(row.orgCode)
        }
        for (_, row, key, delete) in accepted where delete && stored[key] != nil { touched[row.span.id, default: []].insert(row.orgCode) }
        // Reports first, as a form save does (it moves its report's version before it writes a
        // cell): an import and a save of the same report then queue on the report instead of
        // each holding what the other waits for.
        for (period, codes) in touched.sorted(by: { $0.key < $1.key }) {
            let codes = codes.sorted()
            for start in stride(from: 0, to: codes.count, by: 1_000) {
                try await sql.raw("UPDATE reports SET version = version + 1 WHERE period = \(bind: period) AND org_code IN (\(binds: Array(codes[start..<min(start + 1_000, codes.count)])))").run()
            }
        }
        try await DataValueWriter.upsert(upserts, allNew: updated == 0, by: user.id, on: sql)
        try await DataValueWriter.delete(ids: deletes.sorted(), on: sql)
        try await Audit.record(on: tx, actor: user, ip: ip, action: "import", entity: "data_values", entityID: nil, scopePath: scope.path, changes: audit)
    }

    /// The catalogue as the importer consults it, read once into plain values: a model's fields
    /// (a form's levels are JSON text) cost far more to read than the check they feed, and an
    /// import asks them once per value.
    package struct Catalogue: Sendable {
        package struct Element {
            package let id: UUID
            package let code: String
            package let type: ValueType
            package let combos: Set<String>
            package let minimum: Double?
            package let maximum: Double?

            package init(id: UUID, code: String, type: ValueType, combos: Set<String>, minimum: Double? = nil, maximum: Double? = nil) {
                (self.id, self.code, self.type, self.combos) = (id, code, type, combos)
                (self.minimum, self.maximum) = (minimum, maximum)
            }
            package func read(_ raw: String) -> Result<ValueType.Parsed, ValueError> { type.parse(raw, minimum: minimum, maximum: maximum) }
        }
        package struct Form { let id: UUID; let frequency: Periodicity; let levels: Set<UnitLevel>; let facilityTypes: Set<String>; let elements: Set<UUID> }
        package var elements: [String: Element] = [:]
        package var codes: [UUID: String] = [:]
        /// Each element as a small number, for the cells an import has seen.
        package var index: [UUID: Int32] = [:]
        package var forms: [Form] = []

        package init(db: any Database) async throws {
            let categories = Dictionary(try await DataCategory.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            for e in try await DataElement.query(on: db).all() {
                let element = Element(id: e.id!, code: e.code, type: e.type, combos: Set(ReportForm.combos(e.categoryCodes.compactMap { categories[$0] }).map(\.0)),
                                      minimum: e.minimum, maximum: e.maximum)
                if elements[element.code] == nil { elements[element.code] = element }
                codes[element.id] = element.code
                index[element.id] = Int32(index.count)
            }
            var held: [UUID: Set<UUID>] = [:]
            for row in try await DataSetElement.query(on: db).all() { held[row.$dataSet.id, default: []].insert(row.$element.id) }
            forms = try await DataSet.query(on: db).all().map {
                Form(id: $0.id!, frequency: $0.frequency, levels: Set($0.levels), facilityTypes: Set($0.facilityTypes), elements: held[$0.id!] ?? [])
            }
        }

        /// Read once and kept while no catalogue table (a `figures` group table) has changed: a
        /// single saved value used to read the whole catalogue again (four queries, every row
        /// decoded), the largest part of a save under load.
        package static func kept(_ req: Request) async throws -> Catalogue {
            try await req.kept(Question("reporting-catalogue"), on: req.db, reads: { [DataVersions.figures] }) {
                try await Catalogue(db: req.db)
            }
        }

        package func forms(holding element: UUID, _ periodicity: Periodicity) -> [UUID] {
            forms.filter { $0.frequency == periodicity && $0.elements.contains(element) }.map(\.id)
        }

        package func reports(_ org: Org, _ element: UUID, _ periodicity: Periodicity) -> Bool {
            forms.contains { f in
                f.frequency == periodicity && f.elements.contains(element)
                    && (org.level.map { f.levels.contains($0) } ?? org.facilityType.map { f.facilityTypes.contains($0) } ?? false)
            }
        }
    }

    /// Resolves "code" and "code|old" (a period before the reform) keys in bulk: 2025 units and
    /// facilities in a few `IN` queries, legacy units one by one (rare, and cached by key).
    package func resolve(_ keys: [String]) async throws -> [String: Org] {
        var out: [String: Org] = [:]
        var current: [String: [String]] = [:]   // code → keys waiting for a 2025 unit
        var facilities: [UUID: [String]] = [:]
        for key in keys {
            let old = key.hasSuffix("|old"), code = old ? String(key.dropLast(4)) : key
            if let id = UUID(uuidString: code) { facilities[id, default: []].append(key); continue }
            // Before the reform a code may be a legacy unit's (codes overlap): asked one by one.
            if old { out[key] = try await resolve(code, before: true); continue }
            current[code, default: []].append(key)
        }
        let codes = Array(current.keys)
        // Read as text rows, like the importer's other large reads (no generic row decoding).
        for start in stride(from: 0, to: codes.count, by: 1_000) {
            let chunk = Array(codes[start..<min(start + 1_000, codes.count)])
            for row in try await TextRows.query(db, "SELECT code, path, CAST(level AS TEXT) AS level FROM units WHERE structure = '2025' AND code IN (\(TextRows.marks(chunk.count)))",
                                                chunk, columns: ["code", "path", "level"]) {
                guard let code = row[0], let path = row[1], scope.contains(path: path) else { continue }
                let level = row[2].flatMap(UnitLevel.init(rawValue:))
                for key in current[code] ?? [] { out[key] = Org(structure: UnitStructure.current.rawValue, code: code, path: path, level: level, facilityType: nil) }
            }
        }
        if !facilities.isEmpty {
            for f in try await Organisation.query(on: db).filter(\.$id ~~ Array(facilities.keys)).filter(\.$kind == .facility).with(\.$type).all()
            where scope.contains(path: f.unitPath) {
                for key in facilities[f.id!] ?? [] { out[key] = Org(structure: "facility", code: f.id!.uuidString, path: f.unitPath, level: nil, facilityType: f.type.code) }
            }
        }
        return out
    }

    /// A 2025 unit, a facility (by id), or for a period before the reform a legacy unit, inside
    /// the account's scope. A legacy unit counts at its default successor (a legacy district or
    /// province: at the 2025 province its communes went to).
    package func resolve(_ code: String, before reform: Bool) async throws -> Org? {
        if let id = UUID(uuidString: code) {
            guard let org = try await Organisation.query(on: db).filter(\.$id == id).filter(\.$kind == .facility).with(\.$type).first(),
                  scope.contains(path: org.unitPath) else { return nil }
            return Org(structure: "facility", code: id.uuidString, path: org.unitPath, level: nil, facilityType: org.type.code)
        }
        let directory = UnitDirectory(db: db, scope: scope)
        if reform, let old = try await directory.find(.legacy, code) {
            guard let sql = db as? any SQLDatabase else { return nil }
            let row = try await sql.raw("""
                SELECT nc.path AS path FROM units lc
                  JOIN unit_successions s ON s.from_structure = 'legacy' AND s.from_code = lc.code AND s.is_default = \(true)
                  JOIN units nc ON nc.structure = s.to_structure AND nc.code = s.to_code
                WHERE lc.structure = 'legacy' AND lc.path >= \(bind: old.path) AND lc.path < \(bind: AccessScope.upperBound(old.path))
                ORDER BY lc.path LIMIT 1
                """).first()
            guard let successor = try row?.decode(column: "path", as: String.self) else { return nil }
            let path = old.level == .commune ? successor : String(successor.prefix(3))
            guard scope.contains(path: path) else { return nil }
            return Org(structure: UnitStructure.legacy.rawValue, code: old.code, path: path, level: old.level == .district ? nil : old.level, facilityType: nil, legacyPath: old.path)
        }
        guard let unit = try await directory.find(.current, code), scope.contains(path: unit.path) else { return nil }
        return Org(structure: UnitStructure.current.rawValue, code: unit.code, path: unit.path, level: unit.level, facilityType: nil)
    }
}
