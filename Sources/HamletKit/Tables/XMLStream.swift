/// A small streaming XML reader for the parts of an XLSX file: fed the bytes as they inflate, it
/// reports start tags (local name and attributes), end tags and text, keeping only the token in
/// hand. It knows the five predefined entities and character references and nothing else — no
/// DTD, no entity of a file's own — so a file cannot make it expand or fetch anything.
struct XMLStream {
    enum Event {
        case start(String, [String: String])
        case end(String)
        case text(String)
        /// A `<!DOCTYPE …>`: never read, but a reader may refuse a document that has one.
        case doctype
    }

    private enum State { case text, tag, comment, cdata }
    private var state = State.text
    private var token: [UInt8] = []
    private var quote: UInt8 = 0
    /// The longest text, tag or comment held at once.
    let maxToken: Int
    /// Keep attribute names as written (`xsi:type`, `xmlns`) instead of their local part.
    let qualifiedAttributes: Bool
    /// The line being read (for messages).
    private(set) var line = 1

    init(maxToken: Int = 4 << 20, qualifiedAttributes: Bool = false) { self.maxToken = maxToken; self.qualifiedAttributes = qualifiedAttributes }

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ handle: (Event, Int) throws -> Void) throws {
        for byte in bytes {
            if byte == 0x0A { line += 1 }
            switch state {
            case .text:
                if byte == UInt8(ascii: "<") {
                    if !token.isEmpty { try handle(.text(Self.decode(token)), line); token.removeAll(keepingCapacity: true) }
                    state = .tag
                } else {
                    token.append(byte)
                }
            case .tag:
                if quote != 0 {
                    if byte == quote { quote = 0 }
                    token.append(byte)
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte; token.append(byte)
                } else if byte == UInt8(ascii: ">") {
                    try tag(handle)
                } else {
                    token.append(byte)
                    if token.count == 3, token == Array("!--".utf8) { state = .comment }
                    if token.count == 8, token == Array("![CDATA[".utf8) { state = .cdata; token.removeAll(keepingCapacity: true) }
                }
            case .comment:
                token.append(byte)
                if byte == UInt8(ascii: ">"), token.count >= 5, token.suffix(3).elementsEqual("-->".utf8) {
                    token.removeAll(keepingCapacity: true); state = .text
                }
            case .cdata:
                token.append(byte)
                if byte == UInt8(ascii: ">"), token.suffix(3).elementsEqual("]]>".utf8) {
                    try handle(.text(String(decoding: token.dropLast(3), as: UTF8.self)), line)
                    token.removeAll(keepingCapacity: true); state = .text
                }
            }
            if token.count > maxToken { throw TableError.tooLarge("một ô hoặc thẻ dài quá \(megabytes(maxToken))") }
        }
    }

    private mutating func tag(_ handle: (Event, Int) throws -> Void) throws {
        defer { token.removeAll(keepingCapacity: true); state = .text }
        guard let first = token.first else { return }
        if first == UInt8(ascii: "!") {
            if token.count >= 8, String(decoding: token[1..<8], as: UTF8.self).uppercased() == "DOCTYPE" { try handle(.doctype, line) }
            return
        }
        if first == UInt8(ascii: "?") { return }   // the declaration
        if first == UInt8(ascii: "/") {
            return try handle(.end(Self.localName(token.dropFirst())), line)
        }
        let selfClosing = token.last == UInt8(ascii: "/")
        let body = selfClosing ? token.dropLast() : token[...]
        let nameEnd = body.firstIndex(where: Self.isSpace) ?? body.endIndex
        let name = Self.localName(body[body.startIndex..<nameEnd])
        try handle(.start(name, Self.attributes(body[nameEnd...], qualified: qualifiedAttributes)), line)
        if selfClosing { try handle(.end(name), line) }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// "x:row" → "row": some writers prefix every element.
    static func localName(_ bytes: ArraySlice<UInt8>) -> String {
        let trimmed = bytes.prefix { !isSpace($0) }
        let local = trimmed.lastIndex(of: UInt8(ascii: ":")).map { trimmed[($0 + 1)...] } ?? trimmed
        return String(decoding: local, as: UTF8.self)
    }

    static func attributes(_ bytes: ArraySlice<UInt8>, qualified: Bool = false) -> [String: String] {
        var out: [String: String] = [:]
        var i = bytes.startIndex
        while i < bytes.endIndex {
            while i < bytes.endIndex, isSpace(bytes[i]) { i += 1 }
            let nameStart = i
            while i < bytes.endIndex, bytes[i] != UInt8(ascii: "="), !isSpace(bytes[i]) { i += 1 }
            let name = qualified ? String(decoding: bytes[nameStart..<i], as: UTF8.self) : localName(bytes[nameStart..<i])
            while i < bytes.endIndex, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "'") { i += 1 }
            guard i < bytes.endIndex else { break }
            let q = bytes[i]; i += 1
            let valueStart = i
            while i < bytes.endIndex, bytes[i] != q { i += 1 }
            if !name.isEmpty { out[name] = decode(bytes[valueStart..<min(i, bytes.endIndex)]) }
            i += 1
        }
        return out
    }

    /// Text with &amp; &lt; &gt; &quot; &apos; and &#…; decoded; any other reference stays as written.
    static func decode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        let text = String(decoding: bytes, as: UTF8.self)
        var out = "", rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[rest.startIndex..<amp]
            guard let semi = rest[amp...].prefix(12).firstIndex(of: ";") else { out += "&"; rest = rest[rest.index(after: amp)...]; continue }
            let name = rest[rest.index(after: amp)..<semi]
            switch name {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X"), let v = UInt32(name.dropFirst(2), radix: 16), let s = Unicode.Scalar(v) { out.unicodeScalars.append(s) }
                else if name.hasPrefix("#"), let v = UInt32(name.dropFirst()), let s = Unicode.Scalar(v) { out.unicodeScalars.append(s) }
                else { out += "&" + name + ";" }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}
