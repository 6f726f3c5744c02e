import Vapor
import Fluent
import HamletWeb

package struct UnitDTO: Content {
    package var structure: String
    package var code: String
    package var name: String
    package var shortName: String
    package var type: String
    package var level: String
    package var parentCode: String?
    package var validFrom: String?
    package var validTo: String?
    package var closedOn: String?
    package var mergedInto: String?
    package var lat: Double?
    package var lon: Double?
    package var areaKm2: Double?
    package var childCount: Int?
    package var hamletCount: Int?

    package init(_ u: AdminUnit, counts: (children: Int, hamlets: Int)? = nil) {
        structure = u.structure; code = u.code; name = u.name; shortName = u.shortName; type = u.type; level = u.level.rawValue
        parentCode = u.parentCode; validFrom = u.validFrom; validTo = u.validTo; closedOn = u.closedOn; mergedInto = u.mergedInto
        lat = u.lat; lon = u.lon; areaKm2 = u.areaKm2; childCount = counts?.children; hamletCount = counts?.hamlets
    }
}

package struct UnitRef: Content {
    package var structure: String
    package var code: String
    package var name: String
    package var level: String
    package init(_ u: AdminUnit) { structure = u.structure; code = u.code; name = u.name; level = u.level.rawValue }
}

package struct SuccessionDTO: Content {
    package var reform: String
    package var kind: String
    package var isDefault: Bool
    package var effectiveDate: String
    package var unit: UnitRef?
    package var code: String

    package init(reform: String, kind: String, isDefault: Bool, effectiveDate: String, unit: UnitRef? = nil, code: String) {
        (self.reform, self.kind, self.isDefault, self.effectiveDate) = (reform, kind, isDefault, effectiveDate)
        (self.unit, self.code) = (unit, code)
    }
}

package struct UnitEventDTO: Content {
    package var kind: String
    package var effectiveDate: String
    package var oldValue: String?
    package var newValue: String?
    package var relatedCode: String?
    package var note: String?
    package var username: String
    package init(_ e: UnitEvent) {
        kind = e.kind; effectiveDate = e.effectiveDate; oldValue = e.oldValue; newValue = e.newValue
        relatedCode = e.relatedCode; note = e.note; username = e.username
    }
}

package struct UnitDetailDTO: Content {
    package var unit: UnitDTO
    package var path: [UnitRef]
    /// Legacy unit: the 2025 units it went into. 2025 unit: the legacy units it came from.
    package var successors: [SuccessionDTO]?
    package var predecessors: [SuccessionDTO]?
    package var history: [UnitEventDTO]?

    package init(unit: UnitDTO, path: [UnitRef], successors: [SuccessionDTO]? = nil, predecessors: [SuccessionDTO]? = nil,
                 history: [UnitEventDTO]? = nil) {
        (self.unit, self.path, self.successors, self.predecessors) = (unit, path, successors, predecessors)
        self.history = history
    }
}

/// Builds a unit's detail once, for the page and the API alike.
package struct UnitDetail {
    package let directory: UnitDirectory

    package init(directory: UnitDirectory) { self.directory = directory }

    package func load(_ unit: AdminUnit) async throws -> UnitDetailDTO {
        let counts = try await directory.counts(for: [unit])
        let ancestors = try await directory.ancestors(of: unit)
        let lines = try await directory.succession(of: unit).map {
            SuccessionDTO(reform: $0.line.reform, kind: $0.line.kind, isDefault: $0.line.isDefault, effectiveDate: $0.line.effectiveDate,
                          unit: $0.unit.map(UnitRef.init), code: unit.structure == UnitStructure.legacy.rawValue ? $0.line.toCode : $0.line.fromCode)
        }
        let legacy = unit.structure == UnitStructure.legacy.rawValue
        var history: [UnitEventDTO]? = nil
        if unit.level == .hamlet {
            history = try await UnitEvent.query(on: directory.db).filter(\.$unitCode == unit.code)
                .sort(\.$recordedAt).all().map { UnitEventDTO($0) }
        }
        return UnitDetailDTO(unit: UnitDTO(unit, counts: counts[unit.code] ?? (0, 0)), path: ancestors.map(UnitRef.init),
                             successors: legacy ? lines : nil, predecessors: legacy ? nil : lines, history: history)
    }
}
