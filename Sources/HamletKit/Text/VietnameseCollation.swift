import Foundation

/// The official order of names in Vietnamese lists: by given name, then family and middle name,
/// letters in the Vietnamese alphabet (a ă â b c d đ e ê …), then tones in dictionary order
/// (ngang, huyền, hỏi, ngã, sắc, nặng). The key is plain ASCII, so a database sorts it by bytes.
public enum VietnameseCollation {
    static let alphabet: [Character] = Array("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
    static let tones: [UInt32: Int] = [0x0300: 1, 0x0309: 2, 0x0303: 3, 0x0301: 4, 0x0323: 5]

    /// A byte-comparable key for a person's full name, given name first.
    /// Each part is compared whole (letters, then tones) before the next one counts.
    public static func nameKey(_ fullName: String) -> String {
        let parts = VietnameseText.nameParts(fullName)
        return [parts.given, parts.family, parts.middle].map(key).joined(separator: " ")
    }

    /// A byte-comparable key for any text in Vietnamese alphabetical order.
    public static func key(_ text: String) -> String {
        var primary = ""
        var secondary = ""
        for character in VietnameseText.normalized(text).lowercased() {
            let (base, tone) = split(character)
            if base == " " {
                primary.append(" ")
            } else if let index = alphabet.firstIndex(of: base) {
                primary.append(Character(UnicodeScalar(UInt8(0x41 + index))))
                secondary.append(Character(String(tone)))
            } else if base.isNumber, base.isASCII {
                primary.append(base)
                secondary.append("0")
            } else {
                primary.append("~")
                secondary.append("0")
            }
        }
        // "!" sorts after " " (between name parts) and before every letter, so a shorter word comes first.
        return primary + "!" + secondary
    }

    /// Splits a letter into its base letter (keeping ă â ê ô ơ ư đ) and its tone number.
    static func split(_ character: Character) -> (Character, Int) {
        var tone = 0
        var kept = String.UnicodeScalarView()
        for scalar in String(character).decomposedStringWithCanonicalMapping.unicodeScalars {
            if let t = tones[scalar.value] { tone = t } else { kept.append(scalar) }
        }
        let base = String(kept).precomposedStringWithCanonicalMapping
        return (base.first ?? character, tone)
    }

    /// Sorts values by the official name order.
    public static func sortedByName<T>(_ values: [T], name: (T) -> String) -> [T] {
        values.map { (nameKey(name($0)), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
