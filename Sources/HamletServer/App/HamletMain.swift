import Vapor
import Logging

/// `hamlet [serve|migrate|create-user|import-hamlets|backup] …`
public enum HamletMain {
    public static func run() async throws {
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)
        // `--no-demo` belongs to Hamlet's start-up, not to Vapor's serve command.
        var arguments = env.arguments
        let noDemo = arguments.contains("--no-demo")
        arguments.removeAll { $0 == "--no-demo" }
        env.arguments = arguments
        let app = try await Application.make(env)
        do {
            try await configure(app)
            let command = arguments.dropFirst().first
            if command == nil || command == "serve" {
                try await Bootstrap.prepare(app, demo: !noDemo, announce: true)
                app.lifecycle.use(ReminderSchedule())
            }
            try await app.execute()
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
