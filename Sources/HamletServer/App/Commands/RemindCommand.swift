import Vapor
import HamletKit
import HamletWeb
import HamletReporting

/// `hamlet remind`: sends the reminders due now, once (for a cron job, or to try the settings).
struct RemindCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Gửi nhắc việc báo cáo (email, tin nhắn) một lần." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Bootstrap.prepare(app, demo: false, announce: false)
        guard !app.notify.isOff else {
            context.console.print("Chưa cấu hình kênh nhắc việc (HAMLET_SMTP_URL, HAMLET_SMS_WEBHOOK): không gửi gì.")
            return
        }
        let summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
        context.console.print("Đã gửi \(summary.sent) nhắc việc; \(summary.failed) không gửi được (sẽ thử lại lần sau).")
    }
}
