import Vapor
import Fluent
import HamletWeb

struct UnitDTO: Content {
    var structure: String
    var code: String
    var name: String
    var shortName: String
    var type: String
    var level: String
    var parentCode: String?
    var validFrom: String?
    var validTo: String?
    var closedOn: String?
    var mergedInto: String?
    var lat: Double?
    var lon: Double?
    var areaKm2: Double?
    var childCount: Int?
    var hamletCount: Int?

    init(_ u: AdminUnit, counts: (children: Int, hamlets: Int)? = nil) {
        structure = u.structure; code = u.code; name = u.name; shortName = u.shortName; type = u.type; level = u.level.rawValue
        parentCode = u.parentCode; validFrom = u.validFrom; validTo = u.validTo; closedOn = u.closedOn; mergedInto = u.mergedInto
        lat = u.lat; lon = u.lon; areaKm2 = u.areaKm2; childCount = counts?.children; hamletCount = counts?.hamlets
    }
}

struct UnitRef: Content {
    var structure: String
    var code: String
    var name: String
    var level: String
    init(_ u: AdminUnit) { structure = u.structure; code = u.code; name = u.name; level = u.level.rawValue }
}

struct SuccessionDTO: Content {
    var reform: String
    var kind: String
    var isDefault: Bool
    var effectiveDate: String
    var unit: UnitRef?
    var code: String
}

struct UnitEventDTO: Content {
    var kind: String
    var effectiveDate: String
    var oldValue: String?
    var newValue: String?
    var relatedCode: String?
    var note: String?
    var username: String
    init(_ e: UnitEvent) {
        kind = e.kind; effectiveDate = e.effectiveDate; oldValue = e.oldValue; newValue = e.newValue
        relatedCode = e.relatedCode; note = e.note; username = e.username
    }
}

struct UnitDetailDTO: Content {
    var unit: UnitDTO
    var path: [UnitRef]
    /// Legacy unit: the 2025 units it went into. 2025 unit: the legacy units it came from.
    var successors: [SuccessionDTO]?
    var predecessors: [SuccessionDTO]?
    var history: [UnitEventDTO]?
}

/// Builds a unit's detail once, for the page and the API alike.
struct UnitDetail {
    let directory: UnitDirectory

    func load(_ unit: AdminUnit) async throws -> UnitDetailDTO {
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
