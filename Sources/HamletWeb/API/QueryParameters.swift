/// The schema of each query parameter an operation names in its `query` list, so the document
/// states what the server takes and a client (or a fuzzer) knows what is refused before asking.
/// A name alone has the schema that name has everywhere (`named`, else a non-empty text);
/// "name!" is required; "name=a|b" takes those values only; "name:kind" takes a shared shape.
package enum QueryParameters {
    package static func parameter(_ spec: String, named: [String: [String: Any]]) -> [String: Any] {
        var name = spec, schema: [String: Any]? = nil
        if let eq = spec.firstIndex(of: "=") {
            name = String(spec[..<eq])
            schema = ["type": "string", "enum": spec[spec.index(after: eq)...].split(separator: "|").map(String.init)]
        } else if let colon = spec.firstIndex(of: ":") {
            name = String(spec[..<colon])
            schema = shapes[String(spec[spec.index(after: colon)...])]
        }
        let required = name.hasSuffix("!")
        if required { name.removeLast() }
        return ["name": name, "in": "query", "required": required, "schema": schema ?? named[name] ?? text]
    }

    package static var text: [String: Any] { ["type": "string", "minLength": 1, "maxLength": 200] }
    package static var flag: [String: Any] { ["type": "boolean"] }
    /// A day as `DayDate` reads it: dd/MM/yyyy or yyyy-MM-dd, leading zeros optional, a day the
    /// month has (29 February in leap years only).
    package static var day: [String: Any] {
        let vn = #"((0?[1-9]|1[0-9]|2[0-8])/(0?[1-9]|1[0-2])|(29|30)/(0?[13-9]|1[0-2])|31/(0?[13578]|1[02]))/(19|20)[0-9]{2}|29/0?2/20([02468][048]|[13579][26])"#
        let iso = #"(19|20)[0-9]{2}-((0?[1-9]|1[0-2])-(0?[1-9]|1[0-9]|2[0-8])|(0?[13-9]|1[0-2])-(29|30)|(0?[13578]|1[02])-31)|20([02468][048]|[13579][26])-0?2-29"#
        return ["type": "string", "pattern": "^(" + vn + "|" + iso + ")$"]
    }
    package static var year: [String: Any] { ["type": "integer", "minimum": 2000, "maximum": 2049] }
    package static var shapes: [String: [String: Any]] {
        ["day": day, "year": year, "dhis2Level": ["type": "integer", "minimum": 1, "maximum": 4]]
    }

    /// "name=a|b|c" for an enumeration's values.
    package static func choice<T: CaseIterable & RawRepresentable>(_ name: String, _ type: T.Type) -> String where T.RawValue == String {
        name + "=" + type.allCases.map(\.rawValue).joined(separator: "|")
    }

    /// One of an enumeration's values.
    package static func one<T: CaseIterable & RawRepresentable>(_ type: T.Type, except: [T] = []) -> [String: Any] where T.RawValue == String {
        ["type": "string", "enum": type.allCases.filter { v in !except.contains { $0.rawValue == v.rawValue } }.map(\.rawValue)]
    }

    /// Several of an enumeration's values, separated by commas.
    package static func many<T: CaseIterable & RawRepresentable>(_ type: T.Type, except: [T] = []) -> [String: Any] where T.RawValue == String {
        let value = "(" + type.allCases.filter { v in !except.contains { $0.rawValue == v.rawValue } }.map(\.rawValue).joined(separator: "|") + ")"
        return ["type": "string", "pattern": "^" + value + "(," + value + ")*$"]
    }

    /// The parameters every feature means the same thing by: paging, downloads, days, DHIS2's lists.
    package static var common: [String: [String: Any]] { [
        // DHIS2's list parameters.
        "filter": ["type": "string", "pattern": "^[A-Za-z][A-Za-z.]*:((!?eq|ne|!?i?like|i?like\\$|\\$i?like|!?in|gt|ge|lt|le):.+|!?null)$"],
        "paging": ["type": "string", "enum": ["true", "false"]], "rootJunction": ["type": "string", "enum": ["AND", "OR"]],
        "pe": ["type": "string", "pattern": "^20[0-4][0-9]((0[1-9]|1[0-2])|Q[1-4]|S[12])?$"],
        "page": ["type": "integer", "minimum": 1],
        "per": ["type": "integer", "minimum": 1, "maximum": 500],
        "pageSize": ["type": "integer", "minimum": 1, "maximum": 500],
        "format": ["type": "string", "enum": ["xlsx", "csv"]],
        "dryRun": flag, "atomic": flag,
        "activeOn": day, "date": day, "since": day, "startDate": day, "endDate": day,
        "year": year,
    ] }
}
