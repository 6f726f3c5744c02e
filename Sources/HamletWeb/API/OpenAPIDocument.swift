import Foundation

/// The OpenAPI 3.1 document of /api/v1, built from the operations and body schemas the features
/// declare and the schema each query parameter has (`QueryParameters`); the same list checks
/// every request's query (`QueryRules`), so the document cannot drift from what is checked.
package enum OpenAPIDocument {
    package struct Operation: Sendable {
        package var method: String
        package var path: String
        package var summary: String
        package var tag: String
        package var query: [String]
        package var body: String?
        package var response: String?
        package var status: String

        package init(method: String, path: String, summary: String, tag: String, query: [String] = [], body: String? = nil,
                     response: String? = nil, status: String = "200") {
            (self.method, self.path, self.summary, self.tag, self.query) = (method, path, summary, tag, query)
            (self.body, self.response, self.status) = (body, response, status)
        }
    }

    package static func json(operations: [Operation], schemas: [String: Any], parameter: (String) -> [String: Any]) -> Data {
        var paths: [String: [String: Any]] = [:]
        for op in operations {
            var operation: [String: Any] = [
                "summary": op.summary, "tags": [op.tag],
                "operationId": op.method.lowercased() + op.path.replacingOccurrences(of: "/api/v1", with: "")
                    .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "").replacingOccurrences(of: "/", with: "_"),
            ]
            var parameters: [[String: Any]] = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                ["name": String($0.dropFirst().dropLast()), "in": "path", "required": true, "schema": ["type": "string"]]
            }
            parameters += op.query.map(parameter)
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = op.body {
                operation["requestBody"] = body == "File"
                    ? ["required": true, "content": ["text/csv": ["schema": ["type": "string"]],
                                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["schema": ["type": "string", "format": "binary"]],
                                                      "multipart/form-data": ["schema": ["type": "object", "properties": ["file": ["type": "string", "format": "binary"]]]]]]
                    : ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]]]
            }
            var ok: [String: Any] = ["description": "OK"]
            var content: [String: Any] = [:]
            if let response = op.response { content["application/json"] = ["schema": ["$ref": "#/components/schemas/\(response)"]] }
            // `format=xlsx|csv` answers the same figures as a table download.
            if op.query.contains(where: { $0.hasPrefix("format") }) {
                content["text/csv"] = ["schema": ["type": "string"]]
                content["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = ["schema": ["type": "string", "format": "binary"]]
            }
            if !content.isEmpty { ok["content"] = content }
            var responses: [String: Any] = [op.status: ok, "400": error, "401": error, "403": error, "404": error, "405": error, "409": error, "422": error]
            // A body sent without its content type (or with one the route does not read) is 415.
            if op.body != nil { responses["415"] = error }
            operation["responses"] = responses
            if op.path != "/api/v1/auth/token" && op.path != "/api/v1/openapi.json" { operation["security"] = [["bearer": [String]()]] }
            paths[op.path, default: [:]][op.method.lowercased()] = operation
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "Hamlet API", "version": "1.0.0",
                     "description": "Danh sách trả về {\"items\":[…],\"total\":N}; lỗi trả về {\"error\":{\"code\",\"message\",\"field\"}} với thông báo tiếng Việt. Mọi truy vấn chỉ thấy dữ liệu trong phạm vi đơn vị của tài khoản; ngoài phạm vi là 404. Các đường dẫn DHIS2 (/api/…) cũng trả lời khi có số phiên bản như DHIS2 (/api/40/dataValueSets, /api/41/system/info)."],
            "servers": [["url": "/"]],
            "paths": paths,
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]], "schemas": schemas],
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])) ?? Data()
    }

    package static var error: [String: Any] { ["description": "Lỗi", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]] }
}
