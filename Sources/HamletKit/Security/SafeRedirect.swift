/// Where a form may send the browser after it: a path of this site only. Anything a browser could
/// read as another host is refused: `//host`, `/\host`, a scheme, and control or space characters,
/// which browsers drop (`/%09/evil` becomes `//evil`). Checked on the text as sent and as decoded.
public enum SafeRedirect {
    public static func path(_ raw: String?, fallback: String = "/") -> String {
        guard let raw, !raw.isEmpty, raw.count <= 2_000 else { return fallback }
        let decoded = raw.removingPercentEncoding ?? raw
        for text in [raw, decoded] {
            guard text.hasPrefix("/"), !text.hasPrefix("//") else { return fallback }
            if text.contains("\\") { return fallback }
            if text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || $0.properties.isWhitespace }) {
                return fallback
            }
        }
        return raw
    }
}
