import Vapor
import Logging
import NIOCore
import NIOPosix
import HamletWeb
import HamletDatabase
import HamletReporting
import HamletPlans

/// `hamlet [serve|migrate|create-user|import-hamlets|backup|…] …`. A command's error is said once,
/// by the command or here, with no log line after it; the exit code says how it ended.
public enum HamletMain {
    /// Swift's tasks run on the server's event loops instead of a pool of their own, so a
    /// request's code and its database replies no longer hop between two sets of threads (under
    /// load a third of the server's time was the kernel switching them). Called first, on the
    /// main thread, before any task exists; no code here blocks a loop with `wait()`.
    public static func runTasksOnEventLoops() {
        // `HAMLET_EVENT_LOOPS`: how many event loop threads (default: one per core).
        if let loops = ProcessInfo.processInfo.environment["HAMLET_EVENT_LOOPS"].flatMap(Int.init), loops > 0 {
            NIOSingletons.groupLoopCountSuggestion = loops
        }
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Runs the command line; the process's exit code.
    public static func main() async -> Int32 {
        do {
            try await run()
            return 0
        } catch let exit as ExitCode {
            return exit.code
        } catch let error as StartupError {
            FileHandle.standardError.write(Data((error.message + "\n").utf8))
            return 2
        } catch let error as CommandError {
            FileHandle.standardError.write(Data((describe(error) + "\n").utf8))
            return 64
        } catch {
            FileHandle.standardError.write(Data(("Lỗi: \(DatabaseErrorText.describe(error) ?? String(describing: error))\n").utf8))
            return 1
        }
    }

    static func run() async throws {
        var env = try Environment.detect()
        env.arguments = logLevelAsVapor(env.arguments)
        try LoggingSystem.bootstrap(from: &env)
        let app = try await Application.make(env)
        do {
            try await configure(app)
            app.lifecycle.use(ReminderSchedule())
            app.lifecycle.use(TallyBuilder())
            // Not `execute()`: it logs every error as a warning, after the command has said it.
            try await app.startup()
            try await app.running?.onStop.get()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    /// `--log-level L` (and `--log-level=L`), as `serve --help` and the README say it, is Vapor's
    /// `--log L`: left as it was, the command refused it as unknown input.
    static func logLevelAsVapor(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for argument in arguments {
            if argument == "--log-level" { out.append("--log") }
            else if argument.hasPrefix("--log-level=") { out += ["--log", String(argument.dropFirst("--log-level=".count))] }
            else { out.append(argument) }
        }
        return out
    }

    static func describe(_ error: CommandError) -> String {
        switch error {
        case .unknownCommand(let name, let available):
            return "Không có lệnh “\(name)”. Các lệnh: \(available.sorted().joined(separator: ", ")). Xem `hamlet --help`."
        case .missingRequiredArgument(let name):
            return "Thiếu \(name). Xem `hamlet <lệnh> --help`."
        case .missingCommand:
            return "Thiếu tên lệnh. Xem `hamlet --help`."
        case .invalidArgumentType(let name, let type):
            return "Giá trị của \(name) không đúng kiểu \(type)."
        case .invalidOptionType(let name, let type):
            return "Giá trị của --\(name) không đúng kiểu \(type)."
        case .unknownInput(let input):
            return "Không hiểu “\(input)”. Xem `hamlet <lệnh> --help`."
        }
    }
}
