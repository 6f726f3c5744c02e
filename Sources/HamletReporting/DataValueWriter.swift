import Foundation
import Fluent
import SQLKit
import FluentPostgresDriver
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits

/// Writes many data values at once: upserts on the cell's unique index through the engine's bulk
/// path (`BulkLoad`), and deletes by key in chunks of 2,000.
package enum DataValueWriter {
    /// A period with its identifier and bounds written once, not once per value.
    package struct Span: Sendable {
        package let period: Period
        package let id: String
        package let start: String
        package let end: String
        /// Ended before 01/07/2025: its units may be legacy ones.
        package let legacy: Bool
        package init(_ period: Period) {
            self.period = period; id = period.id; start = period.start.iso; end = period.end.iso; legacy = end <= UnitLoader.legacyEnd
        }
    }

    package struct Row {
        package var elementID: UUID
        package var combo: String
        package var span: Span
        package var structure: String
        package var orgCode: String
        package var unitPath: String
        package var value: String
        package var number: Double?

        package init(elementID: UUID, combo: String, span: Span, structure: String, orgCode: String, unitPath: String,
                     value: String, number: Double? = nil) {
            (self.elementID, self.combo, self.span, self.structure) = (elementID, combo, span, structure)
            (self.orgCode, self.unitPath, self.value, self.number) = (orgCode, unitPath, value, number)
        }

        package var period: Period { span.period }
    }

    /// What makes a value one value and not another (the cell index), as the importer matches
    /// a payload's values with stored ones: short texts, so no text is built per value.
    package struct CellKey: Hashable {
        package var element: String
        package var combo: String
        package var period: String
        package var structure: String
        package var code: String

        package init(element: String, combo: String, period: String, structure: String, code: String) {
            (self.element, self.combo, self.period, self.structure) = (element, combo, period, structure)
            self.code = code
        }

        package var text: String { [element, combo, period, structure, code].joined(separator: "|") }
    }

    package static let chunk = 2_000

    package static let columns = ["element_id", "combo", "period", "period_start", "period_end", "org_structure", "org_code", "unit_path", "value", "number",
                          "stored_by", "created_at", "updated_at"]

    /// Inside a transaction (the sums pause on SQLite must end in the same one). `allNew`: none
    /// of the rows was stored when they were checked.
    package static func upsert(_ rows: [Row], allNew: Bool = false, by user: UUID?, at now: Date = HamletClock.shared.now, on db: any SQLDatabase) async throws {
        let rows = inCellOrder(rows)
        // PostgreSQL: large writes go through COPY into a scratch table and one INSERT … SELECT,
        // a fraction of the cost of binding 13 values a row; new values COPY straight in.
        if rows.count >= 1_000, db is any PostgresDatabase {
            if allNew, try await copyNew(rows, by: user, at: now, on: db) { return }
            try await upsertByCopy(rows, by: user, at: now, on: db)
            return
        }
        if rows.count >= 1_000 {
            try await withSumsPaused(on: db) { try await insert(rows, by: user, at: now, on: db) }
        } else {
            try await insert(rows, by: user, at: now, on: db)
        }
    }

    /// One order for every bulk writer, the cell index's: concurrent imports then lock the cells
    /// they share in the same order and cannot deadlock on them (the sums triggers sort their own).
    package static func inCellOrder(_ rows: [Row]) -> [Row] {
        rows.indices.sorted { a, b in
            let (x, y) = (rows[a], rows[b])
            if x.orgCode != y.orgCode { return x.orgCode < y.orgCode }
            if x.span.id != y.span.id { return x.span.id < y.span.id }
            if x.structure != y.structure { return x.structure < y.structure }
            if x.elementID != y.elementID { return x.elementID.precedes(y.elementID) }
            return x.combo < y.combo
        }.map { rows[$0] }
    }

    /// SQLite: the running sums of the rows inserted by `body` added in one grouped upsert at the
    /// end instead of one trigger upsert per row (see `PausableSums`).
    package static func withSumsPaused(on db: any SQLDatabase, _ body: () async throws -> Void) async throws {
        try await db.raw("INSERT INTO data_value_sums_paused SELECT COALESCE(MAX(id), 0) FROM data_values").run()
        try await body()
        try await db.raw("""
            INSERT INTO data_value_sums SELECT element_id, substr(unit_path, 1, 9), period_start, period_end, combo, SUM(number), COUNT(*)
            FROM data_values WHERE id > (SELECT after FROM data_value_sums_paused) AND number IS NOT NULL
            GROUP BY element_id, substr(unit_path, 1, 9), period_start, period_end, combo
            ON CONFLICT (element_id, place, period_start, period_end, combo) DO UPDATE SET total = total + excluded.total, n = n + excluded.n
            """).run()
        try await ValueVersions.raisePaused(on: db)
        try await db.raw("DELETE FROM data_value_sums_paused").run()
    }

    /// A stored value keeps its row (and id): an import or a save updates it in place.
    package static let onConflict = """
        ON CONFLICT (org_code, period, element_id, combo, org_structure) DO UPDATE SET value = excluded.value, number = excluded.number,
          stored_by = excluded.stored_by, updated_at = excluded.updated_at, unit_path = excluded.unit_path
        """

    package static func cells(_ rows: [Row], by user: UUID?, at now: Date) -> [[BulkLoad.Cell]] {
        let by: BulkLoad.Cell = user.map { .uuid($0) } ?? .null
        return rows.map { r in
            [.uuid(r.elementID), .text(r.combo), .text(r.span.id), .text(r.span.start), .text(r.span.end), .text(r.structure), .text(r.orgCode),
             .text(r.unitPath), .text(r.value), r.number.map { .double($0) } ?? .null, by, .date(now), .date(now)]
        }
    }

    private static func insert(_ rows: [Row], by user: UUID?, at now: Date, on db: any SQLDatabase) async throws {
        try await BulkLoad.insert(DataValue.schema, columns: columns, rows: cells(rows, by: user, at: now), conflict: onConflict, on: db)
    }

    /// New values COPY straight into the table, without the upsert's second look at the cell
    /// index (1.6 s against 2.2 s per 100,000). If another writer stored one of the cells since
    /// they were checked, the copy is undone to its savepoint and false tells the caller to upsert.
    /// One statement either way, so the sums are still locked in one order.
    private static func copyNew(_ rows: [Row], by user: UUID?, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        guard let database = db as? any Database else { return false }
        try await db.raw("SAVEPOINT new_values").run()
        do {
            try await BulkLoad.load(DataValue.schema, columns: columns, rows: cells(rows, by: user, at: now), on: database)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            try await db.raw("ROLLBACK TO SAVEPOINT new_values").run()
            return false
        }
        try await db.raw("RELEASE SAVEPOINT new_values").run()
        return true
    }

    package static func upsertByCopy(_ rows: [Row], by user: UUID?, at now: Date, on db: any SQLDatabase) async throws {
        guard let database = db as? any Database else { return }
        let list = columns.joined(separator: ", ")
        try await db.raw("""
            CREATE TEMP TABLE incoming_values (element_id uuid, combo text, period text, period_start text, period_end text, org_structure text,
              org_code text, unit_path text COLLATE "C", value text, number double precision, stored_by uuid, created_at timestamptz, updated_at timestamptz)
              ON COMMIT DROP
            """).run()
        try await BulkLoad.load("incoming_values", columns: columns, rows: cells(rows, by: user, at: now), on: database)
        try await db.raw("INSERT INTO data_values (\(unsafeRaw: list)) SELECT \(unsafeRaw: list) FROM incoming_values \(unsafeRaw: onConflict)").run()
        try await db.raw("DROP TABLE incoming_values").run()
    }

    package static func delete(ids: [Int], on db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: ids.count, by: chunk) {
            try await db.delete(from: DataValue.schema).where("id", .in, Array(ids[start..<min(start + chunk, ids.count)])).run()
        }
    }

    /// A value stored now, as the importer compares it.
    package struct Stored {
        package var id: Int
        package var value: String
        package init(id: Int, value: String) {
            self.id = id
            self.value = value
        }
    }
}
