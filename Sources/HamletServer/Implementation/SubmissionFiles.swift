import Vapor
import Fluent
import HamletKit

/// A file attached to a body's report: the signed scan, a PDF or the DOCX it was written in.
/// Kept in the database, so every app instance serves it and a backup holds it.
final class SubmissionFile: Model, @unchecked Sendable {
    static let schema = "plan_submission_files"
    @ID(key: .id) var id: UUID?
    @Field(key: "submission_id") var submissionID: UUID
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "content") var content: Data
    @Field(key: "uploaded_by") var uploadedBy: String
    @Field(key: "uploaded_on") var uploadedOn: String
    init() {}
}

struct CreateSubmissionFiles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SubmissionFile.schema).id()
            .field("submission_id", .uuid, .required, .references(PlanSubmission.schema, .id, onDelete: .cascade))
            .field("filename", .string, .required).field("content_type", .string, .required).field("size", .int, .required)
            .field("content", .data, .required).field("uploaded_by", .string, .required).field("uploaded_on", .string, .required)
            .create()
        try await SQLText.index(database, "plan_submission_files_submission", on: SubmissionFile.schema, ["submission_id"])
    }
    func revert(on database: any Database) async throws { try await database.schema(SubmissionFile.schema).delete() }
}

struct SubmissionFileDTO: Content { var id: UUID?; var filename: String; var contentType: String; var size: Int; var uploadedBy: String; var uploadedOn: String }

extension SubmissionService {
    static let fileLimit = 10 << 20
    static let filesPerReport = 5

    /// What a file is, by its first bytes, not its name: PDF, DOCX, JPEG or PNG.
    static func kind(of data: Data, name: String) -> String? {
        let head = [UInt8](data.prefix(8))
        if head.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]), name.lowercased().hasSuffix(".docx") {
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        return nil
    }

    func files(_ submission: PlanSubmission?) async throws -> [SubmissionFileDTO] {
        guard let id = submission?.id else { return [] }
        // The list without the bytes.
        return try await SubmissionFile.query(on: db).filter(\.$submissionID == id).field(\.$id).field(\.$filename).field(\.$contentType)
            .field(\.$size).field(\.$uploadedBy).field(\.$uploadedOn).sort(\.$uploadedOn).sort(\.$filename).all()
            .map { SubmissionFileDTO(id: $0.id, filename: $0.filename, contentType: $0.contentType, size: $0.size, uploadedBy: $0.uploadedBy, uploadedOn: $0.uploadedOn) }
    }

    /// Attaches a file to the body's report for the period (a draft is started if there is none);
    /// only while the body may still change it.
    func attach(_ plan: Plan, _ duty: PlanDuty, period: String, body key: String, data: Data, filename: String?) async throws -> SubmissionFile {
        let (p, body) = try await locate(plan, duty, period: period, body: key)
        guard mayEdit(body) else { throw HamletError.forbidden }
        guard !data.isEmpty else { throw HamletError.invalid("file", "Chưa có tệp, hoặc tệp rỗng.") }
        guard data.count <= Self.fileLimit else { throw HamletError.invalid("file", "Tệp đính kèm tối đa 10 MB.") }
        let name = String((filename ?? "tep").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\\", with: "_").prefix(120))
        guard let type = Self.kind(of: data, name: name) else { throw HamletError.invalid("file", "Chỉ nhận tệp PDF, DOCX, JPEG hoặc PNG.") }
        var submission = try await existing(duty, p, body)
        if submission == nil { submission = try await save(plan, duty, period: period, body: key, SubmissionInput()) }
        guard let submission, [SubmissionStatus.draft.rawValue, SubmissionStatus.returned.rawValue].contains(submission.status) else {
            throw HamletError.conflict("Báo cáo đã gửi: không đính kèm thêm được.")
        }
        let id = try submission.requireID()
        guard try await SubmissionFile.query(on: db).filter(\.$submissionID == id).count() < Self.filesPerReport else {
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
    func file(_ plan: Plan, _ duty: PlanDuty, period: String, body key: String, id: UUID?) async throws -> (SubmissionFile, PlanSubmission, DutyBody) {
        let (p, body) = try await locate(plan, duty, period: period, body: key)
        guard let submission = try await existing(duty, p, body), let id,
              let file = try await SubmissionFile.query(on: db).filter(\.$id == id).filter(\.$submissionID == submission.requireID()).first() else { throw HamletError.notFound }
        return (file, submission, body)
    }

    func detach(_ plan: Plan, _ duty: PlanDuty, period: String, body key: String, id: UUID?) async throws {
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

    static func download(_ file: SubmissionFile) -> Response {
        let response = Response(status: .ok, body: .init(data: file.content))
        response.headers.replaceOrAdd(name: .contentType, value: file.contentType)
        let ascii = file.filename.folding(options: .diacriticInsensitive, locale: nil).map { $0.isASCII && $0 != "\"" ? String($0) : "_" }.joined()
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }
}
