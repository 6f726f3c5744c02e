import Fluent

/// The tables this module owns, their migrations in the order they were written. Kept uploads name their account, so they come after the accounts' tables.
package enum WebTables {
    package static var migrations: [any Migration] {
        [CreatePendingUploads()]
    }
}
