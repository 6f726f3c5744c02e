// swift-tools-version:6.0
import PackageDescription

let vapor: Target.Dependency = .product(name: "Vapor", package: "vapor")
let fluent: Target.Dependency = .product(name: "Fluent", package: "fluent")

/// A feature module: Vapor, Fluent, the pure domain logic, the dialect layer, the shared web
/// pieces, and the features it names (drawn in docs/ARCHITECTURE.md; `scripts/module-graph.sh`
/// fails when the two differ or a file imports a module its target does not name).
func feature(_ name: String, uses features: [String] = [], _ more: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: ["HamletKit", "HamletDatabase", "HamletWeb", vapor, fluent] + features.map { .target(name: $0) } + more)
}

let package = Package(
    name: "hamlet",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hamlet", targets: ["hamlet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        // Already under Vapor; named for the reminder mail (a plain SMTP client over NIO).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
    ],
    targets: [
        // Pure domain logic: no Vapor, no Fluent. The module boundary keeps it that way.
        .target(
            name: "HamletKit",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // The dialect layer, bulk loads, text rows, the database set-up: what every feature's
        // queries stand on.
        .target(
            name: "HamletDatabase",
            dependencies: [
                "HamletKit", vapor, fluent,
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ]
        ),
        // What every feature's pages and API share: the page frame, strings in both languages,
        // errors, CSRF, who asks (role, scope), table downloads, uploaded files, paging and the
        // API document's pieces.
        .target(
            name: "HamletWeb",
            dependencies: ["HamletKit", "HamletDatabase", vapor, fluent, .product(name: "Leaf", package: "leaf")]
        ),
        // The audit log: every change, chained so a change made outside the app shows.
        feature("HamletAudit"),
        // Administrative units, 2025 and before, their successions and hamlets.
        feature("HamletUnits", uses: ["HamletAudit"]),
        // Accounts, sign-in, sessions and tokens, and who owns a shared catalogue item.
        feature("HamletAccounts", uses: ["HamletAudit", "HamletUnits"]),
        // Agencies and facilities, and their type catalogues.
        feature("HamletOrganisations", uses: ["HamletAudit", "HamletUnits", "HamletAccounts"]),
        // The register: people and their posts, titles, salaries, coverage, turnover, import and export.
        feature("HamletWorkforce", uses: ["HamletAudit", "HamletUnits", "HamletAccounts", "HamletOrganisations"]),
        // Courses, classes, participations, training needs, the trained share and yearly figures.
        feature("HamletTraining", uses: ["HamletAudit", "HamletUnits", "HamletAccounts", "HamletOrganisations", "HamletWorkforce"]),
        // How reminders leave: a small SMTP client over NIO and an SMS gateway's webhook.
        .target(name: "HamletNotify", dependencies: [
            "HamletWeb", vapor,
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // Report forms as data, reports and their values, approvals, totals, the pivot,
        // completeness, DHIS2 and ADX, reminders.
        feature("HamletReporting", uses: ["HamletAudit", "HamletUnits", "HamletAccounts", "HamletOrganisations", "HamletNotify"]),
        // People served and their cases, referrals, consents, facility staff, case counts.
        feature("HamletCases", uses: ["HamletAudit", "HamletUnits", "HamletAccounts", "HamletOrganisations", "HamletWorkforce", "HamletReporting"]),
        // Population figures per unit, group and year: the base of a group's share.
        feature("HamletPopulation", uses: ["HamletAudit", "HamletUnits", "HamletAccounts", "HamletReporting", "HamletCases"]),
        // Indicators, plans and their targets, the dashboard, and running a plan (Implementation/:
        // duties, submissions, activities, boards, the plan report).
        feature("HamletPlans", uses: ["HamletAudit", "HamletUnits", "HamletAccounts", "HamletOrganisations", "HamletWorkforce",
                                      "HamletTraining", "HamletReporting", "HamletCases", "HamletPopulation"]),
        // The demo: four provinces, the five seed plans, a year of their work.
        feature("HamletDemo", uses: ["HamletAudit", "HamletUnits", "HamletAccounts", "HamletOrganisations", "HamletWorkforce",
                                      "HamletTraining", "HamletReporting", "HamletCases", "HamletPopulation", "HamletPlans"]),
        // `hamlet generate` (national-scale data) and `hamlet benchmark` (Hamlet beside hand-written SQL).
        feature("HamletBenchmarks", uses: ["HamletAudit", "HamletUnits", "HamletAccounts", "HamletOrganisations", "HamletWorkforce",
                                      "HamletTraining", "HamletReporting", "HamletCases", "HamletPopulation", "HamletPlans", "HamletDemo"]),
        // The app: configure, the feature list, start-up, commands, the start page, the API document.
        feature("HamletServer", uses: ["HamletAudit", "HamletUnits", "HamletAccounts", "HamletOrganisations", "HamletWorkforce",
                                       "HamletTraining", "HamletNotify", "HamletReporting", "HamletCases", "HamletPopulation", "HamletPlans",
                                       "HamletDemo", "HamletBenchmarks"], [
            .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            .product(name: "Leaf", package: "leaf"),
        ]),
        .executableTarget(name: "hamlet", dependencies: ["HamletServer"]),
        .testTarget(name: "HamletKitTests", dependencies: ["HamletKit"]),
        .testTarget(
            name: "HamletServerTests",
            dependencies: [
                "HamletKit", "HamletServer", "HamletDatabase", "HamletWeb", "HamletAudit", "HamletUnits", "HamletAccounts", "HamletOrganisations", "HamletWorkforce",
                "HamletTraining", "HamletNotify", "HamletReporting", "HamletCases", "HamletPopulation", "HamletPlans",
                "HamletDemo", "HamletBenchmarks",
                .product(name: "XCTVapor", package: "vapor"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ]
)
