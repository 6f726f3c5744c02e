import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletUnits
import HamletTraining

extension BenchmarkCommand {
    /// The trained share for the province (per commune) and for its largest commune, beside the
    /// same number written by hand: one pass per person and child, the test evaluated once.
    package func trainingCases(province: AdminUnit, today: String, on db: any Database) async throws -> [Case] {
        guard let sql = db as? any SQLDatabase, try await Participation.query(on: db).count() > 0 else { return [] }
        let upper = AccessScope.upperBound(province.path)
        let row = try await sql.raw("""
            SELECT SUBSTR(unit_path, 1, 9) AS c, COUNT(*) AS n FROM assignments WHERE unit_path >= \(bind: province.path) AND unit_path < \(bind: upper)
              AND LENGTH(unit_path) >= 9
            GROUP BY SUBSTR(unit_path, 1, 9) ORDER BY n DESC LIMIT 1
            """).first()
        let communePath = try row?.decode(column: "c", as: String.self) ?? province.path
        guard let commune = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$path == communePath).first() else { return [] }
        let figures = TrainingFigures(db: db)
        return [
            Case(name: "tỷ lệ đã đào tạo, tỉnh, chia theo xã", hamlet: {
                _ = try await figures.share(unit: province, date: today, staff: StaffCriteria(), trained: TrainedCriteria())
            }, handWritten: { try await handWrittenShare(province.path, child: 9, today: today, on: sql) }),
            Case(name: "tỷ lệ đã đào tạo, một xã (\(commune.name))", hamlet: {
                _ = try await figures.share(unit: commune, date: today, staff: StaffCriteria(), trained: TrainedCriteria())
            }, handWritten: { try await handWrittenShare(commune.path, child: 40, today: today, on: sql) }),
        ]
    }

    /// The trained share per child written by hand: one pass per person and child, the test evaluated once.
    package func handWrittenShare(_ path: String, child: Int, today: String, on sql: any SQLDatabase) async throws {
        _ = try await sql.raw("""
            SELECT x.child, COUNT(*) AS active, SUM(x.trained) AS trained FROM (
              SELECT a.person_id, SUBSTR(a.unit_path, 1, \(unsafeRaw: String(child))) AS child,
                MAX(CASE WHEN EXISTS (SELECT 1 FROM participations p WHERE p.person_id = a.person_id AND p.result = 'completed'
                                        AND p.class_cancelled = \(false) AND p.class_end <= \(bind: today)) THEN 1 ELSE 0 END) AS trained
              FROM assignments a
              WHERE a.unit_path >= \(bind: path) AND a.unit_path < \(bind: AccessScope.upperBound(path))
                AND a.start_date <= \(bind: today) AND (a.end_date IS NULL OR a.end_date >= \(bind: today))
              GROUP BY a.person_id, SUBSTR(a.unit_path, 1, \(unsafeRaw: String(child)))) x
            GROUP BY x.child
            """).all()
    }
}
