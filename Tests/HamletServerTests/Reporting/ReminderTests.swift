import XCTest
import XCTVapor
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletNotify
@testable import HamletReporting

/// Issue 22, point 7: reminders of unsent reports, through a real SMTP server and an SMS gateway
/// stub, each sent once, visible to the account and to the officer above, email turned off by
/// the account, a failed one tried again.
final class ReminderTests: XCTestCase {
    /// 10:00 in Vietnam on a day.
    func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso + "T10:00:00+07:00")! }

    func testUnsentReportsAreRemindedOnceByEmailAndSMS() async throws {
        let sink = try NotifySink.start()
        defer { sink.stop() }
        try await withApp { app in
            app.clock.set(at("2026-10-03"))
            let cv = try await app.makeUser("cv", role: .provinceOfficer, scope: "91")
            let token = try await app.token(for: cv)
            try await app.makeReportingCatalogue(token)
            let communes = try await app.communes()
            let xa = try await app.makeUser("xa", role: .communeOfficer, scope: communes[0].code)
            let xa2 = try await app.makeUser("xa2", role: .communeOfficer, scope: communes[1].code)
            for (user, email, phone) in [(cv, "cv@so.test", nil), (xa, "xa@xa.test", "0912345678"), (xa2, "xa2@xa.test", "0987654321")] {
                user.email = email; user.phone = phone
                try await user.update(on: app.db)
            }
            // The second commune has sent August and September: nothing to remind it of.
            for period in ["202608", "202609"] {
                try await app.api(.PUT, "/api/v1/reports/BC_THANG_XA/\(communes[1].code)/\(period)", token: token,
                                  json: ReportBody(0, [("CTV_TONG", nil, "5")], submit: true)) { res in XCTAssertEqual(res.status, .ok, res.body.string) }
            }
            app.notify = NotifySettings(smtp: SMTPSettings(url: "smtp://hamlet:mat-khau-thu@127.0.0.1:\(sink.smtpPort)", from: "Hamlet <nhacviec@hamlet.test>"),
                                        smsWebhook: URI(string: "http://127.0.0.1:\(sink.httpPort)/sms"), smsToken: "bi-mat", site: "https://hamlet.test")

            // 3 October: September's report is due on the 5th (within 3 days), August's is overdue.
            var summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
            XCTAssertEqual(summary, .init(sent: 5, failed: 0), "xa: 2 emails and 2 SMS; cv (the level above): August's overdue email")
            let mails = try sink.mails()
            XCTAssertEqual(mails.map(\.to).flatMap { $0 }.sorted(), ["cv@so.test", "xa@xa.test", "xa@xa.test"])
            XCTAssertEqual(Set(mails.map { $0.from + " " + $0.login }), ["nhacviec@hamlet.test hamlet"])
            let due = try XCTUnwrap(mails.first { $0.subject.hasPrefix("Nhắc việc") })
            XCTAssertEqual(due.subject, "Nhắc việc: Báo cáo tháng của xã — \(communes[0].name), Tháng 9/2026")
            XCTAssertTrue(due.body.contains("hạn gửi ngày 05/10/2026, chưa được gửi."), due.body)
            XCTAssertTrue(due.body.contains("https://hamlet.test/reports/entry?set=BC_THANG_XA&unit=\(communes[0].code)&period=202609"), due.body)
            let overdue = mails.filter { $0.subject.hasPrefix("Quá hạn") }
            XCTAssertEqual(overdue.count, 2)
            XCTAssertTrue(overdue.allSatisfy { $0.body.contains("Tháng 8/2026, đã quá hạn gửi ngày 05/09/2026") })
            let texts = try sink.sms()
            XCTAssertEqual(texts.map(\.body.to), ["0912345678", "0912345678"])
            XCTAssertTrue(texts.allSatisfy { $0.auth == "Bearer bi-mat" && $0.path == "/sms" })
            XCTAssertTrue(texts.contains { $0.body.text.hasPrefix("Hamlet: QUÁ HẠN Báo cáo tháng của xã, \(communes[0].name), Tháng 8/2026") })

            // Once: the next run sends nothing.
            summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
            XCTAssertEqual(summary, .init(sent: 0, failed: 0))
            XCTAssertEqual(try sink.mails().count, 3)

            // The officer sees who was told; the commune sees it was told.
            try await app.api(.GET, "/api/v1/reports/BC_THANG_XA/\(communes[0].code)/202608", token: token) { res in
                let told = try XCTUnwrap(try res.json(ReportDTO.self).reminders)
                XCTAssertEqual(told.map { "\($0.username) \($0.channel) \($0.kind) \($0.status)" }.sorted(),
                               ["cv email overdue sent", "xa email overdue sent", "xa sms overdue sent"])
            }
            var officer = try await app.login("cv")
            try await app.page(.GET, "/reports/entry?set=BC_THANG_XA&unit=\(communes[0].code)&period=202609", as: &officer) { res in
                XCTAssertTrue(res.body.string.contains("Sắp đến hạn · email tới xa · đã gửi"), res.body.string)
            }
            var clerk = try await app.login("xa")
            try await app.page(.GET, "/", as: &clerk) { res in
                let work = res.body.string.components(separatedBy: "id=\"work\"").last ?? ""
                XCTAssertTrue(work.contains("hạn 05/10/2026 · đã nhắc qua"), String(work.prefix(1500)))
            }

            // The commune turns email off: a month on, its reminders come by SMS only.
            try await app.page(.POST, "/me/reminders", as: &clerk, form: [:]) { res in XCTAssertEqual(res.status, .seeOther) }
            try await app.page(.GET, "/me", as: &clerk) { res in XCTAssertFalse(res.body.string.contains(#"id="reminders-email" checked"#)) }
            app.clock.set(at("2026-11-03"))
            summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
            // October due: xa by SMS only, xa2 by email and SMS. September overdue: xa by SMS, cv by email.
            XCTAssertEqual(summary, .init(sent: 5, failed: 0))
            XCTAssertEqual(try sink.mails().filter { $0.to == ["xa@xa.test"] }.count, 2, "no new email to xa")
            XCTAssertEqual(try sink.mails().filter { $0.to == ["xa2@xa.test"] }.count, 1)
            XCTAssertEqual(try sink.sms().count, 5)

            // The mail server is down: the reminder is recorded as failed, and tried again later.
            app.clock.set(at("2026-12-02"))
            var down = app.notify
            down.smtp = SMTPSettings(url: "smtp://127.0.0.1:\(sink.httpPort + 1)", from: nil)
            app.notify = down
            summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
            // Emails: xa2's November (due) and October (overdue), cv's October for both communes. SMS go.
            XCTAssertEqual(summary, .init(sent: 4, failed: 4))
            officer = try await app.login("cv")  // two months on: a new session
            try await app.page(.GET, "/reports/entry?set=BC_THANG_XA&unit=\(communes[0].code)&period=202610", as: &officer) { res in
                let told = res.body.string.components(separatedBy: "id=\"reminders\"").last ?? ""
                XCTAssertTrue(told.contains("Quá hạn · email tới cv · không gửi được"), String(told.prefix(1500)))
            }
            down.smtp = SMTPSettings(url: "smtp://hamlet:mat-khau-thu@127.0.0.1:\(sink.smtpPort)", from: nil)
            app.notify = down
            summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
            XCTAssertEqual(summary, .init(sent: 4, failed: 0))
            try await app.api(.GET, "/api/v1/reports/BC_THANG_XA/\(communes[0].code)/202610", token: token) { res in
                let cvMail = try XCTUnwrap(try res.json(ReportDTO.self).reminders?.first { $0.username == "cv" && $0.channel == "email" })
                XCTAssertEqual(cvMail.status, "sent")
                XCTAssertEqual(cvMail.attempts, 2)
            }
        }
    }

    func testAFormSaysHowManyDaysAheadAndNothingGoesUnconfigured() async throws {
        try await withApp { app in
            app.clock.set(at("2026-10-03"))
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            try await app.makeReportingCatalogue(token)
            try await app.api(.PATCH, "/api/v1/data-sets/BC_THANG_XA", token: token, json: DataSetInput(remindDays: 61)) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertEqual(res.errorField, "remindDays")
            }
            try await app.api(.PATCH, "/api/v1/data-sets/BC_THANG_XA", token: token, json: DataSetInput(remindDays: 0)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(DataSetDTO.self).remindDays, 0)
            }
            let commune = try await app.communes()[0]
            let xa = try await app.makeUser("xa", role: .communeOfficer, scope: commune.code)
            xa.email = "xa@xa.test"
            try await xa.update(on: app.db)
            // No channel configured: nothing is sent or recorded.
            app.notify = NotifySettings()
            let summary = try await ReminderRun(app: app, today: DayDate(app.clock.now)).run()
            XCTAssertEqual(summary, .init())
            let recorded = try await Reminder.query(on: app.db).count()
            XCTAssertEqual(recorded, 0)
        }
    }
}
