import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import HamletKit

final class VietnameseTextTests: XCTestCase {
    func testFoldingIgnoresCaseDiacriticsDAndUnicodeForm() {
        let nfc = "Nguyễn Thị Hòa"
        let nfd = nfc.decomposedStringWithCanonicalMapping
        XCTAssertNotEqual(Array(nfc.unicodeScalars), Array(nfd.unicodeScalars))
        XCTAssertEqual(VietnameseText.folded(nfc), "nguyen thi hoa")
        XCTAssertEqual(VietnameseText.folded(nfd), "nguyen thi hoa")
        XCTAssertEqual(VietnameseText.folded("ĐẶNG VĂN ĐỨC"), "dang van duc")
        XCTAssertEqual(VietnameseText.folded("  Phường   Bình Đức "), "phuong binh duc")
        // Foundation alone leaves đ alone; ours does not.
        XCTAssertEqual("đ".folding(options: .diacriticInsensitive, locale: nil), "đ")
    }

    func testNormalizedIsNFCAndTrimmed() {
        let stored = VietnameseText.normalized("  Trần   Thị Thu ".decomposedStringWithCanonicalMapping)
        XCTAssertEqual(stored, "Trần Thị Thu")
        XCTAssertEqual(Array(stored.unicodeScalars), Array("Trần Thị Thu".precomposedStringWithCanonicalMapping.unicodeScalars))
    }

    func testNameParts() {
        let p = VietnameseText.nameParts("Nguyễn Thị Minh Khai")
        XCTAssertEqual(p.family, "Nguyễn"); XCTAssertEqual(p.middle, "Thị Minh"); XCTAssertEqual(p.given, "Khai")
        XCTAssertEqual(VietnameseText.nameParts("Hoa").given, "Hoa")
    }

    func testOfficialNameOrder() {
        let names = ["Trần Văn Bình", "Nguyễn Thị Ánh", "Lê Văn An", "Đỗ Thị Đào", "Phạm Thị Dung", "Nguyễn Văn Ân", "Vũ Thị Ăng", "Hoàng Thị Anh", "Lê Thị Hòa", "Lê Thị Hoa"]
        let sorted = VietnameseCollation.sortedByName(names) { $0 }
        // By given name, Vietnamese alphabet (a < ă < â, d < đ), tones after the bare letter, then family name.
        XCTAssertEqual(sorted, ["Lê Văn An", "Hoàng Thị Anh", "Nguyễn Thị Ánh", "Vũ Thị Ăng", "Nguyễn Văn Ân", "Trần Văn Bình",
                                "Phạm Thị Dung", "Đỗ Thị Đào", "Lê Thị Hoa", "Lê Thị Hòa"])
    }

    func testGivenNameWithItsToneComesBeforeFamilyName() {
        // Anh (no tone) before Ánh whatever the family names: the given name is compared whole first.
        XCTAssertEqual(VietnameseCollation.sortedByName(["Hoàng Thị Ánh", "Nguyễn Thị Anh"]) { $0 }, ["Nguyễn Thị Anh", "Hoàng Thị Ánh"])
        XCTAssertEqual(VietnameseCollation.sortedByName(["Trần Văn An", "Lê Thị Anh", "An"]) { $0 }, ["An", "Trần Văn An", "Lê Thị Anh"])
    }

    func testPhoneNumbers() {
        XCTAssertEqual(PhoneNumber.normalized("0912 345 678"), "0912345678")
        XCTAssertEqual(PhoneNumber.normalized("+84912345678"), "0912345678")
        XCTAssertEqual(PhoneNumber.normalized("84912345678"), "0912345678")
        XCTAssertNil(PhoneNumber.normalized("091234567"))
        XCTAssertNil(PhoneNumber.normalized("0012345678"))
    }

    func testFormats() {
        XCTAssertEqual(VietnameseFormat.integer(1234567), "1.234.567")
        XCTAssertEqual(VietnameseFormat.integer(-1000), "-1.000")
        XCTAssertEqual(VietnameseFormat.decimal(12.5), "12,5")
        XCTAssertEqual(DayDate("09/03/2023")?.iso, "2023-03-09")
        XCTAssertEqual(DayDate("2023-03-09")?.vietnamese, "09/03/2023")
        XCTAssertNil(DayDate("29/02/2023"))
        XCTAssertNotNil(DayDate("29/02/2024"))
    }

    func testPasswordPolicy() {
        XCTAssertEqual(PasswordPolicy.check("short"), .tooShort)
        XCTAssertEqual(PasswordPolicy.check(String(repeating: "a", count: 129)), .tooLong)
        XCTAssertEqual(PasswordPolicy.check("Password123"), .tooCommon)
        XCTAssertEqual(PasswordPolicy.check("mật khẩu 123"), .tooCommon)
        XCTAssertEqual(PasswordPolicy.check("aaaaaaaaaa"), .tooCommon)
        XCTAssertNil(PasswordPolicy.check("Hoa-sen-no-2026"))
    }
}

