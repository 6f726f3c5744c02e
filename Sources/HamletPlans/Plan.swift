import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletOrganisations

package enum PlanKind: String, Codable, CaseIterable, Sendable, Choice {
    case keHoach = "ke-hoach", deAn = "de-an", chuongTrinh = "chuong-trinh", quyetDinh = "quyet-dinh"
    package var label: String {
        switch self {
        case .keHoach: return "Kế hoạch"
        case .deAn: return "Đề án"
        case .chuongTrinh: return "Chương trình"
        case .quyetDinh: return "Quyết định"
        }
    }
}

/// What an officer records of a plan's status. `period` (the default): it follows the plan's
/// years, in force until 31/12 of its last year and ended after. `active` or `ended` set against
/// the period need a reason and a day from which they hold (extended, replaced by…).
package enum PlanStatus: String, Codable, CaseIterable, Sendable, Choice {
    case period, draft, active, ended
    package var label: String {
        switch self {
        case .period: return "Theo thời gian của kế hoạch"
        case .draft: return "Dự thảo"
        case .active: return "Đang thực hiện"
        case .ended: return "Đã kết thúc"
        }
    }
}

/// A plan's status on a day, and where it comes from.
package struct PlanState: Equatable {
    package enum Source: String { case period, officer, draft }
    package var status: PlanStatus
    package var source: Source
    package var reason: String?

    package init(status: PlanStatus, source: Source, reason: String? = nil) {
        (self.status, self.source, self.reason) = (status, source, reason)
    }

    package var label: String {
        switch source {
        case .period: return status.label + " (theo thời gian của kế hoạch)"
        case .officer: return status.label + " (" + (reason ?? "") + ")"
        case .draft: return status.label
        }
    }
}

package enum TaskStatus: String, Codable, CaseIterable, Sendable, Choice {
    case notStarted = "not-started", inProgress = "in-progress", done, delayed
    package var label: String {
        switch self {
        case .notStarted: return "Chưa triển khai"
        case .inProgress: return "Đang triển khai"
        case .done: return "Hoàn thành"
        case .delayed: return "Chậm tiến độ"
        }
    }
}

/// An official plan (kế hoạch, đề án, chương trình, quyết định) of a People's Committee.
package final class Plan: Model, @unchecked Sendable {
    package static let schema = "plans"

    @ID(key: .id) package var id: UUID?
    /// Number and symbol as printed: "126/KH-UBND".
    @Field(key: "number") package var number: String
    @Field(key: "kind") package var kind: String
    @Field(key: "issuer") package var issuer: String
    @OptionalField(key: "signer") package var signer: String?
    @Field(key: "issued_on") package var issuedOn: String
    @Field(key: "title") package var title: String
    @Field(key: "from_year") package var fromYear: Int
    @Field(key: "to_year") package var toYear: Int
    @Field(key: "scope_code") package var scopeCode: String
    @Field(key: "scope_path") package var scopePath: String
    /// Căn cứ: one cited document per line.
    @OptionalField(key: "legal_bases") package var legalBases: String?
    /// `PlanStatus`: what the officer recorded; `state(on:)` says what holds on a day.
    @Field(key: "status") package var status: String
    @OptionalField(key: "status_reason") package var statusReason: String?
    @OptionalField(key: "status_since") package var statusSince: String?
    /// The reporting duty: what, by whom, to whom, by which day each year ("30/11"), reviews.
    @OptionalField(key: "report_what") package var reportWhat: String?
    @OptionalField(key: "report_by") package var reportBy: String?
    @OptionalField(key: "report_to") package var reportTo: String?
    @OptionalField(key: "report_due") package var reportDue: String?
    @OptionalField(key: "interim_year") package var interimYear: Int?
    @OptionalField(key: "final_year") package var finalYear: Int?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    /// Listed, not found by reflection per row (see `Person.properties`; `ModelPropertiesTests`).
    package var properties: [any AnyProperty] { [$id, $number, $kind, $issuer, $signer, $issuedOn, $title, $fromYear, $toYear, $scopeCode, $scopePath, $legalBases, $status, $statusReason, $statusSince, $reportWhat, $reportBy, $reportTo, $reportDue, $interimYear, $finalYear, $createdAt] }

    package init() {}

    /// The last day of the plan's period.
    package var endsOn: DayDate { DayDate(year: toYear, month: 12, day: 31)! }

    package func state(on day: DayDate) -> PlanState {
        let recorded = PlanStatus(rawValue: status) ?? .period
        if recorded == .draft { return PlanState(status: .draft, source: .draft) }
        let byPeriod: PlanStatus = day > endsOn ? .ended : .active
        if recorded != .period, recorded != byPeriod, let reason = statusReason, !reason.isEmpty,
           let since = statusSince.flatMap(DayDate.init), day >= since {
            return PlanState(status: recorded, source: .officer, reason: reason)
        }
        return PlanState(status: byPeriod, source: .period)
    }
}

/// Mục tiêu chung (general) or cụ thể (specific).
package final class PlanObjective: Model, @unchecked Sendable {
    package static let schema = "plan_objectives"
    @ID(key: .id) package var id: UUID?
    @Field(key: "plan_id") package var planID: UUID
    @Field(key: "general") package var general: Bool
    @Field(key: "text") package var text: String
    @Field(key: "position") package var position: Int
    package init() {}
}

