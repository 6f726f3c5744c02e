import Foundation
import ZIPFoundation

/// Reads the first worksheet of an XLSX file as rows of text. Numbers come back as written in the
/// file (an Excel date is its serial number); the importer decides what a column means.
/// The workbook is untrusted: its entries are counted and sized before anything is inflated,
/// every inflated byte is counted against `TableLimits` as it comes, and the XML is read as a
/// stream (`XMLStream`), so neither a zip bomb nor a sheet of a million rows is ever held whole.
public enum XLSXReader {
    public static func read(_ data: Data, limits: TableLimits = .standard) throws -> [SheetRow] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw TableError.notXLSX("không phải tệp ZIP") }
        return try read(archive, limits: limits)
    }

    public static func read(url: URL, limits: TableLimits = .standard) throws -> [SheetRow] {
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch { throw TableError.notXLSX("không phải tệp ZIP") }
        return try read(archive, limits: limits)
    }

    static func read(_ archive: Archive, limits: TableLimits) throws -> [SheetRow] {
        var inflater = Inflater(archive: archive, limits: limits)
        try inflater.checkDirectory()
        var shared = SharedStrings(limits: limits)
        if let entry = archive["xl/sharedStrings.xml"] {
            try inflater.stream(entry) { try shared.take($0) }
        }
        guard let sheet = archive[try firstSheetPath(archive)] else { throw TableError.notXLSX("không có trang tính") }
        var rows = SheetRows(shared: shared.strings, limits: limits)
        try inflater.stream(sheet) { try rows.take($0) }
        return rows.rows
    }

    static func firstSheetPath(_ archive: Archive) throws -> String {
        if archive["xl/worksheets/sheet1.xml"] != nil { return "xl/worksheets/sheet1.xml" }
        let names = archive.map(\.path).filter { $0.hasPrefix("xl/worksheets/") && $0.hasSuffix(".xml") }.sorted()
        guard let first = names.first else { throw TableError.notXLSX("không có trang tính") }
        return first
    }

    /// "BC12" → column index 54 (zero-based).
    static func columnIndex(_ reference: String) -> Int {
        var index = 0
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65, scalar.value <= 90 else { break }
            index = index * 26 + Int(scalar.value - 64)
            if index > 1 << 20 { break }
        }
        return index - 1
    }
}

/// Inflates entries within the limits: what the directory claims is checked first, what really
/// comes out is counted as it comes (a directory can lie).
struct Inflater {
    let archive: Archive
    let limits: TableLimits
    private(set) var inflated = 0

    init(archive: Archive, limits: TableLimits) { self.archive = archive; self.limits = limits }

    func checkDirectory() throws {
        var count = 0, claimed: UInt64 = 0
        for entry in archive {
            count += 1
            if count > limits.entries { throw TableError.tooLarge("quá \(limits.entries) tệp bên trong tệp XLSX") }
            let size = entry.uncompressedSize
            if size > UInt64(limits.entryBytes) { throw TableError.tooLarge("tệp \(entry.path) bên trong giãn ra quá \(megabytes(limits.entryBytes))") }
            claimed += size
            if claimed > UInt64(limits.totalBytes) { throw TableError.tooLarge("các tệp bên trong giãn ra quá \(megabytes(limits.totalBytes)) tổng cộng") }
            if size > 1 << 20, size / max(entry.compressedSize, 1) > UInt64(limits.ratio) {
                throw TableError.tooLarge("tệp \(entry.path) nén quá \(limits.ratio) lần (dấu hiệu tệp nén độc hại)")
            }
        }
    }

