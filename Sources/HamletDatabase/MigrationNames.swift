import Fluent

/// Fluent records each migration done under its type's full name, module included
/// ("HamletServer.CreateUsers" before the features were modules, "HamletAccounts.CreateUsers"
/// after). A migration that moves to another module gets a new name, and a database made before
/// the move would run it again and stop at "table users already exists". Before migrating, a
/// recorded name that no migration has any more takes the name of the one migration with the
/// same type name, wherever that type lives now.
package enum MigrationNames {
    /// Renames the records of moved migrations; answers which (old name, new name).
    @discardableResult
    package static func carryOver(_ migrations: [any Migration], on db: any Database) async throws -> [(from: String, to: String)] {
        let current = Set(migrations.map(\.name))
        let byType = Dictionary(grouping: current, by: typeName)
        let records = try await MigrationLog.query(on: db).all()
        let recorded = Set(records.map(\.name))
        var moved: [(from: String, to: String)] = []
        for record in records where !current.contains(record.name) {
            // Two migrations of one type name, or both names already recorded: left as they are.
            guard let now = byType[typeName(record.name)], now.count == 1, let name = now.first, !recorded.contains(name) else { continue }
            moved.append((record.name, name))
            record.name = name
            try await record.update(on: db)
        }
        return moved
    }

    /// "HamletServer.CreateUsers" → "CreateUsers".
    package static func typeName(_ name: String) -> String {
        name.split(separator: ".").last.map(String.init) ?? name
    }
}
