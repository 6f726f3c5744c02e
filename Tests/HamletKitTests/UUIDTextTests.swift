import XCTest
import Foundation
@testable import HamletKit

final class UUIDTextTests: XCTestCase {
    func testUpperTextIsFoundationsText() {
        for _ in 0..<1_000 {
            let id = UUID()
            XCTAssertEqual(id.upperText, id.uuidString)
        }
        let fixed = UUID(uuidString: "00ff10ab-0000-4fff-8a0b-ffffffffffff")!
        XCTAssertEqual(fixed.upperText, "00FF10AB-0000-4FFF-8A0B-FFFFFFFFFFFF")
    }

    func testPrecedesIsTheOrderOfTheText() {
        let ids = (0..<500).map { _ in UUID() } + ["00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000100",
                                                   "00000000-0000-0001-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"].map { UUID(uuidString: $0)! }
        XCTAssertEqual(ids.sorted { $0.precedes($1) }.map(\.uuidString), ids.map(\.uuidString).sorted())
        XCTAssertFalse(ids[0].precedes(ids[0]))
    }

    func testTrimmedFastTrimsEveryKindOfSpace() {
        XCTAssertEqual("79".trimmedFast, "79")
        XCTAssertEqual(" 79\t".trimmedFast, "79")
        XCTAssertEqual("\u{00A0}Hà Nội\u{2003}".trimmedFast, "Hà Nội")
        XCTAssertEqual("Đà Nẵng\n".trimmedFast, "Đà Nẵng")
        XCTAssertEqual("".trimmedFast, "")
    }
}
