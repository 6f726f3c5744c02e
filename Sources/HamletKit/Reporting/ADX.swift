import Foundation

/// IHE ADX (Aggregate Data Exchange) documents: groups of values for one unit and period, each
/// value with its disaggregation written as attributes (category code = option code).
public enum ADX {
    public static let namespace = "urn:ihe:qrph:adx:2015"
    public static let contentType = "application/adx+xml"

    public struct Group: Sendable, Equatable {
        public var orgUnit: String
        /// As written: `2026-01-01/P1M` (a DHIS2 id such as `202601` is read too).
        public var period: String
        public var dataSet: String?
        public var completeDate: String?
        /// Group attributes ADX would read as attribute categories, which Hamlet does not use.
        public var otherAttributes: [String: String]
        public var values: [Value]

        public init(orgUnit: String, period: String, dataSet: String? = nil, completeDate: String? = nil,
                    otherAttributes: [String: String] = [:], values: [Value]) {
            self.orgUnit = orgUnit; self.period = period; self.dataSet = dataSet; self.completeDate = completeDate
            self.otherAttributes = otherAttributes; self.values = values
        }
    }

    public struct Value: Sendable, Equatable {
        public var dataElement: String
        public var value: String?
        /// Category code → option code.
        public var disaggregation: [String: String]
        public var annotation: String?

        public init(dataElement: String, value: String?, disaggregation: [String: String] = [:], annotation: String? = nil) {
            self.dataElement = dataElement; self.value = value; self.disaggregation = disaggregation; self.annotation = annotation
        }
    }

    public struct ReadError: Error, Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    /// Reads a document; a malformed one is refused whole, naming its line.
    public static func read(_ data: Data) throws -> [Group] {
        var groups: [Group] = []
        var stream = Stream()
        try data.withUnsafeBytes { bytes in
            try stream.feed(bytes) { item in
                switch item {
                case .group(let g): groups.append(g)
                case .value(let v): groups[groups.count - 1].values.append(v)
                }
            }
        }
        try stream.finish()
        return groups
    }

    /// A document read as a stream of groups and values, fed its bytes as they come: a large
    /// file is never held as values all at once. It knows no DTD (one is refused) and expands no
    /// entity of a file's own.
    public struct Stream: Sendable {
        public enum Item: Sendable { case group(Group), value(Value) }
        private var xml = XMLStream(qualifiedAttributes: true)
        private var open: [(name: String, line: Int)] = []
        private var sawRoot = false, inGroup = false, value: Value?, annotation: String?

        public init() {}

        public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (Item) throws -> Void) throws {
            var parser = xml
            defer { xml = parser }
            do {
                try parser.feed(bytes) { event, line in try take(event, line: line, emit) }
            } catch let error as TableError {
                throw ReadError(line: parser.line, message: "Tệp ADX: \(error.description)")
            }
        }

        /// The end of the document: every element closed, and it was an ADX one.
        public func finish() throws {
            if let last = open.last { throw ReadError(line: last.line, message: "Dòng \(last.line): thẻ <\(last.name)> chưa đóng.") }
            guard sawRoot else { throw ReadError(line: 1, message: "Tệp ADX phải có phần tử gốc <adx xmlns=\"\(namespace)\">.") }
        }

