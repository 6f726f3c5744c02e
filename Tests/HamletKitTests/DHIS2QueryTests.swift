import XCTest
@testable import HamletKit

final class DHIS2QueryTests: XCTestCase {
    let unit = JSONValue.object(["id": .string("30280"), "name": .string("Xã Long Điền"), "level": .int(2),
                                 "parent": .object(["id": .string("91"), "name": .string("An Giang")])])

    func testFieldsKeepWhatIsAskedIncludingNested() {
        XCTAssertEqual(FieldSelection("id,parent[id]").apply(unit), .object(["id": .string("30280"), "parent": .object(["id": .string("91")])]))
        XCTAssertEqual(FieldSelection("*,!level").apply(unit), .object(["id": .string("30280"), "name": .string("Xã Long Điền"),
                                                                       "parent": .object(["id": .string("91"), "name": .string("An Giang")])]))
        XCTAssertTrue(FieldSelection(":identifiable").wants("code"))
        XCTAssertFalse(FieldSelection("id,displayName").wants("organisationUnits"))
    }

    func testFiltersCompareAsDHIS2Does() {
        XCTAssertTrue(ObjectFilter("parent.id:eq:91")!.matches(unit))
        XCTAssertFalse(ObjectFilter("parent.id:eq:01")!.matches(unit))
        XCTAssertTrue(ObjectFilter("id:in:[1,30280]")!.matches(unit))
        XCTAssertTrue(ObjectFilter("name:ilike:long")!.matches(unit))
        XCTAssertFalse(ObjectFilter("name:like:long")!.matches(unit))
        XCTAssertTrue(ObjectFilter("level:ge:2")!.matches(unit))
        XCTAssertFalse(ObjectFilter("level:gt:10")!.matches(unit), "numbers compare as numbers")
        XCTAssertTrue(ObjectFilter("code:null")!.matches(unit))
        XCTAssertNil(ObjectFilter("level:equals:2"))
        XCTAssertNil(ObjectFilter("level:eq"))
    }

    func testPagerSlicesAndLinks() {
        var pager = Pager(page: 3, pageSize: 5, total: 12)
        XCTAssertEqual(pager.pageCount, 3)
        XCTAssertEqual(pager.range, 10..<12)
        pager.link("/api/organisationUnits", query: [("filter", "level:eq:2"), ("page", "3")])
        XCTAssertNil(pager.nextPage)
        XCTAssertEqual(pager.prevPage, "/api/organisationUnits?filter=level:eq:2&page=2")
        XCTAssertEqual(Pager(page: 9, pageSize: nil, total: 0).range, 0..<0)
    }
}
