import Vapor
import HamletKit
import Fluent
import HamletWeb

/// A file previewed on a page and waiting for its confirmation: kept in the database (any
/// instance may receive the confirm), for its uploader only, for an hour. The page sends back
/// its id, not the file.
final class PendingUpload: Model, @unchecked Sendable {
    static let schema = "pending_uploads"
    static let lifetime: TimeInterval = 3_600

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @OptionalField(key: "filename") var filename: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "content") var content: Data

    init() {}

    /// Keeps the bytes for the confirm step; returns the id the page carries.
    static func keep(_ data: Data, filename: String?, for user: User, on db: any Database) async throws -> UUID {
        try await PendingUpload.query(on: db).filter(\.$createdAt < HamletClock.shared.now.addingTimeInterval(-lifetime)).delete()
        let row = PendingUpload()
        row.userID = try user.requireID(); row.filename = filename.map { String($0.prefix(200)) }; row.createdAt = HamletClock.shared.now; row.content = data
        try await row.create(on: db)
        return try row.requireID()
    }

    /// The uploader's own kept file, while it is fresh.
    static func find(_ raw: String?, for user: User, on db: any Database) async throws -> PendingUpload? {
        guard let raw, let id = UUID(uuidString: raw), let row = try await PendingUpload.find(id, on: db),
              row.userID == user.id, row.createdAt > HamletClock.shared.now.addingTimeInterval(-lifetime) else { return nil }
        return row
    }
}

struct CreatePendingUploads: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PendingUpload.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("filename", .string)
            .field("created_at", .datetime, .required)
            .field("content", .data, .required)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema(PendingUpload.schema).delete() }
}

extension Upload {
    /// A page's file: the one sent now, or the one previewed before (field `upload`).
    func pageFile(for user: User, on db: any Database) async throws -> (Data, String?, PendingUpload?)? {
        if size > 0 { return (try data(), filename, nil) }
        if let kept = try await PendingUpload.find(fields["upload"], for: user, on: db) { return (kept.content, kept.filename, kept) }
        return nil
    }
}
