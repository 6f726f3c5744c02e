import Foundation
import Vapor

/// The query of every API request checked against what the OpenAPI document says of its
/// operation (`QueryParameters`), so the document is the rule and cannot drift from it: a
/// parameter given twice, empty, of the wrong type, outside its values, pattern or bounds, or a
/// required one missing, is refused by name; an empty value is refused whatever the parameter.
/// Pages keep their own reading (a form's empty field is a field left empty).
package struct QueryRules: AsyncMiddleware {
    /// Every documented operation's query checks, by method and path (`QueryCheck.table`).
    package let table: [String: [QueryCheck]]

    package init(table: [String: [QueryCheck]]) { self.table = table }

    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let given = request.queryPairs
        for (name, value) in given where value.isEmpty {
            throw HamletError.invalid(name, "Tham số «\(name)» để trống: bỏ hẳn tham số đó hoặc cho một giá trị.")
        }
        if let route = request.route, let checks = table[Self.key(request.method.rawValue, route.path)] {
            for check in checks {
                let values = given.filter { $0.0 == check.name }.map(\.1)
                if values.isEmpty {
                    if check.required { throw HamletError.invalid(check.name, "Thiếu tham số «\(check.name)».") }
                    continue
                }
                if values.count > 1 { throw HamletError.invalid(check.name, "Tham số «\(check.name)» chỉ được cho một lần.") }
                try check.validate(values[0])
            }
        }
        return try await next.respond(to: request)
    }

    /// "GET /api/v1/plans/{}": parameters by position, since the document and the routes may name them differently.
    package static func key(_ method: String, _ path: [PathComponent]) -> String {
        method + " /" + path.map { if case .constant(let c) = $0 { return c } else { return "{}" } }.joined(separator: "/")
    }
}

/// One documented query parameter as the server checks it.
package struct QueryCheck: Sendable {
    package var name: String
    package var required: Bool
    package var type: String
    package var values: [String]?
    package var pattern: NSRegularExpression?
    package var maxLength: Int?
    package var minimum: Int?, maximum: Int?

    package init(_ parameter: [String: Any]) {
        let schema = parameter["schema"] as? [String: Any] ?? [:]
        name = parameter["name"] as? String ?? ""
        required = parameter["required"] as? Bool ?? false
        type = schema["type"] as? String ?? "string"
        values = schema["enum"] as? [String]
        pattern = (schema["pattern"] as? String).flatMap { try? NSRegularExpression(pattern: $0) }
        maxLength = schema["maxLength"] as? Int
        (minimum, maximum) = (schema["minimum"] as? Int, schema["maximum"] as? Int)
    }

    package func validate(_ value: String) throws {
        switch type {
        case "integer":
            guard let n = Int(value) else { throw HamletError.invalid(name, "Tham số «\(name)» phải là số nguyên.") }
            if let minimum, n < minimum { throw HamletError.invalid(name, "Tham số «\(name)» phải từ \(minimum) trở lên.") }
            if let maximum, n > maximum { throw HamletError.invalid(name, "Tham số «\(name)» không được quá \(maximum).") }
        case "boolean":
            guard value == "true" || value == "false" else { throw HamletError.invalid(name, "Tham số «\(name)» là true hoặc false.") }
        default:
            if let values, !values.contains(value) {
                throw HamletError.invalid(name, "Tham số «\(name)» là một trong: \(values.joined(separator: ", ")).")
            }
            if let maxLength, value.count > maxLength { throw HamletError.invalid(name, "Tham số «\(name)» dài quá \(maxLength) ký tự.") }
            if let pattern, pattern.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) == nil {
                throw HamletError.invalid(name, "Tham số «\(name)» không đúng dạng.")
            }
        }
    }

    /// Every documented operation's query checks, by method and path.
    package static func table(_ operations: [OpenAPIDocument.Operation], parameter: (String) -> [String: Any]) -> [String: [QueryCheck]] {
        var table: [String: [QueryCheck]] = [:]
        for op in operations where !op.query.isEmpty {
            let path = op.path.split(separator: "/").map { $0.hasPrefix("{") ? "{}" : String($0) }.joined(separator: "/")
            table[op.method + " /" + path] = op.query.map { QueryCheck(parameter($0)) }
        }
        return table
    }
}

extension Request {
    /// The query as sent, name and value in order, repeats kept (Vapor's decoder would split
    /// DHIS2's `id:in:[a,b]` at the comma, and keeps one of a repeated name).
    package var queryPairs: [(String, String)] {
        URLComponents(string: "?" + (url.query ?? ""))?.queryItems?.map { ($0.name, $0.value ?? "") } ?? []
    }
}
