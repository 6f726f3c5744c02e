import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletWorkforce
import HamletTraining
import HamletReporting
import HamletCases
import HamletPopulation

package struct IndicatorValue: Content {
    package struct Child: Content {
        package var code: String
        package var name: String
        package var value: Double
        package var numerator: Int?
        package var denominator: Int?
        package init(code: String, name: String, value: Double, numerator: Int? = nil, denominator: Int? = nil) {
            (self.code, self.name, self.value, self.numerator) = (code, name, value, numerator)
            self.denominator = denominator
        }
    }
    package var indicatorId: UUID?
    package var code: String
    package var name: String
    package var kind: String
    package var measure: String
    package var description: String
    package var unitCode: String
    package var unitName: String
    package var date: String
    package var value: Double
    package var numerator: Int?
    package var denominator: Int?
    package var children: [Child]
    /// A change against a baseline year: that year (`value` is then the change in %, `numerator`
    /// the count of the year asked, `denominator` the baseline year's).
    package var baselineYear: Int? = nil
    /// false for a change against a baseline year whose count was 0: `value` is then 0 and means nothing.
    package var computable: Bool? = nil
    /// A case count from 1 to 4, withheld from anyone outside the cases' circle (`hidingSmallCaseCounts`).
    package var hidden: Bool? = nil
    /// "legacy" when counted over the units before the 2025 reform, and the people it could not place.
    package var map: String? = nil
    package var unplaced: Int? = nil
    /// true while the indicator's kept tally is being built (`TallyBuilds`): this value was
    /// counted live from the records, the same number, only slower.
    package var building: Bool? = nil

    package init(indicatorId: UUID? = nil, code: String, name: String, kind: String, measure: String, description: String,
                 unitCode: String, unitName: String, date: String, value: Double, numerator: Int? = nil, denominator: Int? = nil,
                 children: [Child], baselineYear: Int? = nil, computable: Bool? = nil, hidden: Bool? = nil, map: String? = nil,
                 unplaced: Int? = nil) {
        (self.indicatorId, self.code, self.name, self.kind) = (indicatorId, code, name, kind)
        (self.measure, self.description, self.unitCode, self.unitName) = (measure, description, unitCode, unitName)
        (self.date, self.value, self.numerator, self.denominator) = (date, value, numerator, denominator)
        (self.children, self.baselineYear, self.computable, self.hidden) = (children, baselineYear, computable, hidden)
        (self.map, self.unplaced) = (map, unplaced)
    }
}

