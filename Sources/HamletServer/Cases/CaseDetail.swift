import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletOrganisations
import HamletWorkforce

/// Everything on one case, as the page shows it and the API returns it. Built only after
/// `CaseAccess.open`, and every build is a read that is audited.
struct CaseDetail: Content {
    struct Person: Content {
        var id: UUID?; var fullName: String; var birthDate: String?; var age: Int?; var sex: String?; var cccd: String?; var phone: String?
        var unitCode: String; var unitName: String; var address: String?; var guardianName: String?; var guardianRelation: String?; var guardianPhone: String?
        var poverty: String?; var categories: [Category]; var anonymised: Bool
    }
    struct Category: Content { var code: String; var name: String; var sensitive: Bool }
    struct Entry: Content {
        var id: UUID?; var kind: String; var on: String; var doneOn: String?; var code: String?; var label: String?; var text: String?
        var detail: [String: String]?; var provider: String?; var by: String; var overdue: Bool
    }
    struct Referral: Content {
        var id: UUID?; var to: String; var toId: UUID; var status: String; var statusLabel: String; var reason: String; var sentOn: String
        var answeredOn: String?; var feedback: String?; var assignee: String?; var receiving: Bool
    }
    struct ConsentRow: Content { var id: UUID?; var givenOn: String; var givenBy: String; var relation: String; var scope: [String]; var childAgreed: Bool; var withdrawnOn: String? }
    struct Glass: Content { var username: String; var reason: String; var grantedAt: Date; var expiresAt: Date }

    var id: UUID?; var number: String; var stage: String; var stageLabel: String; var nextSteps: [String]
    var facilityId: UUID; var facility: String; var caseworkerId: UUID; var caseworker: String; var supervisorId: UUID?; var supervisor: String?
    var openedOn: String; var closedOn: String?; var closeReason: String?; var risk: String?; var riskLabel: String?; var source: String; var summary: String?
    var person: Person; var steps: [Entry]; var assessments: [Entry]; var goals: [Entry]; var services: [Entry]; var followups: [Entry]; var notes: [Entry]
    var referrals: [Referral]; var consents: [ConsentRow]; var breakGlass: [Glass]
    /// How the reader sees it: "circle" or "break-glass".
    var access: String

    static let referralLabels = ["sent": "Đã gửi", "accepted": "Đã nhận", "declined": "Từ chối", "completed": "Hoàn thành"]

