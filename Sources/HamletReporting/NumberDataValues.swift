import Fluent
import SQLKit
import HamletWeb
import HamletDatabase

/// `data_values` with an integer key instead of a random UUID, and the cell's unique index led by
/// the reporting unit and period (it also serves "this unit's values for a period", so the
/// separate `data_values_org` index goes). Millions of rows: a random 16-byte key made every
/// insert touch a random page of a second index; an integer key appends.
package struct NumberDataValues: AsyncMigration {
    package init() {}
    package static let columns = "element_id, combo, period, period_start, period_end, org_structure, org_code, unit_path, value, number, stored_by, created_at, updated_at"

    package func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await database.schema("data_values_new")
            .field("id", .int, .identifier(auto: true))
            .field("element_id", .uuid, .required, .references(DataElement.schema, "id"))
            .field("combo", .string, .required)
            .field("period", .string, .required)
            .field("period_start", .string, .required)
            .field("period_end", .string, .required)
            .field("org_structure", .string, .required)
            .field("org_code", .string, .required)
            .field("unit_path", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .field("value", .string, .required)
            .field("number", .double)
            .field("stored_by", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await sql.raw("INSERT INTO data_values_new (\(unsafeRaw: Self.columns)) SELECT \(unsafeRaw: Self.columns) FROM data_values ORDER BY org_code, period").run()
        try await sql.raw("DROP TABLE data_values").run()
        try await sql.raw("ALTER TABLE data_values_new RENAME TO data_values").run()
        try await sql.raw("CREATE UNIQUE INDEX data_values_cell ON data_values (org_code, period, element_id, combo, org_structure)").run()
        // Totals read one element over a subtree and a span of periods, and need nothing else.
        try await SQLText.index(database, "data_values_place", on: DataValue.schema,
                                ["element_id", "unit_path", "period_start", "period_end", "combo", "number"])
    }

    package func revert(on database: any Database) async throws {}
}

/// Reports looked up by unit and period whatever the form (the importer's lock check).
package struct IndexReportsByUnit: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await SQLText.index(database, "reports_org", on: Report.schema, ["org_code", "period"])
    }

    package func revert(on database: any Database) async throws {}
}
