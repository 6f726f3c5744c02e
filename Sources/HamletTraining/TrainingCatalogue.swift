import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations

/// What the training pages and API read besides classes: the course catalogue, the agencies
/// that may organise a class, certificate numbering by organiser, a class's budget lines.
extension TrainingQuery {
    /// Every course by name.
    package func courses() async throws -> [Course] { try await Course.query(on: db).sort(\.$name).all() }

    /// A page of courses by name whose name holds `q` (accents ignored), of one kind, and how many there are.
    package func courses(q: String?, kind: String?, offset: Int, limit: Int) async throws -> ([Course], Int) {
        let query = Course.query(on: db)
        if let q, !q.isEmpty { query.filter(\.$searchName, .custom("LIKE"), "%" + UnitDirectory.escapeLike(VietnameseText.folded(q)) + "%") }
        if let kind, !kind.isEmpty { query.filter(\.$kind == kind) }
        return (try await query.copy().sort(\.$name).offset(offset).limit(limit).all(), try await query.count())
    }

    /// The agencies offered as a class's organiser, by name: any in the country (a ministry's
    /// school trains a commune's collaborators), at most 500.
    package func organisers() async throws -> [Organisation] {
        try await OrganisationChoices(db: db).list(.agency, limit: 500)
    }

    /// Each organiser's certificate numbering.
    package func certificateSeries() async throws -> [CertificateSeries] { try await CertificateSeries.query(on: db).all() }

    /// A class's budget by funding source.
    package func budgetLines(of c: TrainingClass) async throws -> [ClassBudgetLine] {
        try await ClassBudgetLine.query(on: db).filter(\.$classID == c.requireID()).all()
    }
}

extension TrainingService {
    /// Sets how an organiser (an agency inside the account's subtree) numbers its certificates:
    /// a pattern with {n} (and {year}) and the next number.
    package func saveSeries(organiser: UUID?, pattern raw: String?, next: Int) async throws -> TrainingAPI.SeriesDTO {
        guard let orgID = organiser,
              try await OrganisationService(db: db, scope: scope, actor: actor, ip: ip).query(.agency).filter(\.$id == orgID).count() > 0
        else { throw HamletError.notFound }
        let pattern = VietnameseText.normalized(raw ?? "")
        guard pattern.contains("{n}"), pattern.count <= 60 else {
            throw HamletError.invalid("pattern", "Mẫu số phải có {n} (số thứ tự), có thể có {year}; tối đa 60 ký tự. Ví dụ: {n}/{year}/GCN-SLĐTBXH.")
        }
        guard next >= 1 else { throw HamletError.invalid("nextNumber", "Số tiếp theo từ 1 trở lên.") }
        let series = try await CertificateSeries.query(on: db).filter(\.$organiserID == orgID).first() ?? CertificateSeries()
        var changes = AuditChanges()
        changes.add("pattern", series.id == nil ? nil : series.pattern, pattern)
        changes.add("next_number", series.id == nil ? nil : String(series.nextNumber), String(next))
        series.organiserID = orgID; series.pattern = pattern; series.nextNumber = next
        let (audit, actor, ip, scopePath) = (changes, actor, ip, scope.path)
        try await db.writeTransaction { tx in
            try await series.save(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "update", entity: "certificate_series",
                                   entityID: orgID.uuidString, scopePath: scopePath, changes: audit)
        }
        return TrainingAPI.SeriesDTO(organiserId: orgID, pattern: pattern, nextNumber: next,
                         example: EnrolmentService.format(pattern, n: next, year: String(DayDate.today().year)))
    }
}
