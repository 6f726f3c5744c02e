import XCTest
import FluentKit
@testable import HamletUnits
@testable import HamletWorkforce
@testable import HamletAccounts
@testable import HamletPlans
@testable import HamletPopulation
@testable import HamletReporting

/// Models read on every request list their properties instead of Fluent finding them by
/// reflection (DECISIONS, "Where a request's CPU went"): the list must be what reflection finds,
/// in the same order, or a field would silently never be read or written.
final class ModelPropertiesTests: XCTestCase {
    func keys(_ properties: [any AnyProperty]) -> [String] {
        properties.map { p in (p as? any AnyDatabaseProperty).map { $0.keys.map(\.description).joined(separator: "+") } ?? "\(type(of: p))" }
    }

    func reflected(_ model: any Fields) -> [any AnyProperty] {
        Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }
    }

    func testListedPropertiesAreWhatReflectionFinds() {
        let models: [any Fields] = [Person(), User(), APIToken(), AdminUnit(), Assignment(), Indicator(), Plan(), Target(), PopulationFigure(),
                                    Report(), DataElement(), PlanDuty(), PlanSubmission(), UserSession()]
        for model in models {
            XCTAssertEqual(keys(model.properties), keys(reflected(model)), "\(type(of: model))")
            XCTAssertGreaterThan(model.properties.count, 7)
        }
    }
}
