import Vapor

struct OpenAPIRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("openapi.json") { _ -> Response in
            Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(data: OpenAPIDocument.json()))
        }
    }
}
