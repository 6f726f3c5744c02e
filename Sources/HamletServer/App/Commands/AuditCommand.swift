import Vapor
import Fluent
import HamletWeb
import HamletAudit

/// `hamlet audit verify`: walks the audit log's hash chain and says whether any entry was
/// changed, removed or added outside Hamlet. Exits 1 when the chain is broken.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify") var action: String
    }
    var help: String { "Kiểm tra nhật ký kiểm toán: `hamlet audit verify` báo mục nào bị sửa, xóa hoặc chèn ngoài ứng dụng." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else {
            context.console.error("Chỉ có `hamlet audit verify`.")
            throw ExitCode(2)
        }
        let app = context.application
        try await Bootstrap.carryOverMigrations(app)
        try await app.autoMigrate()
        let verdict = try await AuditLog.verify(on: app.db)
        if verdict.intact {
            context.console.print("Nhật ký nguyên vẹn: \(verdict.entries) mục, mục cuối số \(verdict.headSeq), mã băm \(verdict.headHash).")
            context.console.print("Ghi lại mã băm này ở nơi khác (sổ, thư): lần kiểm tra sau phải thấy nó vẫn ở mục số \(verdict.headSeq).")
        } else {
            context.console.error("Nhật ký KHÔNG nguyên vẹn: \(verdict.problem ?? "") (đã kiểm \(verdict.entries) mục đúng trước đó).")
            throw ExitCode(1)
        }
    }
}
