import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletWorkforce

/// Which classes make someone "trained": a completed result in a class that was not cancelled,
/// ended by the day asked about, and (when given) of these course kinds, fields, level or later.
package struct TrainedCriteria: Codable, Sendable {
    package var courseKinds: [CourseKind] = []
    package var courseDomains: [WorkDomain] = []
    package var minLevel: QualificationLevel? = nil
    /// Levels named one by one (Lạng Sơn: trung cấp, cao đẳng and đại học, not "trung cấp and
    /// above"); when given they are the levels counted, whatever `minLevel` says.
    package var levels: [QualificationLevel]? = nil
    /// The class ended on or after this day (yyyy-MM-dd).
    package var since: String? = nil

    package init(courseKinds: [CourseKind] = [], courseDomains: [WorkDomain] = [], minLevel: QualificationLevel? = nil,
                 levels: [QualificationLevel]? = nil, since: String? = nil) {
        (self.courseKinds, self.courseDomains, self.minLevel, self.levels) = (courseKinds, courseDomains, minLevel, levels)
        self.since = since
    }

    package var description: String {
        English.pick("đã hoàn thành ít nhất một lớp (", "who completed at least one class (") + qualifiers + ")"
    }

    /// The kinds, fields, levels and day of the classes counted, in the request's language.
    private var qualifiers: String {
        var parts: [String] = []
        parts.append(courseKinds.isEmpty ? English.pick("mọi loại hình", "any kind") : courseKinds.map { English.say($0.label) }.joined(separator: ", "))
        if !courseDomains.isEmpty { parts.append(English.pick("lĩnh vực ", "fields: ") + courseDomains.map { English.say($0.label) }.joined(separator: ", ")) }
        if let levels, !levels.isEmpty { parts.append(English.pick("trình độ ", "level: ") + levels.map { English.say($0.label) }.joined(separator: ", ")) }
        else if let minLevel { parts.append(English.pick("trình độ từ \(minLevel.label) trở lên", "level \(English.say(minLevel.label)) or above")) }
        if let since, let day = DayDate(since) { parts.append(English.pick("kết thúc từ ", "ended from ") + day.vietnamese) }
        return parts.joined(separator: "; ")
    }

    /// What a count of people trained counts, in words.
    package var peopleDescription: String { English.pick("Người hoàn thành lớp (", "People who completed a class (") + qualifiers + ")" }

    /// The SQL test for one person id column: one probe of `participations_person`, which carries
    /// the class's end and cancellation; the small course table is joined only for course criteria.
    package func exists(_ person: String, by date: String) -> SQLQueryString {
        let courses = !courseKinds.isEmpty || !courseDomains.isEmpty || !countedLevels.isEmpty
        var sql: SQLQueryString = "EXISTS (SELECT 1 FROM participations tp"
        if courses { sql += " JOIN courses tk ON tk.id = tp.course_id" }
        sql += """
             WHERE tp.person_id = \(unsafeRaw: person) AND tp.result = 'completed' AND tp.class_cancelled = \(false) AND tp.class_end <= \(bind: date)
            """
        if let since { sql += " AND tp.class_end >= \(bind: since)" }
        if courses { sql += courseConditions("tk") }
        return sql + ")"
    }

    /// Each person's first qualifying completion, for the people the condition on `tp.person_id`
    /// picks (the kept tallies read it for many people at once).
    package func firstCompletions(where people: SQLQueryString) -> SQLQueryString {
        let courses = !courseKinds.isEmpty || !courseDomains.isEmpty || !countedLevels.isEmpty
        var sql: SQLQueryString = "SELECT tp.person_id AS person_id, MIN(tp.class_end) AS first FROM participations tp"
        if courses { sql += " JOIN courses tk ON tk.id = tp.course_id" }
        sql += " WHERE " + people + " AND tp.result = 'completed' AND tp.class_cancelled = \(false)"
        if let since { sql += " AND tp.class_end >= \(bind: since)" }
        return sql + courseConditions("tk") + " GROUP BY tp.person_id"
    }

    /// The day a person first completed a qualifying class (NULL if never), from the same index.
    package func firstCompletion(_ person: String) -> SQLQueryString {
        let courses = !courseKinds.isEmpty || !courseDomains.isEmpty || !countedLevels.isEmpty
        var sql: SQLQueryString = "(SELECT MIN(tp.class_end) FROM participations tp"
        if courses { sql += " JOIN courses tk ON tk.id = tp.course_id" }
        sql += " WHERE tp.person_id = \(unsafeRaw: person) AND tp.result = 'completed' AND tp.class_cancelled = \(false)"
        if let since { sql += " AND tp.class_end >= \(bind: since)" }
        return sql + courseConditions("tk") + ")"
    }

    package func conditions(classes c: String, courses k: String) -> SQLQueryString {
        var sql: SQLQueryString = ""
        if let since { sql += " AND \(unsafeRaw: c).end_date >= \(bind: since)" }
        return sql + courseConditions(k)
    }

    package func courseConditions(_ k: String) -> SQLQueryString {
        var sql: SQLQueryString = ""
        if !courseKinds.isEmpty { sql += " AND \(unsafeRaw: k).kind IN (\(binds: courseKinds.map(\.rawValue)))" }
        if !courseDomains.isEmpty {
            sql += " AND (" + courseDomains.map { "\(unsafeRaw: k).\(unsafeRaw: $0.column) = \(true)" as SQLQueryString }.joined(separator: " OR ") + ")"
        }
        if !countedLevels.isEmpty { sql += " AND \(unsafeRaw: k).level IN (\(binds: countedLevels.map(\.rawValue)))" }
        return sql
    }

    /// The levels a course must have: those named, else `minLevel` and above, else any.
    package var countedLevels: [QualificationLevel] {
        if let levels, !levels.isEmpty { return levels }
        return minLevel.map { min in Array(QualificationLevel.allCases.drop { $0 != min }) } ?? []
    }
}

