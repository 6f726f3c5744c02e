import Foundation
import HamletKit
import HamletWeb

/// What a hamlet may be called and coded. Codes are never reused: a closed hamlet keeps its
/// row and its code, and a new one gets the next number.
package enum HamletRules {
    package static let types = ["Thôn", "Ấp", "Bản", "Buôn", "Làng", "Xóm", "Sóc", "Phum", "Khóm", "Khu phố", "Tổ dân phố", "Khu dân cư"]

    package static func type(matching text: String) -> String? {
        let folded = VietnameseText.folded(text)
        return types.first { VietnameseText.folded($0) == folded }
    }

    package static func validName(_ raw: String) -> Result<String, HamletError> {
        let name = VietnameseText.normalized(raw)
        if name.isEmpty { return .failure(.invalid("name", "Tên thôn/tổ dân phố không được để trống.")) }
        if name.count > 100 { return .failure(.invalid("name", "Tên thôn/tổ dân phố dài quá 100 ký tự.")) }
        return .success(name)
    }

    package static func validType(_ raw: String) -> Result<String, HamletError> {
        guard let type = type(matching: raw) else {
            return .failure(.invalid("type", "Loại không hợp lệ: «\(raw)». Chọn một trong: \(types.joined(separator: ", ")).") )
        }
        return .success(type)
    }

    package static func validCode(_ raw: String) -> Result<String, HamletError> {
        let code = raw.trimmingCharacters(in: .whitespaces)
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        guard !code.isEmpty, code.count <= 30, code.unicodeScalars.allSatisfy(allowed.contains) else {
            return .failure(.invalid("code", "Mã thôn chỉ gồm chữ không dấu, số, '-' hoặc '_' (tối đa 30 ký tự)."))
        }
        return .success(code)
    }

    /// The next generated code under a commune: "30280-001", "30280-002", … past every code
    /// ever used there, closed hamlets included.
    package static func nextCode(commune: String, existing: [String]) -> String {
        let prefix = commune + "-"
        let used = existing.compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }
        return prefix + String(format: "%03d", (used.max() ?? 0) + 1)
    }

    /// Excel drops leading zeros from codes typed as numbers: 4 → "00004".
    package static func communeCode(_ raw: String) -> String {
        var code = raw.trimmingCharacters(in: .whitespaces)
        if code.hasSuffix(".0") { code.removeLast(2) }
        if !code.isEmpty, code.count < 5, code.allSatisfy(\.isNumber) {
            code = String(repeating: "0", count: 5 - code.count) + code
        }
        return code
    }
}

extension Result where Failure == HamletError {
    package func get(into problems: inout [HamletError]) -> Success? {
        switch self {
        case .success(let value): return value
        case .failure(let error): problems.append(error); return nil
        }
    }
}
