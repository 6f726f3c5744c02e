import Vapor

package struct OpenAPIRoutes: RouteCollection {
    package let document: Data

    package init(document: Data) { self.document = document }

    package func boot(routes: any RoutesBuilder) throws {
        routes.get("openapi.json") { _ -> Response in
            Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(data: document))
        }
    }
}
