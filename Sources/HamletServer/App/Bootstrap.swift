import Vapor
import Fluent
import SQLKit
import HamletWeb
import HamletDatabase
import HamletUnits
import HamletAccounts
import HamletDemo

/// What runs before serving: migrations, the unit lists on first start, the demo set when asked.
public enum Bootstrap {
    /// `announce`: say each step that does something, one line each, then where to open Hamlet.
    public static func prepare(_ app: Application, demo: Bool, announce: Bool) async throws {
        let started = Date()
        func step<T>(_ what: String, when: Bool = true, _ work: () async throws -> T) async throws -> T {
            guard announce && when else { return try await work() }
            let began = Date()
            say(what + "… ")
            let result = try await work()
            say("xong (\(String(format: "%.1f", Date().timeIntervalSince(began))) giây).\n")
            return result
        }
        try await carryOverMigrations(app)
        let pending = try await app.migrator.previewPrepareBatch().get().count
        try await step("Cập nhật cơ sở dữ liệu (\(pending) bước)", when: pending > 0) { try await app.autoMigrate() }
        // After every migration: a table just added gets its data-version triggers.
        try await DataVersions.install(on: app.db)
        try await DatabaseSetup.tune(app)
        let noUnits = try await AdminUnit.query(on: app.db).count() == 0
        _ = try await step("Nạp danh mục đơn vị hành chính", when: noUnits) { try await UnitLoader.loadIfEmpty(app) }
        var demoLogin: (String, String)? = nil
        if demo { demoLogin = try await step("Nạp dữ liệu demo", when: noUnits) { try await DemoData.loadIfEmpty(app) } }
        // Fresh rows without statistics: PostgreSQL plans blind until autovacuum gets there
        // (measured under the load test: 10.6 requests/s instead of 168 for the first minute).
        if noUnits, SQLText.isPostgres(app.db), let sql = app.db as? any SQLDatabase { try await sql.raw("ANALYZE").run() }
        guard announce else { return }
        let host = hostArgument(app) ?? "127.0.0.1"
        let port = portArgument(app) ?? 8080
        var lines = [
            "Hamlet — \(DatabaseSetup.description), sẵn sàng sau \(String(format: "%.1f", Date().timeIntervalSince(started))) giây.",
            "Mở trình duyệt: http://\(host):\(port)/",
        ]
        if let (user, password) = demoLogin {
            lines.append("Tài khoản quản trị demo (chỉ hiện một lần): \(user) / \(password)")
        } else if try await User.query(on: app.db).count() == 0 {
            lines.append("Chưa có tài khoản: tạo bằng `swift run hamlet create-user --username … --password … --role admin --scope VN`.")
        }
        say(lines.joined(separator: "\n") + "\n\n")
    }

    /// Fluent's table of migrations done, with the records of migrations that moved module under
    /// their names now (a database made before the features were modules names them all
    /// `HamletServer.…`, and would otherwise run them again).
    static func carryOverMigrations(_ app: Application) async throws {
        try await app.migrator.setupIfNeeded().get()
        let moved = try await MigrationNames.carryOver(Features.migrations, on: app.db)
        if !moved.isEmpty { app.logger.notice("\(moved.count) migrations recorded under their modules' names now") }
    }

    /// Straight to the terminal or file, unbuffered: a step's line shows while it runs.
    static func say(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

    static func hostArgument(_ app: Application) -> String? { argument(app, ["--hostname", "-H"]) }
    static func portArgument(_ app: Application) -> Int? { argument(app, ["--port", "-p"]).flatMap(Int.init) }

    static func argument(_ app: Application, _ names: [String]) -> String? {
        let args = app.environment.arguments
        for (i, arg) in args.enumerated() where names.contains(arg) && i + 1 < args.count { return args[i + 1] }
        return nil
    }
}
