import Vapor

/// `page` (from 1) and `per` (1–500, default 50), and the list shape every API list answers with.
struct Paging {
    var page: Int
    var per: Int

    init(_ req: Request, defaultPer: Int = 50) throws {
        page = req.query[Int.self, at: "page"] ?? 1
        per = req.query[Int.self, at: "per"] ?? defaultPer
        if page < 1 { throw HamletError.invalid("page", "Số trang phải từ 1 trở lên.") }
        if !(1...500).contains(per) { throw HamletError.invalid("per", "Số dòng mỗi trang phải từ 1 đến 500.") }
    }

    var offset: Int { (page - 1) * per }
}

struct ListBody<Item: Content>: Content {
    var items: [Item]
    var total: Int
    var page: Int
    var per: Int
}
