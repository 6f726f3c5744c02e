import Vapor

/// Turns any error into the answer the caller can read: JSON under /api, a page elsewhere.
/// Internal errors never leak their text: the log has it, the user gets a plain sentence.
package struct ErrorResponder: AsyncMiddleware {
    package init() {}
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await response(for: error, request: request)
        }
    }

    package func response(for error: any Error, request: Request) async -> Response {
        let (status, described, headers) = describe(error, request: request)
        var detail = described
        detail.message = English.say(detail.message)
        if request.isAPI || request.wantsJSON {
            let response = Response(status: status, headers: headers)
            try? response.content.encode(ErrorBody(error: detail))
            return response
        }
        if status == .unauthorized {
            let next = request.url.path
            return request.redirect(to: "/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")")
        }
        do {
            let response = try await request.renderPage("errors/error", title: detail.message, status: status,
                                                          body: ErrorPage(status: Int(status.code), message: detail.message))
            response.headers.add(contentsOf: headers)
            return response
        } catch {
            return Response(status: status, body: .init(string: detail.message))
        }
    }

    package func describe(_ error: any Error, request: Request) -> (HTTPResponseStatus, ErrorBody.Detail, HTTPHeaders) {
        switch error {
        case let e as HamletError:
            return (e.status, .init(code: e.code, message: e.message, field: e.field), e.headers)
        case let e as ValidationFailure:
            let first = e.problems.first
            return (.unprocessableEntity, .init(code: "invalid", message: first?.message ?? "Dữ liệu không hợp lệ.",
                                                field: first?.field, problems: e.problems), [:])
        case let e as DecodingError:
            return (.badRequest, .init(code: "bad_request", message: "Dữ liệu gửi lên không đọc được: \(describeDecoding(e)).",
                                       field: fieldName(e)), [:])
        case let e as any AbortError:
            if e.status.code >= 500 { request.logger.report(error: error) }
            let message = e.status == .notFound ? "Không tìm thấy." : (e.status.code < 500 ? e.reason : "Có lỗi ở máy chủ.")
            return (e.status, .init(code: e.status == .notFound ? "not_found" : "error", message: message, field: nil), e.headers)
        default:
            request.logger.report(error: error)
            return (.internalServerError, .init(code: "internal", message: "Có lỗi ở máy chủ. Vui lòng thử lại sau.", field: nil), [:])
        }
    }

    package func fieldName(_ error: DecodingError) -> String? {
        switch error {
        case .keyNotFound(let key, _): return key.stringValue
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            // A bad list item names its list ("domains"), not its position ("Index 0").
            return c.codingPath.last(where: { $0.intValue == nil })?.stringValue
        @unknown default: return nil
        }
    }

    package func describeDecoding(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "thiếu trường \(key.stringValue)"
        case .typeMismatch, .valueNotFound: return "sai kiểu giá trị"
        case .dataCorrupted(let c): return c.debugDescription.isEmpty ? "dữ liệu hỏng" : c.debugDescription
        @unknown default: return "dữ liệu hỏng"
        }
    }
}

package struct ErrorPage: Encodable {
    package var status: Int
    package var message: String

    package init(status: Int, message: String) { self.status = status; self.message = message }
}

extension Request {
    package var isAPI: Bool { url.path.hasPrefix("/api/") }
    /// A page's script asking for data, not a page (the offline report entry): its errors come
    /// back as JSON too, and a lost session is a 401, not a redirect.
    /// Compared by name: Vapor's media types match wildcards, and curl's `*/*` is not a script.
    package var wantsJSON: Bool {
        guard let first = headers.accept.first?.mediaType else { return false }
        return first.type == "application" && first.subType == "json"
    }
}
