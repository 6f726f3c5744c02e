import Fluent

/// The tables this module owns, their migrations in the order they were written.
package enum TrainingTables {
    package static var migrations: [any Migration] {
        [CreateCourses(), CreateTrainingClasses(), CreateParticipations(), CreateTrainingNeeds(), AddClassResultRules()]
    }
}
