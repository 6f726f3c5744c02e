/// JSON schemas of the API's bodies, for the OpenAPI document.
package enum OpenAPISchemas {
    package static func object(_ properties: [String: String], required: [String] = []) -> [String: Any] {
        var props: [String: Any] = [:]
        for (name, type) in properties {
            if type.hasPrefix("#") { props[name] = ["$ref": "#/components/schemas/" + type.dropFirst()] }
            // "number?[]": numbers where a cell may be empty (null), as a pivot's.
            else if type == "number?[]" { props[name] = ["type": "array", "items": ["type": ["number", "null"]]] }
            else if ["string[]", "number[]", "integer[]", "boolean[]"].contains(type) { props[name] = ["type": "array", "items": ["type": String(type.dropLast(2))]] }
            else if type.hasSuffix("[]") { props[name] = ["type": "array", "items": ["$ref": "#/components/schemas/" + type.dropLast(2)]] }
            else { props[name] = ["type": type] }
        }
        var schema: [String: Any] = ["type": "object", "properties": props]
        if !required.isEmpty { schema["required"] = required }
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
