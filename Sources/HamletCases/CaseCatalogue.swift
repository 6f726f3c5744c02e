import Foundation
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit

/// The cases' two lists: the groups of people served (`category`) and the services given
/// (`service`). An item is never deleted, only closed (`validTo`): old cases keep naming it.
package struct CaseCatalogue {
    package let db: any Database

    package init(db: any Database) { self.db = db }

    package static let lists = ["category", "service"]

    /// Both lists, closed items too, by list and name (the catalogue's own read).
    package func all() async throws -> [CaseCatalogueItem] {
        try await CaseCatalogueItem.query(on: db).sort(\.$list).sort(\.$name).all()
    }

    /// One list by name; `offeredOnly` leaves out closed items (what a new entry may choose).
    package func items(_ list: String, offeredOnly: Bool) async throws -> [CaseCatalogueItem] {
        let query = CaseCatalogueItem.query(on: db).filter(\.$list == list)
        if offeredOnly { query.filter(\.$validTo == nil) }
        return try await query.sort(\.$name).all()
    }

    /// Adds an item: a list, a code of small letters, digits and "-" not yet in that list, and
    /// a name; written with its audit entry.
    package func add(_ input: CatalogueItemInput, actor: (any ActingAccount)?, ip: String?) async throws -> CaseCatalogueItem {
        guard let list = input.list, Self.lists.contains(list) else { throw HamletError.invalid("list", "Danh mục: category (nhóm đối tượng) hoặc service (dịch vụ).") }
        let code = (input.code ?? "").trimmedFast.lowercased()
        guard code.range(of: #"^[a-z0-9][a-z0-9-]{1,49}$"#, options: .regularExpression) != nil else { throw HamletError.invalid("code", "Mã gồm chữ thường không dấu, số và “-”.") }
        let name = VietnameseText.normalized(input.name ?? "")
        guard !name.isEmpty else { throw HamletError.invalid("name", "Cần tên.") }
        guard try await CaseCatalogueItem.query(on: db).filter(\.$list == list).filter(\.$code == code).count() == 0 else { throw HamletError.invalid("code", "Mã \(code) đã có.") }
        let item = CaseCatalogueItem()
        item.list = list; item.code = code; item.name = name; item.sensitive = input.sensitive ?? false; item.children = input.children ?? false
        var changes = AuditChanges()
        changes.add("name", nil, name)
        let audit = changes
        try await db.writeTransaction { tx in
            try await item.create(on: tx)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "create", entity: "case_catalogue", entityID: code, scopePath: "", changes: audit)
        }
        return item
    }
}
