import XCTest
import ZIPFoundation
@testable import HamletKit

/// Finding 3: a 1 MB workbook whose sheet inflates to 1 GiB was read whole (4.4 GB of memory).
/// The reader now checks what the archive claims before inflating and counts what it inflates.
final class TableLimitsTests: XCTestCase {
    var small: TableLimits {
        var l = TableLimits()
        l.entryBytes = 4 << 20; l.totalBytes = 6 << 20
        return l
    }

    /// A workbook whose sheet is `rows` copies of one row, made by streaming into the archive.
    func workbook(rows: Int, row: String = "<row><c t=\"inlineStr\"><is><t>Nguyễn Thị Hoa</t></is></c></row>") throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let head = Data("<?xml version=\"1.0\"?><worksheet><sheetData>".utf8), tail = Data("</sheetData></worksheet>".utf8)
        let body = Data(row.utf8)
        let size = head.count + body.count * rows + tail.count
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate, bufferSize: 1 << 16) { position, length in
            var out = Data()
            var p = Int(position)
            while out.count < length {
                if p < head.count { out.append(head[p]); p += 1; continue }
                let inBody = p - head.count
                if inBody < body.count * rows {
                    let offset = inBody % body.count
                    let take = min(body.count - offset, length - out.count)
                    out.append(body[offset..<offset + take]); p += take; continue
                }
                let t = p - head.count - body.count * rows
                out.append(tail[t]); p += 1
            }
            return out
        }
        return archive.data!
    }

    func testASheetThatInflatesTooFarIsRefusedBeforeInflating() throws {
        let bomb = try workbook(rows: 400_000)   // ~30 MB of sheet in a few hundred kB
        XCTAssertLessThan(bomb.count, 1 << 20)
        XCTAssertThrowsError(try XLSXReader.read(bomb, limits: small)) { error in
            XCTAssertTrue("\(error)".contains("4 MB") || "\(error)".contains("nén quá"), "\(error)")
        }
        XCTAssertThrowsError(try XLSXReader.read(bomb)) { error in
            XCTAssertTrue("\(error)".contains("nén quá 100 lần"), "\(error)")
        }
    }

    /// The directory can lie about sizes: what really inflates is counted and stopped.
    func testALyingDirectoryIsCaughtWhileInflating() throws {
        var bomb = try workbook(rows: 400_000)
        // Claim every entry inflates to 1,000 bytes, in the local header and the directory.
        for (signature, offset) in [([0x50, 0x4B, 0x03, 0x04] as [UInt8], 22), ([0x50, 0x4B, 0x01, 0x02], 24)] {
            var i = 0
            while let r = bomb[i...].firstRange(of: Data(signature)) {
                let at = r.lowerBound + offset
                bomb.replaceSubrange(at..<at + 4, with: [0xE8, 0x03, 0x00, 0x00])
                i = r.upperBound
            }
        }
        let started = Date()
        XCTAssertThrowsError(try XLSXReader.read(bomb, limits: small)) { error in
            XCTAssertTrue("\(error)".contains("Tệp vượt giới hạn"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "stopped early, not after inflating everything")
    }

    func testRowsColumnsAndCellsHaveLimits() throws {
        var limits = TableLimits(); limits.rows = 1_000
        XCTAssertThrowsError(try XLSXReader.read(try workbook(rows: 1_001), limits: limits)) { XCTAssertTrue("\($0)".contains("quá 1000 dòng"), "\($0)") }
        XCTAssertEqual(try XLSXReader.read(try workbook(rows: 1_000), limits: limits).count, 1_000)
        let wide = try workbook(rows: 1, row: "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>")
        XCTAssertThrowsError(try XLSXReader.read(wide)) { XCTAssertTrue("\($0)".contains("quá 256 cột"), "\($0)") }
        var csv = "Họ và tên\n"
        for n in 0..<1_001 { csv += "Người \(n)\n" }
        XCTAssertThrowsError(try CSVTable.parse(Data(csv.utf8), limits: limits)) { XCTAssertTrue("\($0)".contains("quá 1000 dòng"), "\($0)") }
    }

    /// The XML is read with its five entities and nothing more: a file's own entities are not expanded.
    func testEntitiesAndPrefixes() throws {
        let row = "<x:row r=\"2\"><x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>A &amp; B &lt;3 &#272;&#x1EA1;i</x:t></x:is></x:c><!-- ghi chú > --><x:c r=\"C2\"><x:v>5</x:v></x:c></x:row>"
        let rows = try XLSXReader.read(try workbook(rows: 1, row: row))
        XCTAssertEqual(rows, [SheetRow(line: 2, cells: ["", "A & B <3 Đại", "5"], numbers: [2])], "C2 is a number cell")
        let laughs = "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><row r=\"1\"><c t=\"inlineStr\"><is><t>&b;</t></is></c></row>"
        let read = try XLSXReader.read(try workbook(rows: 1, row: laughs))
        XCTAssertEqual(read.last?.cells, ["&b;"], "not expanded")
    }
}

/// A CSV read a batch of rows at a time gives what the whole read gives, quoted line ends and all.
final class CSVRowsTests: XCTestCase {
    func testBatchesReadWhatTheWholeReadReads() throws {
        var csv = "\u{FEFF}Mã;Tên;Ghi chú\r\n"
        for n in 0..<250 { csv += "\(n);\"Nguyễn \"\"Văn\"\" \(n)\";\"dòng một\ndòng hai\"\r\n" }
        csv += "cuối;không;xuống dòng"
        let whole = try CSVTable.parse(Data(csv.utf8))
        XCTAssertEqual(whole.count, 252)
        XCTAssertEqual(whole[1].cells, ["0", "Nguyễn \"Văn\" 0", "dòng một\ndòng hai"])
        XCTAssertEqual(whole[2].line, 4, "a quoted line end counts as a line")
        for size in [1, 7, 100, 252, 1_000] {
            var rows = CSVRows(Data(csv.utf8))
            var read: [SheetRow] = []
            while true { let b = try rows.read(size); if b.isEmpty { break }; read += b }
            XCTAssertEqual(read, whole, "batches of \(size)")
            rows.rewind()
            XCTAssertEqual(try rows.read(2).map(\.line), [1, 2])
        }
    }
}
