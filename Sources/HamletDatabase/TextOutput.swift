import Foundation
import Fluent

/// A row read with `TextRows`, handed to Fluent as a model's output (`model.output(from:)`):
/// the model comes out exactly as Fluent's own read makes it (stored, nothing changed), without
/// the query builder's SQL or the driver's generic decoding. Columns are named by their field
/// keys and declared with `TextColumns`.
package struct TextOutput: DatabaseOutput {
    let cells: [String: String?]

    package init(columns: [String], row: [String?]) {
        cells = Dictionary(zip(columns, row), uniquingKeysWith: { a, _ in a })
    }

    package func schema(_ schema: String) -> any DatabaseOutput { self }
    package func contains(_ key: FieldKey) -> Bool { cells[key.description] != nil }
    package func decodeNil(_ key: FieldKey) throws -> Bool { (cells[key.description] ?? nil) == nil }

    package func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T {
        guard let text = cells[key.description] ?? nil else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: [], debugDescription: "\(key) is null or not read"))
        }
        // Optional fields ask for `X?` (Fluent's `Value` of an optional field); the text is an X.
        let wanted = (T.self as? any WrapsOptional.Type)?.wrapped ?? T.self
        let value: Any?
        switch wanted {
        case is String.Type: value = text
        case is UUID.Type: value = UUID(uuidString: text)
        case is Int.Type: value = Int(text)
        case is Int64.Type: value = Int64(text)
        case is Double.Type: value = Double(text)
        case is Bool.Type: value = ["1", "t", "true"].contains(text) ? true : ["0", "f", "false"].contains(text) ? false : nil
        case is Date.Type: value = Double(text).map { Date(timeIntervalSince1970: $0) } ?? (try? Date(text, strategy: .iso8601))
        // A text enumeration (a role, a level) by its raw value; any other type as JSON carries it.
        case let raw as any RawRepresentable<String>.Type: value = raw.init(rawValue: text)
        default: value = try? JSONDecoder().decode(T.self, from: JSONEncoder().encode(text))
        }
        guard let value, let typed = value as? T else {
            throw DecodingError.typeMismatch(T.self, .init(codingPath: [], debugDescription: "\(key): \(text)"))
        }
        return typed
    }

    /// The columns read, not their values: a row may hold a password hash.
    package var description: String { "TextOutput(" + cells.keys.sorted().joined(separator: ", ") + ")" }
}

/// The type inside an optional, for `TextOutput.decode`.
private protocol WrapsOptional { static var wrapped: Any.Type { get } }
extension Optional: WrapsOptional { static var wrapped: Any.Type { Wrapped.self } }
