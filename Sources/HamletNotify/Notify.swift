import Vapor
import HamletWeb

/// How reminders leave Hamlet besides the start page: email over SMTP and an SMS gateway's HTTP
/// webhook. Each is off until configured (`HAMLET_SMTP_URL` and `HAMLET_SMTP_FROM`;
/// `HAMLET_SMS_WEBHOOK` and `HAMLET_SMS_TOKEN`).
package struct NotifySettings: Sendable {
    package var smtp: SMTPSettings?
    /// The gateway gets `POST {"to": "0912…", "text": "…"}`, with `Authorization: Bearer` when a token is set.
    package var smsWebhook: URI?
    package var smsToken: String?
    /// The address people open Hamlet at (`HAMLET_PUBLIC_URL`), for the links in emails.
    package var site: String?

    package init(smtp: SMTPSettings? = nil, smsWebhook: URI? = nil, smsToken: String? = nil, site: String? = nil) {
        (self.smtp, self.smsWebhook, self.smsToken, self.site) = (smtp, smsWebhook, smsToken, site)
    }

    package static func fromEnvironment() -> NotifySettings {
        NotifySettings(smtp: SMTPSettings(url: Environment.get("HAMLET_SMTP_URL"), from: Environment.get("HAMLET_SMTP_FROM")),
                       smsWebhook: Environment.get("HAMLET_SMS_WEBHOOK").flatMap { $0.isEmpty ? nil : URI(string: $0) },
                       smsToken: Environment.get("HAMLET_SMS_TOKEN"),
                       site: Environment.get("HAMLET_PUBLIC_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
    }

    package var isOff: Bool { smtp == nil && smsWebhook == nil }
}

extension Application {
    private struct NotifyKey: StorageKey { typealias Value = NotifySettings }

    /// Read from the environment once; a test sets its own.
    package var notify: NotifySettings {
        get { storage[NotifyKey.self] ?? .fromEnvironment() }
        set { storage[NotifyKey.self] = newValue }
    }
}

package enum SMSWebhook {
    package struct Message: Content {
        package var to: String
        package var text: String
        package init(to: String, text: String) {
            self.to = to
            self.text = text
        }
    }

    package static func send(_ app: Application, to: String, text: String) async throws {
        guard let url = app.notify.smsWebhook else { return }
        let response = try await app.client.post(url) { req in
            try req.content.encode(Message(to: to, text: text))
            if let token = app.notify.smsToken, !token.isEmpty { req.headers.bearerAuthorization = .init(token: token) }
        }
        guard (200..<300).contains(response.status.code) else {
            throw NotifyError(description: "SMS gateway answered \(response.status.code)")
        }
    }
}
