import Foundation

/// Vietnamese text rules: folding for search and the official sort order for names.
public enum VietnameseText {
    /// Text as stored: NFC, trimmed, inner runs of white space collapsed to one space.
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }

    /// Text as searched: lower case, no diacritics, đ → d. NFC and NFD input fold alike.
    /// Foundation's diacritic folding leaves đ alone (it is a letter, not a mark), hence the map.
    public static func folded(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in normalized(text).decomposedStringWithCanonicalMapping.unicodeScalars {
            if (0x0300...0x036F).contains(scalar.value) { continue }
            switch scalar {
            case "đ", "Đ": out.append("d")
            default:
                for lower in String(scalar).lowercased().unicodeScalars { out.append(lower) }
            }
        }
        return String(out)
    }

    /// Splits a full name into family, middle and given parts ("Nguyễn Thị Hoa" → Nguyễn / Thị / Hoa).
    public static func nameParts(_ fullName: String) -> (family: String, middle: String, given: String) {
        let words = normalized(fullName).split(separator: " ").map(String.init)
        switch words.count {
        case 0: return ("", "", "")
        case 1: return ("", "", words[0])
        default:
            return (words[0], words.dropFirst().dropLast().joined(separator: " "), words[words.count - 1])
        }
    }
}

extension String {
    /// Without surrounding white space; the common case (none) costs no Foundation call.
    public var trimmedFast: String {
        // ASCII ends that are not spaces: nothing to trim, and no Unicode property lookups.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension String {
    /// nil for an empty text: a form's field left empty is no value.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
