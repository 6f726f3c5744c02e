import Fluent

/// The tables this module owns, their migrations in the order they were written.
package enum WorkforceTables {
    package static var migrations: [any Migration] {
        [
            CreatePeople(), CreatePersonWords(), CreateAssignments(), CreateBaseSalaries(), CreateProfessionalTitles(), CoverPostFilters(),
            CoverUnitPosts(), AddAssignmentLegacyUnits(),
        ]
    }
}
