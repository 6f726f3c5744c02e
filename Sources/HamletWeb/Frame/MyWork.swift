import Vapor
import Fluent
import HamletKit

/// One thing an account has to do, one tap from where it is done.
package struct WorkItem: Content {
    /// "report" (a report of the account's own unit), "approve" (reports waiting for its
    /// decision), "missing" (units below it that have not sent).
    package var kind: String
    package var title: String
    package var detail: String
    /// The due day (yyyy-MM-dd), when the item has one.
    package var due: String?
    package var state: String
    package var stateLabel: String
    package var link: String
    /// Overdue, returned, or due within three days and not sent.
    package var urgent: Bool

    package init(kind: String, title: String, detail: String, due: String? = nil, state: String, stateLabel: String, link: String,
                 urgent: Bool) {
        (self.kind, self.title, self.detail, self.due) = (kind, title, detail, due)
        (self.state, self.stateLabel, self.link, self.urgent) = (state, stateLabel, link, urgent)
    }
}

package struct WorkList: Content {
    package var role: String
    package var asOf: String
    package var items: [WorkItem]

    package init(role: String, asOf: String, items: [WorkItem]) { self.role = role; self.asOf = asOf; self.items = items }

    /// Urgent first, then by due day.
    package mutating func sort() {
        items.sort { ($0.urgent ? 0 : 1, $0.due ?? "9999") < ($1.urgent ? 0 : 1, $1.due ?? "9999") }
    }
}

/// An account's work as the features list it, each in its own extension (`ReportWork`,
/// `PlanWork`, `CoverageWork`, `ClassWork`, `DutyWork`, `CaseWork`); the app puts the list
/// together (`MyWorkList`). Here so that every feature can add to it without knowing the others.
package struct MyWork {
    package let db: any Database
    package let user: any ActingAccount
    package let today: DayDate
    /// The lines are written in the page's language (the API's: Vietnamese unless the cookie says).
    package var language: Language = .vi

    package init(db: any Database, user: any ActingAccount, today: DayDate, language: Language = .vi) {
        (self.db, self.user, self.today, self.language) = (db, user, today, language)
    }

    package func say(_ vi: String, _ en: String) -> String { language == .en ? en : vi }
    package func periodLabel(_ period: Period) -> String { language == .en ? period.englishLabel : period.label }
}