/// Whose share is asked about: people with a post that day of these fields and kinds.
package struct StaffCriteria: Codable, Sendable {
    package var domains: [WorkDomain] = []
    package var kinds: [EmploymentKind] = []

    package init(domains: [WorkDomain] = [], kinds: [EmploymentKind] = []) { self.domains = domains; self.kinds = kinds }

    package var description: String {
        var parts = [English.pick("người đang làm việc", "people at work")]
        if !domains.isEmpty { parts.append(English.pick("lĩnh vực ", "fields: ") + domains.map { English.say($0.label) }.joined(separator: ", ")) }
        if !kinds.isEmpty { parts.append(kinds.map { English.say($0.label) }.joined(separator: ", ")) }
        return parts.joined(separator: ", ")
    }

    /// The SQL test for a post (alias `a`) of these fields and kinds.
    package func conditions(_ a: String) -> SQLQueryString {
        var sql: SQLQueryString = ""
        if !domains.isEmpty {
            sql += " AND (" + domains.map { "\(unsafeRaw: a).\(unsafeRaw: $0.column) = \(true)" as SQLQueryString }.joined(separator: " OR ") + ")"
        }
        if !kinds.isEmpty { sql += " AND CAST(\(unsafeRaw: a).employment_kind AS TEXT) IN (\(binds: kinds.map(\.rawValue)))" }
        return sql
    }
}

package struct TrainedShare: Content {
    package struct Child: Content {
        package var code: String
        package var name: String
        package var active: Int
        package var trained: Int
        package var percent: Double
        package init(code: String, name: String, active: Int, trained: Int, percent: Double) {
            (self.code, self.name, self.active, self.trained) = (code, name, active, trained)
            self.percent = percent
        }
    }
    package var description: String
    package var unitCode: String
    package var unitName: String
    package var date: String
    package var active: Int
    package var trained: Int
    package var percent: Double
    package var children: [Child]

    package init(description: String, unitCode: String, unitName: String, date: String, active: Int, trained: Int,
                 percent: Double, children: [Child]) {
        (self.description, self.unitCode, self.unitName, self.date) = (description, unitCode, unitName, date)
        (self.active, self.trained, self.percent, self.children) = (active, trained, percent, children)
    }
}

