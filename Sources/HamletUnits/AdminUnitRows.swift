import Foundation
import Fluent
import SQLKit
import HamletDatabase

extension AdminUnit {
    /// Every field, for `TextRows` and `TextOutput`. Units are read this way, not through Fluent,
    /// where a page names many: Fluent's per-row reflection was a seventh of the server's CPU
    /// under load, the driver's generic decoding of their columns 5 % of an instance's later.
    package static let textColumns = TextColumns([
        ("id", .text), ("structure", .plain), ("code", .plain), ("name", .plain), ("short_name", .plain), ("type", .plain),
        ("level", .text), ("parent_code", .plain), ("path", .plain), ("search_name", .plain), ("valid_from", .plain),
        ("valid_to", .plain), ("closed_on", .plain), ("merged_into", .plain), ("lat", .text), ("lon", .text), ("area_km2", .text),
    ])

    /// A unit from a row of `textColumns`, as Fluent's own read makes it.
    package static func read(text row: [String?]) throws -> AdminUnit {
        let u = AdminUnit()
        try u.output(from: TextOutput(columns: textColumns.keys, row: row))
        return u
    }
}