/// Computes any indicator for a unit's subtree as it stood on a date, with the figure of each
/// child unit. Each kind is one of the register's or the training's own queries, so a number
/// here is the same number the coverage and training pages show.
package struct IndicatorEngine {
    package let db: any Database
    /// Days before the 2025 reform are counted over the units of the time unless the 2025 map is asked.
    package var map: UnitMap = .ofTheTime

    package init(db: any Database, map: UnitMap = .ofTheTime) {
        self.db = db
        self.map = map
    }

    package func value(_ indicator: Indicator, unit: AdminUnit?, date: String) async throws -> IndicatorValue {
        let definition = try indicator.parsed()
        var result = IndicatorValue(indicatorId: indicator.id, code: indicator.code, name: indicator.name, kind: definition.kind.rawValue,
                                    measure: definition.measure, description: "", unitCode: unit?.code ?? AccessScope.nationCode,
                                    unitName: unit?.name ?? "Cả nước", date: date, value: 0, children: [])
        guard let baseline = definition.baselineYear else {
            let legacy = definition.kind == .unitsWithPeople && LegacyCoverage.applies(definition.rule, date: date, map: map)
            guard !legacy, try await kept(indicator, definition, unit: unit) else {
                try await compute(definition, unit: unit, date: date, into: &result)
                if !legacy { result.building = building(indicator, definition, unit: unit) }
                return result
            }
            switch definition.kind {
            case .unitsWithPeople: try await keptCoverage(indicator, definition, unit: unit, date: date, into: &result)
            case .trainedCount: try await keptCount(indicator, definition, unit: unit, date: date, into: &result)
            default: if let s = try await shares(indicator, definition, unit: unit, days: [date], kept: true)[date] { fill(&result, with: s) }
            }
            return result
        }
        // A change against the baseline year: this year's count (to the date) beside the whole
        // baseline year's, in %; the counts are kept as numerator (now) and denominator (then).
        guard let day = DayDate(date) else { throw HamletError.invalid("date", "Ngày không hợp lệ.") }
        var plain = definition
        plain.baselineYear = nil
        if plain.kind != .facilityCount { plain.fromYear = day.year }
        var now = result, then = result
        if definition.kind == .trainedCount, try await kept(indicator, definition, unit: unit) {
            try await keptYears(indicator, definition, unit: unit, day: day, baseline: baseline, now: &now, then: &then)
        } else {
            result.building = building(indicator, definition, unit: unit)
            try await compute(plain, unit: unit, date: date, into: &now)
            if plain.kind != .facilityCount { plain.fromYear = baseline }
            try await compute(plain, unit: unit, date: String(format: "%04d-12-31", baseline), into: &then)
        }
        // From a baseline of 0 there is no percentage: 0 here, marked not computable.
        func change(_ a: Double, _ b: Double) -> Double { b > 0 ? ((a - b) / b * 1000).rounded() / 10 : 0 }
        if then.value <= 0 { result.computable = false }
        result.description = now.description + "; thay đổi năm \(day.year) so với năm \(baseline) (%)"
        (result.value, result.numerator, result.denominator) = (change(now.value, then.value), Int(now.value), Int(then.value))
        result.baselineYear = baseline
        let before = Dictionary(then.children.map { ($0.code, $0.value) }, uniquingKeysWith: { a, _ in a })
        let present = Set(now.children.map(\.code))
        let codes = now.children.map(\.code) + then.children.map(\.code).filter { !present.contains($0) }
        let names = Dictionary((now.children + then.children).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(now.children.map { ($0.code, $0.value) }, uniquingKeysWith: { a, _ in a })
        result.children = codes.map { code in
            let a = after[code] ?? 0, b = before[code] ?? 0
            return .init(code: code, name: names[code] ?? code, value: change(a, b), numerator: Int(a), denominator: Int(b))
        }
        return result
    }

    /// The value alone on each of several days (a trend). The register's shares, the costly
    /// kinds, take one statement for all days; the others one small query per day.
    package func series(_ indicator: Indicator, unit: AdminUnit?, dates: [String]) async throws -> [String: Double] {
        let d = try indicator.parsed()
        guard d.baselineYear == nil else { return try await perDay(indicator, unit: unit, dates: dates) }
        switch d.kind {
        case .trainedShare:
            // A day with nobody to count has no share: a gap, not 0%.
            return try await shares(indicator, d, unit: unit, days: dates, kept: try await kept(indicator, d, unit: unit)).filter { $0.value.active > 0 }.mapValues(\.percent)
        case .unitsWithPeople:
            guard let rule = d.rule else { throw HamletError.invalid("rule", "Thiếu quy tắc.") }
            // Days before the reform, over the communes of the time, one by one (a plan of those years has a few).
            var before: [String: Double] = [:]
            let then = Set(dates.filter { LegacyCoverage.applies(rule, date: $0, map: map) })
            for day in then {
                let c = try await LegacyCoverage(db: db).run(rule, unit: unit, date: day)
                if c.places > 0 { before[day] = c.percent }
            }
            let dates = dates.filter { !then.contains($0) }
            guard !dates.isEmpty else { return before }
            guard try await kept(indicator, d, unit: unit) else { return before.merging(try await CoverageQuery(db: db).series(rule, unit: unit, dates: dates)) { a, _ in a } }
            let days = Array(Set(dates)).sorted()
            let total = try await ShareTally(db: db).counts(indicator, unit: unit, days: days)[""]
            return before.merging(days.enumerated().compactMap { k, day in
                (total?[k].0 ?? 0) > 0 ? (day, Percent.of(total?[k].1 ?? 0, total?[k].0 ?? 0)) : nil
            }) { a, _ in a }
        default:
            return try await perDay(indicator, unit: unit, dates: dates)
        }
    }

    /// The value on `date` with its children, and the value alone on each of `dates`: for the
    /// trained share, the costliest kind, one statement serves both.
    package func value(_ indicator: Indicator, unit: AdminUnit?, date: String, andOn dates: [String]) async throws -> (IndicatorValue, [String: Double]) {
        let d = try indicator.parsed()
        guard d.kind == .trainedShare, d.baselineYear == nil else {
            return (try await value(indicator, unit: unit, date: date), dates.isEmpty ? [:] : try await series(indicator, unit: unit, dates: dates))
        }
        let kept = try await kept(indicator, d, unit: unit)
        let all = try await shares(indicator, d, unit: unit, days: dates + [date], kept: kept)
        var result = IndicatorValue(indicatorId: indicator.id, code: indicator.code, name: indicator.name, kind: d.kind.rawValue,
                                    measure: d.measure, description: "", unitCode: unit?.code ?? AccessScope.nationCode,
                                    unitName: unit?.name ?? "Cả nước", date: date, value: 0, children: [])
        if !kept { result.building = building(indicator, d, unit: unit) }
        if let s = all[date] { fill(&result, with: s) }
        return (result, all.filter { $0.value.active > 0 }.mapValues(\.percent))
    }

    /// Whether this value comes from a kept tally: the kind and scope are kept, and the tally is
    /// built for the definition (caught up with what changed).
    private func kept(_ indicator: Indicator, _ d: IndicatorDefinition, unit: AdminUnit?) async throws -> Bool {
        guard ShareTally.keeps(indicator, d, unit: unit) else { return false }
        return try await ShareTally(db: db).ready(indicator)
    }

    /// true for a value counted live only because its tally is still being built; nil otherwise.
    private func building(_ indicator: Indicator, _ d: IndicatorDefinition, unit: AdminUnit?) -> Bool? {
        ShareTally.keeps(indicator, d, unit: unit) ? true : nil
    }

    /// The trained share on each day: for the country and a province from the kept tallies
    /// (`ShareTally`) once built, otherwise from the live statement over the posts.
    private func shares(_ indicator: Indicator, _ d: IndicatorDefinition, unit: AdminUnit?, days: [String], kept: Bool) async throws -> [String: TrainedShare] {
        let staff = d.staff ?? StaffCriteria(), trained = d.trained ?? TrainedCriteria(), figures = TrainingFigures(db: db)
        guard kept else { return try await figures.shares(unit: unit, dates: days, staff: staff, trained: trained) }
        let sorted = Array(Set(days)).sorted()
        return try await figures.present(try await ShareTally(db: db).counts(indicator, unit: unit, days: sorted), days: sorted, unit: unit, staff: staff, trained: trained)
    }

    /// People trained since the indicator's year, to the date, from the kept tallies: the same
    /// number as the training figures' count of people, per child where the classes were held.
    private func keptCount(_ indicator: Indicator, _ d: IndicatorDefinition, unit: AdminUnit?, date: String, into result: inout IndicatorValue) async throws {
        let counts = try await ShareTally(db: db).counts(indicator, unit: unit, days: [date])
        let names = try await ChildNames.of(counts.keys, under: unit, on: db)
        let people = counts[""]?[0].0 ?? 0
        result.description = (d.trained ?? TrainedCriteria()).peopleDescription + English.pick(", từ năm ", ", since ") + "\(d.fromYear ?? 0)"
        (result.value, result.numerator) = (Double(people), people)
        result.children = counts.filter { !$0.key.isEmpty && $0.value[0].0 > 0 }.sorted { $0.key < $1.key }.map { key, value in
            .init(code: names.code(key), name: names.name(key), value: Double(value[0].0), numerator: value[0].0, denominator: nil)
        }
    }

    /// People trained this year to the day, and in the whole baseline year, from the kept
    /// per-year tallies: each a difference of two sums.
    private func keptYears(_ indicator: Indicator, _ d: IndicatorDefinition, unit: AdminUnit?, day: DayDate, baseline: Int,
                           now: inout IndicatorValue, then: inout IndicatorValue) async throws {
        func yearEnd(_ y: Int) -> String { String(format: "%04d-12-31", y) }
        let days = Array(Set([yearEnd(day.year - 1), day.iso, yearEnd(baseline - 1), yearEnd(baseline)])).sorted()
        let counts = try await ShareTally(db: db).counts(indicator, unit: unit, days: days)
        let names = try await ChildNames.of(counts.keys, under: unit, on: db)
        func at(_ key: String, _ d: String) -> Int { counts[key]?[days.firstIndex(of: d)!].0 ?? 0 }
        func fill(_ v: inout IndicatorValue, from before: String, to end: String, year: Int) {
            let people = at("", end) - at("", before)
            v.description = (d.trained ?? TrainedCriteria()).peopleDescription + English.pick(", từ năm ", ", since ") + "\(year)"
            (v.value, v.numerator) = (Double(people), people)
            v.children = counts.keys.filter { !$0.isEmpty }.sorted().compactMap { key in
                let n = at(key, end) - at(key, before)
                return n == 0 ? nil : .init(code: names.code(key), name: names.name(key), value: Double(n), numerator: n, denominator: nil)
            }
        }
        fill(&now, from: yearEnd(day.year - 1), to: day.iso, year: day.year)
        fill(&then, from: yearEnd(baseline - 1), to: yearEnd(baseline), year: baseline)
    }

    /// Coverage of a unit level from the kept tallies: places open on the date and those meeting
    /// the rule, per child, as `CoverageQuery` counts them.
    private func keptCoverage(_ indicator: Indicator, _ d: IndicatorDefinition, unit: AdminUnit?, date: String, into result: inout IndicatorValue) async throws {
        guard let rule = d.rule else { throw HamletError.invalid("rule", "Thiếu quy tắc.") }
        let counts = try await ShareTally(db: db).counts(indicator, unit: unit, days: [date])
        let names = try await ChildNames.of(counts.keys, under: unit, on: db)
        let (places, meeting) = counts[""]?[0] ?? (0, 0)
        result.description = rule.description
        (result.value, result.numerator, result.denominator) = (Percent.of(meeting, places), meeting, places)
        result.children = counts.filter { !$0.key.isEmpty && $0.value[0].0 > 0 }.sorted { $0.key < $1.key }.compactMap { key, value in
            names.units[key].map { .init(code: $0.code, name: $0.name, value: Percent.of(value[0].1, value[0].0), numerator: value[0].1, denominator: value[0].0) }
        }
    }

    private func fill(_ result: inout IndicatorValue, with s: TrainedShare) {
        result.description = s.description
        (result.value, result.numerator, result.denominator) = (s.percent, s.trained, s.active)
        result.children = s.children.map { .init(code: $0.code, name: $0.name, value: $0.percent, numerator: $0.trained, denominator: $0.active) }
    }

    private func perDay(_ indicator: Indicator, unit: AdminUnit?, dates: [String]) async throws -> [String: Double] {
        var result: [String: Double] = [:]
        // A day whose value cannot be computed (a change from 0) is a gap, not 0.
        for date in Set(dates) {
            let v = try await value(indicator, unit: unit, date: date)
            if v.computable != false { result[date] = v.value }
        }
        return result
    }

    private func compute(_ definition: IndicatorDefinition, unit: AdminUnit?, date: String, into result: inout IndicatorValue) async throws {
        switch definition.kind {
        case .trainedShare:
            fill(&result, with: try await TrainingFigures(db: db).share(unit: unit, date: date, staff: definition.staff ?? StaffCriteria(), trained: definition.trained ?? TrainedCriteria()))
        case .unitsWithPeople:
            guard let rule = definition.rule else { throw HamletError.invalid("rule", "Thiếu quy tắc.") }
            let c = try await CoverageQuery(db: db).run(rule, unit: unit, date: date, withMisses: false, map: map)
            result.description = c.rule
            (result.map, result.unplaced) = (c.map, c.unplaced)
            (result.value, result.numerator, result.denominator) = (c.percent, c.meeting, c.places)
            result.children = c.children.map { .init(code: $0.code, name: $0.name, value: $0.percent, numerator: $0.meeting, denominator: $0.places) }
        case .facilitiesWithService, .facilityCount:
            let rows = try await facilities(definition.facilityTypes ?? [], unit: unit, date: date)
            let total = rows.reduce(0) { $0 + $1.1 }, serving = rows.reduce(0) { $0 + $1.2 }
            if definition.kind == .facilityCount {
                result.description = "Số cơ sở loại " + (definition.facilityTypes ?? []).joined(separator: ", ")
                result.value = Double(total)
                result.children = rows.map { .init(code: $0.0.code, name: $0.0.name, value: Double($0.1), numerator: $0.1, denominator: nil) }
            } else {
                result.description = "Tỷ lệ cơ sở loại " + (definition.facilityTypes ?? []).joined(separator: ", ") + " cung cấp dịch vụ công tác xã hội"
                (result.value, result.numerator, result.denominator) = (Percent.of(serving, total), serving, total)
                result.children = rows.map { .init(code: $0.0.code, name: $0.0.name, value: Percent.of($0.2, $0.1), numerator: $0.2, denominator: $0.1) }
            }
        case .trainedCount:
            guard let day = DayDate(date) else { throw HamletError.invalid("date", "Ngày không hợp lệ.") }
            let from = definition.fromYear ?? day.year
            let y = try await TrainingFigures(db: db).years(unit: unit, from: from, to: day.year, trained: definition.trained ?? TrainedCriteria(), until: date)
            result.description = y.description + English.pick(", từ năm ", ", since ") + "\(from)"
            (result.value, result.numerator) = (Double(y.people), y.people)
            // Children with people only, as the kept counts give them: a class nobody completed adds no row.
            result.children = y.children.filter { $0.people > 0 }.map { .init(code: $0.code, name: $0.name, value: Double($0.people), numerator: $0.people, denominator: nil) }
        case .reportedTotal:
            guard let day = DayDate(date) else { throw HamletError.invalid("date", "Ngày không hợp lệ.") }
            guard let element = try await DataElement.query(on: db).filter(\.$code == (definition.element ?? "").uppercased()).first() else {
                throw HamletError.invalid("element", "Chỉ tiêu báo cáo «\(definition.element ?? "")» không còn trong danh mục.")
            }
            let from = definition.fromYear ?? day.year
            let combo = definition.combo.flatMap { $0.isEmpty ? nil : $0.uppercased() }
            let t = try await ReportTotals(db: db).run(element, unit: unit, start: String(format: "%04d-01-01", from), end: day.iso, combo: combo, map: map)
            // As coverage says it: only a count over the units of the time is marked.
            result.map = t.map == UnitMap.ofTheTime.rawValue ? t.map : nil
            result.description = "\(element.name)\(combo.map { " (\($0))" } ?? ""), số liệu báo cáo các kỳ từ 01/01/\(from) đến \(day.vietnamese)"
            result.value = t.total ?? 0
            result.children = t.children.map { .init(code: $0.code, name: $0.name, value: $0.value ?? 0, numerator: nil, denominator: nil) }
        case .casesServed, .casesGroupServed, .referralsCompleted:
            guard let day = DayDate(date) else { throw HamletError.invalid("date", "Ngày không hợp lệ.") }
            let from = definition.fromYear ?? day.year, start = String(format: "%04d-01-01", from)
            let cases = CaseIndicators(db: db), categories = definition.caseCategories ?? []
            let f: CaseIndicators.Figure
            switch definition.kind {
            case .casesServed:
                f = try await cases.served(unit: unit, start: start, end: day.iso, categories: categories, services: definition.serviceTypes ?? [])
                result.description = "Số người được cung cấp dịch vụ từ 01/01/\(from) đến \(day.vietnamese)"
            case .casesGroupServed where definition.base == .population:
                let population = PopulationFigures(db: db), path = unit?.path ?? ""
                let year = try await population.latestYear(groups: categories, notAfter: day.year, under: path)
                var base: (total: Int?, children: [String: Int], sources: [String])?
                if let year { base = try await population.base(groups: categories, year: year, under: path) }
                f = try await cases.groupServedOverPopulation(unit: unit, start: start, end: day.iso, categories: categories,
                                                              base: (base?.total, base?.children ?? [:]))
                result.description = "Tỷ lệ người thuộc nhóm " + categories.joined(separator: ", ") + " được cung cấp dịch vụ từ 01/01/\(from) đến \(day.vietnamese)"
                    + (year.map { " trên số liệu dân số năm \($0)" + ((base?.sources ?? []).isEmpty ? "" : " (nguồn: " + base!.sources.joined(separator: "; ") + ")") }
                       ?? ", chưa có số liệu dân số")
                if base?.total == nil || base?.total == 0 { result.computable = false }
            case .casesGroupServed:
                f = try await cases.groupServed(unit: unit, start: start, end: day.iso, categories: categories)
                result.description = "Tỷ lệ người thuộc nhóm " + categories.joined(separator: ", ") + " được cung cấp dịch vụ từ 01/01/\(from) đến \(day.vietnamese)"
            default:
                f = try await cases.referralsCompleted(unit: unit, start: start, end: day.iso)
                result.description = "Tỷ lệ chuyển gửi từ 01/01/\(from) đến \(day.vietnamese) đã hoàn thành"
            }
            (result.value, result.numerator, result.denominator) = (f.value, f.numerator, f.denominator)
            result.children = f.children.map { .init(code: $0.code, name: $0.name, value: $0.value, numerator: $0.numerator, denominator: $0.denominator) }
        case .activityCount:
            guard let day = DayDate(date) else { throw HamletError.invalid("date", "Ngày không hợp lệ.") }
            let from = definition.fromYear ?? day.year, measure = definition.activityMeasure ?? .held, kinds = definition.activityKinds ?? []
            let counts = try await ActivityFigures(db: db).figure(unit: unit, start: String(format: "%04d-01-01", from), end: day.iso, kinds: kinds, measure: measure)
            let names = try await ChildNames.of(counts.keys, under: unit, on: db)
            let part = counts.values.reduce(0) { $0 + $1.0 }, whole = counts.values.reduce(0) { $0 + ($1.1 ?? 0) }
            let share = [.followUpsOnTime, .monthsHeld].contains(measure)
            if share && whole == 0 { result.computable = false }
            (result.value, result.numerator, result.denominator) = (share ? Percent.of(part, whole) : Double(part), part, share ? whole : nil)
            result.children = counts.sorted { $0.key < $1.key }.map { key, v in
                .init(code: names.code(key), name: names.name(key), value: share ? Percent.of(v.0, v.1 ?? 0) : Double(v.0), numerator: v.0, denominator: v.1)
            }
            result.description = measure.label + (kinds.isEmpty ? "" : " (" + kinds.compactMap { ActivityKind(rawValue: $0)?.label }.joined(separator: "; ") + ")")
                + " từ 01/01/\(from) đến \(day.vietnamese)"
        case .budgetSpent:
            guard let day = DayDate(date) else { throw HamletError.invalid("date", "Ngày không hợp lệ.") }
            let basis = definition.budgetOf ?? .plans, from = definition.fromYear ?? day.year
            let rows = try await BudgetFigures(db: db).run(basis, sources: definition.fundingSources ?? [], planNumbers: definition.planNumbers ?? [],
                                                           trained: definition.trained ?? TrainedCriteria(), unit: unit, from: from, date: date)
            let planned = rows.reduce(Int64(0)) { $0 + $1.planned }, spent = rows.reduce(Int64(0)) { $0 + $1.spent }
            result.description = English.pick("Kinh phí đã chi / dự kiến (đồng), ", "Budget spent / planned (VND), ") + English.say(basis.label).lowercased()
                + ((definition.fundingSources ?? []).isEmpty ? "" : ", " + (definition.fundingSources ?? []).map { English.say($0.label) }.joined(separator: ", ").lowercased())
                + ((definition.planNumbers ?? []).isEmpty ? "" : English.pick(", kế hoạch ", ", plans ") + (definition.planNumbers ?? []).joined(separator: ", "))
                + English.pick(", từ năm ", ", since ") + "\(from)"
            (result.value, result.numerator, result.denominator) = (Double(spent), Int(spent), Int(planned))
            result.children = rows.map { .init(code: $0.code, name: $0.name, value: Double($0.spent), numerator: Int($0.spent), denominator: Int($0.planned)) }
        }
    }

    /// Facilities of the types open on the date, per child unit: (child, how many, how many
    /// provide social-work services). The service flag is the facility's current one.
    private func facilities(_ types: [String], unit: AdminUnit?, date: String) async throws -> [(AdminUnit, Int, Int)] {
        guard let sql = db as? any SQLDatabase, !types.isEmpty else { return [] }
        let path = unit?.path ?? ""
        let child = UnitTree.child("o.unit_path", under: path)
        let rows = try await sql.raw("SELECT " + child + " AS child, COUNT(*) AS n, SUM(CASE WHEN o.provides_social_work = \(true) THEN 1 ELSE 0 END) AS s"
            + " FROM organisations o JOIN organisation_types t ON t.id = o.type_id"
            + " WHERE CAST(o.kind AS TEXT) = 'facility' AND t.code IN (\(binds: types)) AND o.unit_path >= \(bind: path) AND o.unit_path < \(bind: AccessScope.upperBound(path))"
            + " AND (o.valid_from IS NULL OR o.valid_from <= \(bind: date)) AND (o.valid_to IS NULL OR o.valid_to >= \(bind: date))"
            + " GROUP BY " + child).all()
        var counts: [String: (Int, Int)] = [:]
        for row in rows {
            counts[try row.decode(column: "child", as: String.self)] = (try row.decode(column: "n", as: Int.self), try row.decode(column: "s", as: Int?.self) ?? 0)
        }
        let units = try await UnitTree.units(atPaths: Array(counts.keys), on: db)
        return counts.sorted { $0.key < $1.key }.compactMap { key, value in units[key].map { ($0, value.0, value.1) } }
    }
}
