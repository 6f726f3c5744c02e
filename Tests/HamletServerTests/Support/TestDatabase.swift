import Foundation
import Vapor
import Fluent
import SQLKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletDatabase

/// Migrate once, copy per test: the schema and the 24,000 units are built into a template
/// (a SQLite file, or a PostgreSQL template database) the first time a test asks, and every
/// test gets a fresh copy of it. DATABASE_URL set = PostgreSQL, else SQLite.
actor TestDatabase {
    static let shared = TestDatabase()
    private var templateReady = false
    private let folder = NSTemporaryDirectory() + "hamlet-tests-\(ProcessInfo.processInfo.processIdentifier)/"

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A fresh database with the schema and the units, and how to dispose of it.
    func make() async throws -> (DatabaseChoice, @Sendable () async throws -> Void) {
        if !templateReady {
            try await buildTemplate()
            templateReady = true
        }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        if let url = Self.postgresURL {
            try await Self.admin(url) { try await $0.raw("CREATE DATABASE \(unsafeRaw: name) TEMPLATE hamlet_test_template").run() }
            let drop: @Sendable () async throws -> Void = {
                try await Self.admin(url) { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
            }
            return (.postgres(url: Self.url(url, database: name)), drop)
        }
        let path = folder + name + ".sqlite"
        try FileManager.default.copyItem(atPath: folder + "template.sqlite", toPath: path)
        return (.sqlite(path: path), { try? FileManager.default.removeItem(atPath: path) })
    }

    private func buildTemplate() async throws {
        setenv("HAMLET_BCRYPT_COST", "4", 1)
        if let url = Self.postgresURL {
            try await Self.admin(url) { sql in
                try await sql.raw("DROP DATABASE IF EXISTS hamlet_test_template WITH (FORCE)").run()
                try await sql.raw("CREATE DATABASE hamlet_test_template").run()
            }
            try await Self.prepare(.postgres(url: Self.url(url, database: "hamlet_test_template")))
        } else {
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try await Self.prepare(.sqlite(path: folder + "template.sqlite"))
            // One file, no write-ahead log beside it, so a plain copy is the whole database.
            let app = try await Application.make(.testing)
            try await configure(app, database: .sqlite(path: folder + "template.sqlite"))
            try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode = DELETE").run()
            try await app.asyncShutdown()
        }
    }

    private static func prepare(_ choice: DatabaseChoice) async throws {
        let app = try await Application.make(.testing)
        do {
            try await configure(app, database: choice)
            app.logger.logLevel = .warning
            try await Bootstrap.prepare(app, demo: false, announce: false)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// Runs SQL on the server's maintenance database (the one DATABASE_URL names).
    static func admin(_ url: String, _ body: @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try await configure(app, database: .postgres(url: url))
            try await body(app.db as! any SQLDatabase)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func url(_ base: String, database: String) -> String {
        guard var parts = URLComponents(string: base) else { return base }
        parts.path = "/" + database
        return parts.string ?? base
    }
}