/// A component project or task with its lead agency, coordinating agencies and time frame.
package final class PlanTask: Model, @unchecked Sendable {
    package static let schema = "plan_tasks"
    @ID(key: .id) package var id: UUID?
    @Field(key: "plan_id") package var planID: UUID
    @Field(key: "title") package var title: String
    @Field(key: "lead_agency_id") package var leadAgencyID: UUID
    /// Coordinating agencies' ids, comma-separated.
    @Field(key: "coordinating") package var coordinating: String
    @Field(key: "time_frame") package var timeFrame: String
    @Field(key: "starts_on") package var startsOn: String
    @Field(key: "ends_on") package var endsOn: String
    @Field(key: "status") package var status: String
    @Field(key: "position") package var position: Int
    package init() {}
}

/// A dated progress update from the responsible agency.
package final class TaskProgress: Model, @unchecked Sendable {
    package static let schema = "task_progress"
    @ID(key: .id) package var id: UUID?
    @Field(key: "task_id") package var taskID: UUID
    @Field(key: "on_date") package var on: String
    @Field(key: "status") package var status: String
    @Field(key: "text") package var text: String
    @Field(key: "username") package var username: String
    package init() {}
}

package final class PlanBudgetLine: Model, @unchecked Sendable {
    package static let schema = "plan_budget_lines"
    @ID(key: .id) package var id: UUID?
    @Field(key: "plan_id") package var planID: UUID
    @Field(key: "source") package var source: String
    @Field(key: "year") package var year: Int
    @Field(key: "planned") package var planned: Int64
    @Field(key: "spent") package var spent: Int64
    package init() {}
}

/// Indicator × unit × deadline × value, optionally staged, from a baseline, under an objective.
package final class Target: Model, @unchecked Sendable {
    package static let schema = "targets"
    @ID(key: .id) package var id: UUID?
    @Field(key: "plan_id") package var planID: UUID
    @OptionalField(key: "objective_id") package var objectiveID: UUID?
    @Field(key: "indicator_id") package var indicatorID: UUID
    @Field(key: "unit_code") package var unitCode: String
    @Field(key: "unit_path") package var unitPath: String
    /// The stages as JSON: [{"deadline":"2016-12-31","value":60},{"deadline":"2020-12-31","value":100}].
    @Field(key: "stages") package var stages: String
    /// `TargetDirection`: "at-least" or "at-most".
    @Field(key: "direction") package var direction: String
    @OptionalField(key: "baseline_year") package var baselineYear: Int?
    @OptionalField(key: "baseline_value") package var baselineValue: Double?
    @OptionalField(key: "note") package var note: String?
    /// Listed, not found by reflection per row (see `Person.properties`; `ModelPropertiesTests`).
    package var properties: [any AnyProperty] {
        [$id, $planID, $objectiveID, $indicatorID, $unitCode, $unitPath, $stages, $direction, $baselineYear, $baselineValue, $note]
    }
    package init() { direction = TargetDirection.atLeast.rawValue }
}

package struct CreatePlans: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(Plan.schema).id()
            .field("number", .string, .required).field("kind", .string, .required).field("issuer", .string, .required)
            .field("signer", .string).field("issued_on", .string, .required).field("title", .string, .required)
            .field("from_year", .int, .required).field("to_year", .int, .required)
            .field("scope_code", .string, .required).field("scope_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("legal_bases", .string).field("status", .string, .required)
            .field("report_what", .string).field("report_by", .string).field("report_to", .string).field("report_due", .string)
            .field("interim_year", .int).field("final_year", .int).field("created_at", .datetime)
            .create()
        try await SQLText.index(database, "plans_scope", on: Plan.schema, ["scope_path"])
        try await database.schema(PlanObjective.schema).id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .field("general", .bool, .required).field("text", .string, .required).field("position", .int, .required).create()
        try await database.schema(PlanTask.schema).id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .field("title", .string, .required).field("lead_agency_id", .uuid, .required, .references(Organisation.schema, .id))
            .field("coordinating", .string, .required).field("time_frame", .string, .required)
            .field("starts_on", .string, .required).field("ends_on", .string, .required)
            .field("status", .string, .required).field("position", .int, .required).create()
        try await database.schema(TaskProgress.schema).id()
            .field("task_id", .uuid, .required, .references(PlanTask.schema, .id, onDelete: .cascade))
            .field("on_date", .string, .required).field("status", .string, .required).field("text", .string, .required)
            .field("username", .string, .required).create()
        try await database.schema(PlanBudgetLine.schema).id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .field("source", .string, .required).field("year", .int, .required)
            .field("planned", .int64, .required).field("spent", .int64, .required)
            .unique(on: "plan_id", "source", "year").create()
        try await database.schema(Target.schema).id()
            .field("plan_id", .uuid, .required, .references(Plan.schema, .id, onDelete: .cascade))
            .field("objective_id", .uuid, .references(PlanObjective.schema, .id))
            .field("indicator_id", .uuid, .required, .references(Indicator.schema, .id))
            .field("unit_code", .string, .required).field("unit_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("stages", .string, .required).field("baseline_year", .int).field("baseline_value", .double).field("note", .string)
            .create()
    }

    package func revert(on database: any Database) async throws {
        for schema in [Target.schema, PlanBudgetLine.schema, TaskProgress.schema, PlanTask.schema, PlanObjective.schema, Plan.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// Targets state their direction; a plan's status follows its period unless an officer records
/// why not. Plans stored "active" or "ended" before this follow their period from now on.
package struct StateDirectionsAndPlanStatus: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(Target.schema).field("direction", .string, .required, .sql(.default("at-least"))).update()
        try await database.schema(Plan.schema).field("status_reason", .string).update()
        try await database.schema(Plan.schema).field("status_since", .string).update()
        try await Plan.query(on: database).filter(\.$status ~~ ["active", "ended"]).set(\.$status, to: "period").update()
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(Target.schema).deleteField("direction").update()
        try await database.schema(Plan.schema).deleteField("status_reason").deleteField("status_since").update()
    }
}
