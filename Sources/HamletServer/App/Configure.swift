import Vapor
import Fluent
import FluentSQLiteDriver
import FluentPostgresDriver
import Leaf
import HamletWeb
import HamletDatabase
import HamletAccounts
import HamletWorkforce
import HamletBenchmarks

/// Builds the application: database, templates, middleware, migrations, routes, commands.
public func configure(_ app: Application, database: DatabaseChoice = .fromEnvironment) async throws {
    app.directory = try HomeDirectory.require(default: app.directory)
    try DatabaseSetup.configure(app, database)
    // One line per migration is noise on a first start; `--log-level debug` shows them.
    app.fluent.migrationLogLevel = .debug
    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.leaf.tags["date"] = DateTag()
    app.leaf.tags["tr"] = TrTag()
    // Forms and JSON are small; files go to the routes marked as uploads (`Upload`), streamed.
    app.routes.defaultMaxBodySize = "64kb"
    app.passwords.use(.bcrypt(cost: Int(Environment.get("HAMLET_BCRYPT_COST") ?? "") ?? 12))
    try SignIn.prepareStubHash(app)
    _ = app.clock
    app.trustsProxy = Environment.get("HAMLET_TRUST_PROXY") == "1"
    _ = app.passwordGate
    app.http.server.configuration.hostname = "127.0.0.1"
    // Slow links: HTML, JSON, CSS, JS and SVG go compressed to a browser that asks for it.
    app.http.server.configuration.responseCompression = .enabledForCompressibleTypes

    app.middleware = Middlewares()
    app.middleware.use(LanguageScope())
    app.middleware.use(ErrorResponder())
    app.middleware.use(SecurityHeaders())
    // With read replicas: an account's reads after its own write wait for a replica that has it.
    app.middleware.use(WriteMarking())
    app.middleware.use(StaticCache())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))

    app.responder.use { app in FrontResponder(next: app.responder.default) }

    // Dashboards, indicator values and totals kept under the data versions they were computed at.
    app.keptAnswers = KeptAnswers(limit: Int(Environment.get("HAMLET_KEPT_ANSWERS") ?? "") ?? 500)
    // One gate for the server's life: a gate made per request would let every import through.
    app.importGate = ImportGate(limit: 2)
    app.pageViewer = PageViewer.summary
    app.actingAccount = { $0.currentUser }
    app.peopleTraining = .live
    app.otherReminders = [{ run, accounts in try await run.planReports(accounts: accounts) }]
    app.migrations.add(Features.migrations)
    try Features.routes(app)
    MethodNotAllowed.prepare(app)

    app.asyncCommands.use(HamletServeCommand(), as: "serve", isDefault: true)
    app.asyncCommands.use(CreateUserCommand(), as: "create-user")
    app.asyncCommands.use(ImportHamletsCommand(), as: "import-hamlets")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(GenerateCommand(prepare: { try await Bootstrap.prepare($0, demo: false, announce: false) }), as: "generate")
    app.asyncCommands.use(BenchmarkCommand(), as: "benchmark")
    app.asyncCommands.use(RemindCommand(), as: "remind")
}

/// Headers every answer carries: no framing, no sniffing, a strict content policy.
struct SecurityHeaders: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Content-Security-Policy",
                                      value: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
        return response
    }
}
