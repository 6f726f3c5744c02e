import Vapor

/// `page` (from 1) and `per` (1–500, default 50), and the list shape every API list answers with.
package struct Paging {
    package var page: Int
    package var per: Int

    package init(_ req: Request, defaultPer: Int = 50) throws {
        // A value that is not a number is refused, not taken as the default.
        let rawPage: String? = req.query["page"], rawPer: String? = req.query["per"]
        guard let page = rawPage.map({ Int($0) }) ?? 1, page >= 1 else { throw HamletError.invalid("page", "Số trang phải từ 1 trở lên.") }
        guard let per = rawPer.map({ Int($0) }) ?? defaultPer, (1...500).contains(per) else {
            throw HamletError.invalid("per", "Số dòng mỗi trang phải từ 1 đến 500.")
        }
        (self.page, self.per) = (page, per)
    }

    package init(page: Int, per: Int) { self.page = page; self.per = per }

    /// For counting only.
    package static var all: Paging { Paging(page: 1, per: 1) }

    package var offset: Int { (page - 1) * per }
}

package struct ListBody<Item: Content>: Content {
    package var items: [Item]
    package var total: Int
    package var page: Int
    package var per: Int

    package init(items: [Item], total: Int, page: Int, per: Int) {
        (self.items, self.total, self.page, self.per) = (items, total, page, per)
    }
}
