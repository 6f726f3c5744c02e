import Fluent

/// The tables this module owns, their migrations in the order they were written.
package enum OrganisationsTables {
    package static var migrations: [any Migration] {
        [CreateOrganisationTypes(), CreateOrganisations(), AddFormerDepartments()]
    }
}
