import Foundation
import Fluent
import HamletWeb

/// Reading the reporting catalogue, for its pages and its API: every category, element and form
/// by code, one of them by its code (404 when there is none), and how many elements each form has.
extension CatalogueService {
    package func categories() async throws -> [DataCategory] { try await DataCategory.query(on: db).sort(\.$code).all() }
    package func elements() async throws -> [DataElement] { try await DataElement.query(on: db).sort(\.$code).all() }
    /// By code, or by name (the order a page offers them in; the database's order, not Swift's).
    package func dataSets(byName: Bool = false) async throws -> [DataSet] {
        try await DataSet.query(on: db).sort(byName ? \.$name : \.$code).all()
    }

    /// A page of elements by code, and how many there are.
    package func elements(offset: Int, limit: Int) async throws -> ([DataElement], Int) {
        let query = DataElement.query(on: db)
        return (try await query.copy().sort(\.$code).offset(offset).limit(limit).all(), try await query.count())
    }

    /// Codes are kept in capitals; a code asked in small letters finds the same item.
    package func category(_ code: String?) async throws -> DataCategory {
        guard let c = try await DataCategory.query(on: db).filter(\.$code == (code ?? "").uppercased()).first() else { throw HamletError.notFound }
        return c
    }

    package func element(_ code: String?) async throws -> DataElement {
        guard let e = try await DataElement.query(on: db).filter(\.$code == (code ?? "").uppercased()).first() else { throw HamletError.notFound }
        return e
    }

    package func dataSet(_ code: String?) async throws -> DataSet {
        guard let s = try await DataSet.query(on: db).filter(\.$code == (code ?? "").uppercased()).first() else { throw HamletError.notFound }
        return s
    }

    /// How many elements each form lists, by form.
    package func elementCounts() async throws -> [UUID: Int] {
        var counts: [UUID: Int] = [:]
        for row in try await DataSetElement.query(on: db).all() { counts[row.$dataSet.id, default: 0] += 1 }
        return counts
    }
}
