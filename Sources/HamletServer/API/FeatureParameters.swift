import Foundation
import HamletWeb
import HamletUnits
import HamletWorkforce
import HamletTraining
import HamletPlans

/// The query parameters the features name alike (a domain, a course kind, a role…), each with
/// the schema its Swift enumeration gives, beside the common ones (`QueryParameters.common`).
extension QueryParameters {
    static var byName: [String: [String: Any]] {
        common.merging([
            "domain": one(WorkDomain.self), "domains": many(WorkDomain.self), "courseDomains": many(WorkDomain.self), "trainedCourseDomains": many(WorkDomain.self),
            "kinds": many(EmploymentKind.self), "courseKinds": many(CourseKind.self), "trainedCourseKinds": many(CourseKind.self),
            "qualification": one(QualificationLevel.self), "minLevel": one(QualificationLevel.self, except: [.none]),
            "trainedMinLevel": one(QualificationLevel.self, except: [.none]), "levels": many(QualificationLevel.self, except: [.none]),
            "trained": ["type": "string", "enum": ["yes", "no"]],
            "status": one(ClassStatus.self), "state": one(TrackState.self), "map": ["type": "string", "enum": [UnitMap.ofTheTime.rawValue, UnitMap.current.rawValue]],
            "structure": ["type": "string", "enum": ["2025", "legacy"]], "trend": ["type": "string", "enum": ["true", "false"]],
            "role": one(Role.self), "rule": ["type": "string", "enum": CoverageRule.presets.map(\.id)],
            "includeClosed": flag, "children": flag, "allDomains": flag, "providesSocialWork": flag,
            "trainedSince": day,
        ]) { a, _ in a }
    }

    static func parameter(_ spec: String) -> [String: Any] { parameter(spec, named: byName) }
}
