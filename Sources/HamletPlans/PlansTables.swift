import Fluent

/// The tables this module owns, their migrations in the order they were written. The tallies'
/// triggers sit on the register's, training's and units' tables, so the plans come after them.
package enum PlansTables {
    package static var migrations: [any Migration] {
        [
            CreateIndicators(), CreatePlans(), CreateShareTallies(), CreatePlaceTallies(), AddCatalogueOwners(),
            StateDirectionsAndPlanStatus(), CreatePlanDuties(), CreatePlanParents(), CreateSubmissionFiles(), CreatePlanActivities(),
            CreateSteeringBoards(), CreatePlanReportTexts(), AddDutyTemplates(), CreateActivityFiles(), AddSubmissionApproval(),
            CreateTallyBuilds(),
        ]
    }
}
