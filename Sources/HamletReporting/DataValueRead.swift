import Foundation
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletAccounts

/// Stored values read as DHIS2 clients ask for them (`GET /api/dataValueSets`, ADX, one value):
/// the elements of forms or named ones, at units (each alone or with its subtree), over periods
/// or between two days. `storedBy` is the username, as in DHIS2.
package struct DataValueRead {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    /// Which periods: the ones named (a value counts when its period lies inside one), or the
    /// values whose periods lie between two days.
    package enum Span: Sendable {
        case periods([Period])
        case days(from: String, to: String)
    }

    /// The elements of these forms and these element codes, by id, with their codes.
    /// A form outside reach is 404 (`ReportService.dataSet`); an unknown element code is refused by name.
    package func elements(ofSets sets: [String], codes: [String], scope: AccessScope) async throws -> [UUID: String] {
        var found: [UUID: String] = [:]
        let catalogue = CatalogueService(db: db, actor: nil, ip: nil)
        for code in sets {
            let set = try await ReportService(db: db, scope: scope, actor: nil, ip: nil).dataSet(code)
            for row in try await catalogue.elementsOf(set) { found[row.element.id!] = row.element.code }
        }
        for code in codes {
            let e: DataElement
            do { e = try await catalogue.element(code) }
            catch let error as HamletError where error.status == .notFound { throw HamletError.invalid("dataElement", "Không có chỉ tiêu mã \(code).") }
            found[e.id!] = e.code
        }
        return found
    }

    /// The values of these elements at a unit (the country when nil), with its subtree or alone,
    /// by period and unit code.
    package func values(of elements: [UUID: String], at unit: AdminUnit?, children: Bool, span: Span,
                        storers: inout [UUID: String]) async throws -> [DHIS2Value] {
        let path = unit?.path ?? ""
        let query = DataValue.query(on: db).filter(\.$elementID ~~ Array(elements.keys))
        if children { query.filter(\.$unitPath >= path).filter(\.$unitPath < AccessScope.upperBound(path)) } else { query.filter(\.$unitPath == path) }
        switch span {
        case .periods(let periods):
            query.group(.or) { or in for p in periods { or.group(.and) { $0.filter(\.$periodStart >= p.start.iso).filter(\.$periodEnd <= p.end.iso) } } }
        case .days(let from, let to):
            query.filter(\.$periodStart >= from).filter(\.$periodEnd <= to)
        }
        let rows = try await query.sort(\.$period).sort(\.$orgCode).all()
        let unknown = Set(rows.compactMap(\.storedBy)).filter { storers[$0] == nil }
        if !unknown.isEmpty { for (id, user) in try await Accounts(db: db).byID(unknown) { storers[id] = user.username } }
        return rows.map { row in
            DHIS2Value(dataElement: elements[row.elementID], period: row.period, orgUnit: row.orgCode, categoryOptionCombo: row.combo,
                       attributeOptionCombo: ReportForm.Cell.defaultCombo, value: row.value, storedBy: row.storedBy.flatMap { storers[$0] },
                       created: row.createdAt.map(TimeStamp.iso), lastUpdated: (row.updatedAt ?? row.createdAt).map(TimeStamp.iso), followup: false)
        }
    }

    /// The one stored value of an element code, combination, period and unit, or nil.
    package func one(element code: String, combo: String, period: Period, at org: (structure: String, code: String)) async throws -> DataValue? {
        let element: DataElement
        do { element = try await CatalogueService(db: db, actor: nil, ip: nil).element(code) }
        catch let error as HamletError where error.status == .notFound { return nil }
        return try await DataValue.query(on: db).filter(\.$elementID == element.id!).filter(\.$combo == combo).filter(\.$period == period.id)
            .filter(\.$orgStructure == org.structure).filter(\.$orgCode == org.code).first()
    }
}
