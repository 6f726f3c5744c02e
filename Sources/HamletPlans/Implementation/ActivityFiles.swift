import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit

/// A file kept with an activity: a conference's minutes, a visit's signed record, a photo of a
/// briefing. In the database, as a report's files are, so every instance and backup has it.
package final class ActivityFile: Model, @unchecked Sendable {
    package static let schema = "plan_activity_files"
    @ID(key: .id) package var id: UUID?
    @Field(key: "activity_id") package var activityID: UUID
    @Field(key: "filename") package var filename: String
    @Field(key: "content_type") package var contentType: String
    @Field(key: "size") package var size: Int
    @Field(key: "content") package var content: Data
    @Field(key: "uploaded_by") package var uploadedBy: String
    @Field(key: "uploaded_on") package var uploadedOn: String
    package init() {}
}

extension ActivityFile: AttachedFile {}

package struct CreateActivityFiles: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await Attachment.createTable(ActivityFile.schema, ownerKey: "activity_id", owner: PlanActivity.schema, on: database)
    }
    package func revert(on database: any Database) async throws { try await database.schema(ActivityFile.schema).delete() }
}

extension ActivityService {
    /// The files of these activities, without their bytes.
    package func files(of ids: [UUID]) async throws -> [UUID: [AttachmentDTO]] {
        var found: [UUID: [AttachmentDTO]] = [:]
        for chunk in ids.chunks(of: 500) {
            for f in try await ActivityFile.query(on: db).filter(\.$activityID ~~ Array(chunk)).field(\.$id).field(\.$activityID).field(\.$filename)
                .field(\.$contentType).field(\.$size).field(\.$uploadedBy).field(\.$uploadedOn).sort(\.$uploadedOn).sort(\.$filename).all() {
                found[f.activityID, default: []].append(f.dto)
            }
        }
        return found
    }

    /// Keeps a file with the activity: the recorder's, up to five, each checked by its bytes.
    package func attach(_ a: PlanActivity, data: Data, filename: String?) async throws -> ActivityFile {
        _ = try requireRecorder()
        let (name, type) = try Attachment.check(data, filename: filename)
        let id = try a.requireID()
        guard try await ActivityFile.query(on: db).filter(\.$activityID == id).count() < Attachment.perRecord else {
            throw HamletError.invalid("file", "Mỗi hoạt động đính kèm tối đa 5 tệp.")
        }
        let file = ActivityFile()
        file.activityID = id; file.filename = name; file.contentType = type; file.size = data.count; file.content = data
        file.uploadedBy = actor?.username ?? "system"; file.uploadedOn = today.iso
        try await db.writeTransaction { tx in
            try await file.create(on: tx)
            var changes = AuditChanges()
            changes.add("file", nil, "\(name) (\(data.count) B)")
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "attach", entity: "plan-activity", entityID: id.uuidString, scopePath: a.unitPath, changes: changes)
        }
        return file
    }

    /// One file of an activity the account may see.
    package func file(_ a: PlanActivity, id: UUID?) async throws -> ActivityFile {
        guard let id, let file = try await ActivityFile.query(on: db).filter(\.$id == id).filter(\.$activityID == a.requireID()).first() else { throw HamletError.notFound }
        return file
    }

    package func detach(_ a: PlanActivity, id: UUID?) async throws {
        _ = try requireRecorder()
        let file = try await self.file(a, id: id)
        try await db.writeTransaction { tx in
            try await file.delete(on: tx)
            var changes = AuditChanges()
            changes.add("file", file.filename, nil)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "detach", entity: "plan-activity", entityID: a.id?.uuidString, scopePath: a.unitPath, changes: changes)
        }
    }
}

extension Request {
    /// The plan and activity a path names, inside the account's scope.
    package func activityPath() async throws -> (Plan, PlanActivity) {
        let plan = try await plans().find(parameters.get("id", as: UUID.self))
        return (plan, try await activities().find(plan, parameters.get("activity", as: UUID.self)))
    }
}

/// /plans/:id/activities/:activity/attachments and the same under /api/v1: the activity's files.
package struct ActivityFileRoutes: RouteCollection {
    /// Pages answer with the activity's page; the API with JSON.
    package let api: Bool

    package init(api: Bool) {
        self.api = api
    }

    package func boot(routes: any RoutesBuilder) throws {
        let one = routes.grouped("plans", ":id", "activities", ":activity", "attachments")
        one.upload(use: attach)
        one.get(":file", use: download)
        if api { one.delete(":file", use: detach) } else { one.post(":file", "delete", use: detach) }
    }

    package func back(_ req: Request, _ plan: Plan, _ a: PlanActivity) throws -> Response {
        req.redirect(to: "/plans/\(try plan.requireID())/activities/\(try a.requireID())#files", notice: "saved")
    }

    /// The account is checked before the body is read.
    package func attach(req: Request) async throws -> Response {
        let (plan, a) = try await req.activityPath()
        let service = req.activities()
        _ = try service.requireRecorder()
        do {
            let file = try await Upload.handle(req) { upload in
                try await service.attach(a, data: try upload.requireFile(), filename: upload.filename ?? req.query["name"])
            }
            return api ? try Response.created(file.dto) : try back(req, plan, a)
        } catch let error as HamletError where !api && error.status == .unprocessableEntity {
            return try await ActivityPages().renderShow(req, plan, a, form: nil, error: error)
        }
    }

    package func download(req: Request) async throws -> Response {
        let (_, a) = try await req.activityPath()
        let file = try await req.activities().file(a, id: req.parameters.get("file", as: UUID.self))
        return Attachment.download(file.content, filename: file.filename, contentType: file.contentType)
    }

    package func detach(req: Request) async throws -> Response {
        let (plan, a) = try await req.activityPath()
        try await req.activities().detach(a, id: req.parameters.get("file", as: UUID.self))
        return api ? Response(status: .noContent) : try back(req, plan, a)
    }
}
