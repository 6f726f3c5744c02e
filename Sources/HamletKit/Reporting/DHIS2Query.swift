import Foundation

/// A JSON value built by hand, so a DHIS2 metadata answer can carry only the fields asked for.
public enum JSONValue: Encodable, Equatable, Sendable {
    case string(String), int(Int), bool(Bool), null
    case array([JSONValue])
    case object([String: JSONValue])

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .int(let i): try c.encode(i)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The values at a dotted path (`parent.id`); arrays on the way are walked through.
    public func values(at path: [Substring]) -> [JSONValue] {
        guard let head = path.first else { return [self] }
        switch self {
        case .object(let o): return o[String(head)].map { $0.values(at: Array(path.dropFirst())) } ?? []
        case .array(let a): return a.flatMap { $0.values(at: path) }
        default: return []
        }
    }

    /// A scalar as text, as filters compare it.
    public var text: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }
}

/// DHIS2's `fields` parameter: `id,name,parent[id,name]`, `*` or `:all` for everything,
/// `:identifiable`, `:nameable`, and `!name` to leave one out.
public struct FieldSelection: Sendable, Equatable {
    public var all = false
    public var names: [String] = []
    public var nested: [String: FieldSelection] = [:]
    public var excluded: Set<String> = []

    static let identifiable = ["id", "name", "code", "created", "lastUpdated"]
    static let nameable = identifiable + ["shortName", "description"]

    public init(_ text: String) {
        for item in Self.split(text) {
            let item = item.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            if item == "*" || item == ":all" || item == ":owner" { all = true; continue }
            if item == ":identifiable" { names += Self.identifiable; continue }
            if item == ":nameable" { names += Self.nameable; continue }
            if item.hasPrefix("!") { excluded.insert(String(item.dropFirst())); continue }
            if let open = item.firstIndex(where: { $0 == "[" || $0 == "(" }), item.last == "]" || item.last == ")" {
                let name = String(item[..<open])
                nested[name] = FieldSelection(String(item[item.index(after: open)..<item.index(before: item.endIndex)]))
                names.append(name)
            } else {
                names.append(item)
            }
        }
    }

    /// Whether a field is sent: computing a costly one can be skipped when it is not.
    public func wants(_ name: String) -> Bool { !excluded.contains(name) && (all || names.contains(name)) }

    public func apply(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(apply))
        case .object(let o):
            var out: [String: JSONValue] = [:]
            for (key, v) in o where wants(key) { out[key] = nested[key].map { $0.apply(v) } ?? v }
            return .object(out)
        default: return value
        }
    }

    /// Splits on commas that are not inside brackets.
    static func split(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for ch in text {
            if ch == "[" || ch == "(" { depth += 1 } else if ch == "]" || ch == ")" { depth -= 1 }
            if ch == "," && depth == 0 { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        return parts
    }
}

/// One DHIS2 `filter=property:operator:value`, e.g. `level:eq:2`, `parent.id:in:[89,91]`,
/// `name:ilike:long`.
public struct ObjectFilter: Sendable, Equatable {
    public var property: String
    public var op: String
    public var value: String

    public static let operators: Set<String> = ["eq", "!eq", "ne", "like", "!like", "ilike", "!ilike", "in", "!in", "gt", "ge", "lt", "le", "null", "!null", "$like", "$ilike", "like$", "ilike$"]

    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[0].isEmpty, Self.operators.contains(parts[1]) else { return nil }
        property = parts[0]; op = parts[1]; value = parts.count > 2 ? parts[2] : ""
        if parts.count < 3 && op != "null" && op != "!null" { return nil }
    }

    /// The list of an `in` filter: `[a,b]` or `a,b`.
    public var list: [String] {
        var v = value
        if v.hasPrefix("[") && v.hasSuffix("]") { v = String(v.dropFirst().dropLast()) }
        return v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    public func matches(_ object: JSONValue) -> Bool {
        let found = object.values(at: property.split(separator: ".")).compactMap(\.text)
        switch op {
        case "null": return found.isEmpty
        case "!null": return !found.isEmpty
        case "eq": return found.contains(value)
        case "!eq", "ne": return !found.contains(value)
        case "in": return found.contains { list.contains($0) }
        case "!in": return !found.contains { list.contains($0) }
        case "like": return found.contains { $0.contains(value) }
        case "!like": return !found.contains { $0.contains(value) }
        case "ilike": return found.contains { $0.lowercased().contains(value.lowercased()) }
        case "!ilike": return !found.contains { $0.lowercased().contains(value.lowercased()) }
        case "$like": return found.contains { $0.hasPrefix(value) }
        case "$ilike": return found.contains { $0.lowercased().hasPrefix(value.lowercased()) }
        case "like$": return found.contains { $0.hasSuffix(value) }
        case "ilike$": return found.contains { $0.lowercased().hasSuffix(value.lowercased()) }
        default: return found.contains { Self.compare($0, value, op) }
        }
    }

    static func compare(_ a: String, _ b: String, _ op: String) -> Bool {
        let order: ComparisonResult
        if let x = Double(a), let y = Double(b) { order = x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame } else { order = a.compare(b) }
        switch op {
        case "gt": return order == .orderedDescending
        case "ge": return order != .orderedAscending
        case "lt": return order == .orderedAscending
        default: return order != .orderedDescending
        }
    }
}

/// DHIS2's paging: which slice of a list, and the `pager` object sent with it.
public struct Pager: Encodable, Equatable, Sendable {
    public var page: Int
    public var pageCount: Int
    public var total: Int
    public var pageSize: Int
    public var nextPage: String?
    public var prevPage: String?

    public init(page: Int?, pageSize: Int?, total: Int) {
        let size = min(max(pageSize ?? 50, 1), 10_000)
        self.pageSize = size
        self.total = total
        pageCount = max(1, (total + size - 1) / size)
        self.page = min(max(page ?? 1, 1), pageCount)
    }

    public var range: Range<Int> { min((page - 1) * pageSize, total)..<min(page * pageSize, total) }

    /// Fills `nextPage`/`prevPage` from the path and query the request came with.
    public mutating func link(_ base: String, query: [(String, String)]) {
        func url(_ p: Int) -> String {
            let rest = query.filter { $0.0 != "page" } + [("page", String(p))]
            return base + "?" + rest.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"])) ?? $0.1)" }.joined(separator: "&")
        }
        nextPage = page < pageCount ? url(page + 1) : nil
        prevPage = page > 1 ? url(page - 1) : nil
    }
}
