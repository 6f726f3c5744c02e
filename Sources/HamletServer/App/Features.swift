import Vapor
import Fluent
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations
import HamletWorkforce
import HamletTraining
import HamletReporting
import HamletCases
import HamletPopulation
import HamletPlans

/// The features, in one ordered list: each brings its migrations and its routes.
enum Features {
    /// Each module lists the migrations of the tables it owns; they run module by module, a
    /// module after those whose tables it names (kept uploads name the accounts; the plans'
    /// tallies watch the register, training and units). A database made with another order
    /// keeps its records: Fluent runs only what it has not recorded, and `MigrationNames`
    /// follows a migration that moved module.
    static var migrations: [any Migration] {
        DatabaseTables.migrations + AuditTables.migrations + UnitsTables.migrations + AccountsTables.migrations + WebTables.migrations
            + OrganisationsTables.migrations + WorkforceTables.migrations + TrainingTables.migrations + ReportingTables.migrations
            + CasesTables.migrations + PopulationTables.migrations + PlansTables.migrations
    }

    static func routes(_ app: Application) throws {
        // Pages: cookie session, CSRF on every form.
        let web = app.grouped(BodyLimit(), SessionAuthenticator(), CSRFMiddleware())
        try web.register(collection: LoginRoutes())
        try web.register(collection: LanguageRoutes())
        try web.register(collection: AppShellRoutes())
        let signedIn = web.grouped(RequireUser())
        try signedIn.register(collection: HomeRoutes())
        try signedIn.register(collection: UnitPages())
        try signedIn.register(collection: UnitSuggestRoutes(api: false))
        try signedIn.register(collection: OrganisationPages())
        try signedIn.register(collection: StaffCataloguePages())
        try signedIn.register(collection: UserPages())
        try signedIn.register(collection: AuditPages())
        try signedIn.register(collection: PeoplePages())
        try signedIn.register(collection: LegacyPostRoutes(api: false))
        try signedIn.register(collection: CoveragePages())
        try signedIn.register(collection: PeopleImportRoutes(api: false))
        try signedIn.register(collection: TurnoverRoutes(api: false))
        try signedIn.register(collection: TrainingPages())
        try signedIn.register(collection: ClassPage())
        try signedIn.register(collection: TrainingFiguresPages())
        try signedIn.register(collection: IndicatorPages())
        try signedIn.register(collection: PlanForms())
        try signedIn.register(collection: PlanPages())
        try signedIn.register(collection: ImplementationPages())
        try signedIn.register(collection: PopulationPages())
        try signedIn.register(collection: ActivityPages())
        try signedIn.register(collection: ActivityFileRoutes(api: false))
        try signedIn.register(collection: BoardPages())
        try signedIn.register(collection: PlansTrackerRoutes(api: false))
        try signedIn.register(collection: ReportTextRoutes(api: false))
        try signedIn.register(collection: ReportPages())
        try signedIn.register(collection: ReportApprovalRoutes(api: false))
        try signedIn.register(collection: CataloguePages())
        try signedIn.register(collection: CasePages())
        try signedIn.register(collection: CaseOfficePages())

        // API: bearer tokens, no cookies (so no CSRF). Queries checked as the document states them.
        let queryRules = QueryRules(table: QueryCheck.table(OpenAPIDocument.operations, parameter: QueryParameters.parameter))
        let api = app.grouped("api", "v1").grouped(BodyLimit(), queryRules)
        try api.register(collection: TokenAPI())
        try api.register(collection: OpenAPIRoutes(document: OpenAPIDocument.json()))
        let authed = api.grouped(BearerAuthenticator(), RequireUser())
        try authed.register(collection: UnitAPI())
        try authed.register(collection: UnitSuggestRoutes(api: true))
        try authed.register(collection: OrganisationAPI())
        try authed.register(collection: UserAPI())
        try authed.register(collection: MyWorkAPI())
        try authed.register(collection: AuditAPI())
        try authed.register(collection: PeopleAPI())
        try authed.register(collection: LegacyPostRoutes(api: true))
        try authed.register(collection: CoverageAPI())
        try authed.register(collection: PeopleImportRoutes(api: true))
        try authed.register(collection: TurnoverRoutes(api: true))
        try authed.register(collection: TrainingAPI())
        try authed.register(collection: IndicatorAPI())
        try authed.register(collection: PlanAPI())
        try authed.register(collection: ImplementationAPI())
        try authed.register(collection: PopulationAPI())
        try authed.register(collection: ActivityAPI())
        try authed.register(collection: ActivityFileRoutes(api: true))
        try authed.register(collection: BoardAPI())
        try authed.register(collection: PlansTrackerRoutes(api: true))
        try authed.register(collection: ReportTextRoutes(api: true))
        try authed.register(collection: ReportingAPI())
        try authed.register(collection: ReportApprovalRoutes(api: true))
        try authed.register(collection: LegacyApprovalRoutes())
        try authed.register(collection: CaseAPI())
        try authed.register(collection: CaseAdminAPI())

        // DHIS2's own paths, for its tools and client libraries: Basic, ApiToken or Bearer.
        let dhis2 = app.grouped("api").grouped(BodyLimit(), queryRules, BasicAuthenticator(), BearerAuthenticator(), RequireUser())
        try dhis2.register(collection: DHIS2API())
        try dhis2.register(collection: DHIS2Metadata())
        try dhis2.register(collection: ADXExchange())
    }
}
