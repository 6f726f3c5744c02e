import Vapor
import Crypto
import MultipartKit

/// An uploaded file, received as a stream into a temporary file: never whole in memory, never
/// more than `Upload.limit` bytes, and only after sign-in (the routes that take one are marked,
/// and the body is read by the handler, after the middleware has checked the account). A form's
/// other fields are kept if small; a page's form must carry its CSRF token among them.
package struct Upload {
    package var url: URL?
    package var filename: String?
    package var fields: [String: String]
    package var size: Int

    package init(url: URL? = nil, filename: String? = nil, fields: [String: String], size: Int) {
        (self.url, self.filename, self.fields, self.size) = (url, filename, fields, size)
    }

    /// Largest upload (HAMLET_MAX_UPLOAD_MB, default 50).
    package static var limit: Int { (Int(Environment.get("HAMLET_MAX_UPLOAD_MB") ?? "") ?? 50) << 20 }
    package static let fieldLimit = 64 * 1024
    package static let fieldsLimit = 256 * 1024

    /// The bytes, mapped from the file rather than read into memory.
    package func data() throws -> Data {
        guard let url else { return Data() }
        return try Data(contentsOf: url, options: .alwaysMapped)
    }

    /// The file's bytes, or 422 when none was sent.
    package func requireFile() throws -> Data {
        guard size > 0 else { throw HamletError.invalid("file", "Chưa có tệp, hoặc tệp rỗng.") }
        return try data()
    }

    package func remove() { if let url { try? FileManager.default.removeItem(at: url) } }

    package static func tooLarge(_ limit: Int) -> HamletError {
        let size = limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit >> 10) KB"
        return HamletError(status: .payloadTooLarge, code: "too_large", message: "Dữ liệu gửi lên lớn quá \(size): tệp cần chia nhỏ, biểu mẫu cần ngắn lại.", field: "file")
    }

    /// Receives the body of an upload route, runs `work` with it inside the server's import gate,
    /// and removes the file afterwards.
    package static func handle<T: Sendable>(_ req: Request, _ work: @escaping @Sendable (Upload) async throws -> T) async throws -> T {
        try await req.application.importGate.run {
            let upload = try await receive(req)
            defer { upload.remove() }
            return try await work(upload)
        }
    }

    package static func receive(_ req: Request) async throws -> Upload {
        let limit = Self.limit
        if let length = req.headers.first(name: .contentLength).flatMap(Int.init), length > limit { throw tooLarge(limit) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hamlet-uploads", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(UUID().uuidString)
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = FileHandle(forWritingAtPath: url.path) else {
            throw Abort(.internalServerError, reason: "cannot write an upload to \(folder.path)")
        }
        defer { try? handle.close() }
        var upload = Upload(url: url, filename: nil, fields: [:], size: 0)
        do {
            if req.headers.contentType?.type == "multipart", let boundary = req.headers.contentType?.parameters["boundary"] {
                try await receiveParts(req, boundary: boundary, into: handle, upload: &upload, limit: limit)
            } else if req.headers.contentType == .urlEncodedForm {
                // A page's confirm step: only fields (the kept file's id), no file.
                var buffer = ByteBuffer()
                for try await var chunk in req.body {
                    if buffer.readableBytes + chunk.readableBytes > fieldsLimit { throw tooLarge(fieldsLimit) }
                    buffer.writeBuffer(&chunk)
                }
                upload.fields = (try? URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: buffer))) ?? [:]
            } else {
                for try await chunk in req.body {
                    upload.size += chunk.readableBytes
                    if upload.size > limit { throw tooLarge(limit) }
                    try handle.write(contentsOf: chunk.readableBytesView)
                }
            }
            if !req.isAPI {
                let sent = upload.fields[CSRFMiddleware.field] ?? req.headers.first(name: "X-CSRF-Token")
                guard let sent, Token.equal(sent, req.csrfToken) else { throw CSRFMiddleware.refused }
            }
        } catch {
            upload.remove()
            throw error
        }
        if upload.size == 0 { upload.remove(); upload.url = nil }
        return upload
    }

    /// multipart/form-data as it arrives: the part with a file name goes to the file, the others
    /// are kept as text while small.
    private static func receiveParts(_ req: Request, boundary: String, into handle: FileHandle, upload: inout Upload, limit: Int) async throws {
        final class State: @unchecked Sendable {
            var headers: [String: String] = [:], field: [UInt8] = [], fields: [String: String] = [:], fieldBytes = 0
            var filename: String?, size = 0, failure: (any Error)?, pending: [ByteBuffer] = []
            var isFile: Bool { headers["content-disposition"]?.contains("filename=") == true }
        }
        let state = State()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.headers[name.lowercased()] = value }
        parser.onBody = { buffer in
            if state.isFile {
                state.size += buffer.readableBytes
                state.pending.append(buffer)
            } else {
                state.fieldBytes += buffer.readableBytes
                if buffer.readableBytes + state.field.count > fieldLimit || state.fieldBytes > fieldsLimit { state.failure = tooLarge(fieldsLimit) }
                else { state.field += buffer.readableBytesView }
            }
        }
        parser.onPartComplete = {
            let disposition = state.headers["content-disposition"] ?? ""
            let name = Self.parameter("name", in: disposition) ?? ""
            if state.isFile { state.filename = Self.parameter("filename", in: disposition) }
            else { state.fields[name] = String(decoding: state.field, as: UTF8.self) }
            state.headers = [:]; state.field = []
        }
        for try await chunk in req.body {
            try parser.execute(chunk)
            if let failure = state.failure { throw failure }
            if state.size > limit { throw tooLarge(limit) }
            for buffer in state.pending { try handle.write(contentsOf: buffer.readableBytesView) }
            state.pending.removeAll()
        }
        upload.fields = state.fields; upload.filename = state.filename; upload.size = state.size
    }

    /// `name="file"` out of a Content-Disposition header.
    package static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard pair.hasPrefix(key + "=") else { continue }
            return String(pair.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}

extension RoutesBuilder {
    /// A route that takes a file: its body is streamed by `Upload`, not collected, and the CSRF
    /// check of a page waits for the form's token among the parts.
    @discardableResult
    package func upload(_ path: PathComponent..., use handler: @Sendable @escaping (Request) async throws -> some AsyncResponseEncodable) -> Route {
        let route = on(.POST, path, body: .stream, use: handler)
        route.userInfo["upload"] = true
        return route
    }
}

extension Request {
    package var isUploadRoute: Bool { route?.userInfo["upload"] as? Bool == true }
}
