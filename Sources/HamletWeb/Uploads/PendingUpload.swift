import Vapor
import HamletKit
import Fluent

/// A file previewed on a page and waiting for its confirmation: kept in the database (any
/// instance may receive the confirm), for its uploader only, for an hour. The page sends back
/// its id, not the file.
package final class PendingUpload: Model, @unchecked Sendable {
    package static let schema = "pending_uploads"
    package static let lifetime: TimeInterval = 3_600

    @ID(key: .id) package var id: UUID?
    @Field(key: "user_id") package var userID: UUID
    @OptionalField(key: "filename") package var filename: String?
    @Field(key: "created_at") package var createdAt: Date
    @Field(key: "content") package var content: Data

    package init() {}

    /// Keeps the bytes for the confirm step; returns the id the page carries.
    package static func keep(_ data: Data, filename: String?, for user: any ActingAccount, on db: any Database) async throws -> UUID {
        try await PendingUpload.query(on: db).filter(\.$createdAt < HamletClock.shared.now.addingTimeInterval(-lifetime)).delete()
        let row = PendingUpload()
        guard let userID = user.id else { throw HamletError.unauthorized }
        row.userID = userID; row.filename = filename.map { String($0.prefix(200)) }; row.createdAt = HamletClock.shared.now; row.content = data
        try await row.create(on: db)
        return try row.requireID()
    }

    /// Forgets a kept file once its import is stored (nothing when there was none).
    package static func discard(_ row: PendingUpload?, on db: any Database) async throws {
        try await row?.delete(on: db)
    }

    /// The uploader's own kept file, while it is fresh.
    package static func find(_ raw: String?, for user: any ActingAccount, on db: any Database) async throws -> PendingUpload? {
        guard let raw, let id = UUID(uuidString: raw), let row = try await PendingUpload.find(id, on: db),
              row.userID == user.id, row.createdAt > HamletClock.shared.now.addingTimeInterval(-lifetime) else { return nil }
        return row
    }
}

package struct CreatePendingUploads: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(PendingUpload.schema)
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade)) // the accounts' table
            .field("filename", .string)
            .field("created_at", .datetime, .required)
            .field("content", .data, .required)
            .create()
    }

    package func revert(on database: any Database) async throws { try await database.schema(PendingUpload.schema).delete() }
}

extension Upload {
    /// A page's file: the one sent now, or the one previewed before (field `upload`).
    package func pageFile(for user: any ActingAccount, on db: any Database) async throws -> (Data, String?, PendingUpload?)? {
        if size > 0 { return (try data(), filename, nil) }
        if let kept = try await PendingUpload.find(fields["upload"], for: user, on: db) { return (kept.content, kept.filename, kept) }
        return nil
    }
}
