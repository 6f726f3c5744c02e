import Foundation
import Fluent
import HamletDatabase

/// What a save must know before it writes, inside its transaction: the values stored now, the
/// approved reports and the units approved as a whole, for the units and periods it names.
/// All three in one statement: SQLite writes one transaction at a time, and each statement
/// inside one keeps every other writer waiting.
package struct ValueStanding {
    package var stored: [DataValueWriter.CellKey: DataValueWriter.Stored] = [:]
    /// "code|period|form id" of every approved report.
    package var locked: Set<String> = []
    /// (form id, period, unit path) of every unit approved as a whole.
    package var held: [(set: UUID, period: String, path: String)] = []

    /// Units go 500 to a statement (a large import names thousands); the units approved as a
    /// whole are read with the first.
    package static func read(orgCodes: [String], periods: [String], elements: [UUID: String], on db: any Database) async throws -> ValueStanding {
        var out = ValueStanding()
        guard !periods.isEmpty else { return out }
        let codes = Dictionary(elements.map { ($0.key.uuidString, $0.value) }, uniquingKeysWith: { a, _ in a })
        let spans = TextRows.marks(periods.count)
        for start in stride(from: 0, to: max(orgCodes.count, 1), by: 500) {
            let chunk = Array(orgCodes[min(start, orgCodes.count)..<min(start + 500, orgCodes.count)])
            var parts: [String] = [], binds: [String] = []
            if !chunk.isEmpty {
                let units = TextRows.marks(chunk.count)
                parts.append("""
                    SELECT 'v' AS k, CAST(id AS TEXT) AS a, CAST(element_id AS TEXT) AS b, combo AS c, period AS d, org_structure AS e, org_code AS f, value AS g
                    FROM data_values WHERE org_code IN (\(units)) AND period IN (\(spans))
                    """)
                parts.append("""
                    SELECT 'r', org_code, period, CAST(data_set_id AS TEXT), NULL, NULL, NULL, NULL
                    FROM reports WHERE org_code IN (\(units)) AND period IN (\(spans)) AND status = 'approved'
                    """)
                binds += chunk + periods + chunk + periods
            }
            if start == 0 {
                // Named like the first part: it may be the only one.
                parts.append("""
                    SELECT 'u' AS k, CAST(s.id AS TEXT) AS a, a.period AS b, a.unit_path AS c, NULL AS d, NULL AS e, NULL AS f, NULL AS g
                    FROM report_approvals a JOIN data_sets s ON s.code = a.data_set WHERE a.period IN (\(spans))
                    """)
                binds += periods
            }
            let rows = try await TextRows.query(db, parts.joined(separator: "\nUNION ALL\n"), binds, columns: ["k", "a", "b", "c", "d", "e", "f", "g"])
            out.take(rows, codes: codes)
        }
        return out
    }

    private mutating func take(_ rows: [[String?]], codes: [String: String]) {
        for row in rows {
            switch row[0] {
            case "v":
                guard let id = row[1].flatMap({ Int($0) }), let element = row[2].flatMap({ codes[$0.uppercased()] }), let combo = row[3],
                      let period = row[4], let structure = row[5], let code = row[6], let value = row[7] else { continue }
                stored[.init(element: element, combo: combo, period: period, structure: structure, code: code)] = .init(id: id, value: value)
            case "r":
                guard let code = row[1], let period = row[2], let set = row[3].flatMap({ UUID(uuidString: $0) }) else { continue }
                locked.insert(code + "|" + period + "|" + set.uuidString)
            case "u":
                guard let set = row[1].flatMap({ UUID(uuidString: $0) }), let period = row[2], let path = row[3] else { continue }
                held.append((set: set, period: period, path: path))
            default: continue
            }
        }
    }
}
