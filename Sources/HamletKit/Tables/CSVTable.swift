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
    public static func parse(_ data: Data, limits: TableLimits = .standard) throws -> [SheetRow] {
        try data.withUnsafeBytes { raw in try parse(bytes: raw.bindMemory(to: UInt8.self), limits: limits) }
    }

    public static func parse(_ text: String) -> [SheetRow] {
        var copy = text
        return (try? copy.withUTF8 { try parse(bytes: $0, limits: .trusted) }) ?? []
    }

    /// One pass over the bytes: the separators, quotes and line ends are ASCII, so a cell is a
    /// run of bytes decoded once (the whole text is never copied into characters).
    static func parse(bytes all: UnsafeBufferPointer<UInt8>, limits: TableLimits) throws -> [SheetRow] {
        var start = 0
        if all.count >= 3, all[0] == 0xEF, all[1] == 0xBB, all[2] == 0xBF { start = 3 }
        let separator = guessSeparator(all, from: start)
        let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var rows: [SheetRow] = [], cells: [String] = [], cell: [UInt8] = []
        var quoted = false, line = 1, rowLine = 1, cellCount = 0
        func endCell() throws {
            guard let text = String(validating: cell, as: UTF8.self) else { throw TableError.notUTF8 }
            cells.append(text); cell.removeAll(keepingCapacity: true)
            cellCount += 1
            if cells.count > limits.columns { throw TableError.tooLarge("quá \(limits.columns) cột (dòng \(rowLine))") }
            if cellCount > limits.cells { throw TableError.tooLarge("quá \(limits.cells) ô") }
        }
        func endRow() throws {
            rows.append(SheetRow(line: rowLine, cells: cells)); cells = []
            if rows.count > limits.rows { throw TableError.tooLarge("quá \(limits.rows) dòng") }
        }
        var i = start
        while i < all.count {
            let c = all[i]
            i += 1
            if quoted {
                if c == quote {
                    if i < all.count, all[i] == quote { cell.append(quote); i += 1 } else { quoted = false }
                } else {
                    if c == lf { line += 1 }
                    cell.append(c)
                }
                continue
            }
            switch c {
            case quote where cell.isEmpty: quoted = true
            case separator: try endCell()
            case cr: break
            case lf:
                try endCell(); try endRow()
                line += 1; rowLine = line
            default: cell.append(c)
            }
        }
        if !cell.isEmpty || !cells.isEmpty {
            try endCell(); try endRow()
        }
        return rows
    }

    static func guessSeparator(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        var semicolons = 0, commas = 0, i = start
        while i < bytes.count, bytes[i] != UInt8(ascii: "\n") {
            if bytes[i] == UInt8(ascii: ";") { semicolons += 1 } else if bytes[i] == UInt8(ascii: ",") { commas += 1 }
            i += 1
        }
        return semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
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
    /// Over one of `TableLimits`, named in the text.
    case tooLarge(String)
    public var description: String {
        switch self {
        case .notUTF8: return "Tệp CSV không phải mã UTF-8."
        case .notXLSX(let why): return "Không đọc được tệp XLSX: \(why)."
        case .tooLarge(let what): return "Tệp vượt giới hạn: \(what)."
        }
    }
}
