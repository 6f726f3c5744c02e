import Vapor
import HamletWeb

extension Request {
    /// The unit a figure, list or page is asked for: the one rule every feature uses. By code, or
    /// (`byName`) by name with accents optional and the commune after a comma ("Khóm 1, Bình Đức"),
    /// inside the account's subtree. `VN`, or nothing, is the whole country for a country-wide
    /// account (nil); nothing is the account's own unit otherwise. A code outside the subtree, an
    /// ancestor's included, is 404, as everywhere; a name not found is a typing matter on `field`.
    package func unitAsked(_ typed: String?, field: String = "unit", byName: Bool = true) async throws -> AdminUnit? {
        let text = (typed ?? "").trimmingCharacters(in: .whitespaces)
        let directory = UnitDirectory(db: db, scope: scope)
        if text.isEmpty || text.uppercased() == AccessScope.nationCode {
            if scope.isNation { return nil }
            guard text.isEmpty else { throw HamletError.notFound }
            return try await directory.requireEditable(scope.code)
        }
        guard byName else { return try await directory.requireEditable(text) }
        guard let found = try await directory.pick(text, field: field) else {
            if text.allSatisfy({ $0.isNumber || $0 == "-" }) { throw HamletError.notFound }
            throw HamletError.invalid(field, "Không tìm thấy đơn vị «\(text)» trong phạm vi của bạn (gõ tên hoặc mã).")
        }
        guard scope.contains(path: found.path) else { throw HamletError.notFound }
        return found
    }
}
