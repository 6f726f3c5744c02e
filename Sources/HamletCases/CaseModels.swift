import Vapor
import HamletKit
import Fluent
import HamletWeb

/// A person served by a social-work service centre (đối tượng): among the most sensitive records
/// a province holds. Visible only through a case the account may open (`CaseAccess`).
package final class ServedPerson: Model, @unchecked Sendable {
    package static let schema = "served_people"

    @ID(key: .id) package var id: UUID?
    @Field(key: "full_name") package var fullName: String
    @Field(key: "search_name") package var searchName: String
    @Field(key: "sort_key") package var sortKey: String
    @OptionalField(key: "birth_date") package var birthDate: String?
    @OptionalField(key: "sex") package var sex: String?
    @OptionalField(key: "cccd") package var cccd: String?
    @OptionalField(key: "phone") package var phone: String?
    /// The commune (or hamlet) of the address, and the rest of it as written.
    @Field(key: "unit_code") package var unitCode: String
    @Field(key: "unit_path") package var unitPath: String
    @OptionalField(key: "address") package var address: String?
    @OptionalField(key: "guardian_name") package var guardianName: String?
    @OptionalField(key: "guardian_relation") package var guardianRelation: String?
    @OptionalField(key: "guardian_phone") package var guardianPhone: String?
    /// "poor", "near-poor", "none" or nil (not known).
    @OptionalField(key: "poverty") package var poverty: String?
    /// JSON array of vulnerability category codes.
    @Field(key: "categories") package var categoriesJSON: String
    /// The facility that made the record: its manager keeps it.
    @Field(key: "facility_id") package var facilityID: UUID
    /// Who made the record: sees it until a case is opened, then only through the case.
    @Field(key: "created_by") package var createdBy: UUID
    @OptionalField(key: "anonymised_at") package var anonymisedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package var categories: [String] { (try? JSONDecoder().decode([String].self, from: Data(categoriesJSON.utf8))) ?? [] }
}

/// One case at one facility: the person, who works it, and where it stands.
package final class CaseFile: Model, @unchecked Sendable {
    package static let schema = "cases"

    @ID(key: .id) package var id: UUID?
    /// "TTCTXH-2026-0007": the facility's own numbering, shown instead of a name.
    @Field(key: "number") package var number: String
    @Field(key: "person_id") package var personID: UUID
    @Field(key: "facility_id") package var facilityID: UUID
    /// The facility's unit path: counts per unit without opening the case.
    @Field(key: "facility_path") package var facilityPath: String
    @Field(key: "caseworker_id") package var caseworkerID: UUID
    @OptionalField(key: "supervisor_id") package var supervisorID: UUID?
    /// A `CaseStage` raw value.
    @Field(key: "stage") package var stage: String
    @Field(key: "opened_on") package var openedOn: String
    @OptionalField(key: "closed_on") package var closedOn: String?
    @OptionalField(key: "close_reason") package var closeReason: String?
    /// "low", "medium", "high" after an assessment.
    @OptionalField(key: "risk") package var risk: String?
    /// How the case came: "self", "family", "community", "referral", "authority".
    @Field(key: "source") package var source: String
    @OptionalField(key: "summary") package var summary: String?
    @OptionalField(key: "anonymised_at") package var anonymisedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package var currentStage: CaseStage { CaseStage(rawValue: stage) ?? .intake }
}

/// A dated record on a case: a step of the workflow, an assessment, a goal, a service, a
/// follow-up visit or a note. One table, told apart by `kind`; the fields each kind uses are
/// in `detail` (JSON), so the workflow can grow without a migration per record type.
package final class CaseEntry: Model, @unchecked Sendable {
    package static let schema = "case_entries"

    @ID(key: .id) package var id: UUID?
    @Field(key: "case_id") package var caseID: UUID
    /// "step", "assessment", "goal", "service", "followup", "note".
    @Field(key: "kind") package var kind: String
    /// The day it happened (a service, a step), or is due (a follow-up, a goal's target).
    @Field(key: "on_date") package var onDate: String
    /// A follow-up's visit day, a goal's achievement day.
    @OptionalField(key: "done_on") package var doneOn: String?
    /// A service type, a step's stage, a goal's status, a follow-up's caseworker.
    @OptionalField(key: "code") package var code: String?
    @OptionalField(key: "text") package var text: String?
    @OptionalField(key: "detail") package var detail: String?
    @Field(key: "by_user") package var byUser: UUID
    @Field(key: "by_name") package var byName: String
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}
}

