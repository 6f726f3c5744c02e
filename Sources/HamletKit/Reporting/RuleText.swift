import Foundation

/// A validation rule written as one line, as an officer types it on the form page:
/// `bắt buộc CTV_TONG`, `CTV_TONG 0..500` (either bound may be left out), `CTV_TAP_HUAN <= CTV_TONG`,
/// and after a `|` the officer's own message.
extension ValidationRule {
    public init?(line raw: String) {
        let parts = raw.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let message = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
        let text = (parts.first ?? "").replacingOccurrences(of: "≤", with: "<=").replacingOccurrences(of: "≥", with: ">=")
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        func code(_ s: String) -> String? {
            let c = s.uppercased()
            return c.range(of: #"^[A-Z0-9][A-Z0-9_.-]{0,49}$"#, options: .regularExpression) != nil ? c : nil
        }
        guard !words.isEmpty else { return nil }
        let lead = VietnameseText.folded(words.dropLast().joined(separator: " "))
        if words.count >= 2, ["required", "bat buoc", "phai nhap"].contains(lead), let left = code(words.last!) {
            self.init(kind: .required, left: left, message: message); return
        }
        if words.count == 3, let left = code(words[0]), let op = Operator(rawValue: words[1]), let right = code(words[2]) {
            self.init(kind: .compare, left: left, op: op, right: right, message: message); return
        }
        if words.count == 2 || (words.count == 3 && ["in", "trong", "tu"].contains(VietnameseText.folded(words[1]))), let left = code(words[0]) {
            let bounds = words.last!.components(separatedBy: "..")
            guard bounds.count == 2 else { return nil }
            func number(_ s: String) -> Double?? { s.isEmpty ? .some(nil) : Double(s.replacingOccurrences(of: ",", with: ".")).map { .some($0) } }
            guard let lo = number(bounds[0]), let hi = number(bounds[1]), lo != nil || hi != nil else { return nil }
            self.init(kind: .range, left: left, min: lo, max: hi, message: message); return
        }
        return nil
    }

    /// The rule as one line, read back by `init(line:)`.
    public var line: String {
        func n(_ v: Double?) -> String { v.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? "" }
        let body: String
        switch kind {
        case .required: body = "bắt buộc \(left)"
        case .range: body = "\(left) \(n(min))..\(n(max))"
        case .compare: body = "\(left) \((op ?? .lessOrEqual).rawValue) \(right ?? "")"
        }
        return message.map { body + " | " + $0 } ?? body
    }
}
