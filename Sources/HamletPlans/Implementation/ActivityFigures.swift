import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits

/// What indicators count of a plan's activities: how many were held, how many people took part
/// or were reached, the share of follow-up actions closed by their due day, and the share of
/// commune-months in which one was held (the monthly briefing in every commune).
package enum ActivityMeasure: String, Codable, CaseIterable, Sendable, Choice {
    case held, participants, reached, followUpsOnTime = "follow-ups-on-time", monthsHeld = "months-held"
    package var label: String {
        switch self {
        case .held: return "Số hoạt động đã tổ chức"
        case .participants: return "Số người tham dự"
        case .reached: return "Số người được tiếp cận (tham dự và qua truyền thông)"
        case .followUpsOnTime: return "Tỷ lệ việc sau giám sát xong đúng hạn"
        case .monthsHeld: return "Tỷ lệ xã có tổ chức trong mỗi tháng (số xã-tháng có tổ chức trên số xã nhân số tháng đã qua)"
        }
    }
    package var measure: String {
        switch self {
        case .held: return "hoạt động"
        case .participants, .reached: return "người"
        case .followUpsOnTime, .monthsHeld: return "%"
        }
    }
}

package struct ActivityFigures {
    package let db: any Database

    package init(db: any Database) {
        self.db = db
    }

    /// Those present: the count by sex when it was given, else the people named from the register.
    package static func participants(male: Int?, female: Int?, named: Int) -> Int {
        male == nil && female == nil ? named : (male ?? 0) + (female ?? 0)
    }

    /// Per child unit of `unit`: (part, whole) — whole only for the shares. Activities of any plan,
    /// held from `start` to `end` (both ISO days), of the kinds given (none: all).
    package func figure(unit: AdminUnit?, start: String, end: String, kinds: [String], measure: ActivityMeasure) async throws -> [String: (Int, Int?)] {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        if measure == .monthsHeld { return try await monthsHeld(unit: unit, start: start, end: end, kinds: kinds, on: sql) }
        let path = unit?.path ?? "", child = UnitTree.child("a.unit_path", under: path)
        var query: SQLQueryString
        switch measure {
        case .followUpsOnTime:
            // Follow-ups due in the period (by the day asked): closed by their due day, of all.
            query = """
                SELECT \(child) AS child, SUM(CASE WHEN f.closed_on IS NOT NULL AND f.closed_on <= f.due_on AND f.closed_on <= \(bind: end) THEN 1 ELSE 0 END) AS part,
                       COUNT(*) AS whole
                FROM plan_activity_followups f JOIN plan_activities a ON a.id = f.activity_id
                WHERE f.due_on >= \(bind: start) AND f.due_on <= \(bind: end)
                """
        default:
            query = """
                SELECT \(child) AS child, a.male AS male, a.female AS female, a.reached AS reached,
                       (SELECT COUNT(*) FROM plan_activity_people p WHERE p.activity_id = a.id) AS named
                FROM plan_activities a WHERE a.held_on >= \(bind: start) AND a.held_on <= \(bind: end)
                """
        }
        query += " AND a.unit_path >= \(bind: path) AND a.unit_path < \(bind: AccessScope.upperBound(path))"
        if !kinds.isEmpty { query += " AND a.kind IN (\(binds: kinds))" }
        if measure == .followUpsOnTime { query += " GROUP BY \(child)" }
        var out: [String: (Int, Int?)] = [:]
        for row in try await sql.raw(query).all() {
            let key = try row.decode(column: "child", as: String.self)
            if measure == .followUpsOnTime {
                out[key] = (try row.decode(column: "part", as: Int?.self) ?? 0, try row.decode(column: "whole", as: Int.self))
                continue
            }
            let present = Self.participants(male: try row.decode(column: "male", as: Int?.self), female: try row.decode(column: "female", as: Int?.self),
                                            named: try row.decode(column: "named", as: Int.self))
            let add = switch measure {
            case .held: 1
            case .participants: present
            default: present + (try row.decode(column: "reached", as: Int?.self) ?? 0)
            }
            out[key] = ((out[key]?.0 ?? 0) + add, nil)
        }
        return out
    }
}

