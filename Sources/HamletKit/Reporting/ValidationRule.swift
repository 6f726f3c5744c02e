import Foundation

/// A check on a report form, stated as data: a field must be filled, lie in a range, or compare
/// to another field ("trained ≤ total"). Fields are element codes; an element split by
/// categories is checked on its total over the cells filled.
public struct ValidationRule: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case required, range, compare }
    public enum Operator: String, Sendable, Codable, CaseIterable {
        case lessOrEqual = "<=", less = "<", greaterOrEqual = ">=", greater = ">", equal = "==", notEqual = "!="

        public var label: String {
            switch self {
            case .lessOrEqual: "không lớn hơn"
            case .less: "nhỏ hơn"
            case .greaterOrEqual: "không nhỏ hơn"
            case .greater: "lớn hơn"
            case .equal: "bằng"
            case .notEqual: "khác"
            }
        }

        func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .lessOrEqual: a <= b + 1e-9
            case .less: a < b
            case .greaterOrEqual: a + 1e-9 >= b
            case .greater: a > b
            case .equal: abs(a - b) < 1e-9
            case .notEqual: abs(a - b) >= 1e-9
            }
        }
    }

    public var kind: Kind
    public var left: String
    public var op: Operator?
    public var right: String?
    public var min: Double?
    public var max: Double?
    /// The officer's own wording; otherwise one is written from the rule.
    public var message: String?

    public init(kind: Kind, left: String, op: Operator? = nil, right: String? = nil, min: Double? = nil, max: Double? = nil, message: String? = nil) {
        self.kind = kind; self.left = left; self.op = op; self.right = right; self.min = min; self.max = max; self.message = message
    }

    /// The rule as the form shows it, with element names.
    public func describe(_ name: (String) -> String) -> String {
        if let message, !message.isEmpty { return message }
        switch kind {
        case .required: return "“\(name(left))” phải được nhập."
        case .range:
            switch (min, max) {
            case let (lo?, hi?): return "“\(name(left))” phải từ \(Self.show(lo)) đến \(Self.show(hi))."
            case let (lo?, nil): return "“\(name(left))” không được nhỏ hơn \(Self.show(lo))."
            case let (nil, hi?): return "“\(name(left))” không được lớn hơn \(Self.show(hi))."
            default: return "“\(name(left))”"
            }
        case .compare:
            return "“\(name(left))” phải \((op ?? .lessOrEqual).label) “\(name(right ?? ""))”."
        }
    }

    public static func show(_ n: Double) -> String {
        n == n.rounded() ? VietnameseFormat.integer(Int(n)) : VietnameseFormat.decimal(n, places: 2)
    }

    /// A rule that breaks, on which field, and what to say.
    public struct Violation: Sendable, Equatable {
        public let field: String
        public let message: String
    }

    /// Checks the rules on one report. `totals`: each element's total over its filled cells;
    /// `missing`: elements with at least one empty cell. A comparison with an empty side is not
    /// judged (the required rule says so if it matters).
    public static func check(_ rules: [ValidationRule], totals: [String: Double], missing: Set<String>, names: (String) -> String) -> [Violation] {
        var out: [Violation] = []
        for rule in rules {
            let broken: Bool
            switch rule.kind {
            case .required:
                broken = missing.contains(rule.left)
            case .range:
                guard let v = totals[rule.left] else { continue }
                broken = (rule.min.map { v < $0 } ?? false) || (rule.max.map { v > $0 } ?? false)
            case .compare:
                guard let a = totals[rule.left], let right = rule.right, let b = totals[right] else { continue }
                broken = !(rule.op ?? .lessOrEqual).holds(a, b)
            }
            if broken { out.append(Violation(field: rule.left, message: rule.describe(names))) }
        }
        return out
    }
}