package struct TrainingYears: Content {
    package struct Row: Content {
        package var year: Int
        package var kind: String
        package var kindLabel: String
        package var level: String?
        package var levelLabel: String?
        package var classes: Int
        package var people: Int
        package var completions: Int
        package var planned: Int64
        package var spent: Int64
        package var costPerTrainee: Int64?

        package init(year: Int, kind: String, kindLabel: String, level: String? = nil, levelLabel: String? = nil, classes: Int,
                     people: Int, completions: Int, planned: Int64, spent: Int64, costPerTrainee: Int64? = nil) {
            (self.year, self.kind, self.kindLabel, self.level) = (year, kind, kindLabel, level)
            (self.levelLabel, self.classes, self.people, self.completions) = (levelLabel, classes, people, completions)
            (self.planned, self.spent, self.costPerTrainee) = (planned, spent, costPerTrainee)
        }
    }
    package struct Child: Content {
        package var code: String
        package var name: String
        package var classes: Int
        package var people: Int
        package var completions: Int
        package var spent: Int64
        package init(code: String, name: String, classes: Int, people: Int, completions: Int, spent: Int64) {
            (self.code, self.name, self.classes, self.people) = (code, name, classes, people)
            (self.completions, self.spent) = (completions, spent)
        }
    }
    package var description: String
    package var unitCode: String
    package var unitName: String
    package var fromYear: Int
    package var toYear: Int
    package var rows: [Row]
    /// Over the whole period: a person trained in two years counts once here.
    package var classes: Int
    package var people: Int
    package var completions: Int
    package var planned: Int64
    package var spent: Int64
    package var costPerTrainee: Int64?
    package var children: [Child]

    package init(description: String, unitCode: String, unitName: String, fromYear: Int, toYear: Int, rows: [Row], classes: Int,
                 people: Int, completions: Int, planned: Int64, spent: Int64, costPerTrainee: Int64? = nil, children: [Child]) {
        (self.description, self.unitCode, self.unitName, self.fromYear) = (description, unitCode, unitName, fromYear)
        (self.toYear, self.rows, self.classes, self.people) = (toYear, rows, classes, people)
        (self.completions, self.planned, self.spent, self.costPerTrainee) = (completions, planned, spent, costPerTrainee)
        self.children = children
    }
}

