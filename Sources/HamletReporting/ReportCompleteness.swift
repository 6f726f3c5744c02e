import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletOrganisations

/// Who has reported a form, when, and who has not: every reporting unit under a unit × every
/// period of a span, judged against the form's due rule; counts and shares per child unit; and
/// the overdue units with the phone of someone serving there (from the workforce register).
package struct ReportCompleteness {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    package struct Counts: Content {
        package var expected = 0, approved = 0, onTime = 0, late = 0, returned = 0, missing = 0, notDue = 0
        /// Came before the reform from another system, sent on a day nobody knows (`Timeliness.kept`).
        package var kept = 0
        package var reported: Int { approved + onTime + late + kept }
        /// Every report that came after its due day, approved since or not.
        package var cameLate: Int { reported - onTime - approvedOnTime - kept }
        /// Of the reports already due, the share that came (approved, on time or late).
        package var reportedPercent: Double { Percent.of(reported, expected - notDue) }
        package var onTimePercent: Double { Percent.of(onTime + approvedOnTime, expected - notDue) }
        package var approvedOnTime = 0

        package init(kept: Int = 0, approvedOnTime: Int = 0) {
            self.kept = kept
            self.approvedOnTime = approvedOnTime
        }

        package mutating func add(_ t: Timeliness, onTime wasOnTime: Bool) {
            expected += 1
            switch t {
            case .approved: approved += 1; if wasOnTime { approvedOnTime += 1 }
            case .onTime: onTime += 1
            case .late: late += 1
            case .returned: returned += 1
            case .missing: missing += 1
            case .notDue: notDue += 1
            case .kept: kept += 1
            }
        }
    }
    package struct PeriodColumn: Content {
        package var id: String
        package var label: String
        package var due: String
        package init(id: String, label: String, due: String) {
            (self.id, self.label, self.due) = (id, label, due)
        }
    }
    /// `structure` "legacy": a commune of the time before the reform (`LegacyCompleteness`).
    package struct Row: Content {
        package var code: String
        package var name: String
        package var child: String
        package var cells: [String]
        package var structure: String? = nil
        package init(code: String, name: String, child: String, cells: [String], structure: String? = nil) {
            (self.code, self.name, self.child, self.cells) = (code, name, child, cells)
            self.structure = structure
        }
    }
    package struct ChildSummary: Content {
        package var code: String
        package var name: String
        package var counts: Counts
        package var reportedPercent: Double
        package var onTimePercent: Double
        package var cameLate: Int
        package var structure: String? = nil

        package init(code: String, name: String, counts: Counts, reportedPercent: Double, onTimePercent: Double, cameLate: Int,
                     structure: String? = nil) {
            (self.code, self.name, self.counts, self.reportedPercent) = (code, name, counts, reportedPercent)
            (self.onTimePercent, self.cameLate, self.structure) = (onTimePercent, cameLate, structure)
        }
    }
    package struct Overdue: Content {
        package var code: String
        package var name: String
        package var period: String
        package var due: String
        package var contact: String?
        package var phone: String?
        package init(code: String, name: String, period: String, due: String, contact: String? = nil, phone: String? = nil) {
            (self.code, self.name, self.period, self.due) = (code, name, period, due)
            (self.contact, self.phone) = (contact, phone)
        }
    }
    package struct Result: Content {
        package var dataSet: String
        package var dataSetName: String
        package var unitCode: String
        package var unitName: String
        package var periods: [PeriodColumn]
        package var rows: [Row]
        package var total: Counts
        package var reportedPercent: Double
        package var onTimePercent: Double
        package var cameLate: Int
        package var children: [ChildSummary]
        package var overdue: [Overdue]
        /// "legacy" when the communes are those of before 01/07/2025.
        package var map: String? = nil

        package init(dataSet: String, dataSetName: String, unitCode: String, unitName: String, periods: [PeriodColumn],
                     rows: [Row], total: Counts, reportedPercent: Double, onTimePercent: Double, cameLate: Int,
                     children: [ChildSummary], overdue: [Overdue], map: String? = nil) {
            (self.dataSet, self.dataSetName, self.unitCode, self.unitName) = (dataSet, dataSetName, unitCode, unitName)
            (self.periods, self.rows, self.total, self.reportedPercent) = (periods, rows, total, reportedPercent)
            (self.onTimePercent, self.cameLate, self.children, self.overdue) = (onTimePercent, cameLate, children, overdue)
            self.map = map
        }
    }

    package static func span(_ set: DataSet, from: String?, to: String?, today: DayDate = .today()) throws -> [Period] {
        let last = try to.map { raw -> Period in
            guard let p = Period(typed: raw), p.periodicity == set.frequency else { throw HamletError.invalid("to", "Kỳ cuối phải là kỳ \(set.frequency.label.lowercased()), ví dụ \(Period.containing(today, set.frequency).id).") }
            return p
        } ?? Period.containing(today, set.frequency)
        var first = last
        if let from {
            guard let p = Period(typed: from), p.periodicity == set.frequency, p <= last else { throw HamletError.invalid("from", "Kỳ đầu phải là kỳ \(set.frequency.label.lowercased()) không sau kỳ cuối.") }
            first = p
        } else {
            for _ in 1..<max(1, 12 / set.frequency.months) { first = first.previous }
        }
        let periods = first.through(last)
        guard periods.count <= 60 else { throw HamletError.invalid("from", "Tối đa 60 kỳ một lần.") }
        return periods
    }

    /// At most this many overdue lines are returned (with the count of all of them in the totals).
    package static let overdueShown = 2_000

    package func run(_ set: DataSet, unit: AdminUnit?, periods: [Period], today: DayDate = .today()) async throws -> Result {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? "", upper = AccessScope.upperBound(path)
        // The reporting units: units of the form's levels and facilities of its types, open during
        // the span. Read as plain rows: a province has thousands of hamlets.
        let start = periods.first!.start.iso
        // A span before the reform: the communes of the time, in place of the 2025 ones.
        let ofTheTime = LegacyCompleteness.applies(set, periods, unit: unit), legacy = LegacyCompleteness(db: db)
        var places: [(code: String, name: String, path: String, child: String?)] = []
        if ofTheTime { places = try await legacy.places(under: path).map { ($0.code, $0.name, $0.path, $0.child) } }
        let kept = ofTheTime ? try await legacy.reported(set, codes: places.map(\.code), periods: periods) : [:]
        let ofTheTimeCount = places.count
        // (An empty `IN ()` is an error on PostgreSQL: a commune form of those days may have no other level.)
        let levels = set.levels.filter { !ofTheTime || $0 != .commune }.map(\.rawValue)
        if !levels.isEmpty {
            for row in try await TextRows.query(db, """
                SELECT code, name, path FROM units WHERE structure = '2025' AND CAST(level AS TEXT) IN (\(TextRows.marks(levels.count)))
                  AND path >= ? AND path < ? AND (closed_on IS NULL OR closed_on > ?) ORDER BY path
                """, levels + [path, upper, start], columns: ["code", "name", "path"]) {
                places.append((row[0] ?? "", row[1] ?? "", row[2] ?? "", nil))
            }
        }
        if !set.facilityTypes.isEmpty {
            for o in try await Organisation.query(on: db).filter(\.$kind == .facility).join(OrganisationType.self, on: \Organisation.$type.$id == \OrganisationType.$id)
                .filter(OrganisationType.self, \.$code ~~ set.facilityTypes).filter(\.$unitPath >= path).filter(\.$unitPath < upper).all() {
                places.append((o.id!.uuidString, o.name, o.unitPath, nil))
            }
        }
        // Each unit's reports by period index; first submission days stay ISO text (they compare as text).
        let index = Dictionary(uniqueKeysWithValues: periods.enumerated().map { ($1.id, $0) })
        var byUnit: [String: [(ReportStatus?, String?)?]] = [:]
        for row in try await TextRows.query(db, """
            SELECT org_code, period, status, first_submitted_on FROM reports
            WHERE data_set_id = \(SQLText.isPostgres(db) ? "CAST(? AS uuid)" : "?") AND org_path >= ? AND org_path < ? AND period IN (\(TextRows.marks(periods.count)))
            """, [set.id!.uuidString, path, upper] + periods.map(\.id), columns: ["org_code", "period", "status", "first_submitted_on"]) {
            guard let code = row[0], let k = row[1].flatMap({ index[$0] }) else { continue }
            byUnit[code, default: Array(repeating: nil, count: periods.count)][k] = (ReportStatus(rawValue: row[2] ?? ""), row[3])
        }
        let dues = periods.map { set.due(for: $0) }
        let labels = periods.map(\.label), dueLabels = dues.map(\.vietnamese), dueDays = dues.map(\.iso), overdueDays = dues.map { today > $0 }
        // Per child unit of the one asked about.
        let depth = path.split(separator: ".").count + 1
        func childPath(_ p: String) -> String { p.split(separator: ".").prefix(depth).joined(separator: ".") + "." }
        var total = Counts()
        var perChild: [String: Counts] = [:]
        var rows: [Row] = []
        var overdue: [Overdue] = []
        rows.reserveCapacity(places.count)
        for (n, place) in places.enumerated() {
            var cells: [String] = []
            cells.reserveCapacity(periods.count)
            let child = place.child ?? childPath(place.path), isLegacy = n < ofTheTimeCount
            var counts = perChild[child] ?? Counts()
            // A legacy code may be a 2025 unit's too: a commune of the time is judged by its values only.
            let reports = isLegacy ? nil : byUnit[place.code]
            for k in periods.indices {
                let r = reports?[k] ?? nil
                let onTime = r?.1.map { $0 <= dueDays[k] } ?? false
                let t = isLegacy && kept[place.code]?.contains(periods[k].id) == true ? Timeliness.kept
                    : Timeliness.of(status: r?.0, submittedOn: r?.1, due: dueDays[k], pastDue: overdueDays[k])
                total.add(t, onTime: onTime)
                counts.add(t, onTime: onTime)
                cells.append(t.rawValue)
                // Nobody can be asked today for a report of a commune that no longer exists.
                if (t == .missing || t == .returned) && !isLegacy && overdue.count < Self.overdueShown {
                    overdue.append(Overdue(code: place.code, name: place.name, period: labels[k], due: dueLabels[k]))
                }
            }
            perChild[child] = counts
            rows.append(Row(code: place.code, name: place.name, child: child, cells: cells, structure: isLegacy ? UnitStructure.legacy.rawValue : nil))
        }
        // Whom to call: someone serving at the unit today, with a phone.
        let contacts = try await self.contacts(Array(Set(overdue.map(\.code))), today: today)
        for i in overdue.indices { if let c = contacts[overdue[i].code] { overdue[i].contact = c.0; overdue[i].phone = c.1 } }
        var names = try await UnitTree.units(atPaths: perChild.keys.filter { !$0.hasPrefix("legacy:") }, on: db)
        if ofTheTime { names.merge(try await legacy.names(perChild.keys)) { a, _ in a } }
        let children = perChild.sorted { $0.key < $1.key }.map { key, counts in
            ChildSummary(code: names[key]?.code ?? key, name: names[key]?.name ?? key, counts: counts, reportedPercent: counts.reportedPercent, onTimePercent: counts.onTimePercent,
                         cameLate: counts.cameLate, structure: key.hasPrefix("legacy:") ? UnitStructure.legacy.rawValue : nil)
        }
        return Result(dataSet: set.code, dataSetName: set.name, unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước",
                      periods: zip(periods, dues).map { PeriodColumn(id: $0.id, label: $0.label, due: $1.vietnamese) }, rows: rows, total: total,
                      reportedPercent: total.reportedPercent, onTimePercent: total.onTimePercent, cameLate: total.cameLate, children: children, overdue: overdue,
                      map: ofTheTime ? UnitMap.ofTheTime.rawValue : nil)
    }

    /// Someone serving at each unit today, preferring one with a phone: read as plain rows.
    package func contacts(_ codes: [String], today: DayDate) async throws -> [String: (String, String?)] {
        guard !codes.isEmpty, let sql = db as? any SQLDatabase else { return [:] }
        var out: [String: (String, String?)] = [:]
        for chunk in codes.chunks(of: 500) {
            let rows = try await sql.raw("""
                SELECT a.unit_code AS unit, p.full_name AS name, p.phone AS phone FROM assignments a JOIN people p ON p.id = a.person_id
                WHERE a.unit_code IN (\(binds: Array(chunk))) AND a.start_date <= \(bind: today.iso) AND (a.end_date IS NULL OR a.end_date >= \(bind: today.iso))
                ORDER BY CASE WHEN p.phone IS NULL THEN 1 ELSE 0 END, a.start_date
                """).all()
            for row in rows {
                let unit = try row.decode(column: "unit", as: String.self)
                if out[unit] == nil { out[unit] = (try row.decode(column: "name", as: String.self), try row.decode(column: "phone", as: String?.self)) }
            }
        }
        return out
    }
}
