import Fluent

/// The tables this module owns, their migrations in the order they were written.
package enum UnitsTables {
    package static var migrations: [any Migration] {
        [CreateUnits(), CreateUnitSuccessions(), CreateUnitEvents()]
    }
}