final class TableTests: XCTestCase {
    func testCSVWithBOMSemicolonsQuotesAndCRLF() throws {
        let text = "\u{FEFF}Mã xã;Tên\r\n30292;\"Khóm \"\"A\"\"; mới\"\r\n\r\n30313;\"Ấp\nhai dòng\"\r\n"
        let rows = try CSVTable.parse(Data(text.utf8))
        XCTAssertEqual(rows[0].cells, ["Mã xã", "Tên"])
        XCTAssertEqual(rows[1].cells, ["30292", "Khóm \"A\"; mới"])
        XCTAssertTrue(rows[2].isBlank)
        XCTAssertEqual(rows[3].cells, ["30313", "Ấp\nhai dòng"])
        XCTAssertEqual(rows[3].line, 4)
    }

    func testCSVWriteHasBOMAndEscapes() {
        let data = CSVTable.write([["a,b", "Hòa"]])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "\u{FEFF}\"a,b\",Hòa\r\n")
    }

    func testXLSXRoundTrip() throws {
        let data = try XLSXWriter.write(rows: [
            [.text("Họ và tên"), .text("Ngày sinh"), .text("Số")],
            [.text("Nguyễn Thị Hòa"), .date(year: 1990, month: 3, day: 9), .number(1234567)],
            [.empty, .text("<&>")],
        ])
        let rows = try XLSXReader.read(data)
        XCTAssertEqual(rows[0].cells, ["Họ và tên", "Ngày sinh", "Số"])
        XCTAssertEqual(rows[1].cells, ["Nguyễn Thị Hòa", String(XLSXWriter.excelSerial(year: 1990, month: 3, day: 9)), "1234567"])
        XCTAssertEqual(rows[2].cells, ["", "<&>"])
        XCTAssertEqual(XLSXWriter.excelSerial(year: 1900, month: 3, day: 1), 61)
        XCTAssertEqual(XLSXWriter.columnName(27), "AB")
    }

    func testNotAnXLSX() {
        XCTAssertThrowsError(try XLSXReader.read(Data("hello".utf8)))
    }
}

final class OfficialDateTests: XCTestCase {
    /// Decree 30/2020: zero before a day under 10 and before the months 1 and 2 only.
    func testOfficialDateLine() {
        XCTAssertEqual(VietnameseFormat.officialDate(day: 9, month: 3, year: 2023), "ngày 09 tháng 3 năm 2023")
        XCTAssertEqual(VietnameseFormat.officialDate(day: 15, month: 1, year: 2024), "ngày 15 tháng 01 năm 2024")
        XCTAssertEqual(VietnameseFormat.officialDate(day: 1, month: 2, year: 2025), "ngày 01 tháng 02 năm 2025")
        XCTAssertEqual(VietnameseFormat.officialDate(day: 30, month: 11, year: 2026), "ngày 30 tháng 11 năm 2026")
    }
}

