import Fluent

/// The tables this module owns, their migrations in the order they were written.
package enum AccountsTables {
    package static var migrations: [any Migration] {
        [CreateUsers(), CreateUserSessions(), CreateAPITokens(), CreateLoginFailures(), AddCredentialVersions(), CreateLoginCounters()]
    }
}
