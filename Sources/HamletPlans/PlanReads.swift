import Foundation
import Fluent
import HamletWeb

/// Parts of a plan its pages and API ask for by themselves.
extension PlanService {
    /// One of the plan's tasks; 404 when the id names none of them.
    package func task(_ id: UUID?, of plan: Plan) async throws -> PlanTask {
        guard let id, let task = try await PlanTask.query(on: db).filter(\.$id == id).filter(\.$planID == plan.requireID()).first() else {
            throw HamletError.notFound
        }
        return task
    }

    /// The indicators the plan's targets measure, by code.
    package func indicators(measuring plan: Plan) async throws -> [Indicator] {
        let ids = try await Target.query(on: db).filter(\.$planID == plan.requireID()).all().map(\.indicatorID)
        return try await Indicator.query(on: db).filter(\.$id ~~ ids).sort(\.$code).all()
    }
}
