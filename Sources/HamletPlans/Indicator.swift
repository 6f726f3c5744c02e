import Vapor
import Fluent
import HamletWeb
import HamletDatabase
import HamletReporting
import HamletWorkforce
import HamletTraining

/// What an indicator measures, as data: one of the kinds the plans need, with its parameters.
/// New indicators are rows, not code.
package enum IndicatorKind: String, Codable, CaseIterable, Sendable, Choice {
    case trainedShare = "trained-share"
    case unitsWithPeople = "units-with-people"
    case facilitiesWithService = "facilities-with-service"
    case facilityCount = "facility-count"
    case trainedCount = "trained-count"
    case budgetSpent = "budget-spent"
    case reportedTotal = "reported-total"
    case casesServed = "cases-served"
    case casesGroupServed = "cases-group-served"
    case referralsCompleted = "referrals-completed"
    case activityCount = "activity-count"

    package var label: String {
        switch self {
        case .trainedShare: return "Tỷ lệ người đang làm việc đã được đào tạo"
        case .unitsWithPeople: return "Tỷ lệ đơn vị/cơ sở có đủ người"
        case .facilitiesWithService: return "Tỷ lệ cơ sở cung cấp dịch vụ công tác xã hội"
        case .facilityCount: return "Số cơ sở"
        case .trainedCount: return "Số người được đào tạo trong giai đoạn"
        case .budgetSpent: return "Kinh phí đã chi so với kế hoạch"
        case .reportedTotal: return "Tổng số liệu báo cáo định kỳ của một chỉ tiêu báo cáo"
        case .casesServed: return "Số người được cung cấp dịch vụ công tác xã hội"
        case .casesGroupServed: return "Tỷ lệ người thuộc nhóm đối tượng được trợ giúp"
        case .referralsCompleted: return "Tỷ lệ chuyển gửi hoàn thành"
        case .activityCount: return "Hoạt động thực hiện kế hoạch (sự kiện, hội nghị, giám sát, giao ban…)"
        }
    }

    package var measure: String {
        switch self {
        case .trainedShare, .unitsWithPeople, .facilitiesWithService: return "%"
        case .facilityCount: return "cơ sở"
        case .trainedCount: return "người"
        case .budgetSpent: return "đồng"
        case .reportedTotal: return "số"
        case .casesServed: return "người"
        case .casesGroupServed, .referralsCompleted: return "%"
        case .activityCount: return "hoạt động"
        }
    }

    /// Kinds that count something, so a change against a baseline year means something.
    package var counts: Bool { [.facilityCount, .trainedCount, .budgetSpent, .reportedTotal, .casesServed, .activityCount].contains(self) }
}

/// What a group's share is taken of.
package enum ShareBase: String, Codable, CaseIterable, Sendable, Choice {
    case cases, population
    package var label: String {
        switch self {
        case .cases: return "Số người của nhóm có hồ sơ trợ giúp trong kỳ"
        case .population: return "Số liệu dân số của nhóm (theo năm)"
        }
    }
}

