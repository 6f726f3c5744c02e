import Vapor
import Fluent
import SQLKit
import HamletKit

/// One value in DHIS2's layout (identifiers by code).
struct DHIS2Value: Content {
    var dataElement: String?
    var period: String?
    var orgUnit: String?
    var categoryOptionCombo: String?
    var attributeOptionCombo: String?
    var value: String?
    var storedBy: String?
    var created: String?
    var lastUpdated: String?
    var comment: String?
    var followup: Bool?
    var deleted: Bool?
}

/// DHIS2's data value set: header fields fill in what each value leaves out.
struct DHIS2ValueSet: Content {
    var dataSet: String?
    var completeDate: String?
    var period: String?
    var orgUnit: String?
    var attributeOptionCombo: String?
    var dataValues: [DHIS2Value]
}

/// DHIS2's answer to an import, inside its web message wrapper.
struct ImportSummary: Content {
    struct Count: Content { var imported = 0, updated = 0, ignored = 0, deleted = 0 }
    struct Conflict: Content { var object: String; var value: String; var property: String; var errorCode: String; var indexes: [Int] }
    var responseType = "ImportSummary"
    var status: String
    var description: String
    var importCount: Count
    var conflicts: [Conflict]
    var dataSetComplete = "false"
}

struct ImportMessage: Content {
    var httpStatus: String; var httpStatusCode: Int; var status: String; var message: String; var response: ImportSummary
}

/// Reads values from outside (DHIS2 JSON or CSV, ADX): each is checked on its own, the good ones
/// are stored and the bad ones listed, or nothing at all when `atomic`. The same payload twice
/// changes nothing the second time. Legacy units' values are stored under their own code and
/// counted at their default 2025 successor.
struct DataValueImporter {
    let db: any Database
    let scope: AccessScope
    let actor: User?
    let ip: String?

    struct Org { var structure: String; var code: String; var path: String; var level: UnitLevel?; var facilityType: String? }

