import Foundation
import Fluent
import SQLKit

extension AdminUnit {
    /// Every column, as `read` wants them: the level as text on both engines.
    package static let columns = "id, structure, code, name, short_name, type, CAST(level AS TEXT) AS level, parent_code, path, search_name,"
        + " valid_from, valid_to, closed_on, merged_into, lat, lon, area_km2"

    /// A unit from a row of `columns`, without Fluent's per-row reflection (measured under load:
    /// decoding units through Fluent was a seventh of the server's CPU). For reading: the
    /// model is not marked as stored, so it must not be saved.
    package static func read(_ row: any SQLRow) throws -> AdminUnit {
        let u = AdminUnit()
        u.id = try row.decode(column: "id", as: UUID.self)
        u.structure = try row.decode(column: "structure", as: String.self)
        u.code = try row.decode(column: "code", as: String.self)
        u.name = try row.decode(column: "name", as: String.self)
        u.shortName = try row.decode(column: "short_name", as: String.self)
        u.type = try row.decode(column: "type", as: String.self)
        let level = try row.decode(column: "level", as: String.self)
        guard let parsed = UnitLevel(rawValue: level) else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "level \(level)")) }
        u.level = parsed
        u.parentCode = try row.decode(column: "parent_code", as: String?.self)
        u.path = try row.decode(column: "path", as: String.self)
        u.searchName = try row.decode(column: "search_name", as: String.self)
        u.validFrom = try row.decode(column: "valid_from", as: String?.self)
        u.validTo = try row.decode(column: "valid_to", as: String?.self)
        u.closedOn = try row.decode(column: "closed_on", as: String?.self)
        u.mergedInto = try row.decode(column: "merged_into", as: String?.self)
        u.lat = try row.decode(column: "lat", as: Double?.self)
        u.lon = try row.decode(column: "lon", as: Double?.self)
        u.areaKm2 = try row.decode(column: "area_km2", as: Double?.self)
        return u
    }
}
