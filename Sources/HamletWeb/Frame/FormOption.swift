import Foundation

/// A closed list the forms offer: stored by its raw value, shown by its Vietnamese label.
package protocol Choice: RawRepresentable, CaseIterable where RawValue == String {
    var label: String { get }
}

/// One entry of a form's list (a select, a set of boxes): its value, its label, whether chosen.
package struct FormOption: Encodable, Sendable {
    package var value: String
    package var label: String
    package var selected: Bool

    package init(value: String, label: String, selected: Bool) {
        (self.value, self.label, self.selected) = (value, label, selected)
    }

    /// A closed list's entries, labels in the request's language, `selected` chosen.
    package static func list<T: Choice>(_ type: T.Type, selected: String?) -> [FormOption] {
        T.allCases.map { FormOption(value: $0.rawValue, label: English.say($0.label), selected: $0.rawValue == selected) }
    }
}
