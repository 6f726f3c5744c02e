/// JSON schemas of the API's bodies, for the OpenAPI document.
package enum OpenAPISchemas {
    /// A property is a type in this short notation ("string", "integer[]", "#Ref", "Ref[]", "uuid?")
    /// or a schema of its own (`oneOf`, `manyOf`).
    package static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var props: [String: Any] = [:]
        for (name, given) in properties {
            guard let type = given as? String else { props[name] = given; continue }
            if type.hasPrefix("#") { props[name] = ["$ref": "#/components/schemas/" + type.dropFirst()] }
            // "number?[]": numbers where a cell may be empty (null), as a pivot's.
            else if type == "number?[]" { props[name] = ["type": "array", "items": ["type": ["number", "null"]]] }
            // "uuid": a record's id; "uuid?" also null, which the route reads as "none" (a plan's parent taken away).
            else if type == "uuid" { props[name] = ["type": "string", "format": "uuid"] }
            else if type == "uuid?" { props[name] = ["type": ["string", "null"], "format": "uuid"] }
            else if ["string[]", "number[]", "integer[]", "boolean[]"].contains(type) { props[name] = ["type": "array", "items": ["type": String(type.dropLast(2))]] }
            else if type.hasSuffix("[]") { props[name] = ["type": "array", "items": ["$ref": "#/components/schemas/" + type.dropLast(2)]] }
            else { props[name] = ["type": type] }
        }
        var schema: [String: Any] = ["type": "object", "properties": props]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    /// One of a closed list's values, as the route reads them (`orEmpty`: "" also, meaning none).
    /// Taken from the Swift enumeration itself, so the document lists what the server accepts.
    package static func oneOf<E: CaseIterable & RawRepresentable>(_ type: E.Type, orEmpty: Bool = false) -> [String: Any] where E.RawValue == String {
        ["type": "string", "enum": (orEmpty ? [""] : []) + type.allCases.map(\.rawValue)]
    }

    /// A list of a closed list's values.
    package static func manyOf<E: CaseIterable & RawRepresentable>(_ type: E.Type, orEmpty: Bool = false) -> [String: Any] where E.RawValue == String {
        ["type": "array", "items": oneOf(type, orEmpty: orEmpty)]
    }

    /// The same body for a PATCH that changes only the fields sent: nothing is required.
    package static func partial(_ schema: [String: Any]) -> [String: Any] {
        var schema = schema
        schema["required"] = nil
        return schema
    }

    package static func list(_ item: String) -> [String: Any] {
        object(["items": item + "[]", "total": "integer", "page": "integer", "per": "integer"], required: ["items", "total"])
    }

    /// The error body every operation may answer with.
    package static var errors: [String: Any] {
        [
            "Error": object(["error": "#ErrorDetail"], required: ["error"]),
            "ErrorDetail": object(["code": "string", "message": "string", "field": "string", "problems": "Problem[]"], required: ["code", "message"]),
            "Problem": object(["line": "integer", "field": "string", "message": "string", "severity": "string"]),
        ]
    }
}
