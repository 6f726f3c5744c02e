import Foundation

/// Form text read the way officers type it; a blank box is nil, a bad one names its field.
package enum FormValue {
    /// Whole đồng, with or without thousands dots: "1.500.000".
    package static func money(_ raw: String?, field: String) throws -> Int64? {
        let text = (raw ?? "").replacingOccurrences(of: ".", with: "").replacingOccurrences(of: " ", with: "")
        if text.isEmpty { return nil }
        guard let value = Int64(text) else { throw HamletError.invalid(field, "Kinh phí phải là số đồng, ví dụ 1.500.000.") }
        return value
    }

    /// A whole number as typed: "1.234", "1 234" and "1234" alike; nil when it is not one.
    package static func integer(_ raw: String) -> Int? {
        Int(raw.filter { !" .\u{00A0}".contains($0) })
    }

    package static func year(_ raw: String?, field: String) throws -> Int? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let year = Int(raw) else { throw HamletError.invalid(field, "Năm phải là số, ví dụ 2025.") }
        return year
    }
}
