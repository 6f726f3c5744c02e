import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads the first worksheet of an XLSX file as rows of text. Numbers come back as written in the
/// file (an Excel date is its serial number); the importer decides what a column means.
public enum XLSXReader {
    public static func read(_ data: Data) throws -> [SheetRow] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw TableError.notXLSX("không phải tệp ZIP") }
        let shared = try entry(archive, "xl/sharedStrings.xml").map(SharedStringsParser.parse) ?? []
        guard let sheet = try entry(archive, firstSheetPath(archive)) else {
            throw TableError.notXLSX("không có trang tính")
        }
        return SheetParser.parse(sheet, shared: shared)
    }

    static func entry(_ archive: Archive, _ path: String) throws -> Data? {
        guard let entry = archive[path] else { return nil }
        var data = Data()
        _ = try archive.extract(entry, skipCRC32: true) { data.append($0) }
        return data
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
        }
        return index - 1
    }
}

final class SharedStringsParser: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inText = false
    var inPhonetic = false

    static func parse(_ data: Data) -> [String] {
        let delegate = SharedStringsParser()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.parse()
        return delegate.strings
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "si": current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

final class SheetParser: NSObject, XMLParserDelegate {
    let shared: [String]
    var rows: [SheetRow] = []
    var cells: [String] = []
    var rowNumber = 0
    var column = 0
    var cellType = ""
    var value = ""
    var capturing = false

    init(shared: [String]) { self.shared = shared }

    static func parse(_ data: Data, shared: [String]) -> [SheetRow] {
        let delegate = SheetParser(shared: shared)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.parse()
        return delegate.rows
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "row":
            rowNumber = Int(attributes["r"] ?? "") ?? rowNumber + 1
            cells = []
            column = 0
        case "c":
            if let reference = attributes["r"] { column = XLSXReader.columnIndex(reference) }
            cellType = attributes["t"] ?? "n"
            value = ""
        case "v", "t": capturing = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": capturing = false
        case "c":
            var text = value
            if cellType == "s", let index = Int(value), index < shared.count { text = shared[index] }
            if cellType == "b" { text = value == "1" ? "TRUE" : "FALSE" }
            while cells.count < column { cells.append("") }
            if cells.count == column { cells.append(text) } else if column < cells.count { cells[column] = text }
            column += 1
        case "row":
            rows.append(SheetRow(line: rowNumber, cells: cells))
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing { value += string }
    }
}
