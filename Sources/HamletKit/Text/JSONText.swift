/// JSON written by hand for bulk hand-overs (SQLite's `json_each`), where an encoder's
/// per-value cost would outweigh the insert it feeds.
public enum JSONText {
    /// Appends `s` as a JSON string: quotes, backslashes and control characters escaped,
    /// everything else (Vietnamese included) as its UTF-8 bytes.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in s.utf8 {
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x00..<0x20:
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }

    /// Appends a finite number in the shortest text that reads back as the same `Double`, always
    /// with a point or an exponent (`12.0`), so SQLite reads it as a real, not an integer.
    /// JSON has no infinity or NaN, so those are refused.
    public static func appendNumber(_ d: Double, to out: inout [UInt8]) -> Bool {
        guard d.isFinite else { return false }
        out.append(contentsOf: d.description.utf8)
        return true
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
