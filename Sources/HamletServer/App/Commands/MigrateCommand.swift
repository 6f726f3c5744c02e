import Vapor
import Fluent
import HamletWeb
import HamletDatabase

/// `hamlet migrate`: brings the schema up to date and loads the unit lists if missing. No demo data.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Tạo/cập nhật cơ sở dữ liệu và nạp danh mục đơn vị hành chính (không nạp dữ liệu demo)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await Bootstrap.prepare(context.application, demo: false, announce: false)
        context.console.print("Đã cập nhật cơ sở dữ liệu: \(DatabaseSetup.description).")
    }
}
