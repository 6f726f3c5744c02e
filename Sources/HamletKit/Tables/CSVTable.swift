import Foundation

/// A table read from a spreadsheet or CSV: rows of cell text, each with its line number in the file.
public struct SheetRow: Sendable, Equatable {
    public var line: Int
    public var cells: [String]
    public init(line: Int, cells: [String]) { self.line = line; self.cells = cells }
    public subscript(index: Int) -> String { index < cells.count ? cells[index] : "" }
    public var isBlank: Bool { cells.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
}

/// RFC 4180 CSV with what real files bring: a UTF-8 BOM, CRLF, `;` as separator, quoted newlines.
public enum CSVTable {
    public static func parse(_ data: Data) throws -> [SheetRow] {
        guard var text = String(data: data, encoding: .utf8) else { throw TableError.notUTF8 }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return parse(text)
    }

    public static func parse(_ text: String) -> [SheetRow] {
        let separator: Character = guessSeparator(text)
        var rows: [SheetRow] = []
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var iterator = Array(text.unicodeScalars.map(Character.init)).makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    let n = next()
                    if n == "\"" { cell.append("\"") } else { quoted = false; pending = n }
                } else {
                    if c == "\n" { line += 1 }
                    cell.append(c)
                }
                continue
            }
            switch c {
            case "\"" where cell.isEmpty: quoted = true
            case separator: cells.append(cell); cell = ""
            case "\r": break
            case "\n":
                cells.append(cell); cell = ""
                rows.append(SheetRow(line: rowLine, cells: cells)); cells = []
                line += 1; rowLine = line
            default: cell.append(c)
            }
        }
        if !cell.isEmpty || !cells.isEmpty {
            cells.append(cell)
            rows.append(SheetRow(line: rowLine, cells: cells))
        }
        return rows
    }

    static func guessSeparator(_ text: String) -> Character {
        let firstLine = text.prefix { $0 != "\n" }
        return firstLine.filter { $0 == ";" }.count > firstLine.filter { $0 == "," }.count ? ";" : ","
    }

    /// CSV for Excel: UTF-8 with a BOM so Vietnamese text opens intact. Machines (DHIS2 tools)
    /// get it without the BOM.
    public static func write(_ rows: [[String]], bom: Bool = true) -> Data {
        var out = bom ? "\u{FEFF}" : ""
        for row in rows {
            out += row.map(escape).joined(separator: ",") + "\r\n"
        }
        return Data(out.utf8)
    }

    static func escape(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

public enum TableError: Error, Equatable, CustomStringConvertible {
    case notUTF8
    case notXLSX(String)
    public var description: String {
        switch self {
        case .notUTF8: return "Tệp CSV không phải mã UTF-8."
        case .notXLSX(let why): return "Không đọc được tệp XLSX: \(why)."
        }
    }
}