    static func build(_ c: CaseFile, level: CaseAccess.Level, on db: any Database) async throws -> CaseDetail {
        guard let p = try await ServedPerson.find(c.personID, on: db) else { throw HamletError.notFound }
        let catalogue = try await CaseCatalogueItem.query(on: db).all()
        let names = Dictionary(catalogue.map { ($0.list + "|" + $0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var userIDs = Set([c.caseworkerID] + [c.supervisorID].compactMap { $0 })
        let referrals = try await CaseReferral.query(on: db).filter(\.$caseID == c.id!).sort(\.$sentOn).all()
        for r in referrals { if let a = r.assigneeID { userIDs.insert(a) } }
        let users = Dictionary(try await User.query(on: db).filter(\.$id ~~ Array(userIDs)).all().map { ($0.id!, $0.displayName.isEmpty ? $0.username : $0.displayName) },
                               uniquingKeysWith: { a, _ in a })
        var orgIDs = Set([c.facilityID]); for r in referrals { orgIDs.insert(r.toOrganisationID) }
        let orgs = Dictionary(try await Organisation.query(on: db).filter(\.$id ~~ Array(orgIDs)).all().map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        let unit = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$code == p.unitCode).first()
        let today = DayDate.today()
        let entries = try await CaseEntry.query(on: db).filter(\.$caseID == c.id!).sort(\.$onDate).sort(\.$createdAt).all().map { e -> Entry in
            var label: String? = nil
            switch e.kind {
            case "step": label = e.code == "transfer" ? "Chuyển hồ sơ" : CaseStage(rawValue: e.code ?? "")?.label
            case "service": label = names["service|" + (e.code ?? "")]?.name ?? e.code
            case "assessment": label = RiskLevel(rawValue: e.code ?? "")?.label
            case "goal": label = ["open": "Đang thực hiện", "achieved": "Đã đạt", "dropped": "Đã bỏ"][e.code ?? ""]
            default: break
            }
            let detail = e.kind == "assessment" ? e.detail.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } : nil
            return Entry(id: e.id, kind: e.kind, on: e.onDate, doneOn: e.doneOn, code: e.code, label: label, text: e.text, detail: detail,
                         provider: e.kind == "service" ? e.detail : nil, by: e.byName,
                         overdue: e.kind == "followup" && e.doneOn == nil && (DayDate(e.onDate).map { $0 < today } ?? false))
        }
        let consents = try await Consent.query(on: db).filter(\.$personID == p.id!).sort(\.$givenOn).all()
        let glass = try await BreakGlass.query(on: db).filter(\.$caseID == c.id!).sort(\.$grantedAt, .descending).all()
        let born = p.birthDate.flatMap(DayDate.init)
        let next = c.currentStage.next.map(\.rawValue)
        return CaseDetail(
            id: c.id, number: c.number, stage: c.stage, stageLabel: c.currentStage.label, nextSteps: next, facilityId: c.facilityID, facility: orgs[c.facilityID] ?? "",
            caseworkerId: c.caseworkerID, caseworker: users[c.caseworkerID] ?? "", supervisorId: c.supervisorID, supervisor: c.supervisorID.flatMap { users[$0] },
            openedOn: c.openedOn, closedOn: c.closedOn, closeReason: c.closeReason, risk: c.risk, riskLabel: c.risk.flatMap(RiskLevel.init(rawValue:))?.label,
            source: c.source, summary: c.summary,
            person: Person(id: p.id, fullName: p.fullName, birthDate: p.birthDate, age: born.map { ConsentRule.age(born: $0, on: today) }, sex: p.sex, cccd: p.cccd,
                           phone: p.phone, unitCode: p.unitCode, unitName: unit?.name ?? p.unitCode, address: p.address, guardianName: p.guardianName,
                           guardianRelation: p.guardianRelation, guardianPhone: p.guardianPhone, poverty: p.poverty,
                           categories: p.categories.map { Category(code: $0, name: names["category|" + $0]?.name ?? $0, sensitive: names["category|" + $0]?.sensitive ?? false) },
                           anonymised: p.anonymisedAt != nil),
            steps: entries.filter { $0.kind == "step" }, assessments: entries.filter { $0.kind == "assessment" }, goals: entries.filter { $0.kind == "goal" },
            services: entries.filter { $0.kind == "service" }, followups: entries.filter { $0.kind == "followup" }, notes: entries.filter { $0.kind == "note" },
            referrals: referrals.map { r in
                Referral(id: r.id, to: orgs[r.toOrganisationID] ?? "", toId: r.toOrganisationID, status: r.status, statusLabel: referralLabels[r.status] ?? r.status,
                         reason: r.reason, sentOn: r.sentOn, answeredOn: r.answeredOn, feedback: r.feedback, assignee: r.assigneeID.flatMap { users[$0] }, receiving: false)
            },
            consents: consents.map { ConsentRow(id: $0.id, givenOn: $0.givenOn, givenBy: $0.givenBy, relation: $0.relation, scope: $0.scopes, childAgreed: $0.childAgreed, withdrawnOn: $0.withdrawnOn) },
            breakGlass: glass.map { Glass(username: $0.username, reason: $0.reason, grantedAt: $0.grantedAt, expiresAt: $0.expiresAt) },
            access: level == .circle ? "circle" : "break-glass")
    }
}

extension Request {
    /// Opens a case for reading: checks the circle, audits the read (who, when, from where) and
    /// returns what the page and the API show.
    func readCase(_ id: UUID?, action: String = "read") async throws -> (CaseFile, CaseDetail) {
        let user = try requireUser()
        let (c, level) = try await CaseAccess(db: db, user: user).open(id)
        let detail = try await CaseDetail.build(c, level: level, on: db)
        var changes = AuditChanges()
        if level == .breakGlass { changes.add("access", nil, "break-glass") }
        try await Audit.record(on: db, actor: user, ip: clientIP, action: action, entity: "case", entityID: c.id?.uuidString, scopePath: c.facilityPath, changes: changes)
        return (c, detail)
    }
}
