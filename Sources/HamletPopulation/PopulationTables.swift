import Fluent

/// The tables this module owns, their migrations in the order they were written.
package enum PopulationTables {
    package static var migrations: [any Migration] {
        [CreatePopulationFigures()]
    }
}