    func run(_ values: [DHIS2Value], atomic: Bool, dryRun: Bool, today: DayDate = .today()) async throws -> ImportSummary {
        guard let user = actor, user.role.canEnterReports else { throw HamletError.forbidden }
        var count = ImportSummary.Count()
        var conflicts: [ImportSummary.Conflict] = []
        func refuse(_ i: Int, _ object: String, _ property: String, _ code: String, _ message: String) {
            conflicts.append(.init(object: object, value: message, property: property, errorCode: code, indexes: [i]))
        }
        let elements = Dictionary(try await DataElement.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let sets = try await DataSet.query(on: db).all()
        var setElements: [UUID: Set<UUID>] = [:]
        for row in try await DataSetElement.query(on: db).all() { setElements[row.$dataSet.id, default: []].insert(row.$element.id) }
        var combos: [UUID: Set<String>] = [:]
        var orgs: [String: Org?] = [:]
        var locks: [String: Set<UUID>] = [:]
        var stored: [String: [String: DataValue]] = [:]
        var writes: [(DataValue, DataValue?, ValueType.Parsed?, String)] = []
        var seen = Set<String>()

        for (i, v) in values.enumerated() {
            let code = (v.dataElement ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            guard let element = elements[code] else { refuse(i, v.dataElement ?? "", "dataElement", "E1100", "Không có chỉ tiêu mã “\(v.dataElement ?? "")”."); continue }
            guard let period = Period(v.period ?? "") else { refuse(i, v.period ?? "", "period", "E1101", "Kỳ “\(v.period ?? "")” không đúng dạng 2026, 2026S1, 2026Q3, 202611."); continue }
            guard period.start <= today else { refuse(i, period.id, "period", "E1102", "\(period.label) chưa bắt đầu."); continue }
            let orgCode = (v.orgUnit ?? "").trimmingCharacters(in: .whitespaces)
            let orgKey = orgCode + (period.end.iso <= UnitLoader.legacyEnd ? "|old" : "")
            if orgs[orgKey] == nil { orgs[orgKey] = try await resolve(orgCode, before: period.end.iso <= UnitLoader.legacyEnd) }
            guard let org = orgs[orgKey] ?? nil else { refuse(i, orgCode, "orgUnit", "E1103", "Không có đơn vị “\(orgCode)” trong phạm vi của tài khoản."); continue }
            if combos[element.id!] == nil {
                let cats = try await DataCategory.query(on: db).filter(\.$code ~~ element.categoryCodes).all()
                combos[element.id!] = Set(ReportForm.combos(element.categoryCodes.compactMap { c in cats.first { $0.code == c } }).map(\.0))
            }
            let combo = (v.categoryOptionCombo ?? "").isEmpty || v.categoryOptionCombo == "HllvX50cXC0" ? ReportForm.Cell.defaultCombo : v.categoryOptionCombo!
            guard combos[element.id!]!.contains(combo) else { refuse(i, combo, "categoryOptionCombo", "E1104", "Chỉ tiêu \(element.code) không có tổ hợp phân tổ “\(combo)”."); continue }
            // Hamlet has no attribute categories: values under another one would merge unseen.
            if let attribute = v.attributeOptionCombo, !["", ReportForm.Cell.defaultCombo, "HllvX50cXC0"].contains(attribute) {
                refuse(i, attribute, "attributeOptionCombo", "E1108", "Hamlet không dùng phân tổ thuộc tính (attributeOptionCombo “\(attribute)”); chỉ nhận default."); continue
            }
            // The unit must report a form of this period's kind that holds the element.
            let reports = sets.filter { s in
                s.frequency == period.periodicity && setElements[s.id!]?.contains(element.id!) == true
                    && (org.level.map { s.levels.contains($0) } ?? org.facilityType.map { s.facilityTypes.contains($0) } ?? false)
            }
            guard !reports.isEmpty else {
                refuse(i, orgCode, "orgUnit", "E1105", "Đơn vị \(orgCode) không báo cáo chỉ tiêu \(element.code) theo kỳ \(period.periodicity.label.lowercased())."); continue
            }
            let lockKey = org.structure + "|" + org.code + "|" + period.id
            if locks[lockKey] == nil { locks[lockKey] = try await approvedSets(org, period) }
            if reports.contains(where: { locks[lockKey]!.contains($0.id!) }) {
                refuse(i, orgCode, "period", "E1106", "Báo cáo \(period.label) của \(orgCode) đã được duyệt: số liệu bị khóa."); continue
            }
            let key = [element.code, combo, period.id, org.structure, org.code].joined(separator: "|")
            guard seen.insert(key).inserted else { refuse(i, key, "dataElement", "E1107", "Giá trị này có hai lần trong cùng một lần gửi."); continue }
            // A unit's stored values for the period are read once, not once per value.
            if stored[lockKey] == nil {
                let rows = try await DataValue.query(on: db).filter(\.$period == period.id).filter(\.$orgStructure == org.structure).filter(\.$orgCode == org.code).all()
                stored[lockKey] = Dictionary(rows.map { ($0.elementID.uuidString + "|" + $0.combo, $0) }, uniquingKeysWith: { a, _ in a })
            }
            let existing = stored[lockKey]![element.id!.uuidString + "|" + combo]
            let raw = v.value ?? ""
            if v.deleted == true || raw.trimmingCharacters(in: .whitespaces).isEmpty {
                if let existing { count.deleted += 1; writes.append((existing, existing, nil, key)) } else { count.ignored += 1 }
                continue
            }
            switch element.type.parse(raw) {
            case .failure(let error): refuse(i, raw, "value", "E7619", "\(element.code): \(error.message)")
            case .success(let parsed):
                if let existing {
                    if existing.value == parsed.text { count.ignored += 1; continue }
                    count.updated += 1
                    writes.append((existing, existing, parsed, key))
                } else {
                    let row = DataValue()
                    row.elementID = element.id!; row.combo = combo; row.period = period.id; row.periodStart = period.start.iso; row.periodEnd = period.end.iso
                    row.orgStructure = org.structure; row.orgCode = org.code; row.unitPath = org.path
                    count.imported += 1
                    writes.append((row, nil, parsed, key))
                }
            }
        }
        if atomic && !conflicts.isEmpty {
            return ImportSummary(status: "ERROR", description: "Có \(conflicts.count) giá trị bị từ chối; theo yêu cầu atomic, không giá trị nào được lưu.",
                                 importCount: .init(ignored: values.count), conflicts: conflicts)
        }
        if !dryRun && !writes.isEmpty {
            let all = writes, ip = ip
            try await db.transaction { tx in
                var audit = AuditChanges()
                for (row, old, parsed, key) in all {
                    audit.add(key, old?.value, parsed?.text)
                    if let parsed {
                        row.value = parsed.text; row.number = parsed.number; row.storedBy = user.id
                        try await row.save(on: tx)
                    } else {
                        try await row.delete(on: tx)
                    }
                }
                // A form open in someone's browser must not save over imported values unnoticed.
                for place in Set(all.filter { $0.0.orgStructure != UnitStructure.legacy.rawValue }.map { $0.0.orgCode + "|" + $0.0.period }) {
                    let parts = place.split(separator: "|").map(String.init)
                    try await (tx as? any SQLDatabase)?.raw("UPDATE reports SET version = version + 1 WHERE org_code = \(bind: parts[0]) AND period = \(bind: parts[1])").run()
                }
                try await Audit.record(on: tx, actor: user, ip: ip, action: "import", entity: "data_values", entityID: nil, scopePath: scope.path, changes: audit)
            }
        }
        let status = conflicts.isEmpty ? "SUCCESS" : "WARNING"
        return ImportSummary(status: status, description: dryRun ? "Chạy thử: không lưu gì." : conflicts.isEmpty ? "Đã nhập xong." : "Đã nhập các giá trị hợp lệ; các giá trị bị từ chối được liệt kê.",
                             importCount: count, conflicts: conflicts)
    }

    /// A 2025 unit, a facility (by id), or for a period before the reform a legacy unit, inside
    /// the account's scope. A legacy unit counts at its default successor (a legacy district or
    /// province: at the 2025 province its communes went to).
    func resolve(_ code: String, before reform: Bool) async throws -> Org? {
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
            return Org(structure: UnitStructure.legacy.rawValue, code: old.code, path: path, level: old.level == .district ? nil : old.level, facilityType: nil)
        }
        guard let unit = try await directory.find(.current, code), scope.contains(path: unit.path) else { return nil }
        return Org(structure: UnitStructure.current.rawValue, code: unit.code, path: unit.path, level: unit.level, facilityType: nil)
    }

    /// The forms whose report for this unit and period is approved (their values are locked).
    func approvedSets(_ org: Org, _ period: Period) async throws -> Set<UUID> {
        guard org.structure != UnitStructure.legacy.rawValue else { return [] }
        return Set(try await Report.query(on: db).filter(\.$orgCode == org.code).filter(\.$period == period.id)
            .filter(\.$status == ReportStatus.approved.rawValue).all().map { $0.$dataSet.id })
    }
}
