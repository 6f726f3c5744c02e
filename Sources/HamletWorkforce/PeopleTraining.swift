import Vapor
import SQLKit
import HamletWeb

/// A test on a person that a feature above the register knows how to make (Training's "trained
/// by …"): an SQL boolean on a person id column, as of a day.
package protocol PersonCondition: Sendable {
    func exists(_ person: String, by date: String) -> SQLQueryString
}

/// What the register shows of training: the "trained" filter of its lists and exports, the course
/// kinds that filter offers, a person's classes on their page. Training owns the tables behind
/// them and hands this down when the app is put together, so the register does not import it.
package struct PeopleTraining: Sendable {
    /// The condition the request's "trained…" parameters (after `prefix`) describe.
    package var condition: @Sendable (Request, _ prefix: String) throws -> any PersonCondition
    /// The course kinds the filter offers, `selected` chosen.
    package var courseKinds: @Sendable (_ selected: String?) -> [FormOption]
    /// A person's classes, newest first, as their page lists them.
    package var history: @Sendable (Request, Person) async throws -> [PeoplePages.TrainingRow]

    package init(condition: @escaping @Sendable (Request, _ prefix: String) throws -> any PersonCondition,
                 courseKinds: @escaping @Sendable (_ selected: String?) -> [FormOption],
                 history: @escaping @Sendable (Request, Person) async throws -> [PeoplePages.TrainingRow]) {
        (self.condition, self.courseKinds, self.history) = (condition, courseKinds, history)
    }
}

extension Application {
    private struct PeopleTrainingKey: StorageKey { typealias Value = PeopleTraining }

    package var peopleTraining: PeopleTraining {
        get {
            guard let wired = storage[PeopleTrainingKey.self] else { preconditionFailure("configure sets app.peopleTraining (Training)") }
            return wired
        }
        set { storage[PeopleTrainingKey.self] = newValue }
    }
}
