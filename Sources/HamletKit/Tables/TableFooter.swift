import Foundation

/// Where a table a person typed ends: the lines under it that are not records (the signature
/// block "Người lập biểu", "Thủ trưởng đơn vị", "Kế toán", "(Ký, ghi rõ họ tên)", the place and
/// date line "…, ngày … tháng … năm …"). From the first such line on, nothing is a record (the
/// signers' names come under it).
public enum TableFooter {
    static let phrases = ["nguoi lap bieu", "nguoi lap", "thu truong don vi", "thu truong", "ke toan truong", "ky, ghi ro ho ten", "ky ghi ro ho ten",
                          "ky ten", "xac nhan cua", "tm. uy ban nhan dan", "tm uy ban nhan dan", "chu tich", "giam doc", "noi nhan"]

    /// Whether a row is a footer line: at most three filled cells, each a signature phrase or a
    /// place-and-date line.
    public static func isFooter(_ cells: [String]) -> Bool {
        let filled = cells.map { VietnameseText.folded($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !filled.isEmpty, filled.count <= 3 else { return false }
        return filled.allSatisfy { text in
            let words = text.trimmingCharacters(in: CharacterSet(charactersIn: "()[]:.- "))
            if phrases.contains(where: { words == $0 || words.hasPrefix($0 + " ") || words.hasPrefix("(" + $0) }) { return true }
            if text.contains("ky, ghi ro") || text.contains("ky va ghi ro") { return true }
            // "An Giang, ngày 05 tháng 12 năm 2026" or "…, ngày … tháng … năm …"
            return text.contains("ngay") && text.contains("thang") && text.contains("nam") && text.count <= 80
        }
    }

    /// The index of the first footer line, if any.
    public static func start(_ rows: [SheetRow]) -> Int? {
        rows.firstIndex { isFooter($0.cells) }
    }
}
