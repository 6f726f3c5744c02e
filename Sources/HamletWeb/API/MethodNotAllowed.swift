import Vapor
import RoutingKit

/// A path that exists, asked with a method it does not take (TRACE, or DELETE on a list), is 405
/// with `Allow`, not 404: the client learns the path is right and what it takes. Only answers no
/// route took are looked at (`request.route` is nil); a record not found stays 404.
package struct MethodNotAllowed: Sendable {
    package init() {}
    /// The methods of every path, in a router of their own.
    /// Built once at start-up, after every route is registered, and only read after (hence unchecked).
    package final class Methods: @unchecked Sendable {
        package let router: TrieRouter<Set<String>>
        package init(_ routes: [Route], logger: Logger) {
            let router = TrieRouter(Set<String>.self, logger: logger)
            var byPath: [String: ([PathComponent], Set<String>)] = [:]
            for route in routes {
                let key = route.path.map { if case .parameter = $0 { return ":" } else { return $0.description } }.joined(separator: "/")
                byPath[key, default: (route.path, [])].1.insert(route.method.rawValue)
                if route.method == .GET { byPath[key]!.1.insert(HTTPMethod.HEAD.rawValue) }
            }
            // One name per position: routes of different methods may name a parameter differently.
            for (_, (path, methods)) in byPath where !path.isEmpty {
                router.register(methods, at: path.enumerated().map { i, c in if case .parameter = c { return .parameter("p\(i)") } else { return c } })
            }
            self.router = router
        }
    }

    package struct Key: StorageKey { package typealias Value = Methods }

    package static func prepare(_ app: Application) { app.storage[Key.self] = Methods(app.routes.all, logger: app.logger) }

    /// The 405 for a request no route took, when its path takes other methods; nil otherwise.
    package static func answer(_ request: Request, _ response: Response) -> Response? {
        guard response.status == .notFound, request.route == nil else { return nil }
        var parameters = Parameters()
        let segments = request.url.path.split(separator: "/").map(String.init)
        guard !segments.isEmpty, let methods = request.application.storage[Key.self],
              let allowed = methods.router.route(path: segments, parameters: &parameters),
              !allowed.contains(request.method.rawValue) else { return nil }
        let list = allowed.sorted().joined(separator: ", ")
        let answer = Response(status: .methodNotAllowed)
        answer.headers.replaceOrAdd(name: .allow, value: list)
        answer.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        let message = "Phương thức \(request.method.rawValue) không dùng được ở địa chỉ này; dùng \(list)."
        try? answer.content.encode(ErrorBody(error: .init(code: "method_not_allowed", message: message, field: nil)), as: .json)
        return answer
    }
}