extension ActivityFigures {
    /// Per child: the commune-months with at least one such activity held in the commune or one of
    /// its hamlets, of the communes open on `end` times the months over by then (`MonthsHeld`).
    /// Under a commune, the one commune itself.
    package func monthsHeld(unit: AdminUnit?, start: String, end: String, kinds: [String], on sql: any SQLDatabase) async throws -> [String: (Int, Int?)] {
        guard let first = DayDate(start), let last = DayDate(end) else { return [:] }
        let span = MonthsHeld(from: first, through: last), path = unit?.path ?? ""
        // By province under the country, else by commune (a commune's hamlets are its own).
        func at(_ column: String) -> SQLQueryString { "SUBSTR(\(unsafeRaw: column), 1, \(unsafeRaw: path.isEmpty ? "3" : "9"))" }
        var communes: [String: Int] = [:]
        for row in try await sql.raw("SELECT \(at("path")) AS child, COUNT(*) AS n FROM units WHERE structure = '2025' AND CAST(level AS TEXT) = 'commune'"
                                     + " AND path >= \(bind: path) AND path < \(bind: AccessScope.upperBound(path)) AND (closed_on IS NULL OR closed_on > \(bind: end))"
                                     + " GROUP BY \(at("path"))").all() {
            communes[try row.decode(column: "child", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        var held: [String: Set<String>] = [:]
        if let lastDay = span.lastDay {
            var query: SQLQueryString = "SELECT DISTINCT \(at("a.unit_path")) AS child, SUBSTR(a.unit_path, 1, 9) AS commune, SUBSTR(a.held_on, 1, 7) AS month"
            query += " FROM plan_activities a WHERE a.held_on >= \(bind: start) AND a.held_on <= \(bind: lastDay.iso) AND LENGTH(a.unit_path) >= 9"
            query += " AND a.unit_path >= \(bind: path) AND a.unit_path < \(bind: AccessScope.upperBound(path))"
            if !kinds.isEmpty { query += " AND a.kind IN (\(binds: kinds))" }
            for row in try await sql.raw(query).all() {
                held[try row.decode(column: "child", as: String.self), default: []].insert(try row.decode(column: "commune", as: String.self) + " " + row.decode(column: "month", as: String.self))
            }
        }
        return communes.reduce(into: [:]) { out, c in
            let share = span.share(held: held[c.key] ?? [], communes: c.value)
            out[c.key] = (share.part, share.whole)
        }
    }

    /// What a body's report on a plan states of the plan's activities held in its unit in the
    /// period (to the day figures are measured on): how many of each kind, how many took part, and
    /// the follow-ups due in the period that were done by their day. Nothing when none was held.
    package func forSubmission(plan: UUID, path: String, start: String, end: String) async throws -> [SubmissionFigure] {
        let held = try await PlanActivity.query(on: db).filter(\.$planID == plan)
            .filter(\.$unitPath >= path).filter(\.$unitPath < AccessScope.upperBound(path))
            .filter(\.$heldOn >= start).filter(\.$heldOn <= end).all()
        guard !held.isEmpty else { return [] }
        let ids = held.compactMap(\.id)
        var named: [UUID: Int] = [:]
        for p in try await ActivityPerson.query(on: db).filter(\.$activityID ~~ ids).all() { named[p.activityID, default: 0] += 1 }
        let followUps = try await ActivityFollowUp.query(on: db).filter(\.$activityID ~~ ids).filter(\.$dueOn >= start).filter(\.$dueOn <= end).all()
        var out: [SubmissionFigure] = ActivityKind.allCases.compactMap { kind in
            let n = held.filter { $0.kind == kind.rawValue }.count
            return n == 0 ? nil : SubmissionFigure(code: "HD-" + kind.rawValue, name: English.say(kind.label), value: String(n), numerator: Double(n), denominator: nil, note: nil)
        }
        let present = held.reduce(0) { $0 + Self.participants(male: $1.male, female: $1.female, named: named[$1.id!] ?? 0) }
        out.append(SubmissionFigure(code: "HD-NGUOI", name: English.say(ActivityMeasure.participants.label), value: VietnameseFormat.integer(present),
                                    numerator: Double(present), denominator: nil, note: nil))
        if !followUps.isEmpty {
            let done = followUps.filter { FollowUpState.of(due: $0.dueOn, closed: $0.closedOn, asOf: end) == .closedOnTime }.count
            out.append(SubmissionFigure(code: "HD-VIEC", name: English.say(ActivityMeasure.followUpsOnTime.label), value: "\(done)/\(followUps.count)",
                                        numerator: Double(done), denominator: Double(followUps.count), note: nil))
        }
        return out
    }
}
