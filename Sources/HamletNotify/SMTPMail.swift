import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import HamletWeb

/// Where mail goes: `smtp://user:password@host:25` (plain, for a relay on the same network) or
/// `smtps://user:password@host:465` (TLS from the first byte, as RFC 8314 recommends for
/// submission). STARTTLS is not spoken: a server that needs it is reached on its TLS port.
package struct SMTPSettings: Sendable, Equatable {
    package var host: String
    package var port: Int
    package var tls: Bool
    package var username: String?
    package var password: String?
    /// "Hamlet <nhac-viec@so-ldtbxh.gov.vn>" or a bare address.
    package var from: String

    package init?(url text: String?, from: String?) {
        guard let text, !text.isEmpty, let url = URLComponents(string: text), let host = url.host, !host.isEmpty,
              url.scheme == "smtp" || url.scheme == "smtps" else { return nil }
        self.host = host
        tls = url.scheme == "smtps"
        port = url.port ?? (tls ? 465 : 25)
        username = url.user?.removingPercentEncoding
        password = url.password?.removingPercentEncoding
        self.from = from.flatMap { $0.isEmpty ? nil : $0 } ?? "Hamlet <hamlet@\(host)>"
    }

    /// The address inside "Name <address>".
    package var fromAddress: String {
        guard let open = from.firstIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close else { return from }
        return String(from[from.index(after: open)..<close])
    }
}

/// Why a message did not leave: the server's own reply, or the connection's fate.
package struct NotifyError: Error, CustomStringConvertible {
    package var description: String

    package init(description: String) { self.description = description }
}

/// One message over one SMTP connection: greeting, EHLO, AUTH PLAIN when there are credentials,
/// MAIL, RCPT, DATA, QUIT. The text is UTF-8 in base64, so no line ever starts with a dot.
package enum SMTPMail {
    package static func send(_ settings: SMTPSettings, to: String, subject: String, body: String, now: Date = Date()) async throws {
        let tlsContext = settings.tls ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tlsContext, serverHostname: settings.host))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        // A server that stops answering does not hold the reminder run: the line is cut at 30 s.
        let deadline = channel.channel.eventLoop.scheduleTask(in: .seconds(30)) { channel.channel.close(promise: nil) }
        defer { deadline.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var reader = Replies(inbound.makeAsyncIterator())
            func say(_ line: String, expect codes: Set<Int>) async throws {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                try await reader.expect(codes, after: line.hasPrefix("AUTH") ? "AUTH" : line)
            }
            try await reader.expect([220], after: "greeting")
            try await say("EHLO hamlet", expect: [250])
            if let user = settings.username, let password = settings.password {
                let token = Data(("\0" + user + "\0" + password).utf8).base64EncodedString()
                try await say("AUTH PLAIN " + token, expect: [235])
            }
            try await say("MAIL FROM:<\(settings.fromAddress)>", expect: [250])
            try await say("RCPT TO:<\(to)>", expect: [250, 251])
            try await say("DATA", expect: [354])
            try await outbound.write(ByteBuffer(string: message(settings, to: to, subject: subject, body: body, now: now) + "\r\n."))
            try await outbound.write(ByteBuffer(string: "\r\n"))
            try await reader.expect([250], after: "DATA")
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        }
    }

    package static func message(_ settings: SMTPSettings, to: String, subject: String, body: String, now: Date) -> String {
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let encodedSubject = "=?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?="
        let text = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: " + settings.from, "To: <\(to)>", "Subject: " + encodedSubject, "Date: " + date.string(from: now),
            "Message-ID: <\(UUID().uuidString)@hamlet>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64", "", text,
        ].joined(separator: "\r\n")
    }

    /// The server's replies, line by line; a reply ends at "NNN " (a "NNN-" line goes on).
    package struct Replies {
        package var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        package var pending = ""
        package init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) { self.iterator = iterator }

        package mutating func expect(_ codes: Set<Int>, after step: String) async throws {
            while true {
                let line = try await nextLine()
                guard line.count >= 3, let code = Int(line.prefix(3)) else { throw NotifyError(description: "SMTP: unreadable reply to \(step): \(line)") }
                if line.count > 3, line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
                guard codes.contains(code) else { throw NotifyError(description: "SMTP: \(step) refused: \(line)") }
                return
            }
        }

        package mutating func nextLine() async throws -> String {
            while true {
                if let end = pending.range(of: "\r\n") ?? pending.range(of: "\n") {
                    let line = String(pending[..<end.lowerBound])
                    pending.removeSubrange(..<end.upperBound)
                    return line
                }
                guard var buffer = try await iterator.next() else { throw NotifyError(description: "SMTP: the server closed the connection") }
                pending += buffer.readString(length: buffer.readableBytes) ?? ""
            }
        }
    }
}
