import Fluent

/// The tables this module owns, their migrations in the order they were written.
package enum CasesTables {
    package static var migrations: [any Migration] {
        [CreateCases(), KeepStaffHistory()]
    }
}
