import Vapor
import Fluent
import HamletDatabase

/// What every file attached to a record shares (a report's signed scan, a meeting's minutes, a
/// visit's photos): its kind read from its first bytes, not its name; a safe name; the limits;
/// and how it is served back, always as a download.
package enum Attachment {
    package static let limit = 10 << 20
    package static let perRecord = 5

    /// PDF, DOCX, JPEG or PNG, by the file's first bytes.
    package static func kind(of data: Data, name: String) -> String? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]), name.lowercased().hasSuffix(".docx") {
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        return nil
    }

    /// The name to keep and the content type, or the problem with the file, on the field `file`.
    package static func check(_ data: Data, filename: String?) throws -> (name: String, type: String) {
        guard !data.isEmpty else { throw HamletError.invalid("file", "Chưa có tệp, hoặc tệp rỗng.") }
        guard data.count <= limit else { throw HamletError.invalid("file", "Tệp đính kèm tối đa 10 MB.") }
        let name = String((filename ?? "tep").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\\", with: "_").prefix(120))
        guard let type = kind(of: data, name: name) else { throw HamletError.invalid("file", "Chỉ nhận tệp PDF, DOCX, JPEG hoặc PNG.") }
        return (name, type)
    }

    /// Served as a download with an ASCII name, never sniffed or cached.
    package static func download(_ content: Data, filename: String, contentType: String) -> Response {
        let response = Response(status: .ok, body: .init(data: content))
        response.headers.replaceOrAdd(name: .contentType, value: contentType)
        let ascii = filename.folding(options: .diacriticInsensitive, locale: nil).map { $0.isASCII && $0 != "\"" ? String($0) : "_" }.joined()
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}

/// A file as lists give it: everything but the bytes.
package struct AttachmentDTO: Content {
    package var id: UUID?
    package var filename: String
    package var contentType: String
    package var size: Int
    package var uploadedBy: String
    package var uploadedOn: String
    package init(id: UUID? = nil, filename: String, contentType: String, size: Int, uploadedBy: String, uploadedOn: String) {
        (self.id, self.filename, self.contentType, self.size) = (id, filename, contentType, size)
        (self.uploadedBy, self.uploadedOn) = (uploadedBy, uploadedOn)
    }
}

/// A stored file of some record; the tables differ only by their owner.
package protocol AttachedFile {
    var id: UUID? { get }
    var filename: String { get }
    var contentType: String { get }
    var size: Int { get }
    var uploadedBy: String { get }
    var uploadedOn: String { get }
}

extension AttachedFile {
    package var dto: AttachmentDTO { AttachmentDTO(id: id, filename: filename, contentType: contentType, size: size, uploadedBy: uploadedBy, uploadedOn: uploadedOn) }
}

extension Attachment {
    /// A table of files owned by rows of `owner` (removed with them), indexed by the owner.
    package static func createTable(_ schema: String, ownerKey: String, owner: String, on database: any Database) async throws {
        try await database.schema(schema).id()
            .field(.string(ownerKey), .uuid, .required, .references(owner, .id, onDelete: .cascade))
            .field("filename", .string, .required).field("content_type", .string, .required).field("size", .int, .required)
            .field("content", .data, .required).field("uploaded_by", .string, .required).field("uploaded_on", .string, .required)
            .create()
        try await SQLText.index(database, schema + "_" + ownerKey.replacingOccurrences(of: "_id", with: ""), on: schema, [ownerKey])
    }
}
