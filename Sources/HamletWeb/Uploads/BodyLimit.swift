import Vapor

/// Every route but an upload takes a small body (the routes' default, 64 KB). Checked on the
/// declared length and on a body already read, before anyone is signed in or anything decoded;
/// a body that streams in without a length is stopped by the route's own collection limit.
package struct BodyLimit: AsyncMiddleware {
    package init() {}
    package func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !request.isUploadRoute {
            let limit = request.application.routes.defaultMaxBodySize.value
            let declared = request.headers.first(name: .contentLength).flatMap(Int.init) ?? 0
            if declared > limit || (request.body.data?.readableBytes ?? 0) > limit { throw Upload.tooLarge(limit) }
        }
        return try await next.respond(to: request)
    }
}
