import Vapor
import Fluent
import SQLKit
import HamletKit

/// Who has reported a form, when, and who has not: every reporting unit under a unit × every
/// period of a span, judged against the form's due rule; counts and shares per child unit; and
/// the overdue units with the phone of someone serving there (from the workforce register).
struct ReportCompleteness {
    let db: any Database

    struct Counts: Content {
        var expected = 0, approved = 0, onTime = 0, late = 0, returned = 0, missing = 0, notDue = 0
        var reported: Int { approved + onTime + late }
        /// Every report that came after its due day, approved since or not.
        var cameLate: Int { reported - onTime - approvedOnTime }
        /// Of the reports already due, the share that came (approved, on time or late).
        var reportedPercent: Double { Percent.of(reported, expected - notDue) }
        var onTimePercent: Double { Percent.of(onTime + approvedOnTime, expected - notDue) }
        var approvedOnTime = 0

        mutating func add(_ t: Timeliness, onTime wasOnTime: Bool) {
            expected += 1
            switch t {
            case .approved: approved += 1; if wasOnTime { approvedOnTime += 1 }
            case .onTime: onTime += 1
            case .late: late += 1
            case .returned: returned += 1
            case .missing: missing += 1
            case .notDue: notDue += 1
            }
        }
    }
    struct PeriodColumn: Content { var id: String; var label: String; var due: String }
    struct Row: Content { var code: String; var name: String; var child: String; var cells: [String] }
    struct ChildSummary: Content { var code: String; var name: String; var counts: Counts; var reportedPercent: Double; var onTimePercent: Double; var cameLate: Int }
    struct Overdue: Content { var code: String; var name: String; var period: String; var due: String; var contact: String?; var phone: String? }
    struct Result: Content {
        var dataSet: String; var dataSetName: String; var unitCode: String; var unitName: String; var periods: [PeriodColumn]
        var rows: [Row]; var total: Counts; var reportedPercent: Double; var onTimePercent: Double; var cameLate: Int; var children: [ChildSummary]; var overdue: [Overdue]
    }

    static func span(_ set: DataSet, from: String?, to: String?, today: DayDate = .today()) throws -> [Period] {
        let last = try to.map { raw -> Period in
            guard let p = Period(raw), p.periodicity == set.frequency else { throw HamletError.invalid("to", "Kỳ cuối phải là kỳ \(set.frequency.label.lowercased()), ví dụ \(Period.containing(today, set.frequency).id).") }
            return p
        } ?? Period.containing(today, set.frequency)
        var first = last
        if let from {
            guard let p = Period(from), p.periodicity == set.frequency, p <= last else { throw HamletError.invalid("from", "Kỳ đầu phải là kỳ \(set.frequency.label.lowercased()) không sau kỳ cuối.") }
            first = p
        } else {
            for _ in 1..<max(1, 12 / set.frequency.months) { first = first.previous }
        }
        let periods = first.through(last)
        guard periods.count <= 60 else { throw HamletError.invalid("from", "Tối đa 60 kỳ một lần.") }
        return periods
    }

    func run(_ set: DataSet, unit: AdminUnit?, periods: [Period], today: DayDate = .today()) async throws -> Result {
        let path = unit?.path ?? ""
        // The reporting units: units of the form's levels and facilities of its types, open during the span.
        let start = periods.first!.start.iso
        var places: [(code: String, name: String, path: String)] = []
        if !set.levels.isEmpty {
            for u in try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level ~~ set.levels)
                .filter(\.$path >= path).filter(\.$path < AccessScope.upperBound(path)).sort(\.$path).all()
            where u.closedOn.map({ $0 > start }) ?? true {
                places.append((u.code, u.name, u.path))
            }
        }
        if !set.facilityTypes.isEmpty {
            for o in try await Organisation.query(on: db).filter(\.$kind == .facility).join(OrganisationType.self, on: \Organisation.$type.$id == \OrganisationType.$id)
                .filter(OrganisationType.self, \.$code ~~ set.facilityTypes).filter(\.$unitPath >= path).filter(\.$unitPath < AccessScope.upperBound(path)).all() {
                places.append((o.id!.uuidString, o.name, o.unitPath))
            }
        }
        let reports = try await Report.query(on: db).filter(\.$dataSet.$id == set.id!).filter(\.$orgPath >= path).filter(\.$orgPath < AccessScope.upperBound(path))
            .filter(\.$period ~~ periods.map(\.id)).all()
        var byKey: [String: Report] = [:]
        for r in reports { byKey[r.orgCode + "|" + r.period] = r }
        let dues = periods.map { set.due(for: $0) }
        // Per child unit of the one asked about.
        let depth = path.split(separator: ".").count + 1
        func childPath(_ p: String) -> String { p.split(separator: ".").prefix(depth).joined(separator: ".") + "." }
        var total = Counts()
        var perChild: [String: Counts] = [:]
        var rows: [Row] = []
        var overdue: [Overdue] = []
        for place in places {
            var cells: [String] = []
            let child = childPath(place.path)
            for (k, period) in periods.enumerated() {
                let r = byKey[place.code + "|" + period.id]
                let first = r?.firstSubmittedOn.flatMap(DayDate.init)
                let t = Timeliness.of(status: r?.state, submittedOn: first, due: dues[k], today: today)
                total.add(t, onTime: first.map { $0 <= dues[k] } ?? false)
                perChild[child, default: Counts()].add(t, onTime: first.map { $0 <= dues[k] } ?? false)
                cells.append(t.rawValue)
                if t == .missing || t == .returned { overdue.append(Overdue(code: place.code, name: place.name, period: period.label, due: dues[k].vietnamese)) }
            }
            rows.append(Row(code: place.code, name: place.name, child: child, cells: cells))
        }
        // Whom to call: someone serving at the unit today, with a phone.
        let contacts = try await self.contacts(Array(Set(overdue.map(\.code))), today: today)
        for i in overdue.indices { if let c = contacts[overdue[i].code] { overdue[i].contact = c.0; overdue[i].phone = c.1 } }
        let names = try await UnitTree.units(atPaths: Array(perChild.keys), on: db)
        let children = perChild.sorted { $0.key < $1.key }.map { key, counts in
            ChildSummary(code: names[key]?.code ?? key, name: names[key]?.name ?? key, counts: counts, reportedPercent: counts.reportedPercent, onTimePercent: counts.onTimePercent, cameLate: counts.cameLate)
        }
        return Result(dataSet: set.code, dataSetName: set.name, unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước",
                      periods: zip(periods, dues).map { PeriodColumn(id: $0.id, label: $0.label, due: $1.vietnamese) }, rows: rows, total: total,
                      reportedPercent: total.reportedPercent, onTimePercent: total.onTimePercent, cameLate: total.cameLate, children: children, overdue: overdue)
    }

    func contacts(_ codes: [String], today: DayDate) async throws -> [String: (String, String?)] {
        guard !codes.isEmpty else { return [:] }
        var out: [String: (String, String?)] = [:]
        for chunk in codes.chunks(of: 500) {
            let rows = try await Assignment.query(on: db).filter(\.$unitCode ~~ Array(chunk)).filter(\.$startDate <= today.iso)
                .group(.or) { $0.filter(\.$endDate == nil).filter(\.$endDate >= today.iso) }.with(\.$person).all()
            for a in rows.sorted(by: { ($0.person.phone == nil ? 1 : 0) < ($1.person.phone == nil ? 1 : 0) }) where out[a.unitCode] == nil {
                out[a.unitCode] = (a.person.fullName, a.person.phone)
            }
        }
        return out
    }
}
