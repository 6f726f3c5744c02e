import Foundation
import Fluent
import HamletDatabase

/// What a save must know before it writes, inside its transaction: the values stored now, the
/// approved reports and the units approved as a whole, for the units and periods it names.
/// A single value or a form's few units read all three in one statement: SQLite writes one
/// transaction at a time, and each statement inside one keeps every other writer waiting.
package struct ValueStanding {
    package var stored: [DataValueWriter.CellKey: DataValueWriter.Stored] = [:]
    /// "code|period|form id" of every approved report.
    package var locked: Set<String> = []
    /// (form id, period, unit path) of every unit approved as a whole.
    package var held: [(set: UUID, period: String, path: String)] = []

    package static func read(orgCodes: [String], periods: [String], elements: [UUID: String], importer: DataValueImporter,
                             on db: any Database) async throws -> ValueStanding {
        var out = ValueStanding()
        guard !periods.isEmpty else { return out }
        guard orgCodes.count <= 100, periods.count <= 12 else {
            out.stored = try await DataValueWriter.stored(orgCodes: orgCodes, periods: periods, elements: elements, on: db)
            out.locked = try await importer.approved(orgCodes: orgCodes, periods: periods, on: db)
            out.held = try await importer.unitApprovals(periods: periods, on: db)
            return out
        }
        let codes = Dictionary(elements.map { ($0.key.uuidString, $0.value) }, uniquingKeysWith: { a, _ in a })
        let units = TextRows.marks(orgCodes.count), spans = TextRows.marks(periods.count)
        let rows = try await TextRows.query(db, """
            SELECT 'v' AS k, CAST(id AS TEXT) AS a, CAST(element_id AS TEXT) AS b, combo AS c, period AS d, org_structure AS e, org_code AS f, value AS g
            FROM data_values WHERE org_code IN (\(units)) AND period IN (\(spans))
            UNION ALL
            SELECT 'r', org_code, period, CAST(data_set_id AS TEXT), NULL, NULL, NULL, NULL
            FROM reports WHERE org_code IN (\(units)) AND period IN (\(spans)) AND status = 'approved'
            UNION ALL
            SELECT 'u', CAST(s.id AS TEXT), a.period, a.unit_path, NULL, NULL, NULL, NULL
            FROM report_approvals a JOIN data_sets s ON s.code = a.data_set WHERE a.period IN (\(spans))
            """, orgCodes + periods + orgCodes + periods + periods, columns: ["k", "a", "b", "c", "d", "e", "f", "g"])
        for row in rows {
            switch row[0] {
            case "v":
                guard let id = row[1].flatMap({ Int($0) }), let element = row[2].flatMap({ codes[$0.uppercased()] }), let combo = row[3],
                      let period = row[4], let structure = row[5], let code = row[6], let value = row[7] else { continue }
                out.stored[.init(element: element, combo: combo, period: period, structure: structure, code: code)] = .init(id: id, value: value)
            case "r":
                guard let code = row[1], let period = row[2], let set = row[3].flatMap({ UUID(uuidString: $0) }) else { continue }
                out.locked.insert(code + "|" + period + "|" + set.uuidString)
            case "u":
                guard let set = row[1].flatMap({ UUID(uuidString: $0) }), let period = row[2], let path = row[3] else { continue }
                out.held.append((set: set, period: period, path: path))
            default: continue
            }
        }
        return out
    }
}
