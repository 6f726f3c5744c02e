import Foundation
import Fluent
import SQLKit
import HamletDatabase

extension AdminUnit {
    /// Every field key, for `TextRows` and `TextOutput`. Units are read this way, not through
    /// Fluent, where a page names many: Fluent's per-row reflection was a seventh of the server's
    /// CPU under load, the driver's generic decoding of their columns 5 % of an instance's later.
    package static let keys = ["id", "structure", "code", "name", "short_name", "type", "level", "parent_code", "path", "search_name",
                               "valid_from", "valid_to", "closed_on", "merged_into", "lat", "lon", "area_km2"]

    /// The columns of `keys` as text on this engine: ids, levels and numbers cast on PostgreSQL.
    package static func textColumns(_ db: any Database) -> String {
        keys.map { ["id", "level", "lat", "lon", "area_km2"].contains($0) ? SQLText.text($0, as: $0, db) : $0 }.joined(separator: ", ")
    }

    /// A unit from a row of `textColumns`, as Fluent's own read makes it.
    package static func read(text row: [String?]) throws -> AdminUnit {
        let u = AdminUnit()
        try u.output(from: TextOutput(columns: keys, row: row))
        return u
    }
}
