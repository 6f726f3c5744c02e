import Vapor
import HamletWeb

/// Which map of units a figure for a day before the reform is counted over: the units of the time
/// (the legacy communes) or, when asked, the 2025 units standing for them.
package enum UnitMap: String, Codable, Sendable {
    case ofTheTime = "legacy", current = "2025"

    package static func from(_ req: Request) throws -> UnitMap {
        guard let raw = req.query[String.self, at: "map"], !raw.isEmpty else { return .ofTheTime }
        guard let map = UnitMap(rawValue: raw) else { throw HamletError.invalid("map", "Bản đồ đơn vị: legacy (đơn vị thời đó) hoặc 2025.") }
        return map
    }
}
