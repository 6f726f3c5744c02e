import Fluent

/// The columns of a text-row read (`TextRows`), declared once: each field key and how its
/// value becomes text on this engine. The select list and the names the row is read by both come
/// from it, so they cannot disagree.
package struct TextColumns: Sendable {
    /// As stored (text already), cast to text on PostgreSQL (ids, numbers, flags, enumerations),
    /// or a moment as its seconds since 1970 (`SQLText.moment`).
    package enum Kind: Sendable { case plain, text, moment }

    package let fields: [(key: String, kind: Kind)]

    package init(_ fields: [(String, Kind)]) { self.fields = fields.map { (key: $0.0, kind: $0.1) } }

    /// The field keys, in order: the names `TextOutput` reads the cells by.
    package var keys: [String] { fields.map(\.key) }

    /// The names the row's columns get: each key after `prefix`.
    package func names(prefix: String = "") -> [String] { fields.map { prefix + $0.key } }

    /// The select list: `table.key AS prefixkey` for each field, cast as its kind says.
    package func select(from table: String? = nil, prefix: String = "", _ db: any Database) -> [String] {
        fields.map { key, kind in
            let column = table.map { $0 + "." + key } ?? key, name = prefix + key
            switch kind {
            case .plain: return column == name ? column : column + " AS " + name
            case .text: return SQLText.text(column, as: name, db)
            case .moment: return SQLText.moment(column, as: name, db)
            }
        }
    }
}
