import Vapor

/// A refusal the user can act on: an HTTP status, a stable code, a Vietnamese message and the
/// field it is about. The API answers `{"error":{"code","message","field"}}`; pages show the message.
package struct HamletError: AbortError, Sendable {
    package var status: HTTPResponseStatus
    package var code: String
    package var message: String
    package var field: String?
    package var headers: HTTPHeaders = [:]

    package init(status: HTTPResponseStatus, code: String, message: String, field: String? = nil, headers: HTTPHeaders = [:]) {
        (self.status, self.code, self.message, self.field) = (status, code, message, field)
        self.headers = headers
    }

    package var reason: String { message }

    /// The message in the request's language where `English.messages` has it.
    package static func invalid(_ field: String, _ message: String) -> HamletError {
        HamletError(status: .unprocessableEntity, code: "invalid", message: English.say(message), field: field)
    }
    package static func badRequest(_ message: String, field: String? = nil) -> HamletError {
        HamletError(status: .badRequest, code: "bad_request", message: English.say(message), field: field)
    }
    package static let notFound = HamletError(status: .notFound, code: "not_found", message: "Không tìm thấy.", field: nil)
    package static let unauthorized = HamletError(status: .unauthorized, code: "unauthorized", message: "Cần đăng nhập.", field: nil)
    package static let forbidden = HamletError(status: .forbidden, code: "forbidden", message: "Bạn không có quyền thực hiện thao tác này.", field: nil)
    package static func conflict(_ message: String, field: String? = nil) -> HamletError {
        HamletError(status: .conflict, code: "conflict", message: English.say(message), field: field)
    }
}

/// Several problems at once, e.g. every bad row of an import.
package struct ValidationFailure: Error, Sendable {
    package var problems: [Problem]

    package init(problems: [Problem]) { self.problems = problems }
    package struct Problem: Content, Sendable {
        package var line: Int?
        package var field: String?
        package var message: String
        /// "error" blocks an import; "warning" is shown and does not.
        package var severity: String = "error"
        package var isError: Bool { severity != "warning" }

        /// The message in the language of the request being answered, like `HamletError`'s.
        package init(line: Int? = nil, field: String? = nil, message: String, severity: String = "error") {
            self.line = line; self.field = field; self.message = English.say(message); self.severity = severity
        }
    }
}

package struct ErrorBody: Content {
    package struct Detail: Content {
        package var code: String
        package var message: String
        package var field: String?
        package var problems: [ValidationFailure.Problem]?

        package init(code: String, message: String, field: String? = nil, problems: [ValidationFailure.Problem]? = nil) {
            (self.code, self.message, self.field, self.problems) = (code, message, field, problems)
        }
    }
    package var error: Detail

    package init(error: Detail) { self.error = error }
}
