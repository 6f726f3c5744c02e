import Vapor
import Fluent
import SQLKit
import HamletWeb
import HamletDatabase

/// `hamlet backup FILE`: a consistent copy of the SQLite database, safe while the server writes
/// (`VACUUM INTO` reads one snapshot). On PostgreSQL, pg_dump is the tool.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "Tệp sao lưu sẽ tạo") var file: String
    }
    var help: String { "Sao lưu cơ sở dữ liệu SQLite ra một tệp (PostgreSQL: dùng pg_dump)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let sql = app.db as? any SQLDatabase, SQLText.isSQLite(sql) else {
            context.console.print("Cơ sở dữ liệu là PostgreSQL: hãy sao lưu bằng pg_dump, ví dụ `pg_dump -Fc \"$DATABASE_URL\" > hamlet.dump`.")
            return
        }
        if FileManager.default.fileExists(atPath: signature.file) {
            context.console.error("Tệp \(signature.file) đã có; chọn tên khác để không ghi đè.")
            throw ExitCode(1)
        }
        try await sql.raw("VACUUM INTO \(bind: signature.file)").run()
        context.console.print("Đã sao lưu vào \(signature.file).")
    }
}
