import XCTest
import Foundation
@testable import HamletKit

final class JSONTextTests: XCTestCase {
    func testStringsReadBackByAnIndependentParser() throws {
        let samples = ["", "Nguyễn Thị Hoa", "quote \" and \\ backslash", "line\nbreak\ttab\rreturn", "bell\u{07}nul\u{00}", "emoji 👩‍👧 và dấu"]
        var out: [UInt8] = [0x5B]
        for (i, s) in samples.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONText.appendString(s, to: &out)
        }
        out.append(0x5D)
        let back = try JSONSerialization.jsonObject(with: Data(out)) as? [String]
        XCTAssertEqual(back, samples)
    }

    func testNumbersReadBackExactly() throws {
        let samples: [Double] = [0, 12, -7, 1_000_000, 0.1, 2.5, 1e-7, 123456789012345678, -0.000123]
        for d in samples {
            var out: [UInt8] = []
            XCTAssertTrue(JSONText.appendNumber(d, to: &out))
            let text = String(decoding: out, as: UTF8.self)
            XCTAssertEqual(Double(text), d, text)
            XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)), text)
        }
        var out: [UInt8] = []
        XCTAssertFalse(JSONText.appendNumber(.infinity, to: &out))
        XCTAssertFalse(JSONText.appendNumber(.nan, to: &out))
        XCTAssertTrue(out.isEmpty)
    }
}