        private mutating func take(_ event: XMLStream.Event, line: Int, _ emit: (Item) throws -> Void) throws {
            func fail(_ message: String) -> ReadError { ReadError(line: line, message: "Dòng \(line): " + message) }
            switch event {
            case .start(let name, let attributes):
                open.append((name, line))
                switch name {
                case "adx":
                    if let ns = attributes["xmlns"], !ns.isEmpty, ns != namespace { throw fail("không gian tên của <adx> phải là \(namespace).") }
                    sawRoot = true
                case "group":
                    guard sawRoot else { throw fail("<group> phải nằm trong <adx>.") }
                    guard let unit = attributes["orgUnit"], let period = attributes["period"] else { throw fail("<group> cần orgUnit và period.") }
                    var others = attributes
                    for known in ["orgUnit", "period", "dataSet", "completeDate", "comment"] { others[known] = nil }
                    inGroup = true
                    try emit(.group(Group(orgUnit: unit, period: period, dataSet: attributes["dataSet"], completeDate: attributes["completeDate"],
                                          otherAttributes: others.filter { !$0.key.contains(":") && $0.key != "xmlns" }, values: [])))
                case "dataValue":
                    guard inGroup else { throw fail("<dataValue> phải nằm trong <group>.") }
                    guard let element = attributes["dataElement"] else { throw fail("<dataValue> cần dataElement.") }
                    var rest = attributes
                    rest["dataElement"] = nil; rest["value"] = nil
                    value = Value(dataElement: element, value: attributes["value"], disaggregation: rest.filter { !$0.key.contains(":") && $0.key != "xmlns" })
                case "annotation": annotation = ""
                default: break
                }
            case .text(let text):
                if annotation != nil { annotation! += text }
            case .doctype:
                // ADX has no DTD; one in a file could only declare entities to expand or fetch.
                throw fail("tệp ADX không được có khai báo DOCTYPE.")
            case .end(let name):
                guard let top = open.popLast() else { throw fail("thẻ đóng </\(name)> thừa.") }
                guard top.name == name else { throw ReadError(line: top.line, message: "Dòng \(top.line): thẻ <\(top.name)> chưa đóng.") }
                switch name {
                case "annotation":
                    value?.annotation = annotation?.trimmingCharacters(in: .whitespacesAndNewlines); annotation = nil
                case "dataValue":
                    if let v = value { try emit(.value(v)) }
                    value = nil
                case "group": inGroup = false
                default: break
                }
            }
        }
    }

    /// Writes a document; groups and attributes keep the order given, so the output is stable.
    public static func write(_ groups: [Group], exported: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adx xmlns=\"\(namespace)\" exported=\"\(escape(exported))\">\n"
        for g in groups {
            out += "  <group orgUnit=\"\(escape(g.orgUnit))\" period=\"\(escape(g.period))\""
            if let set = g.dataSet { out += " dataSet=\"\(escape(set))\"" }
            if let done = g.completeDate { out += " completeDate=\"\(escape(done))\"" }
            out += ">\n"
            for v in g.values {
                out += "    <dataValue dataElement=\"\(escape(v.dataElement))\""
                for (category, option) in v.disaggregation.sorted(by: { $0.key < $1.key }) { out += " \(category)=\"\(escape(option))\"" }
                out += " value=\"\(escape(v.value ?? ""))\""
                if let note = v.annotation { out += "><annotation>\(escape(note))</annotation></dataValue>\n" } else { out += "/>\n" }
            }
            out += "  </group>\n"
        }
        return out + "</adx>\n"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A category code must be an XML name to be written as an attribute.
    public static func isAttributeName(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
    }
}

extension Period {
    /// ADX names a period by its first day and an ISO 8601 duration: `2026-01-01/P1M`, `/P3M`,
    /// `/P6M`, `/P1Y` (or `/P12M`). Only Hamlet's own periods are read: a quarter starts in
    /// January, April, July or October. A DHIS2 id (`202601`) is read as well.
    public init?(adx text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/")
        guard parts.count == 2 else { self.init(text); return }
        guard let start = DayDate(String(parts[0])), start.day == 1 else { return nil }
        let kinds: [String: Periodicity] = ["P1M": .monthly, "P3M": .quarterly, "P6M": .sixMonthly, "P1Y": .yearly, "P12M": .yearly]
        guard let kind = kinds[parts[1].uppercased()], (start.month - 1) % kind.months == 0 else { return nil }
        self.init(kind, year: start.year, index: (start.month - 1) / kind.months + 1)
    }

    public var adx: String {
        let duration: [Periodicity: String] = [.monthly: "P1M", .quarterly: "P3M", .sixMonthly: "P6M", .yearly: "P1Y"]
        return start.iso + "/" + duration[periodicity]!
    }
}
