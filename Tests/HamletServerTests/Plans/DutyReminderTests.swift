import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletNotify
@testable import HamletReporting
@testable import HamletPlans

/// Issue 23, point 2: a body owing a plan report is reminded, like a periodic report: three days
/// before its due day and once overdue, once each, through a real SMTP server.
final class DutyReminderTests: XCTestCase {
    func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso + "T10:00:00+07:00")! }

    func testABodyIsRemindedOfItsPlanReportOnce() async throws {
        let sink = try NotifySink.start()
        defer { sink.stop() }
        try await withApp { app in
            app.clock.set(at("2025-11-28"))
            let cv = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let xa = try await app.makeUser("xa", role: .communeOfficer, scope: "30292")
            for (user, email) in [(cv, "cv@so.test"), (xa, "xa@xa.test")] { user.email = email; try await user.update(on: app.db) }
            let token = try await app.token(for: cv), clerk = try await app.token(for: xa)
            let plan = try await app.makePlan(token)
            let health = try await app.makeAgency(token, "Sở Y tế")
            var duty: UUID?
            try await app.api(.POST, "/api/v1/plans/\(plan)/duties", token: token, json: DutyInput(title: "Báo cáo kết quả thực hiện Đề án", reporters: "communes",
                                                                                                  recipientId: health, frequency: "yearly", due: "30/11")) {
                duty = try $0.json(DutyDTO.self).id
            }
            app.notify = NotifySettings(smtp: SMTPSettings(url: "smtp://hamlet:mat-khau-thu@127.0.0.1:\(sink.smtpPort)", from: "Hamlet <nhacviec@hamlet.test>"),
                                        smsWebhook: nil, smsToken: nil, site: "https://hamlet.test")
            // 28/11/2025: the 2025 report is due on the 30th. Only the commune's officer is told.
            var summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
            XCTAssertEqual(summary, .init(sent: 1, failed: 0))
            let mail = try XCTUnwrap(try sink.mails().first)
            XCTAssertEqual(mail.to, ["xa@xa.test"])
            XCTAssertTrue(mail.subject.hasPrefix("Nhắc việc: Báo cáo kết quả thực hiện Đề án — "), mail.subject)
            XCTAssertTrue(mail.body.contains("hạn gửi ngày 30/11/2025, chưa được gửi."), mail.body)
            XCTAssertTrue(mail.body.contains("https://hamlet.test/plans/\(plan)/duties/\(duty!)/2025/30292"), mail.body)
            summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
            XCTAssertEqual(summary, .init(sent: 0, failed: 0), "once")
            // 05/12/2025: overdue, told once more; 2024's, a year late, is left to the tracker.
            app.clock.set(at("2025-12-05"))
            summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
            XCTAssertEqual(summary, .init(sent: 1, failed: 0))
            XCTAssertTrue(try sink.mails().last!.subject.hasPrefix("Quá hạn: "))
            // Sent: nothing more to say.
            try await app.api(.PUT, "/api/v1/plans/\(plan)/duties/\(duty!)/submissions/2025/30292", token: clerk,
                              json: SubmissionInput(results: "Đã làm.", submit: true)) { XCTAssertEqual($0.status, .ok, $0.body.string) }
            app.clock.set(at("2025-12-06"))
            let reminders = try await Reminder.query(on: app.db).count()
            summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
            XCTAssertEqual(summary, .init(sent: 0, failed: 0))
            let after = try await Reminder.query(on: app.db).count()
            XCTAssertEqual(after, reminders)
        }
    }
}
