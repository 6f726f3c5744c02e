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
}
