import XCTest
import Foundation
@testable import HamletKit

final class DataValueSetJSONTests: XCTestCase {
    /// The layout as Foundation's own coder writes and reads it: the reader must agree with it.
    struct Coded: Codable, Equatable {
        struct Value: Codable, Equatable {
            var dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo, value, storedBy, created, lastUpdated, comment: String?
            var followup, deleted: Bool?
        }
        var dataSet, completeDate, period, orgUnit, attributeOptionCombo: String?
        var dataValues: [Value]
    }

    func read(_ text: String) throws -> DataValueSetJSON { try DataValueSetJSON.read(Array(text.utf8)) }

    func testAgreesWithFoundationOnWhatItWrites() throws {
        let texts = ["", "12", "Nguyễn Thị Hoa", "quote \" and \\ back/slash", "line\nbreak\ttab\rreturn", "bell\u{07}nul\u{00}", "emoji 👩‍👧 và dấu", "  spaced  "]
        var values: [Coded.Value] = []
        for i in 0..<400 {
            let t = { (k: Int) in texts[(i + k) % texts.count] }
            values.append(.init(dataElement: "CTV_\(i)", period: i % 3 == 0 ? nil : "2026\(String(format: "%02d", 1 + i % 12))", orgUnit: t(1),
                                categoryOptionCombo: i % 5 == 0 ? nil : t(2), attributeOptionCombo: i % 7 == 0 ? t(3) : nil, value: t(4),
                                storedBy: t(5), created: nil, lastUpdated: "2026-11-30T10:00:00.000", comment: t(6),
                                followup: i % 2 == 0 ? nil : i % 4 == 1, deleted: i % 9 == 0 ? true : nil))
        }
        let set = Coded(dataSet: "BC_THANG", completeDate: "2026-12-01", period: "202611", orgUnit: "79", attributeOptionCombo: nil, dataValues: values)
        for encoder in [JSONEncoder(), { let e = JSONEncoder(); e.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]; return e }()] {
            let bytes = Array(try encoder.encode(set))
            let read = try DataValueSetJSON.read(bytes)
            XCTAssertEqual(Coded(read), try JSONDecoder().decode(Coded.self, from: Data(bytes)))
            XCTAssertEqual(Coded(read), set)
        }
    }

    func testEscapesNumbersFlagsAndUnknownKeys() throws {
        let set = try read("""
            \u{FEFF}{ "dataSet" : "A\\u0042\\/C", "extra": {"nested": [1, -2.5e3, {"x": null}, "s\\"q", true, false]},
              "dataValues": [
                {"dataElement": "E1", "value": 5, "followup": "TRUE", "deleted": false, "unknown": [[]]},
                {"dataElement": "E2", "value": -0.25E-2, "comment": "\\ud83d\\ude00 \\u1ec7", "followup": null},
                {"dataElement": "E3", "value": true, "period": null},
                {}
              ] }
            """)
        XCTAssertEqual(set.dataSet, "AB/C")
        XCTAssertEqual(set.dataValues.count, 4)
        XCTAssertEqual(set.dataValues[0].value, "5")
        XCTAssertEqual(set.dataValues[0].followup, true)
        XCTAssertEqual(set.dataValues[0].deleted, false)
        XCTAssertEqual(set.dataValues[1].value, "-0.25E-2")
        XCTAssertEqual(set.dataValues[1].comment, "😀 ệ")
        XCTAssertNil(set.dataValues[1].followup)
        XCTAssertEqual(set.dataValues[2].value, "true")
        XCTAssertNil(set.dataValues[2].period)
        XCTAssertEqual(set.dataValues[3], DataValueSetJSON.Value())
        XCTAssertEqual(try read(#"{"dataValues": []}"#).dataValues, [])
        XCTAssertEqual(try read(#"{"dataValues": null}"#).dataValues, [])
    }

    /// Cut or damaged anywhere, a payload is read or refused, never read past its end.
    func testDamagedPayloadsNeverReadPastTheirEnd() throws {
        let good = Array(#"{"dataSet":"A","dataValues":[{"dataElement":"E\u1ec7","value":-1.5e3,"followup":"true","x":[{"y":null}]},{"value":"a\"b\\c"}]}"#.utf8)
        XCTAssertEqual(try DataValueSetJSON.read(good).dataValues.count, 2)
        var generator = SplitMix(seed: 66)
        var read = 0, refused = 0
        for cut in 0..<good.count {
            do { _ = try DataValueSetJSON.read(Array(good[..<cut])); read += 1 } catch is DataValueSetJSON.Failure { refused += 1 }
        }
        XCTAssertEqual(refused, good.count, "every cut payload is refused")
        for _ in 0..<3_000 {
            var bytes = good
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = [0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x75, 0x00, 0xFF].randomElement(using: &generator)!
            }
            do { _ = try DataValueSetJSON.read(bytes); read += 1 } catch is DataValueSetJSON.Failure { refused += 1 }
        }
        XCTAssertEqual(read + refused, good.count + 3_000)
        XCTAssertGreaterThan(refused, 0)
        XCTAssertThrowsError(try DataValueSetJSON.read(Array(#"{"dataValues": [{"value": ""#.utf8) + [0xF0, 0x9F, 0x98] + Array(#"x"}]}"#.utf8)))
    }

    func testBadPayloadsAreRefusedSayingWhere() {
        func failure(_ text: String) -> DataValueSetJSON.Failure? {
            do { _ = try read(text); return nil } catch let f as DataValueSetJSON.Failure { return f } catch { return nil }
        }
        XCTAssertEqual(failure(#"{"dataSet": "X"}"#), .init(message: "thiếu trường dataValues", field: "dataValues"))
        XCTAssertEqual(failure(#"{"dataValues": [{"value": {"a": 1}}]}"#)?.field, "value")
        XCTAssertEqual(failure(#"{"dataValues": [{"deleted": "maybe"}]}"#)?.field, "deleted")
        XCTAssertEqual(failure(#"{"dataValues": {}}"#)?.field, "dataValues")
        XCTAssertEqual(failure(#"{"dataValues": [1]}"#)?.field, "dataValues")
        for broken in ["", "   ", "[]", #"{"dataValues": [{"value": "5"}"#, #"{"dataValues": []} x"#, #"{"dataValues": [], }"#,
                       "{\"dataValues\": [{\"value\": \"a\u{01}b\"}]}", #"{"dataValues": [{"value": "\x"}]}"#, #"{"dataValues": [{"value": "\u12"}]}"#, #"{"dataValues": [{"value": "\ud83d x"}]}"#,
                       #"{"dataValues": [{"value": 01.}]}"#, #"{"dataValues": [{"value": -}]}"#, #"{"dataValues": [{"value": nul}]}"#,
                       #"{"dataValues" [] }"#, #"{dataValues: []}"#, #"{"dataValues": [{"value": "open}]}"#,
                       String(repeating: "[", count: 5_000)] {
            let f = failure(broken)
            XCTAssertNotNil(f, broken)
            XCTAssertTrue(f?.message.hasPrefix("JSON hỏng ở byte") == true || f?.field != nil, broken)
        }
        XCTAssertNil(failure("{\"x\": " + String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + ", \"dataValues\": []}"))
        XCTAssertEqual(failure("{\"x\": " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + ", \"dataValues\": []}")?.message,
                       "JSON hỏng ở byte 206: lồng quá sâu")
    }
}

extension DataValueSetJSONTests.Coded {
    init(_ r: DataValueSetJSON) {
        self.init(dataSet: r.dataSet, completeDate: r.completeDate, period: r.period, orgUnit: r.orgUnit, attributeOptionCombo: r.attributeOptionCombo,
                  dataValues: r.dataValues.map {
                      .init(dataElement: $0.dataElement, period: $0.period, orgUnit: $0.orgUnit, categoryOptionCombo: $0.categoryOptionCombo,
                            attributeOptionCombo: $0.attributeOptionCombo, value: $0.value, storedBy: $0.storedBy, created: $0.created,
                            lastUpdated: $0.lastUpdated, comment: $0.comment, followup: $0.followup, deleted: $0.deleted)
                  })
    }
}

/// A payload read a batch at a time gives the same values as read whole, with the header filled in.
final class DataValueSetBatchesTests: XCTestCase {
    func testBatchesReadWhatTheWholeReadReads() throws {
        var json = #"{"dataValues":["#
        for n in 0..<1_001 { json += (n > 0 ? "," : "") + #"{"dataElement":"E\#(n % 7)","value":\#(n),"orgUnit":"U\#(n % 3)"}"# }
        json += #"],"period":"202611","dataSet":"A"}"#
        let whole = try DataValueSetJSON.read(Array(json.utf8))
        for size in [1, 7, 500, 1_001, 5_000] {
            var batches = try DataValueSetBatches(Data(json.utf8))
            var read: [DataValueSetJSON.Value] = []
            while true { let b = try batches.read(size); if b.isEmpty { break }; read += b }
            XCTAssertEqual(read.count, 1_001)
            XCTAssertEqual(read.map(\.value), whole.dataValues.map(\.value))
            XCTAssertTrue(read.allSatisfy { $0.period == "202611" }, "the header's period, written after the values, fills them in")
            batches.rewind()
            XCTAssertEqual(try batches.read(3).map(\.dataElement), ["E0", "E1", "E2"])
        }
        XCTAssertEqual(try DataValueSetBatches(Data(#"{"dataValues":[]}"#.utf8)).header.dataSet, nil)
        var empty = try DataValueSetBatches(Data(#"{"dataValues":null}"#.utf8))
        XCTAssertEqual(try empty.read(10), [])
    }

    func testDamageIsFoundOpeningOrReading() throws {
        XCTAssertThrowsError(try DataValueSetBatches(Data(#"{"dataValues":[{"value":1},"#.utf8)))
        XCTAssertThrowsError(try DataValueSetBatches(Data(#"{"dataValues":5}"#.utf8)))
        var batches = try DataValueSetBatches(Data(#"{"dataValues":[{"value":1},{"value":{"nested":true}}]}"#.utf8))
        XCTAssertThrowsError(try batches.read(10)) { XCTAssertEqual(($0 as? DataValueSetJSON.Failure)?.field, "value") }
    }
}
