import Vapor
import HamletWeb
import HamletReporting

/// What happens to a request before Vapor's responder looks its route up, and to the answer when
/// no route took it: a DHIS2 versioned path is read as its unversioned one
/// (`DHIS2VersionedPaths`), and a path asked with a method it does not take is 405
/// (`MethodNotAllowed`). A middleware cannot do the first: middlewares run after the lookup.
struct FrontResponder: Responder {
    let next: any Responder

    func respond(to request: Request) -> EventLoopFuture<Response> {
        if let path = DHIS2VersionedPaths.unversioned(request.url.path) { request.url.path = path }
        return next.respond(to: request).map { MethodNotAllowed.answer(request, $0) ?? $0 }
    }
}
