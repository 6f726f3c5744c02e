import Vapor
import HamletKit
import HamletWeb

/// What a phone needs to check and keep a report without a connection: each cell's type and
/// bounds, the form's rules with the server's own wording, and the values the server holds.
/// The entry page carries it (`data-def`); `offline.js` reads it. The messages are the server's
/// sentences, so a value refused in the browser reads exactly as the server would refuse it.
package struct OfflineForm: Encodable {
    package struct Field: Encodable {
        package var name: String
        package var element: String
        package var label: String
        package var type: String
        package var min: Double?
        package var max: Double?
        package init(name: String, element: String, label: String, type: String, min: Double? = nil, max: Double? = nil) {
            (self.name, self.element, self.label, self.type) = (name, element, label, type)
            (self.min, self.max) = (min, max)
        }
    }
    package struct Rule: Encodable {
        package var kind: String
        package var left: String
        package var op: String?
        package var right: String?
        package var min: Double?
        package var max: Double?
        package var message: String
        package init(kind: String, left: String, op: String? = nil, right: String? = nil, min: Double? = nil, max: Double? = nil,
                     message: String) {
            (self.kind, self.left, self.op, self.right) = (kind, left, op, right)
            (self.min, self.max, self.message) = (min, max, message)
        }
    }
    /// set|unit|period: one report, the key of its copy on the phone.
    package var key: String
    package var version: Int
    package var status: String
    package var editable: Bool
    package var fields: [Field]
    package var rules: [Rule]
    /// ValueError's sentences by case ("notInteger"…); bounds are written per field below.
    package var messages: [String: String]
    package var below: [String: String]
    package var above: [String: String]
    /// The server's values as the form shows them ("1.234", "12,5", "Có").
    package var server: [String: String]

    package init(_ state: ReportState, editable: Bool) {
        key = [state.form.set.code, state.place.code, state.period.id].joined(separator: "|")
        version = state.version
        status = state.status?.rawValue ?? "none"
        self.editable = editable
        fields = state.form.cells.map {
            Field(name: $0.field, element: $0.element.code, label: $0.element.name, type: $0.element.type.rawValue, min: $0.element.minimum, max: $0.element.maximum)
        }
        let names = Dictionary(state.form.elements.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        rules = state.form.set.rules.map {
            Rule(kind: $0.kind.rawValue, left: $0.left, op: $0.op?.rawValue, right: $0.right, min: $0.min, max: $0.max, message: English.say($0.describe { names[$0] ?? $0 }))
        }
        let cases: [(String, ValueError)] = [("empty", .empty), ("tooLong", .tooLong), ("notYesNo", .notYesNo), ("notInteger", .notInteger),
                                             ("notNumber", .notNumber), ("notPercent", .notPercent), ("negative", .negative), ("notPositive", .notPositive)]
        messages = Dictionary(uniqueKeysWithValues: cases.map { ($0.0, English.say($0.1.message)) })
        var below: [String: String] = [:], above: [String: String] = [:]
        for cell in state.form.cells {
            if let m = cell.element.minimum { below[cell.field] = English.say(ValueError.below(m).message) }
            if let m = cell.element.maximum { above[cell.field] = English.say(ValueError.above(m).message) }
        }
        self.below = below; self.above = above
        server = Self.shown(state)
    }

    package static func shown(_ state: ReportState) -> [String: String] {
        var out: [String: String] = [:]
        for cell in state.form.cells { if let v = state.values[cell.field] { out[cell.field] = ReportPages.display(v.value, cell.element.type) } }
        return out
    }

    /// The page attribute: JSON, escaped by the template like any other text.
    package var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}

/// The entry page's answer to a script that asks for JSON (`Accept: application/json`): the
/// report as it now stands, in the form's own field names and display values.
package struct OfflineAnswer: Content {
    package var key: String
    package var status: String
    package var statusLabel: String
    package var version: Int
    package var replayed: Bool
    package var fields: [String: String]
    package var warnings: [String]

    package init(_ s: ReportState) {
        key = [s.form.set.code, s.place.code, s.period.id].joined(separator: "|")
        status = s.status?.rawValue ?? "none"; statusLabel = s.status?.label ?? "Chưa nhập"; version = s.version; replayed = s.replayed
        fields = OfflineForm.shown(s); warnings = s.warnings.map { English.say($0.message) }
    }
}