final class LineChartTests: XCTestCase {
    func testPointsScaleIntoTheBoxAndTextIsEscaped() throws {
        let chart = LineChart(title: "Tỷ lệ <đã> đào tạo", points: [.init(label: "2018", value: 0), .init(label: "2019", value: 50), .init(label: "2020", value: 100)],
                              target: 60)
        let svg = chart.svg
        XCTAssertTrue(svg.hasPrefix("<svg"))
        XCTAssertTrue(svg.contains("Tỷ lệ &lt;đã&gt; đào tạo"))
        // 0 % sits on the bottom edge of the plot (240 − 34), 100 % on the top (14), the middle between.
        XCTAssertTrue(svg.contains(#"points="40.0,206.0 254.0,110.0 468.0,14.0""#), svg)
        XCTAssertTrue(svg.contains(#"class="target""#))
        XCTAssertEqual(chart.description, "2018: 0,0%; 2019: 50,0%; 2020: 100,0%; Mốc: 60,0%")
        // Over the maximum is drawn at the maximum, never outside the box.
        XCTAssertEqual(LineChart(title: "", points: [.init(label: "a", value: 140)]).y(140), 14)
        let doc = try XMLDocument(xmlString: svg)
        XCTAssertEqual(doc.rootElement()?.name, "svg")
    }

    func testScaleStepsAreRoundWholeNumbers() {
        XCTAssertEqual(LineChart.nice(100), 100)
        XCTAssertEqual(LineChart.nice(1.2), 4, "a count of one facility: steps of 1, never 0,3")
        XCTAssertEqual(LineChart.nice(18_000_000_000), 20_000_000_000)
        XCTAssertEqual(LineChart.nice(417.6), 800, "steps of 104 become 200")
        XCTAssertEqual(LineChart.nice(36), 40)
        XCTAssertEqual(LineChart.nice(106.8), 120, "89 people with headroom: steps of 30, not a scale to 200")
        let svg = LineChart(title: "", points: [.init(label: "2014", value: 1)], maximum: 1.2, unit: "").svg
        XCTAssertFalse(svg.contains(">0</text><line") && svg.components(separatedBy: ">1</text>").count > 2, "no repeated tick labels")
    }
}

extension LineChartTests {
    /// Five year ends and today: the date hangs left from the right edge over where the last year
    /// would be written, so that year is left unlabelled (its point and its <title> stay).
    func testLabelsNeverPrintOverEachOther() {
        let labels = ["2021", "2022", "2023", "2024", "2025", "03/12/2026"]
        let chart = LineChart(title: "", points: labels.enumerated().map { .init(label: $1, value: Double($0)) }, maximum: 10, unit: "")
        XCTAssertEqual(chart.labelled, [0, 1, 2, 3, 5])
        XCTAssertFalse(chart.svg.contains(">2025</text>"))
        XCTAssertTrue(chart.svg.contains("<title>2025: 4,0</title>"))
        XCTAssertTrue(chart.svg.contains(">03/12/2026</text>"))
        // Years alone keep every label.
        XCTAssertEqual(LineChart(title: "", points: labels.prefix(5).map { .init(label: $0, value: 1) }).labelled, [0, 1, 2, 3, 4])
        XCTAssertEqual(LineChart(title: "", points: [.init(label: "2026", value: 1)]).labelled, [0])
    }
}

final class TimeFrameTests: XCTestCase {
    func testTheWaysPlansWriteATimeFrame() {
        XCTAssertEqual(TimeFrame("Quý I/2015").map { [$0.start.iso, $0.end.iso] }, ["2015-01-01", "2015-03-31"])
        XCTAssertEqual(TimeFrame("Quý IV năm 2016").map { [$0.start.iso, $0.end.iso] }, ["2016-10-01", "2016-12-31"])
        XCTAssertEqual(TimeFrame("Tháng 2/2024").map { [$0.start.iso, $0.end.iso] }, ["2024-02-01", "2024-02-29"])
        XCTAssertEqual(TimeFrame("Năm 2015").map { [$0.start.iso, $0.end.iso] }, ["2015-01-01", "2015-12-31"])
        XCTAssertEqual(TimeFrame("Giai đoạn 2016–2020").map { [$0.start.iso, $0.end.iso] }, ["2016-01-01", "2020-12-31"])
        XCTAssertNil(TimeFrame("sớm nhất có thể"))
        XCTAssertNil(TimeFrame("2020 - 2016"))
    }
}

final class SmallCountsTests: XCTestCase {
    func testPrimaryAndSecondarySuppression() {
        XCTAssertTrue(SmallCounts.hides(1)); XCTAssertTrue(SmallCounts.hides(4)); XCTAssertFalse(SmallCounts.hides(0)); XCTAssertFalse(SmallCounts.hides(5))
        // Nothing small: nothing hidden.
        XCTAssertEqual(SmallCounts.group([5, 9, 0], total: 14).hidden, [])
        // One small cell beside a shown total: the next smallest non-zero cell goes too.
        XCTAssertEqual(SmallCounts.group([2, 9, 6, 0], total: 17).hidden, [0, 2])
        // Two small cells holding 3 between them: still derivable as a pair, so a third goes.
        XCTAssertEqual(SmallCounts.group([1, 2, 7, 8], total: 18).hidden, [0, 1, 2])
        // Two small cells holding 7: enough.
        XCTAssertEqual(SmallCounts.group([3, 4, 7], total: 14).hidden, [0, 1])
        // A small cell with nothing else to hide beside it: the total goes.
        let lone = SmallCounts.group([3, 0, 0], total: 3)
        XCTAssertEqual(lone.hidden, [0]); XCTAssertTrue(lone.hideTotal)
        let onlyOther = SmallCounts.group([2, 0], total: 2)
        XCTAssertTrue(onlyOther.hideTotal)
        // Whatever is hidden, no hidden cell can be got back: the shown total minus the shown
        // cells is always at least 5, or the total is hidden.
        for a in 0...8 { for b in 0...8 { for c in 0...8 {
            let cells = [a, b, c], total = a + b + c
            let (hidden, hideTotal) = SmallCounts.group(cells, total: total)
            XCTAssertTrue(cells.indices.allSatisfy { !SmallCounts.hides(cells[$0]) || hidden.contains($0) }, "\(cells)")
            if !hideTotal && !hidden.isEmpty {
                XCTAssertGreaterThanOrEqual(hidden.reduce(0) { $0 + cells[$1] }, SmallCounts.threshold, "\(cells)")
            }
        } } }
        XCTAssertEqual(SmallCounts.text(nil), "< 5"); XCTAssertEqual(SmallCounts.text(12), "12")
    }
}
