import Vapor
import HamletKit
import Fluent
import HamletWeb

/// A person served by a social-work service centre (đối tượng): among the most sensitive records
/// a province holds. Visible only through a case the account may open (`CaseAccess`).
final class ServedPerson: Model, @unchecked Sendable {
    static let schema = "served_people"

    @ID(key: .id) var id: UUID?
    @Field(key: "full_name") var fullName: String
    @Field(key: "search_name") var searchName: String
    @Field(key: "sort_key") var sortKey: String
    @OptionalField(key: "birth_date") var birthDate: String?
    @OptionalField(key: "sex") var sex: String?
    @OptionalField(key: "cccd") var cccd: String?
    @OptionalField(key: "phone") var phone: String?
    /// The commune (or hamlet) of the address, and the rest of it as written.
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "unit_path") var unitPath: String
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "guardian_name") var guardianName: String?
    @OptionalField(key: "guardian_relation") var guardianRelation: String?
    @OptionalField(key: "guardian_phone") var guardianPhone: String?
    /// "poor", "near-poor", "none" or nil (not known).
    @OptionalField(key: "poverty") var poverty: String?
    /// JSON array of vulnerability category codes.
    @Field(key: "categories") var categoriesJSON: String
    /// The facility that made the record: its manager keeps it.
    @Field(key: "facility_id") var facilityID: UUID
    /// Who made the record: sees it until a case is opened, then only through the case.
    @Field(key: "created_by") var createdBy: UUID
    @OptionalField(key: "anonymised_at") var anonymisedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var categories: [String] { (try? JSONDecoder().decode([String].self, from: Data(categoriesJSON.utf8))) ?? [] }
}

/// One case at one facility: the person, who works it, and where it stands.
final class CaseFile: Model, @unchecked Sendable {
    static let schema = "cases"

    @ID(key: .id) var id: UUID?
    /// "TTCTXH-2026-0007": the facility's own numbering, shown instead of a name.
    @Field(key: "number") var number: String
    @Field(key: "person_id") var personID: UUID
    @Field(key: "facility_id") var facilityID: UUID
    /// The facility's unit path: counts per unit without opening the case.
    @Field(key: "facility_path") var facilityPath: String
    @Field(key: "caseworker_id") var caseworkerID: UUID
    @OptionalField(key: "supervisor_id") var supervisorID: UUID?
    /// A `CaseStage` raw value.
    @Field(key: "stage") var stage: String
    @Field(key: "opened_on") var openedOn: String
    @OptionalField(key: "closed_on") var closedOn: String?
    @OptionalField(key: "close_reason") var closeReason: String?
    /// "low", "medium", "high" after an assessment.
    @OptionalField(key: "risk") var risk: String?
    /// How the case came: "self", "family", "community", "referral", "authority".
    @Field(key: "source") var source: String
    @OptionalField(key: "summary") var summary: String?
    @OptionalField(key: "anonymised_at") var anonymisedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var currentStage: CaseStage { CaseStage(rawValue: stage) ?? .intake }
}

/// A dated record on a case: a step of the workflow, an assessment, a goal, a service, a
/// follow-up visit or a note. One table, told apart by `kind`; the fields each kind uses are
/// in `detail` (JSON), so the workflow can grow without a migration per record type.
final class CaseEntry: Model, @unchecked Sendable {
    static let schema = "case_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    /// "step", "assessment", "goal", "service", "followup", "note".
    @Field(key: "kind") var kind: String
    /// The day it happened (a service, a step), or is due (a follow-up, a goal's target).
    @Field(key: "on_date") var onDate: String
    /// A follow-up's visit day, a goal's achievement day.
    @OptionalField(key: "done_on") var doneOn: String?
    /// A service type, a step's stage, a goal's status, a follow-up's caseworker.
    @OptionalField(key: "code") var code: String?
    @OptionalField(key: "text") var text: String?
    @OptionalField(key: "detail") var detail: String?
    @Field(key: "by_user") var byUser: UUID
    @Field(key: "by_name") var byName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A referral to another facility or agency; the receiving side sees the case while it is active.
final class CaseReferral: Model, @unchecked Sendable {
    static let schema = "case_referrals"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "to_organisation_id") var toOrganisationID: UUID
    @Field(key: "to_path") var toPath: String
    /// Someone at the receiving side who takes it up.
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    /// "sent", "accepted", "declined", "completed".
    @Field(key: "status") var status: String
    @Field(key: "reason") var reason: String
    @Field(key: "sent_on") var sentOn: String
    @OptionalField(key: "answered_on") var answeredOn: String?
    @OptionalField(key: "feedback") var feedback: String?
    @Field(key: "sent_by") var sentBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var isActive: Bool { status == "sent" || status == "accepted" }
}

