import Vapor

/// A refusal the user can act on: an HTTP status, a stable code, a Vietnamese message and the
/// field it is about. The API answers `{"error":{"code","message","field"}}`; pages show the message.
struct HamletError: AbortError, Sendable {
    var status: HTTPResponseStatus
    var code: String
    var message: String
    var field: String?
    var headers: HTTPHeaders = [:]

    var reason: String { message }

    /// The message in the request's language where `English.messages` has it.
    static func invalid(_ field: String, _ message: String) -> HamletError {
        HamletError(status: .unprocessableEntity, code: "invalid", message: English.say(message), field: field)
    }
    static func badRequest(_ message: String, field: String? = nil) -> HamletError {
        HamletError(status: .badRequest, code: "bad_request", message: English.say(message), field: field)
    }
    static let notFound = HamletError(status: .notFound, code: "not_found", message: "Không tìm thấy.", field: nil)
    static let unauthorized = HamletError(status: .unauthorized, code: "unauthorized", message: "Cần đăng nhập.", field: nil)
    static let forbidden = HamletError(status: .forbidden, code: "forbidden", message: "Bạn không có quyền thực hiện thao tác này.", field: nil)
    static func conflict(_ message: String, field: String? = nil) -> HamletError {
        HamletError(status: .conflict, code: "conflict", message: English.say(message), field: field)
    }
}

/// Several problems at once, e.g. every bad row of an import.
struct ValidationFailure: Error, Sendable {
    var problems: [Problem]
    struct Problem: Content, Sendable {
        var line: Int?
        var field: String?
        var message: String
        /// "error" blocks an import; "warning" is shown and does not.
        var severity: String = "error"
        var isError: Bool { severity != "warning" }

        /// The message in the language of the request being answered, like `HamletError`'s.
        init(line: Int? = nil, field: String? = nil, message: String, severity: String = "error") {
            self.line = line; self.field = field; self.message = English.say(message); self.severity = severity
        }
    }
}

struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
        var field: String?
        var problems: [ValidationFailure.Problem]?
    }
    var error: Detail
}