/// The parameters of every kind; each kind reads its own and `validate` says which it needs.
package struct IndicatorDefinition: Codable, Sendable {
    package var kind: IndicatorKind
    /// trained-share: whose share.
    package var staff: StaffCriteria?
    /// trained-share, trained-count: which classes count.
    package var trained: TrainedCriteria?
    /// units-with-people: the places and how many people each needs.
    package var rule: CoverageRule?
    /// facilities-with-service, facility-count: facility type codes from the catalogue.
    package var facilityTypes: [String]?
    /// trained-count, budget-spent: the first year counted (to the year of the date asked).
    package var fromYear: Int?
    /// budget-spent: whose budget lines, which funding sources (none: all), which plans by number (none: all).
    package var budgetOf: BudgetBasis?
    package var fundingSources: [FundingSource]?
    package var planNumbers: [String]?
    /// reported-total: a data element's code, and optionally one combination (`NU`); the values
    /// of periods from `fromYear` (none: the year of the date) that ended by the date.
    package var element: String?
    package var combo: String?
    /// cases-served, cases-group-served: vulnerability categories (none: everyone); cases-served:
    /// service types (none: any).
    package var caseCategories: [String]?
    package var serviceTypes: [String]?
    /// cases-group-served: what the share is of: the group's people with a case in the period
    /// (none: the default), or the population figures of the groups for the year.
    package var base: ShareBase?
    /// activity-count: which kinds of activity (none: all) and what of them is counted (none: how many were held).
    package var activityKinds: [String]?
    package var activityMeasure: ActivityMeasure?
    /// Counting kinds: give instead the change in % of the year of the date against this year
    /// (seed 004: "+20% over 2020").
    package var baselineYear: Int?

    package init(kind: IndicatorKind, staff: StaffCriteria? = nil, trained: TrainedCriteria? = nil, rule: CoverageRule? = nil,
                 facilityTypes: [String]? = nil, fromYear: Int? = nil, budgetOf: BudgetBasis? = nil,
                 fundingSources: [FundingSource]? = nil, planNumbers: [String]? = nil, element: String? = nil,
                 combo: String? = nil, caseCategories: [String]? = nil, serviceTypes: [String]? = nil, base: ShareBase? = nil,
                 activityKinds: [String]? = nil, activityMeasure: ActivityMeasure? = nil, baselineYear: Int? = nil) {
        (self.kind, self.staff, self.trained, self.rule) = (kind, staff, trained, rule)
        (self.facilityTypes, self.fromYear, self.budgetOf, self.fundingSources) = (facilityTypes, fromYear, budgetOf, fundingSources)
        (self.planNumbers, self.element, self.combo, self.caseCategories) = (planNumbers, element, combo, caseCategories)
        (self.serviceTypes, self.base, self.activityKinds, self.activityMeasure) = (serviceTypes, base, activityKinds, activityMeasure)
        self.baselineYear = baselineYear
    }

    package var measure: String { baselineYear == nil ? (kind == .activityCount ? (activityMeasure ?? .held).measure : kind.measure) : "%" }
    /// A share of a whole, which cannot pass 100%; a change against a baseline can.
    package var isShare: Bool { baselineYear == nil && measure == "%" }
}

package final class Indicator: Model, @unchecked Sendable {
    package static let schema = "indicators"

    @ID(key: .id) package var id: UUID?
    @Field(key: "code") package var code: String
    /// The province that owns it ("91.") or "" for the country (`CatalogueOwner`).
    @Field(key: "owner_path") package var ownerPath: String
    @Field(key: "name") package var name: String
    @Field(key: "kind") package var kind: String
    /// The `IndicatorDefinition` as JSON.
    @Field(key: "definition") package var definition: String
    @OptionalField(key: "note") package var note: String?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    /// Listed, not found by reflection per row (see `Person.properties`; `ModelPropertiesTests`).
    package var properties: [any AnyProperty] { [$id, $code, $ownerPath, $name, $kind, $definition, $note, $createdAt] }

    package init() { ownerPath = "" }

    package func parsed() throws -> IndicatorDefinition {
        try JSONDecoder().decode(IndicatorDefinition.self, from: Data(definition.utf8))
    }
}

extension Indicator {
    /// The data groups (`DataVersions`) its figures read, so an answer kept for it is dropped
    /// when they change: everything but the reported values, and for a reported total its own
    /// element's values (a kind this build does not know, or an element gone: all values).
    package func reads(on db: any Database) async throws -> [String] {
        switch IndicatorKind(rawValue: kind) {
        case .reportedTotal?:
            guard let code = (try? parsed())?.element?.uppercased(),
                  let element = try await DataElement.query(on: db).filter(\.$code == code).first(), let id = element.id
            else { return [DataVersions.figures, DataVersions.reports] }
            return [DataVersions.figures, DataVersions.keyed("values", id)]
        case nil: return [DataVersions.figures, DataVersions.reports]
        default: return [DataVersions.figures]
        }
    }

    /// What figures of these indicators read, together (a dashboard of several).
    package static func reads(_ ids: [UUID], on db: any Database) async throws -> [String] {
        var groups: Set<String> = [DataVersions.figures]
        for indicator in try await Indicator.query(on: db).filter(\.$id ~~ ids).all() { groups.formUnion(try await indicator.reads(on: db)) }
        return groups.sorted()
    }

    /// What a plan's dashboard reads: its targets' indicators.
    package static func reads(forPlan plan: Plan, on db: any Database) async throws -> [String] {
        try await reads(Target.query(on: db).filter(\.$planID == plan.requireID()).all().map(\.indicatorID), on: db)
    }
}

package struct CreateIndicators: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(Indicator.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("definition", .string, .required)
            .field("note", .string)
            .field("created_at", .datetime)
            .unique(on: "code")
            .create()
    }

    package func revert(on database: any Database) async throws { try await database.schema(Indicator.schema).delete() }
}