/// Who works at a facility and how: caseworker, supervisor or manager. A duty is never deleted:
/// its end is written on it, so who could open the facility's cases, when, added by whom and
/// why stays on record (`StaffService`).
final class FacilityStaff: Model, @unchecked Sendable {
    static let schema = "facility_staff"

    @ID(key: .id) var id: UUID?
    @Field(key: "facility_id") var facilityID: UUID
    @Field(key: "user_id") var userID: UUID
    /// "caseworker", "supervisor", "manager".
    @Field(key: "duty") var duty: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "added_by") var addedBy: UUID?
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "removed_at") var removedAt: Date?
    @OptionalField(key: "removed_by") var removedBy: UUID?
    @OptionalField(key: "removal_reason") var removalReason: String?

    init() {}

    /// Duties held now: only these open a facility's cases.
    static func active(on db: any Database) -> QueryBuilder<FacilityStaff> {
        query(on: db).filter(\.$removedAt == nil)
    }
}

/// Consent to process a person's data (Decree 13/2023): given by the person, or for a child by
/// a guardian together with the child's own from age 7.
final class Consent: Model, @unchecked Sendable {
    static let schema = "consents"

    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "given_on") var givenOn: String
    @Field(key: "given_by") var givenBy: String
    /// "self" or "guardian".
    @Field(key: "relation") var relation: String
    /// JSON array: "basic" (identity and case work), "sensitive" (health, violence, drugs…), "share" (referrals).
    @Field(key: "scope") var scopeJSON: String
    /// A child of 7 or more agreed too.
    @Field(key: "child_agreed") var childAgreed: Bool
    @OptionalField(key: "withdrawn_on") var withdrawnOn: String?
    @Field(key: "recorded_by") var recordedBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var scopes: [String] { (try? JSONDecoder().decode([String].self, from: Data(scopeJSON.utf8))) ?? [] }
}

/// Access outside the circle, for a written reason and a limited time; the facility's manager sees it.
final class BreakGlass: Model, @unchecked Sendable {
    static let schema = "break_glass"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "username") var username: String
    @Field(key: "reason") var reason: String
    @Field(key: "granted_at") var grantedAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "ip") var ip: String?

    init() {}
}

/// A personal-data breach and its notification (Decree 13/2023, Article 23: 72 hours).
final class DataBreach: Model, @unchecked Sendable {
    static let schema = "data_breaches"

    @ID(key: .id) var id: UUID?
    @Field(key: "discovered_at") var discoveredAt: Date
    @Field(key: "description") var details: String
    @Field(key: "people_affected") var peopleAffected: Int
    @Field(key: "data_kinds") var dataKinds: String
    @OptionalField(key: "measures") var measures: String?
    @OptionalField(key: "notified_at") var notifiedAt: Date?
    @OptionalField(key: "subjects_notified_at") var subjectsNotifiedAt: Date?
    @Field(key: "scope_path") var scopePath: String
    @Field(key: "recorded_by") var recordedBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var deadline: Date { discoveredAt.addingTimeInterval(72 * 3600) }
}

/// The editable catalogues of the feature: vulnerability categories and service types.
final class CaseCatalogueItem: Model, @unchecked Sendable {
    static let schema = "case_catalogue"

    @ID(key: .id) var id: UUID?
    /// "category" or "service".
    @Field(key: "list") var list: String
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    /// A category whose very mention is sensitive (HIV, domestic violence, drug use, sex work).
    @Field(key: "sensitive") var sensitive: Bool
    /// A category of children (under 16).
    @Field(key: "children") var children: Bool
    @OptionalField(key: "valid_to") var validTo: String?

    init() {}
}
