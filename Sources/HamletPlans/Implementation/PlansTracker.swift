import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAccounts

/// The tracker across plans: for every duty of the plans in force (or ended last year) the account
/// sees, the period that last fell due and any falling due within a month, with how many reports
/// stand in each state; and, when a state is asked, those reports.
package struct PlansTracker {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil) {
        (self.db, self.scope, self.actor) = (db, scope, actor)
    }

    package struct Line: Content {
        package var planId: UUID
        package var planNumber: String
        package var dutyId: UUID
        package var duty: String
        package var period: String
        package var periodLabel: String
        package var due: String
        package var counts: [String: Int]
        package var link: String

        package init(planId: UUID, planNumber: String, dutyId: UUID, duty: String, period: String, periodLabel: String,
                     due: String, counts: [String: Int], link: String) {
            (self.planId, self.planNumber, self.dutyId, self.duty) = (planId, planNumber, dutyId, duty)
            (self.period, self.periodLabel, self.due, self.counts) = (period, periodLabel, due, counts)
            self.link = link
        }
    }
    package struct Result: Content {
        package var asOf: String
        package var counts: [String: Int]
        package var lines: [Line]
        package var items: [TrackerRow]
        package init(asOf: String, counts: [String: Int], lines: [Line], items: [TrackerRow]) {
            (self.asOf, self.counts, self.lines, self.items) = (asOf, counts, lines, items)
        }
    }

    package func build(asOf day: DayDate, state: TrackState?) async throws -> Result {
        let plans = try await PlanService(db: db, scope: scope, actor: actor, ip: nil).visible()
            .filter(\.$fromYear <= day.year).filter(\.$toYear >= day.year - 1).sort(\.$issuedOn, .descending).limit(200).all()
        var lines: [Line] = [], items: [TrackerRow] = []
        var total = Dictionary(uniqueKeysWithValues: TrackState.allCases.map { ($0.rawValue, 0) })
        let soon = day.adding(days: 30).iso
        let tracker = DutyTracker(db: db, scope: scope)
        for plan in plans {
            let planID = try plan.requireID()
            // Only the period last fallen due and those coming within the month are read.
            let rows = try await tracker.rows(plan, asOf: day) { periods in
                let fallen = periods.filter { $0.due.iso <= day.iso }.max { $0.due < $1.due }
                return periods.filter { $0.id == fallen?.id || ($0.due.iso > day.iso && $0.due.iso <= soon) }
            }
            for (dutyID, ofDuty) in Dictionary(grouping: rows, by: \.dutyId) {
                var dueOf: [String: String] = [:]
                for r in ofDuty { dueOf[r.period] = r.due }
                let fallen = dueOf.filter { $0.value <= day.iso }.max { $0.value < $1.value }?.key
                let coming = dueOf.filter { $0.value > day.iso && $0.value <= soon }.map(\.key)
                for period in ([fallen].compactMap { $0 } + coming) {
                    let here = ofDuty.filter { $0.period == period }
                    guard let first = here.first else { continue }
                    var counts = Dictionary(uniqueKeysWithValues: TrackState.allCases.map { ($0.rawValue, 0) })
                    for r in here { counts[r.state, default: 0] += 1; total[r.state, default: 0] += 1 }
                    lines.append(Line(planId: planID, planNumber: plan.number, dutyId: dutyID, duty: first.duty, period: period,
                                      periodLabel: English.say(first.periodLabel), due: first.due, counts: counts,
                                      link: "/plans/\(planID)/duties?period=\(period)&date=\(day.vietnamese)#tracker"))
                    if let state { items += here.filter { $0.state == state.rawValue } }
                }
            }
        }
        lines.sort { ($0.due, $0.planNumber, $0.duty) > ($1.due, $1.planNumber, $1.duty) }
        return Result(asOf: day.iso, counts: total, lines: lines, items: Array(items.sorted { ($0.due, $0.bodyName) < ($1.due, $1.bodyName) }.prefix(2000)))
    }
}

/// GET /api/v1/tracker and /plans/tracker.
package struct PlansTrackerRoutes: RouteCollection {
    package let api: Bool

    package init(api: Bool) {
        self.api = api
    }

    package func boot(routes: any RoutesBuilder) throws {
        if api { routes.get("tracker", use: json) } else { routes.get("plans", "tracker", use: page) }
    }

    package func result(_ req: Request) async throws -> PlansTracker.Result {
        var state: TrackState?
        if let raw = req.query[String.self, at: "state"], !raw.isEmpty {
            guard let s = TrackState(rawValue: raw) else { throw HamletError.invalid("state", "Không có tình trạng «\(raw)».") }
            state = s
        }
        return try await PlansTracker(db: req.db, scope: req.scope, actor: req.currentUser).build(asOf: try ImplementationAPI.day(req), state: state)
    }

    package func json(req: Request) async throws -> PlansTracker.Result { try await result(req) }

    package struct Count: Encodable {
        package var state: String
        package var label: String
        package var count: Int
        package init(state: String, label: String, count: Int) {
            (self.state, self.label, self.count) = (state, label, count)
        }
    }
    package struct Line: Encodable {
        package var planNumber: String
        package var duty: String
        package var periodLabel: String
        package var due: String
        package var counts: [Count]
        package var link: String
        package init(planNumber: String, duty: String, periodLabel: String, due: String, counts: [Count], link: String) {
            (self.planNumber, self.duty, self.periodLabel, self.due) = (planNumber, duty, periodLabel, due)
            (self.counts, self.link) = (counts, link)
        }
    }
    package struct TrackerPage: Encodable {
        package var date: String
        package var totals: [Count]
        package var lines: [Line]
        package var states: [FormOption]
        package var items: [TrackerRow]
        package init(date: String, totals: [Count], lines: [Line], states: [FormOption], items: [TrackerRow]) {
            (self.date, self.totals, self.lines, self.states) = (date, totals, lines, states)
            self.items = items
        }
    }

    package func page(req: Request) async throws -> Response {
        let r = try await result(req)
        func counts(_ c: [String: Int]) -> [Count] { TrackState.allCases.map { Count(state: $0.rawValue, label: English.say($0.label), count: c[$0.rawValue] ?? 0) } }
        return try await req.renderPage("implementation/tracker", title: English.say("Theo dõi báo cáo các kế hoạch"), nav: "plans", body: TrackerPage(
            date: DayDate(r.asOf)?.vietnamese ?? r.asOf, totals: counts(r.counts),
            lines: r.lines.map { Line(planNumber: $0.planNumber, duty: $0.duty, periodLabel: $0.periodLabel, due: $0.due, counts: counts($0.counts), link: $0.link) },
            states: FormOption.list(TrackState.self, selected: req.query["state"]),
            items: r.items.map { var i = $0; i.periodLabel = English.say(i.periodLabel); i.stateLabel = English.say(i.stateLabel); return i }))
    }
}
