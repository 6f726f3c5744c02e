import Foundation

/// The 12-digit citizen identity number (CCCD, Thông tư 07/2016/TT-BCA): three digits of the
/// province of birth registration, one of sex and century, two of the birth year, six of serial.
public enum CitizenID {
    /// The 63 province codes in use (001 Hà Nội … 096 Cà Mau).
    public static let provinces: Set<String> = Set(["001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
        "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048", "049", "051",
        "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084",
        "086", "087", "089", "091", "092", "093", "094", "095", "096"])

    public enum Problem: Error, Equatable, Sendable {
        case length(Int), notDigits, province(String)
        public var message: String {
            switch self {
            case .length(let n): return "Số CCCD gồm đúng 12 chữ số (ô này có \(n))."
            case .notDigits: return "Số CCCD chỉ gồm chữ số."
            case .province(let code): return "Số CCCD bắt đầu bằng mã tỉnh \(code), không có mã tỉnh này (001–096)."
            }
        }
    }

    /// Reads a cell. Excel drops the leading zero of a number, so an 11-digit cell it stored as a
    /// number gets its zero back; text is taken as typed (11 digits typed as text is an error).
    public static func read(_ raw: String, storedAsNumber: Bool) -> Result<String, Problem> {
        var text = raw.filter { !$0.isWhitespace }
        if storedAsNumber, text.hasSuffix(".0") { text.removeLast(2) }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .failure(.notDigits) }
        if storedAsNumber, text.count == 11 { text = "0" + text }
        guard text.count == 12 else { return .failure(.length(text.count)) }
        let province = String(text.prefix(3))
        guard provinces.contains(province) else { return .failure(.province(province)) }
        return .success(text)
    }

    /// Where the number's own digits disagree with the row's sex ("male"/"female") and birth year.
    public static func disagreements(_ id: String, sex: String?, birthYear: Int?) -> [String] {
        let digits = Array(id)
        guard digits.count == 12, let code = digits[3].wholeNumberValue, let yy = Int(String(digits[4...5])) else { return [] }
        let century = 1900 + (code / 2) * 100
        var out: [String] = []
        if let sex, (code % 2 == 1) != (sex == "female") { out.append("giới tính (chữ số thứ 4 là \(code): \(code % 2 == 1 ? "nữ" : "nam"))") }
        if let birthYear, birthYear != century + yy { out.append("năm sinh (số CCCD cho năm \(century + yy))") }
        return out
    }
}