/// A referral to another facility or agency; the receiving side sees the case while it is active.
package final class CaseReferral: Model, @unchecked Sendable {
    package static let schema = "case_referrals"

    @ID(key: .id) package var id: UUID?
    @Field(key: "case_id") package var caseID: UUID
    @Field(key: "to_organisation_id") package var toOrganisationID: UUID
    @Field(key: "to_path") package var toPath: String
    /// Someone at the receiving side who takes it up.
    @OptionalField(key: "assignee_id") package var assigneeID: UUID?
    /// "sent", "accepted", "declined", "completed".
    @Field(key: "status") package var status: String
    @Field(key: "reason") package var reason: String
    @Field(key: "sent_on") package var sentOn: String
    @OptionalField(key: "answered_on") package var answeredOn: String?
    @OptionalField(key: "feedback") package var feedback: String?
    @Field(key: "sent_by") package var sentBy: UUID
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?

    package init() {}

    package var isActive: Bool { status == "sent" || status == "accepted" }
}

/// Who works at a facility and how: caseworker, supervisor or manager. A duty is never deleted:
/// its end is written on it, so who could open the facility's cases, when, added by whom and
/// why stays on record (`StaffService`).
package final class FacilityStaff: Model, @unchecked Sendable {
    package static let schema = "facility_staff"

    @ID(key: .id) package var id: UUID?
    @Field(key: "facility_id") package var facilityID: UUID
    @Field(key: "user_id") package var userID: UUID
    /// "caseworker", "supervisor", "manager".
    @Field(key: "duty") package var duty: String
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @OptionalField(key: "added_by") package var addedBy: UUID?
    @OptionalField(key: "reason") package var reason: String?
    @OptionalField(key: "removed_at") package var removedAt: Date?
    @OptionalField(key: "removed_by") package var removedBy: UUID?
    @OptionalField(key: "removal_reason") package var removalReason: String?

    package init() {}

    /// Duties held now: only these open a facility's cases.
    package static func active(on db: any Database) -> QueryBuilder<FacilityStaff> {
        query(on: db).filter(\.$removedAt == nil)
    }
}

/// Consent to process a person's data (Decree 13/2023): given by the person, or for a child by
/// a guardian together with the child's own from age 7.
package final class Consent: Model, @unchecked Sendable {
    package static let schema = "consents"

    @ID(key: .id) package var id: UUID?
    @Field(key: "person_id") package var personID: UUID
    @Field(key: "given_on") package var givenOn: String
    @Field(key: "given_by") package var givenBy: String
    /// "self" or "guardian".
    @Field(key: "relation") package var relation: String
    /// JSON array: "basic" (identity and case work), "sensitive" (health, violence, drugs…), "share" (referrals).
    @Field(key: "scope") package var scopeJSON: String
    /// A child of 7 or more agreed too.
    @Field(key: "child_agreed") package var childAgreed: Bool
    @OptionalField(key: "withdrawn_on") package var withdrawnOn: String?
    @Field(key: "recorded_by") package var recordedBy: UUID
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package var scopes: [String] { (try? JSONDecoder().decode([String].self, from: Data(scopeJSON.utf8))) ?? [] }
}

/// Access outside the circle, for a written reason and a limited time; the facility's manager sees it.
package final class BreakGlass: Model, @unchecked Sendable {
    package static let schema = "break_glass"

    @ID(key: .id) package var id: UUID?
    @Field(key: "case_id") package var caseID: UUID
    @Field(key: "user_id") package var userID: UUID
    @Field(key: "username") package var username: String
    @Field(key: "reason") package var reason: String
    @Field(key: "granted_at") package var grantedAt: Date
    @Field(key: "expires_at") package var expiresAt: Date
    @OptionalField(key: "ip") package var ip: String?

    package init() {}
}

/// A personal-data breach and its notification (Decree 13/2023, Article 23: 72 hours).
package final class DataBreach: Model, @unchecked Sendable {
    package static let schema = "data_breaches"

    @ID(key: .id) package var id: UUID?
    @Field(key: "discovered_at") package var discoveredAt: Date
    @Field(key: "description") package var details: String
    @Field(key: "people_affected") package var peopleAffected: Int
    @Field(key: "data_kinds") package var dataKinds: String
    @OptionalField(key: "measures") package var measures: String?
    @OptionalField(key: "notified_at") package var notifiedAt: Date?
    @OptionalField(key: "subjects_notified_at") package var subjectsNotifiedAt: Date?
    @Field(key: "scope_path") package var scopePath: String
    @Field(key: "recorded_by") package var recordedBy: UUID
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?

    package init() {}

    package var deadline: Date { discoveredAt.addingTimeInterval(72 * 3600) }
}

/// The editable catalogues of the feature: vulnerability categories and service types.
package final class CaseCatalogueItem: Model, @unchecked Sendable {
    package static let schema = "case_catalogue"

    @ID(key: .id) package var id: UUID?
    /// "category" or "service".
    @Field(key: "list") package var list: String
    @Field(key: "code") package var code: String
    @Field(key: "name") package var name: String
    /// A category whose very mention is sensitive (HIV, domestic violence, drug use, sex work).
    @Field(key: "sensitive") package var sensitive: Bool
    /// A category of children (under 16).
    @Field(key: "children") package var children: Bool
    @OptionalField(key: "valid_to") package var validTo: String?

    package init() {}
}
