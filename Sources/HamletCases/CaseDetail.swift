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
package struct CaseDetail: Content {
    package struct Person: Content {
        package var id: UUID?
        package var fullName: String
        package var birthDate: String?
        package var age: Int?
        package var sex: String?
        package var cccd: String?
        package var phone: String?
        package var unitCode: String
        package var unitName: String
        package var address: String?
        package var guardianName: String?
        package var guardianRelation: String?
        package var guardianPhone: String?
        package var poverty: String?
        package var categories: [Category]
        package var anonymised: Bool

        package init(id: UUID? = nil, fullName: String, birthDate: String? = nil, age: Int? = nil, sex: String? = nil,
                     cccd: String? = nil, phone: String? = nil, unitCode: String, unitName: String, address: String? = nil,
                     guardianName: String? = nil, guardianRelation: String? = nil, guardianPhone: String? = nil,
                     poverty: String? = nil, categories: [Category], anonymised: Bool) {
            (self.id, self.fullName, self.birthDate, self.age) = (id, fullName, birthDate, age)
            (self.sex, self.cccd, self.phone, self.unitCode) = (sex, cccd, phone, unitCode)
            (self.unitName, self.address, self.guardianName, self.guardianRelation) = (unitName, address, guardianName, guardianRelation)
            (self.guardianPhone, self.poverty, self.categories, self.anonymised) = (guardianPhone, poverty, categories, anonymised)
        }
    }
    package struct Category: Content {
        package var code: String
        package var name: String
        package var sensitive: Bool
        package init(code: String, name: String, sensitive: Bool) {
            (self.code, self.name, self.sensitive) = (code, name, sensitive)
        }
    }
    package struct Entry: Content {
        package var id: UUID?
        package var kind: String
        package var on: String
        package var doneOn: String?
        package var code: String?
        package var label: String?
        package var text: String?
        package var detail: [String: String]?
        package var provider: String?
        package var by: String
        package var overdue: Bool

        package init(id: UUID? = nil, kind: String, on: String, doneOn: String? = nil, code: String? = nil, label: String? = nil,
                     text: String? = nil, detail: [String: String]? = nil, provider: String? = nil, by: String, overdue: Bool) {
            (self.id, self.kind, self.on, self.doneOn) = (id, kind, on, doneOn)
            (self.code, self.label, self.text, self.detail) = (code, label, text, detail)
            (self.provider, self.by, self.overdue) = (provider, by, overdue)
        }
    }
    package struct Referral: Content {
        package var id: UUID?
        package var to: String
        package var toId: UUID
        package var status: String
        package var statusLabel: String
        package var reason: String
        package var sentOn: String
        package var answeredOn: String?
        package var feedback: String?
        package var assignee: String?
        package var receiving: Bool

        package init(id: UUID? = nil, to: String, toId: UUID, status: String, statusLabel: String, reason: String, sentOn: String,
                     answeredOn: String? = nil, feedback: String? = nil, assignee: String? = nil, receiving: Bool) {
            (self.id, self.to, self.toId, self.status) = (id, to, toId, status)
            (self.statusLabel, self.reason, self.sentOn, self.answeredOn) = (statusLabel, reason, sentOn, answeredOn)
            (self.feedback, self.assignee, self.receiving) = (feedback, assignee, receiving)
        }
    }
    package struct ConsentRow: Content {
        package var id: UUID?
        package var givenOn: String
        package var givenBy: String
        package var relation: String
        package var scope: [String]
        package var childAgreed: Bool
        package var withdrawnOn: String?
        package init(id: UUID? = nil, givenOn: String, givenBy: String, relation: String, scope: [String], childAgreed: Bool,
                     withdrawnOn: String? = nil) {
            (self.id, self.givenOn, self.givenBy, self.relation) = (id, givenOn, givenBy, relation)
            (self.scope, self.childAgreed, self.withdrawnOn) = (scope, childAgreed, withdrawnOn)
        }
    }
    package struct Glass: Content {
        package var username: String
        package var reason: String
        package var grantedAt: Date
        package var expiresAt: Date
        package init(username: String, reason: String, grantedAt: Date, expiresAt: Date) {
            (self.username, self.reason, self.grantedAt, self.expiresAt) = (username, reason, grantedAt, expiresAt)
        }
    }

    package var id: UUID?
    package var number: String
    package var stage: String
    package var stageLabel: String
    package var nextSteps: [String]
    package var facilityId: UUID
    package var facility: String
    package var caseworkerId: UUID
    package var caseworker: String
    package var supervisorId: UUID?
    package var supervisor: String?
    package var openedOn: String
    package var closedOn: String?
    package var closeReason: String?
    package var risk: String?
    package var riskLabel: String?
    package var source: String
    package var summary: String?
    package var person: Person
    package var steps: [Entry]
    package var assessments: [Entry]
    package var goals: [Entry]
    package var services: [Entry]
    package var followups: [Entry]
    package var notes: [Entry]
    package var referrals: [Referral]
    package var consents: [ConsentRow]
    package var breakGlass: [Glass]
    /// How the reader sees it: "circle" or "break-glass".
    package var access: String

    package init(id: UUID? = nil, number: String, stage: String, stageLabel: String, nextSteps: [String], facilityId: UUID,
                 facility: String, caseworkerId: UUID, caseworker: String, supervisorId: UUID? = nil, supervisor: String? = nil,
                 openedOn: String, closedOn: String? = nil, closeReason: String? = nil, risk: String? = nil,
                 riskLabel: String? = nil, source: String, summary: String? = nil, person: Person, steps: [Entry],
                 assessments: [Entry], goals: [Entry], services: [Entry], followups: [Entry], notes: [Entry],
                 referrals: [Referral], consents: [ConsentRow], breakGlass: [Glass], access: String) {
        (self.id, self.number, self.stage, self.stageLabel) = (id, number, stage, stageLabel)
        (self.nextSteps, self.facilityId, self.facility, self.caseworkerId) = (nextSteps, facilityId, facility, caseworkerId)
        (self.caseworker, self.supervisorId, self.supervisor, self.openedOn) = (caseworker, supervisorId, supervisor, openedOn)
        (self.closedOn, self.closeReason, self.risk, self.riskLabel) = (closedOn, closeReason, risk, riskLabel)
        (self.source, self.summary, self.person, self.steps) = (source, summary, person, steps)
        (self.assessments, self.goals, self.services, self.followups) = (assessments, goals, services, followups)
        (self.notes, self.referrals, self.consents, self.breakGlass) = (notes, referrals, consents, breakGlass)
        self.access = access
    }

    package static let referralLabels = ["sent": "Đã gửi", "accepted": "Đã nhận", "declined": "Từ chối", "completed": "Hoàn thành"]

    package static func build(_ c: CaseFile, level: CaseAccess.Level, on db: any Database) async throws -> CaseDetail {
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
    package func readCase(_ id: UUID?, action: String = "read") async throws -> (CaseFile, CaseDetail) {
        let user = try requireUser()
        let (c, level) = try await CaseAccess(db: db, user: user).open(id)
        let detail = try await CaseDetail.build(c, level: level, on: db)
        var changes = AuditChanges()
        if level == .breakGlass { changes.add("access", nil, "break-glass") }
        try await Audit.record(on: db, actor: user, ip: clientIP, action: action, entity: "case", entityID: c.id?.uuidString, scopePath: c.facilityPath, changes: changes)
        return (c, detail)
    }
}
