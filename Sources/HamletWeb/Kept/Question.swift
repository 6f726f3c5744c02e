import Foundation

/// What a kept answer answers (`req.kept`): its kind and everything it depends on besides the
/// data (what is asked, the unit, the day, the map). The parts are kept apart as a JSON list, so
/// no value can run into the next ("a|b" is one part, not two).
package struct Question: Sendable, Hashable, CustomStringConvertible {
    package let description: String

    package init(_ kind: String, _ parts: String?...) {
        let data = (try? JSONEncoder().encode([kind] + parts.map { $0 ?? "" })) ?? Data()
        description = String(decoding: data, as: UTF8.self)
    }

    /// A part that is a structure (a rule, criteria): its JSON, keys sorted, so equal rules ask the same.
    package static func part<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
