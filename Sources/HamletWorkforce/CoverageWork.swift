import Vapor
import HamletKit
import HamletWeb
import HamletUnits

extension MyWork {
    /// A commune officer's hamlets with no collaborator today (of any field), named, one tap from
    /// the coverage page that lists them.
    package func hamletsWithoutCollaborator(_ unit: AdminUnit) async throws -> [WorkItem] {
        guard unit.level == .commune else { return [] }
        let rule = CoverageRule(level: .hamlet, kinds: [.congTacVien], min: 1)
        let result = try await CoverageQuery(db: db).run(rule, unit: unit, date: today.iso)
        guard !result.misses.isEmpty else { return [] }
        let names = result.misses.prefix(5).map(\.name).joined(separator: ", ") + (result.misses.count > 5 ? ", …" : "")
        return [WorkItem(kind: "coverage", title: say("\(result.misses.count) thôn, tổ dân phố chưa có cộng tác viên", "\(result.misses.count) hamlets without a collaborator"), detail: names, due: nil,
                         state: "missing", stateLabel: say("Thiếu người", "Nobody"), link: "/coverage?rule=&level=hamlet&kinds=cong-tac-vien&min=1&unit=\(unit.code)",
                         urgent: false)]
    }
}
