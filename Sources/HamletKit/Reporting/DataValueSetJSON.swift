import Foundation

/// DHIS2's data value set JSON read straight from its bytes. A large import's payload is
/// 100,000 small objects, and a general decoder spent more time on them than the checks and the
/// writes that follow; this reader knows the layout and makes one pass, with no value boxed.
/// Like DHIS2 it takes a value written as a number (`"value": 5`) as its text, and `true` or
/// `"true"` for a flag. Keys it does not know are skipped.
public struct DataValueSetJSON: Sendable, Equatable {
    /// One value, as the server also writes it back out (Codable) and imports it from CSV and ADX.
    public struct Value: Sendable, Equatable, Codable {
        public var dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo: String?
        public var value, storedBy, created, lastUpdated, comment: String?
        public var followup, deleted: Bool?
        public init(dataElement: String? = nil, period: String? = nil, orgUnit: String? = nil, categoryOptionCombo: String? = nil,
                    attributeOptionCombo: String? = nil, value: String? = nil, storedBy: String? = nil, created: String? = nil,
                    lastUpdated: String? = nil, comment: String? = nil, followup: Bool? = nil, deleted: Bool? = nil) {
            self.dataElement = dataElement; self.period = period; self.orgUnit = orgUnit; self.categoryOptionCombo = categoryOptionCombo
            self.attributeOptionCombo = attributeOptionCombo; self.value = value; self.storedBy = storedBy; self.created = created
            self.lastUpdated = lastUpdated; self.comment = comment; self.followup = followup; self.deleted = deleted
        }
    }

    /// Why a payload could not be read: `field` is the key whose value was wrong, when there is one.
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
        public var field: String?
    }

    public var dataSet, completeDate, period, orgUnit, attributeOptionCombo: String?
    public var dataValues: [Value] = []

    public init() {}

    public static func read(_ bytes: UnsafeRawBufferPointer) throws -> DataValueSetJSON {
        var reader = ValueSetReader(bytes: bytes)
        let set = try reader.valueSet()
        try set.checkHeader()
        return set
    }

    /// A header field sent empty names nothing: refused, rather than an import of nothing that
    /// answers SUCCESS (a value's own empty field is refused as a conflict on that value).
    func checkHeader() throws {
        for (name, value) in [("orgUnit", orgUnit), ("period", period), ("dataSet", dataSet)] where value?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            throw Failure(message: "\(name) của cả bộ số liệu để trống: bỏ trường này hoặc ghi giá trị", field: name)
        }
    }

    public static func read(_ bytes: [UInt8]) throws -> DataValueSetJSON {
        try bytes.withUnsafeBytes { try read($0) }
    }
}

/// A value set's values read a batch at a time from its bytes, so a large payload is never held
/// as values all at once. Opening it reads the header and checks the whole text is JSON (the
/// values' own fields are checked as each batch is read); `rewind` starts again from the first.
public struct DataValueSetBatches: Sendable {
    public let header: DataValueSetJSON
    let data: Data
    let first: Int?
    var next: Int?

    public init(_ data: Data) throws {
        self.data = data
        var header = DataValueSetJSON(), first: Int? = nil
        try data.withUnsafeBytes { bytes in
            var reader = ValueSetReader(bytes: UnsafeRawBufferPointer(bytes))
            header = try reader.valueSet(skippingValuesAt: &first)
        }
        try header.checkHeader()
        self.header = header; self.first = first; self.next = first
    }

    public mutating func rewind() { next = first }

    /// Up to `count` more values, with the header's period, unit and attribute combination filled
    /// in where a value leaves them out; empty when all have been read.
    public mutating func read(_ count: Int) throws -> [DataValueSetJSON.Value] {
        guard let start = next else { return [] }
        var out: [DataValueSetJSON.Value] = []
        out.reserveCapacity(count)
        var position: Int? = start
        try data.withUnsafeBytes { bytes in
            var reader = ValueSetReader(bytes: UnsafeRawBufferPointer(bytes))
            reader.i = start
            while out.count < count, position != nil {
                var (value, more) = try reader.element()
                if value.period == nil { value.period = header.period }
                if value.orgUnit == nil { value.orgUnit = header.orgUnit }
                if value.attributeOptionCombo == nil { value.attributeOptionCombo = header.attributeOptionCombo }
                out.append(value)
                position = more ? reader.i : nil
            }
        }
        next = position
        return out
    }
}

