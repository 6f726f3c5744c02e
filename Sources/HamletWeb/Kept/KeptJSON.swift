import Vapor
import Fluent

/// An answer kept as the JSON it is sent as. A dashboard read again with nothing changed then
/// costs the versions lookup and a copy of its bytes; encoding its 13 KB again on every read was
/// 2 % of the server's CPU under the load test (0.2 % kept).
package struct KeptJSON: Sendable {
    let body: ByteBuffer
    let headers: HTTPHeaders

    var response: Response { Response(status: .ok, headers: headers, body: .init(buffer: body)) }
}

extension Request {
    /// `kept`, for an API answer sent as JSON: the encoded answer is kept, under its own question
    /// (a page keeping the same answer as a value does not share the entry).
    package func keptJSON<T: Content>(_ question: Question, on db: any Database, reads: () async throws -> [String],
                                      _ compute: () async throws -> T) async throws -> Response {
        let kept = try await kept(Question("json", question.description), on: db, reads: reads) {
            let value = try await compute()
            var body = ByteBufferAllocator().buffer(capacity: 0), headers = HTTPHeaders()
            try ContentConfiguration.global.requireEncoder(for: .json).encode(value, to: &body, headers: &headers)
            return KeptJSON(body: body, headers: headers)
        }
        return kept.response
    }
}
