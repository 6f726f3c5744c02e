import Fluent
import HamletDatabase

/// An owner on each shared catalogue item (`CatalogueOwner`); what was there before belongs to the
/// country. It adds a column to reporting's catalogue as well as to the indicators, so it runs
/// with the plans, after both; the tables are named as they were when it first ran. It was
/// written in HamletAccounts: `MigrationNames` carries its record over.
package struct AddCatalogueOwners: AsyncMigration {
    package init() {}
    package static let tables = ["data_categories", "data_elements", "data_sets", "indicators"]

    package func prepare(on database: any Database) async throws {
        for table in Self.tables {
            try await database.schema(table).field("owner_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required, .sql(.default(""))).update()
        }
    }

    package func revert(on database: any Database) async throws {
        for table in Self.tables { try await database.schema(table).deleteField("owner_path").update() }
    }
}
