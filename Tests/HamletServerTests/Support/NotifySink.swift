import Foundation
import XCTest
@testable import HamletWeb

/// A real SMTP server and an SMS gateway stub (Tests/notify/sink.py, Python's aiosmtpd) for the
/// reminder tests; installs aiosmtpd from PyPI when it is missing. Stops when its input closes.
final class NotifySink {
    let smtpPort: Int
    let httpPort: Int
    let folder: URL
    private let process: Process
    private let input: Pipe

    struct Mail: Decodable { var from: String; var to: [String]; var login: String; var subject: String; var body: String }
    struct SMS: Decodable { struct Body: Decodable { var to: String; var text: String }; var path: String; var auth: String?; var body: Body }

    /// Ports are picked at random; one already taken is tried again elsewhere.
    static func start() throws -> NotifySink {
        if run(["python3", "-c", "import aiosmtpd"]) != 0 {
            XCTAssertEqual(run(["python3", "-m", "pip", "install", "-q", "aiosmtpd"]), 0, "aiosmtpd could not be installed")
        }
        var lastError: (any Error)?
        for _ in 0..<5 {
            do { return try NotifySink() } catch { lastError = error }
        }
        throw lastError!
    }

    private init() throws {
        smtpPort = Int.random(in: 20_000...40_000)
        httpPort = smtpPort + 1
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("notify/sink.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, String(smtpPort), String(httpPort), folder.path]
        input = Pipe()
        let output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Until it says it listens, or ends (a port taken): then say why.
        var said = Data()
        while !String(decoding: said, as: UTF8.self).contains("ready") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                let why = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                throw NSError(domain: "NotifySink", code: 1, userInfo: [NSLocalizedDescriptionKey: "sink.py did not start: " + why])
            }
            said.append(chunk)
        }
    }

    func mails() throws -> [Mail] { try read("mail.jsonl") }
    func sms() throws -> [SMS] { try read("sms.jsonl") }

    private func read<T: Decodable>(_ name: String) throws -> [T] {
        guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    private static func run(_ arguments: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }
}
