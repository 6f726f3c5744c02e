import Vapor
import Fluent
import HamletWeb
import HamletUnits

/// `hamlet import-hamlets FILE`: CSV or XLSX with commune code, hamlet name, type, optional code.
/// All or nothing: any bad row and nothing is stored; every bad row is listed by line.
struct ImportHamletsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "Tệp CSV hoặc XLSX") var file: String
        @Flag(name: "dry-run", help: "Chỉ kiểm tra, không lưu") var dryRun: Bool
    }
    var help: String { "Nhập danh sách thôn/tổ dân phố từ tệp CSV hoặc XLSX." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await Bootstrap.prepare(app, demo: false, announce: false)
        let data = try Data(contentsOf: URL(fileURLWithPath: signature.file))
        let importer = HamletImporter(db: app.db, scope: AccessScope(code: AccessScope.nationCode, path: ""), actor: nil, ip: nil)
        let report = try await importer.run(data: data, filename: signature.file, commit: !signature.dryRun)
        for problem in report.problems {
            context.console.error("Dòng \(problem.line ?? 0)\(problem.field.map { " (\($0))" } ?? ""): \(problem.message)")
        }
        if report.problems.isEmpty {
            context.console.print("\(signature.dryRun ? "Kiểm tra xong" : "Đã nhập"): \(report.created) thôn mới, \(report.unchanged) đã có, \(report.rows) dòng.")
        } else {
            context.console.error("Không lưu gì: \(report.problems.count) lỗi.")
            throw ExitCode(1)
        }
    }
}
