import Fluent

/// The tables this module owns, their migrations in the order they were written.
package enum AuditTables {
    package static var migrations: [any Migration] {
        [CreateAuditEntries(), ChainAuditLog()]
    }
}
