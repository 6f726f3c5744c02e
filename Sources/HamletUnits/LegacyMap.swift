import Vapor
import Fluent
import SQLKit
import HamletWeb

/// The units of the time before the 2025 reform, seen from the 2025 tree: which legacy communes a
/// 2025 unit stands for (each counted where its default successor lies, as reported figures are),
/// and which legacy communes went into a 2025 commune. The legacy structure is the one of
/// 30/06/2025, the last before the reform; earlier mergers are not in the data.
package struct LegacyMap {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    /// A legacy commune counted under a 2025 unit, with its legacy district and 2025 successor.
    package struct Place: Sendable { package var code: String; package var name: String; package var district: String; package var successorPath: String }

    /// The legacy communes whose default successor lies under `path` ("" for the country).
    package func places(under path: String) async throws -> [Place] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let rows = try await sql.raw("""
            SELECT l.code AS code, l.name AS name, COALESCE(l.parent_code, '') AS district, c.path AS successor
            FROM units l JOIN unit_successions s ON s.from_structure = 'legacy' AND s.from_code = l.code AND s.is_default = \(true)
            JOIN units c ON c.structure = '2025' AND c.code = s.to_code
            WHERE l.structure = 'legacy' AND CAST(l.level AS TEXT) = 'commune' AND c.path >= \(bind: path) AND c.path < \(bind: AccessScope.upperBound(path))
            ORDER BY l.code
            """).all()
        return try rows.map { Place(code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self),
                                    district: try $0.decode(column: "district", as: String.self), successorPath: try $0.decode(column: "successor", as: String.self)) }
    }

    /// For each 2025 commune under `path`, the legacy communes that went into it, whole or in part.
    package func predecessors(under path: String) async throws -> [String: [String]] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        var out: [String: [String]] = [:]
        for row in try await sql.raw("""
            SELECT s.to_code AS c, s.from_code AS l FROM unit_successions s JOIN units c ON c.structure = '2025' AND c.code = s.to_code
            WHERE s.from_structure = 'legacy' AND c.path >= \(bind: path) AND c.path < \(bind: AccessScope.upperBound(path)) ORDER BY s.from_code
            """).all() {
            out[try row.decode(column: "c", as: String.self), default: []].append(try row.decode(column: "l", as: String.self))
        }
        return out
    }

    /// The legacy communes that went into the 2025 commune holding `unitPath` (a commune or one of its hamlets).
    package func predecessors(ofPlaceAt unitPath: String) async throws -> [AdminUnit] {
        let parts = unitPath.split(separator: ".")
        guard parts.count >= 2 else { return [] }
        let commune = String(parts[1])
        let codes = try await UnitSuccession.query(on: db).filter(\.$fromStructure == UnitStructure.legacy.rawValue)
            .filter(\.$toCode == commune).all().map(\.fromCode)
        guard !codes.isEmpty else { return [] }
        return try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.legacy.rawValue).filter(\.$level == .commune)
            .filter(\.$code ~~ codes).sort(\.$name).all()
    }

    /// Legacy units by code (districts and communes), for names.
    package func units(_ codes: [String]) async throws -> [String: AdminUnit] {
        var out: [String: AdminUnit] = [:]
        for chunk in Array(Set(codes)).chunks(of: 500) {
            for u in try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.legacy.rawValue).filter(\.$code ~~ chunk).all() { out[u.code] = u }
        }
        return out
    }
}