/// The training figures, computed from the records on demand.
package struct TrainingFigures {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    /// Of the people active on `date` in the unit's subtree, how many are trained; per child unit.
    /// A person counts once however many posts or fields they hold (once per child they serve in).
    package func share(unit: AdminUnit?, date: String, staff: StaffCriteria, trained: TrainedCriteria) async throws -> TrainedShare {
        try await shares(unit: unit, dates: [date], staff: staff, trained: trained)[date]!
    }

    /// The share on each of several days, each with its child units, in one statement: every
    /// matching post in the subtree is read once and folded per (person, child) into an "active"
    /// and a "trained" flag per day; children sum those, and the subtree total folds them per
    /// person first (someone serving in two children counts once). A trend and today's table
    /// therefore cost one pass, not one per day.
    package func shares(unit: AdminUnit?, dates: [String], staff: StaffCriteria, trained: TrainedCriteria) async throws -> [String: TrainedShare] {
        let days = Array(Set(dates)).sorted()
        guard let sql = db as? any SQLDatabase, let first = days.first, let last = days.last else { throw HamletError.notFound }
        let path = unit?.path ?? ""
        let posts: SQLQueryString = """
             WHERE a.unit_path >= \(bind: path) AND a.unit_path < \(bind: AccessScope.upperBound(path))
             AND a.start_date <= \(bind: last) AND (a.end_date IS NULL OR a.end_date >= \(bind: first))
            """ + staff.conditions("a")
        let child = UnitTree.child("a.unit_path", under: path)
        // One day: a plain EXISTS probe, which stops at the first completion. Several: each post's
        // first qualifying completion, looked up once and compared with every day.
        let single = days.count == 1
        var flags: SQLQueryString = "", childSums: SQLQueryString = "", personFlags: SQLQueryString = "", totalSums: SQLQueryString = ""
        for (k, day) in days.enumerated() {
            let n = String(k)
            let active: SQLQueryString = "a.start_date <= \(bind: day) AND (a.end_date IS NULL OR a.end_date >= \(bind: day))"
            let done: SQLQueryString = single ? trained.exists("a.person_id", by: day) : "a.first <= \(bind: day)"
            flags += ", MAX(CASE WHEN " + active + " THEN 1 ELSE 0 END) AS a\(unsafeRaw: n), MAX(CASE WHEN " + active + " AND " + done
                + " THEN 1 ELSE 0 END) AS t\(unsafeRaw: n)"
            childSums += ", SUM(a\(unsafeRaw: n)) AS a\(unsafeRaw: n), SUM(t\(unsafeRaw: n)) AS t\(unsafeRaw: n)"
            personFlags += ", MAX(a\(unsafeRaw: n)) AS a\(unsafeRaw: n), MAX(t\(unsafeRaw: n)) AS t\(unsafeRaw: n)"
            totalSums += ", SUM(a\(unsafeRaw: n)), SUM(t\(unsafeRaw: n))"
        }
        let source: SQLQueryString = single ? "assignments a" + posts : "(SELECT a.person_id AS person_id, a.unit_path AS unit_path, a.start_date AS start_date, a.end_date AS end_date, "
            + trained.firstCompletion("a.person_id") + " AS first FROM assignments a" + posts + ") a"
        let perPerson: SQLQueryString = "SELECT a.person_id AS person_id, " + child + " AS child" + flags + " FROM " + source + " GROUP BY a.person_id, " + child
        let rows = try await sql.raw("WITH x AS MATERIALIZED (" + perPerson + ") SELECT child" + childSums + " FROM x GROUP BY child"
            + " UNION ALL SELECT '' AS child" + totalSums + " FROM (SELECT person_id" + personFlags + " FROM x GROUP BY person_id) y").all()
        var counts: [String: [(Int, Int)]] = [:]
        for row in rows {
            counts[try row.decode(column: "child", as: String.self)] = try days.indices.map {
                (try row.decode(column: "a\($0)", as: Int?.self) ?? 0, try row.decode(column: "t\($0)", as: Int?.self) ?? 0)
            }
        }
        return try await present(counts, days: days, unit: unit, staff: staff, trained: trained)
    }

    /// The shares from counts (active, trained) per child path and day, `""` being the subtree's
    /// total: the live statement's and the kept tallies' (`ShareTally`) alike.
    package func present(_ counts: [String: [(Int, Int)]], days: [String], unit: AdminUnit?, staff: StaffCriteria, trained: TrainedCriteria) async throws -> [String: TrainedShare] {
        let names = try await ChildNames.of(counts.keys, under: unit, on: db)
        var result: [String: TrainedShare] = [:]
        for (k, day) in days.enumerated() {
            let children = counts.filter { !$0.key.isEmpty && $0.value[k].0 > 0 }.sorted { $0.key < $1.key }.map { key, value in
                TrainedShare.Child(code: names.code(key), name: names.name(key), active: value[k].0, trained: value[k].1, percent: Percent.of(value[k].1, value[k].0))
            }
            let (active, done) = counts[""]?[k] ?? (0, 0)
            result[day] = TrainedShare(description: English.pick("Tỷ lệ ", "Share of ") + staff.description + " " + trained.description, unitCode: unit?.code ?? AccessScope.nationCode,
                                       unitName: unit?.name ?? "Cả nước", date: day, active: active, trained: done, percent: Percent.of(done, active),
                                       children: children)
        }
        return result
    }

    /// Classes that ended in the years asked, placed in the unit's subtree: people who completed
    /// them (by year, kind and level), the budget planned and spent, and the cost per trainee.
    /// `until`: leave out classes that ended after this day (the figure as it stood then).
    package func years(unit: AdminUnit?, from: Int, to: Int, trained: TrainedCriteria, until: String? = nil) async throws -> TrainingYears {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? ""
        let classes: SQLQueryString = """
             WHERE c.status <> 'cancelled' AND c.unit_path >= \(bind: path) AND c.unit_path < \(bind: AccessScope.upperBound(path))
             AND c.end_date >= \(bind: String(format: "%04d-01-01", from)) AND c.end_date <= \(bind: String(format: "%04d-12-31", to))
            """ + trained.conditions(classes: "c", courses: "k")
            + (until.map { " AND c.end_date <= \(bind: $0)" as SQLQueryString } ?? "")
        let year: SQLQueryString = "SUBSTR(c.end_date, 1, 4)"
        let learners: SQLQueryString = " JOIN participations p ON p.class_id = c.id AND p.result = 'completed'"
        let money: SQLQueryString = " LEFT JOIN (SELECT class_id, CAST(SUM(planned) AS BIGINT) AS planned, CAST(SUM(spent) AS BIGINT) AS spent FROM class_budget_lines GROUP BY class_id) b ON b.class_id = c.id"
        // People per (year, kind, level), and money per the same groups, as two grouped queries.
        let peopleRows = try await sql.raw("SELECT " + year + " AS y, k.kind AS kind, k.level AS level, COUNT(DISTINCT p.person_id) AS people, COUNT(p.id) AS completions"
            + " FROM training_classes c JOIN courses k ON k.id = c.course_id" + learners + classes + " GROUP BY " + year + ", k.kind, k.level").all()
        let moneyRows = try await sql.raw("SELECT " + year + " AS y, k.kind AS kind, k.level AS level, COUNT(*) AS classes, CAST(SUM(COALESCE(b.planned, 0)) AS BIGINT) AS planned, CAST(SUM(COALESCE(b.spent, 0)) AS BIGINT) AS spent"
            + " FROM training_classes c JOIN courses k ON k.id = c.course_id" + money + classes + " GROUP BY " + year + ", k.kind, k.level").all()
        struct Key: Hashable { var year: Int; var kind: String; var level: String? }
        var table: [Key: TrainingYears.Row] = [:]
        func row(_ key: Key) -> TrainingYears.Row {
            table[key] ?? .init(year: key.year, kind: key.kind, kindLabel: CourseKind(rawValue: key.kind)?.label ?? key.kind, level: key.level,
                                levelLabel: key.level.flatMap(QualificationLevel.init(rawValue:))?.label, classes: 0, people: 0, completions: 0,
                                planned: 0, spent: 0, costPerTrainee: nil)
        }
        for r in peopleRows {
            let key = Key(year: Int(try r.decode(column: "y", as: String.self)) ?? 0, kind: try r.decode(column: "kind", as: String.self),
                          level: try r.decode(column: "level", as: String?.self))
            var entry = row(key)
            entry.people = try r.decode(column: "people", as: Int.self)
            entry.completions = try r.decode(column: "completions", as: Int.self)
            table[key] = entry
        }
        for r in moneyRows {
            let key = Key(year: Int(try r.decode(column: "y", as: String.self)) ?? 0, kind: try r.decode(column: "kind", as: String.self),
                          level: try r.decode(column: "level", as: String?.self))
            var entry = row(key)
            entry.classes = try r.decode(column: "classes", as: Int.self)
            entry.planned = try r.decode(column: "planned", as: Int64?.self) ?? 0
            entry.spent = try r.decode(column: "spent", as: Int64?.self) ?? 0
            table[key] = entry
        }
        let rows = table.values.map { r -> TrainingYears.Row in
            var r = r
            r.costPerTrainee = r.completions > 0 ? r.spent / Int64(r.completions) : nil
            return r
        }.sorted { ($0.year, $0.kind, $0.level ?? "") < ($1.year, $1.kind, $1.level ?? "") }
        let totalPeople = try await sql.raw("SELECT COUNT(DISTINCT p.person_id) AS n FROM training_classes c JOIN courses k ON k.id = c.course_id"
            + learners + classes).first()?.decode(column: "n", as: Int.self) ?? 0
        let completions = rows.reduce(0) { $0 + $1.completions }, spent = rows.reduce(Int64(0)) { $0 + $1.spent }
        // Per child unit of the class's place.
        let child = UnitTree.child("c.unit_path", under: path)
        let childPeople = try await sql.raw("SELECT " + child + " AS child, COUNT(DISTINCT p.person_id) AS people, COUNT(p.id) AS completions FROM training_classes c JOIN courses k ON k.id = c.course_id"
            + learners + classes + " GROUP BY " + child).all()
        let childMoney = try await sql.raw("SELECT " + child + " AS child, COUNT(*) AS classes, CAST(SUM(COALESCE(b.spent, 0)) AS BIGINT) AS spent FROM training_classes c JOIN courses k ON k.id = c.course_id"
            + money + classes + " GROUP BY " + child).all()
        var byChild: [String: TrainingYears.Child] = [:]
        for r in childMoney {
            let key = try r.decode(column: "child", as: String.self)
            byChild[key] = .init(code: key, name: key, classes: try r.decode(column: "classes", as: Int.self), people: 0, completions: 0,
                                 spent: try r.decode(column: "spent", as: Int64?.self) ?? 0)
        }
        for r in childPeople {
            let key = try r.decode(column: "child", as: String.self)
            byChild[key]?.people = try r.decode(column: "people", as: Int.self)
            byChild[key]?.completions = try r.decode(column: "completions", as: Int.self)
        }
        let names = try await ChildNames.of(byChild.keys, under: unit, on: db)
        let children = byChild.sorted { $0.key < $1.key }.map { key, value -> TrainingYears.Child in
            var c = value
            (c.code, c.name) = (names.code(key), names.name(key))
            return c
        }
        return TrainingYears(description: trained.peopleDescription,
                             unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước", fromYear: from, toYear: to, rows: rows,
                             classes: rows.reduce(0) { $0 + $1.classes }, people: totalPeople, completions: completions,
                             planned: rows.reduce(Int64(0)) { $0 + $1.planned }, spent: spent,
                             costPerTrainee: totalPeople > 0 ? spent / Int64(totalPeople) : nil, children: children)
    }
}
