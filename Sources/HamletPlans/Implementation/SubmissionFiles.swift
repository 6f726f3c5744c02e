import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit

/// A file attached to a body's report: the signed scan, a PDF or the DOCX it was written in.
/// Kept in the database, so every app instance serves it and a backup holds it.
package final class SubmissionFile: Model, @unchecked Sendable {
    package static let schema = "plan_submission_files"
    @ID(key: .id) package var id: UUID?
    @Field(key: "submission_id") package var submissionID: UUID
    @Field(key: "filename") package var filename: String
    @Field(key: "content_type") package var contentType: String
    @Field(key: "size") package var size: Int
    @Field(key: "content") package var content: Data
    @Field(key: "uploaded_by") package var uploadedBy: String
    @Field(key: "uploaded_on") package var uploadedOn: String
    package init() {}
}

package struct CreateSubmissionFiles: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await Attachment.createTable(SubmissionFile.schema, ownerKey: "submission_id", owner: PlanSubmission.schema, on: database)
    }
    package func revert(on database: any Database) async throws { try await database.schema(SubmissionFile.schema).delete() }
}

extension SubmissionFile: AttachedFile {}

extension SubmissionService {
    package func files(_ submission: PlanSubmission?) async throws -> [AttachmentDTO] {
        guard let id = submission?.id else { return [] }
        // The list without the bytes.
        return try await SubmissionFile.query(on: db).filter(\.$submissionID == id).field(\.$id).field(\.$filename).field(\.$contentType)
            .field(\.$size).field(\.$uploadedBy).field(\.$uploadedOn).sort(\.$uploadedOn).sort(\.$filename).all().map(\.dto)
    }

    /// Attaches a file to the body's report for the period (a draft is started if there is none);
    /// only while the body may still change it.
    package func attach(_ plan: Plan, _ duty: PlanDuty, period: String, body key: String, data: Data, filename: String?) async throws -> SubmissionFile {
        let (p, body) = try await locate(plan, duty, period: period, body: key)
        guard mayEdit(body) else { throw HamletError.forbidden }
        let (name, type) = try Attachment.check(data, filename: filename)
        var submission = try await existing(duty, p, body)
        if submission == nil { submission = try await save(plan, duty, period: period, body: key, SubmissionInput()) }
        guard let submission, [SubmissionStatus.draft.rawValue, SubmissionStatus.returned.rawValue].contains(submission.status) else {
            throw HamletError.conflict("Báo cáo đã gửi: không đính kèm thêm được.")
        }
        let id = try submission.requireID()
        guard try await SubmissionFile.query(on: db).filter(\.$submissionID == id).count() < Attachment.perRecord else {
            throw HamletError.invalid("file", "Mỗi báo cáo đính kèm tối đa 5 tệp.")
        }
        let file = SubmissionFile()
        file.submissionID = id; file.filename = name; file.contentType = type; file.size = data.count; file.content = data
        file.uploadedBy = actor?.username ?? "system"; file.uploadedOn = today.iso
        try await file.create(on: db)
        var changes = AuditChanges()
        changes.add("file", nil, "\(name) (\(data.count) B)")
        try await Audit.record(on: db, actor: actor, ip: ip, action: "attach", entity: "plan_submission", entityID: id.uuidString, scopePath: body.path, changes: changes)
        return file
    }

    /// A file of a report the account may see.
    package func file(_ plan: Plan, _ duty: PlanDuty, period: String, body key: String, id: UUID?) async throws -> (SubmissionFile, PlanSubmission, DutyBody) {
        let (p, body) = try await locate(plan, duty, period: period, body: key)
        guard let submission = try await existing(duty, p, body), let id,
              let file = try await SubmissionFile.query(on: db).filter(\.$id == id).filter(\.$submissionID == submission.requireID()).first() else { throw HamletError.notFound }
        return (file, submission, body)
    }

    package func detach(_ plan: Plan, _ duty: PlanDuty, period: String, body key: String, id: UUID?) async throws {
        let (file, submission, body) = try await self.file(plan, duty, period: period, body: key, id: id)
        guard mayEdit(body) else { throw HamletError.forbidden }
        guard [SubmissionStatus.draft.rawValue, SubmissionStatus.returned.rawValue].contains(submission.status) else {
            throw HamletError.conflict("Báo cáo đã gửi: không bỏ tệp được.")
        }
        try await file.delete(on: db)
        var changes = AuditChanges()
        changes.add("file", file.filename, nil)
        try await Audit.record(on: db, actor: actor, ip: ip, action: "detach", entity: "plan_submission", entityID: submission.id?.uuidString, scopePath: body.path, changes: changes)
    }
}
