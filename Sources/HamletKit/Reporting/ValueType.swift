import Foundation

/// What a data element holds, with DHIS2's names on the wire.
public enum ValueType: String, Sendable, Codable, CaseIterable {
    case integer = "INTEGER"
    /// DHIS2's names: a count (0, 1, 2…) and a count that cannot be 0.
    case zeroOrPositive = "INTEGER_ZERO_OR_POSITIVE"
    case positive = "INTEGER_POSITIVE"
    case number = "NUMBER"
    case percentage = "PERCENTAGE"
    case yesNo = "BOOLEAN"
    case text = "TEXT"

    public var label: String {
        switch self {
        case .integer: "Số nguyên"
        case .zeroOrPositive: "Số đếm (0 trở lên)"
        case .positive: "Số nguyên dương"
        case .number: "Số"
        case .percentage: "Tỷ lệ %"
        case .yesNo: "Có/Không"
        case .text: "Chữ"
        }
    }

    public var isNumeric: Bool { self != .text }

    /// A typed value: the stored text (canonical, "12.5", "true") and the number totals use.
    public struct Parsed: Sendable, Equatable {
        public let text: String
        public let number: Double?
        public init(text: String, number: Double?) { self.text = text; self.number = number }
    }

    /// Reads what an officer typed (`typed`: "1.234" and "1 234" are one thousand two hundred and
    /// thirty-four, "12,5" is twelve and a half) or a client sent (plain "12.5"); "có"/"không"
    /// are yes/no. The error is a sentence in Vietnamese for the field.
    /// A value read by its type, then held to the element's own bounds when it has them.
    public func parse(_ raw: String, typed: Bool = false, minimum: Double?, maximum: Double?) -> Result<Parsed, ValueError> {
        let parsed = parse(raw, typed: typed)
        guard case .success(let value) = parsed, let n = value.number, isNumeric, self != .yesNo else { return parsed }
        if let minimum, n < minimum { return .failure(.below(minimum)) }
        if let maximum, n > maximum { return .failure(.above(maximum)) }
        return parsed
    }

    public func parse(_ raw: String, typed: Bool = false) -> Result<Parsed, ValueError> {
        let text = raw.trimmedFast
        guard !text.isEmpty else { return .failure(.empty) }
        switch self {
        case .text:
            return text.count <= 2000 ? .success(Parsed(text: text, number: nil)) : .failure(.tooLong)
        case .yesNo:
            switch VietnameseText.folded(text) {
            case "true", "1", "co", "yes", "x": return .success(Parsed(text: "true", number: 1))
            case "false", "0", "khong", "no": return .success(Parsed(text: "false", number: 0))
            default: return .failure(.notYesNo)
            }
        case .integer, .zeroOrPositive, .positive:
            guard let n = Self.number(text, typed: typed), n == n.rounded(), abs(n) < 1e15 else { return .failure(.notInteger) }
            if self == .zeroOrPositive, n < 0 { return .failure(.negative) }
            if self == .positive, n < 1 { return .failure(.notPositive) }
            return .success(Parsed(text: String(Int64(n)), number: n))
        case .number, .percentage:
            guard let n = Self.number(text, typed: typed), n.isFinite else { return .failure(.notNumber) }
            if self == .percentage, n < 0 || n > 100 { return .failure(.notPercent) }
            return .success(Parsed(text: Self.canonical(n), number: n))
        }
    }

    /// Typed: Vietnamese notation, "." groups thousands and "," is the decimal comma; a lone "."
    /// not followed by exactly three digits is read as a decimal point. Sent: plain notation only.
    static func number(_ raw: String, typed: Bool) -> Double? {
        var s = raw
        if !typed { return plain(s) }
        s = s.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
        if s.contains(",") {
            s = s.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
        } else if s.filter({ $0 == "." }).count > 1 || s.range(of: #"^-?\d{1,3}\.\d{3}$"#, options: .regularExpression) != nil {
            s = s.replacingOccurrences(of: ".", with: "")
        }
        guard s.range(of: #"^[-+]?(\d+\.?\d*|\.\d+)$"#, options: .regularExpression) != nil else { return nil }
        return Double(s)
    }

    /// Plain notation as machines send it: sign, digits, one point, an exponent; nothing else
    /// (Swift's own parser would also take "inf", "nan" and hexadecimal). Scanned by hand: this
    /// runs once per imported value.
    static func plain(_ s: String) -> Double? {
        var digits = 0, points = 0, exponent = false, expDigits = 0, previous: UInt8 = 0
        for (i, c) in s.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): if exponent { expDigits += 1 } else { digits += 1 }
            case UInt8(ascii: "+"), UInt8(ascii: "-"): guard i == 0 || previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E") else { return nil }
            case UInt8(ascii: "."): guard !exponent else { return nil }; points += 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"): guard !exponent, digits > 0 else { return nil }; exponent = true
            default: return nil
            }
            previous = c
        }
        guard digits > 0, points <= 1, !exponent || expDigits > 0 else { return nil }
        return Double(s)
    }

    static func canonical(_ n: Double) -> String {
        n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
    }
}

/// Why a typed value was refused; `message` is what the officer reads next to the field.
public enum ValueError: Error, Sendable, Equatable {
    case empty, tooLong, notYesNo, notInteger, notNumber, notPercent, negative, notPositive
    /// Outside the element's own bounds (its min/max).
    case below(Double), above(Double)

    public var message: String {
        switch self {
        case .empty: "Chưa nhập giá trị."
        case .tooLong: "Tối đa 2.000 ký tự."
        case .notYesNo: "Chọn Có hoặc Không."
        case .notInteger: "Phải là số nguyên, ví dụ 12 hoặc 1.234."
        case .notNumber: "Phải là số, ví dụ 12,5."
        case .notPercent: "Tỷ lệ phải từ 0 đến 100."
        case .negative: "Số đếm không được âm."
        case .notPositive: "Phải là số nguyên từ 1 trở lên."
        case .below(let minimum): "Không được nhỏ hơn \(ValidationRule.show(minimum))."
        case .above(let maximum): "Không được lớn hơn \(ValidationRule.show(maximum))."
        }
    }
}

/// How values of one element combine over units and periods.
public enum Aggregation: String, Sendable, Codable, CaseIterable {
    case sum = "SUM"
    case average = "AVERAGE"
    /// The value of the latest period (e.g. "number of collaborators at the end of the year").
    case last = "LAST"

    public var label: String {
        switch self {
        case .sum: "Cộng dồn"
        case .average: "Trung bình"
        case .last: "Giá trị kỳ cuối"
        }
    }
}