struct ValueSetReader {
    let bytes: UnsafeRawBufferPointer
    var i = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }  // a byte-order mark
    }

    enum Key: CaseIterable {
        case dataSet, completeDate, period, orgUnit, attributeOptionCombo, dataValues
        case dataElement, categoryOptionCombo, value, storedBy, created, lastUpdated, comment, followup, deleted
        var name: String { "\(self)" }
    }
    static let names: [(Key, [UInt8])] = Key.allCases.map { ($0, Array($0.name.utf8)) }

    mutating func valueSet() throws -> DataValueSetJSON {
        var first: Int? = nil
        return try valueSet(skippingValuesAt: &first, read: true)
    }

    /// The header, with the values array skipped: `first` is where its first value starts
    /// (nil for an empty or null array).
    mutating func valueSet(skippingValuesAt first: inout Int?, read: Bool = false) throws -> DataValueSetJSON {
        var set = DataValueSetJSON()
        var sawValues = false
        skipSpace()
        guard i < bytes.count else { throw fail("không có dữ liệu") }
        try members { r, key in
            switch key {
            case .dataSet?: set.dataSet = try r.text(.dataSet)
            case .completeDate?: set.completeDate = try r.text(.completeDate)
            case .period?: set.period = try r.text(.period)
            case .orgUnit?: set.orgUnit = try r.text(.orgUnit)
            case .attributeOptionCombo?: set.attributeOptionCombo = try r.text(.attributeOptionCombo)
            case .dataValues? where read: sawValues = true; set.dataValues = try r.values()
            case .dataValues?:
                sawValues = true
                r.skipSpace()
                if r.literal("null") { first = nil; return }
                guard r.peek == 0x5B else { throw r.typeFailure(.dataValues) }
                let open = r.i
                try r.skipValue(depth: 0)
                var probe = r
                probe.i = open + 1
                probe.skipSpace()
                first = probe.peek == 0x5D ? nil : probe.i
            default: try r.skipValue(depth: 0)
            }
        }
        skipSpace()
        guard i == bytes.count else { throw fail("còn ký tự thừa sau khi hết JSON") }
        guard sawValues else { throw DataValueSetJSON.Failure(message: "thiếu trường dataValues", field: "dataValues") }
        return set
    }

    /// One value of the array, and whether another follows.
    mutating func element() throws -> (DataValueSetJSON.Value, Bool) {
        skipSpace()
        guard peek == 0x7B else { throw typeFailure(.dataValues) }
        var v = DataValueSetJSON.Value()
        try members { r, key in
            switch key {
            case .dataElement?: v.dataElement = try r.text(.dataElement)
            case .period?: v.period = try r.text(.period)
            case .orgUnit?: v.orgUnit = try r.text(.orgUnit)
            case .categoryOptionCombo?: v.categoryOptionCombo = try r.text(.categoryOptionCombo)
            case .attributeOptionCombo?: v.attributeOptionCombo = try r.text(.attributeOptionCombo)
            case .value?: v.value = try r.text(.value)
            case .storedBy?: v.storedBy = try r.text(.storedBy)
            case .created?: v.created = try r.text(.created)
            case .lastUpdated?: v.lastUpdated = try r.text(.lastUpdated)
            case .comment?: v.comment = try r.text(.comment)
            case .followup?: v.followup = try r.flag(.followup)
            case .deleted?: v.deleted = try r.flag(.deleted)
            default: try r.skipValue(depth: 0)
            }
        }
        skipSpace()
        guard i < bytes.count else { throw fail("thiếu “]”") }
        if bytes[i] == 0x2C { i += 1; return (v, true) }
        guard bytes[i] == 0x5D else { throw fail("cần “,” hoặc “]”") }
        i += 1
        return (v, false)
    }

    mutating func values() throws -> [DataValueSetJSON.Value] {
        skipSpace()
        if literal("null") { return [] }
        guard peek == 0x5B else { throw typeFailure(.dataValues) }
        i += 1
        var out: [DataValueSetJSON.Value] = []
        out.reserveCapacity(max(16, (bytes.count - i) / 120))
        skipSpace()
        if peek == 0x5D { i += 1; return out }
        while true {
            let (value, more) = try element()
            out.append(value)
            if !more { return out }
        }
    }

    /// The members of the object starting here; `body` reads each member's value (nil: a key
    /// this reader does not know).
    mutating func members(_ body: (inout ValueSetReader, Key?) throws -> Void) throws {
        skipSpace()
        guard peek == 0x7B else { throw fail("cần một đối tượng JSON “{”") }
        i += 1
        skipSpace()
        if peek == 0x7D { i += 1; return }
        while true {
            skipSpace()
            guard peek == 0x22 else { throw fail("cần tên trường trong dấu ngoặc kép") }
            let key = try keyName()
            skipSpace()
            guard peek == 0x3A else { throw fail("cần “:” sau tên trường") }
            i += 1
            skipSpace()
            try body(&self, key)
            skipSpace()
            guard i < bytes.count else { throw fail("thiếu “}”") }
            if bytes[i] == 0x2C { i += 1; continue }
            guard bytes[i] == 0x7D else { throw fail("cần “,” hoặc “}”") }
            i += 1
            return
        }
    }

    /// A key compared as bytes: no string is made for the keys of 100,000 objects.
    mutating func keyName() throws -> Key? {
        let start = i + 1
        var j = start
        while j < bytes.count, bytes[j] != 0x22, bytes[j] != 0x5C { j += 1 }
        if j < bytes.count, bytes[j] == 0x22 {
            i = j + 1
            let span = UnsafeRawBufferPointer(rebasing: bytes[start..<j])
            return Self.names.first { $0.1.count == span.count && $0.1.elementsEqual(span) }?.0
        }
        let name = try string()
        return Key.allCases.first { $0.name == name }
    }

    /// A text field: a string, or a number or flag as written; null is no value.
    mutating func text(_ key: Key) throws -> String? {
        guard i < bytes.count else { throw fail("thiếu giá trị") }
        switch bytes[i] {
        case 0x22: return try string()
        case 0x2D, 0x30...0x39: return try number()
        default:
            if literal("null") { return nil }
            if literal("true") { return "true" }
            if literal("false") { return "false" }
            throw typeFailure(key)
        }
    }

    mutating func flag(_ key: Key) throws -> Bool? {
        if literal("null") { return nil }
        if literal("true") { return true }
        if literal("false") { return false }
        if peek == 0x22 {
            switch try string().lowercased() {
            case "true": return true
            case "false": return false
            default: break
            }
        }
        throw typeFailure(key)
    }

    mutating func string() throws -> String {
        i += 1
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x22 { i += 1; return try text(UnsafeRawBufferPointer(rebasing: bytes[start..<(i - 1)])) }
            if b == 0x5C { break }
            guard b >= 0x20 else { throw fail("ký tự điều khiển trong chuỗi") }
            i += 1
        }
        guard i < bytes.count else { throw fail("chuỗi chưa đóng ngoặc kép") }
        var out = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == 0x22 { return try out.withUnsafeBytes { try text($0) } }
            guard b >= 0x20 else { i -= 1; throw fail("ký tự điều khiển trong chuỗi") }
            guard b == 0x5C else { out.append(b); continue }
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case 0x22, 0x5C, 0x2F: out.append(e)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar), literal("\\u") {
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("cặp \\u không hợp lệ") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let character = Unicode.Scalar(scalar) else { throw fail("mã \\u không hợp lệ") }
                out.append(contentsOf: String(Character(character)).utf8)
            default: i -= 1; throw fail("mã thoát “\\\(Character(Unicode.Scalar(e)))” không hợp lệ")
            }
        }
        throw fail("chuỗi chưa đóng ngoặc kép")
    }

    /// Text that is not UTF-8 is refused rather than repaired: a stored value must be what was sent.
    func text(_ span: UnsafeRawBufferPointer) throws -> String {
        guard let s = String(validating: span, as: UTF8.self) else { throw fail("chuỗi không phải UTF-8") }
        return s
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("\\u cần 4 chữ số hệ 16") }
        var n: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x41...0x46: d = b - 0x37
            case 0x61...0x66: d = b - 0x57
            default: throw fail("\\u cần 4 chữ số hệ 16")
            }
            n = n << 4 | UInt32(d)
            i += 1
        }
        return n
    }

    /// A number as written, checked against JSON's grammar.
    mutating func number() throws -> String {
        let start = i
        if peek == 0x2D { i += 1 }
        guard digits() > 0 else { throw fail("số không hợp lệ") }
        if peek == 0x2E { i += 1; guard digits() > 0 else { throw fail("số không hợp lệ") } }
        if peek == 0x65 || peek == 0x45 {
            i += 1
            if peek == 0x2B || peek == 0x2D { i += 1 }
            guard digits() > 0 else { throw fail("số không hợp lệ") }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }

    mutating func digits() -> Int {
        let start = i
        while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
        return i - start
    }

    /// Skips any JSON value; nesting is bounded so a hostile payload cannot exhaust the stack.
    mutating func skipValue(depth: Int) throws {
        guard depth < 200 else { throw fail("lồng quá sâu") }
        skipSpace()
        guard i < bytes.count else { throw fail("thiếu giá trị") }
        switch bytes[i] {
        case 0x22: _ = try string()
        case 0x2D, 0x30...0x39: _ = try number()
        case 0x7B: try members { (reader: inout ValueSetReader, _: Key?) in try reader.skipValue(depth: depth + 1) }
        case 0x5B:
            i += 1
            skipSpace()
            if peek == 0x5D { i += 1; return }
            while true {
                try skipValue(depth: depth + 1)
                skipSpace()
                guard i < bytes.count else { throw fail("thiếu “]”") }
                if bytes[i] == 0x2C { i += 1; continue }
                guard bytes[i] == 0x5D else { throw fail("cần “,” hoặc “]”") }
                i += 1
                return
            }
        default:
            guard literal("null") || literal("true") || literal("false") else { throw fail("giá trị không hợp lệ") }
        }
    }

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { return false }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return false }
        i += n
        return true
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    func fail(_ what: String) -> DataValueSetJSON.Failure {
        .init(message: "JSON hỏng ở byte \(i): \(what)", field: nil)
    }

    func typeFailure(_ key: Key) -> DataValueSetJSON.Failure {
        .init(message: "trường \(key.name) sai kiểu giá trị", field: key.name)
    }
}