    mutating func stream(_ entry: Entry, _ take: (UnsafeRawBufferPointer) throws -> Void) throws {
        var here = 0
        let entryLimit = limits.entryBytes, totalLimit = limits.totalBytes, ratioLimit = limits.ratio
        let compressed = Int(clamping: entry.compressedSize)
        var total = inflated
        do {
            _ = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: true) { chunk in
                here += chunk.count; total += chunk.count
                if here > entryLimit { throw TableError.tooLarge("tệp \(entry.path) bên trong giãn ra quá \(megabytes(entryLimit))") }
                if total > totalLimit { throw TableError.tooLarge("các tệp bên trong giãn ra quá \(megabytes(totalLimit)) tổng cộng") }
                if here > 1 << 20, here / max(compressed, 1) > ratioLimit {
                    throw TableError.tooLarge("tệp \(entry.path) nén quá \(ratioLimit) lần (dấu hiệu tệp nén độc hại)")
                }
                try chunk.withUnsafeBytes { try take($0) }
            }
        } catch let error as TableError {
            throw error
        } catch {
            throw TableError.notXLSX("tệp \(entry.path) bị hỏng")
        }
        inflated = total
    }
}

/// The workbook's shared strings, read as a stream.
struct SharedStrings {
    let limits: TableLimits
    var strings: [String] = []
    private var xml = XMLStream()
    private var current = "", inText = false, inPhonetic = false

    init(limits: TableLimits) { self.limits = limits }

    mutating func take(_ bytes: UnsafeRawBufferPointer) throws {
        var parser = xml
        defer { xml = parser }
        try parser.feed(bytes) { event, _ in
            switch event {
            case .start("si", _): current = ""
            case .start("t", _): inText = !inPhonetic
            case .start("rPh", _): inPhonetic = true
            case .end("si"):
                strings.append(current)
                if strings.count > limits.cells { throw TableError.tooLarge("quá \(limits.cells) chuỗi văn bản") }
            case .end("t"): inText = false
            case .end("rPh"): inPhonetic = false
            case .text(let text) where inText: current += text
            default: break
            }
        }
    }
}

/// The rows of a worksheet, read as a stream.
struct SheetRows {
    let shared: [String]
    let limits: TableLimits
    var rows: [SheetRow] = []
    private var xml = XMLStream()
    private var cells: [String] = [], rowNumber = 0, column = 0, cellType = "", value = "", capturing = false, cellCount = 0
    private var numbers: Set<Int> = []

    init(shared: [String], limits: TableLimits) { self.shared = shared; self.limits = limits }

    mutating func take(_ bytes: UnsafeRawBufferPointer) throws {
        var parser = xml
        defer { xml = parser }
        try parser.feed(bytes) { event, _ in
            switch event {
            case .start("row", let attributes):
                rowNumber = Int(attributes["r"] ?? "") ?? rowNumber + 1
                cells = []; column = 0; numbers = []
            case .start("c", let attributes):
                if let reference = attributes["r"] { column = XLSXReader.columnIndex(reference) }
                if column >= limits.columns { throw TableError.tooLarge("quá \(limits.columns) cột (ô \(attributes["r"] ?? "") ở dòng \(rowNumber))") }
                cellType = attributes["t"] ?? "n"; value = ""
            case .start("v", _), .start("t", _): capturing = true
            case .end("v"), .end("t"): capturing = false
            case .text(let text) where capturing: value += text
            case .end("c"):
                var text = value
                if cellType == "s", let index = Int(value), index >= 0, index < shared.count { text = shared[index] }
                if cellType == "b" { text = value == "1" ? "TRUE" : "FALSE" }
                cellCount += max(1, column + 1 - cells.count)
                if cellCount > limits.cells { throw TableError.tooLarge("quá \(limits.cells) ô") }
                while cells.count < column { cells.append("") }
                if cells.count == column { cells.append(text) } else if column < cells.count { cells[column] = text }
                if cellType == "n", !value.isEmpty { numbers.insert(column) }
                column += 1
            case .end("row"):
                rows.append(SheetRow(line: rowNumber, cells: cells, numbers: numbers))
                if rows.count > limits.rows { throw TableError.tooLarge("quá \(limits.rows) dòng") }
            default: break
            }
        }
    }
}
