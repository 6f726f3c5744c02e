import Vapor
import HamletWeb
import HamletDatabase

/// Where Resources/ and Public/ are: HAMLET_HOME (only there, when set), else the working
/// directory, else found from the executable's own path: beside it, an install's
/// `<prefix>/share/hamlet` for `<prefix>/bin/hamlet`, or the package it was built in
/// (`.build/<config>/hamlet`). None: start-up stops, saying where it looked.
enum HomeDirectory {
    static func candidates(default current: DirectoryConfiguration) -> [String] {
        if let home = Environment.get("HAMLET_HOME"), !home.isEmpty { return [home.hasSuffix("/") ? home : home + "/"] }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let bin = executable.deletingLastPathComponent()
        let found = [current.workingDirectory, bin.path, bin.deletingLastPathComponent().appendingPathComponent("share/hamlet").path,
                     bin.deletingLastPathComponent().deletingLastPathComponent().path,
                     bin.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path]
        var seen = Set<String>()
        return found.map { $0.hasSuffix("/") ? $0 : $0 + "/" }.filter { seen.insert($0).inserted }
    }

    static func require(default current: DirectoryConfiguration) throws -> DirectoryConfiguration {
        guard let found = locate(default: current) else {
            throw StartupError(message: "Không tìm thấy tệp của Hamlet (Resources/AdminUnits/units-2025.csv); đã tìm ở: "
                               + candidates(default: current).joined(separator: ", ") + ". Đặt HAMLET_HOME là thư mục chứa Resources/ và Public/.")
        }
        return found
    }

    static func locate(default current: DirectoryConfiguration) -> DirectoryConfiguration? {
        candidates(default: current).first { FileManager.default.fileExists(atPath: $0 + "Resources/AdminUnits/units-2025.csv") }
            .map { DirectoryConfiguration(workingDirectory: $0) }
    }
}
