import Vapor
import HamletWeb
import HamletReporting
import HamletPlans

/// `hamlet serve [--hostname H] [--port P] [--bind H:P] [--unix-socket PATH] [--no-demo]`: prepares
/// the database (migrations, the unit lists, the demo set unless `--no-demo`), says so one line a
/// step, then hands over to Vapor's own serve command. `serve --help` lists every option and
/// starts nothing.
struct HamletServeCommand: AnyAsyncCommand {
    var help: String { "Chạy Hamlet (mặc định): cập nhật cơ sở dữ liệu, nạp đơn vị và dữ liệu demo lần đầu, rồi mở máy chủ." }

    func outputHelp(using context: inout CommandContext) throws {
        context.application.servers.command.outputHelp(using: &context)
        context.console.print("      --no-demo  Không nạp dữ liệu demo khi cơ sở dữ liệu còn trống (máy chủ thật).")
        context.console.print("  --log-level L  Mức ghi nhật ký: trace, debug, info (mặc định), notice, warning, error, critical.")
        context.console.print("Biến môi trường: HAMLET_DB (tệp SQLite), DATABASE_URL (PostgreSQL), HAMLET_HOME (thư mục chứa Resources/ và Public/).")
    }

    func run(using context: inout CommandContext) async throws {
        let noDemo = context.input.arguments.contains("--no-demo")
        context.input.arguments.removeAll { $0 == "--no-demo" }
        let app = context.application
        try await Bootstrap.prepare(app, demo: !noDemo, announce: true)
        ReminderSchedule.start(app)
        TallyBuilder.start(app)
        try await app.servers.asyncCommand.run(using: &context)
    }
}
