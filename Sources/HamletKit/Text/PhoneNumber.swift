import Foundation

/// Vietnamese mobile numbers: 10 digits starting with 0, or +84 / 84 followed by 9 digits.
public enum PhoneNumber {
    public static func normalized(_ raw: String) -> String? {
        var digits = raw.filter { !$0.isWhitespace && $0 != "." && $0 != "-" && $0 != "(" && $0 != ")" }
        if digits.hasPrefix("+84") { digits = "0" + digits.dropFirst(3) }
        else if digits.hasPrefix("84"), digits.count == 11 { digits = "0" + digits.dropFirst(2) }
        guard digits.count == 10, digits.hasPrefix("0"), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              digits.dropFirst().first != "0" else { return nil }
        return digits
    }
}
