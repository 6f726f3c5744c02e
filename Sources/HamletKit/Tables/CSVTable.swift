import Foundation

/// A table read from a spreadsheet or CSV: rows of cell text, each with its line number in the file.
public struct SheetRow: Sendable, Equatable {
    public var line: Int
    public var cells: [String]
    /// The columns whose cell Excel stored as a number (an XLSX `n` cell); CSV has none.
    public var numbers: Set<Int>
    public init(line: Int, cells: [String], numbers: Set<Int> = []) { self.line = line; self.cells = cells; self.numbers = numbers }
    public subscript(index: Int) -> String { index < cells.count ? cells[index] : "" }
    public var isBlank: Bool { cells.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
}

/// A CSV file's rows read a batch at a time from its bytes, within `TableLimits`, so a large
/// file is never held as rows all at once. `rewind` starts again from the first row.
public struct CSVRows: Sendable {
    let data: Data
    let limits: TableLimits
    var state: State

    public init(_ data: Data, limits: TableLimits = .standard) {
        self.data = data; self.limits = limits
        state = data.withUnsafeBytes { State(bytes: $0.bindMemory(to: UInt8.self)) }
    }

    public mutating func rewind() { state = data.withUnsafeBytes { State(bytes: $0.bindMemory(to: UInt8.self)) } }

    /// Up to `count` more rows; empty when the file is read.
    public mutating func read(_ count: Int) throws -> [SheetRow] {
        let limits = limits
        var state = state
        defer { self.state = state }
        return try data.withUnsafeBytes { try state.read($0.bindMemory(to: UInt8.self), maxRows: count, limits: limits) }
    }

    /// Where a read stopped: always at the end of a row, so never inside quotes.
    struct State: Sendable {
        var i: Int, line = 1, rows = 0, cells = 0
        let separator: UInt8

        init(bytes: UnsafeBufferPointer<UInt8>) {
            i = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
            separator = CSVTable.guessSeparator(bytes, from: i)
        }

        /// One pass over the bytes: the separators, quotes and line ends are ASCII, so a cell is
        /// a run of bytes decoded once (the whole text is never copied into characters).
        mutating func read(_ all: UnsafeBufferPointer<UInt8>, maxRows: Int, limits: TableLimits) throws -> [SheetRow] {
            let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
            var out: [SheetRow] = [], cells: [String] = [], cell: [UInt8] = []
            var quoted = false, rowLine = line
            func endCell() throws {
                guard let text = String(validating: cell, as: UTF8.self) else { throw TableError.notUTF8 }
                cells.append(text); cell.removeAll(keepingCapacity: true)
                self.cells += 1
                if cells.count > limits.columns { throw TableError.tooLarge("quá \(limits.columns) cột (dòng \(rowLine))") }
                if self.cells > limits.cells { throw TableError.tooLarge("quá \(limits.cells) ô") }
            }
            func endRow() throws {
                out.append(SheetRow(line: rowLine, cells: cells)); cells = []
                rows += 1
                if rows > limits.rows { throw TableError.tooLarge("quá \(limits.rows) dòng") }
            }
            while i < all.count, out.count < maxRows {
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
            if i >= all.count, out.count < maxRows, !cell.isEmpty || !cells.isEmpty {
                try endCell(); try endRow()
            }
            return out
        }
    }
}

/// RFC 4180 CSV with what real files bring: a UTF-8 BOM, CRLF, `;` as separator, quoted newlines.
public enum CSVTable {
    public static func parse(_ data: Data, limits: TableLimits = .standard) throws -> [SheetRow] {
        var rows = CSVRows(data, limits: limits)
        return try rows.read(.max)
    }

    public static func parse(_ text: String) -> [SheetRow] {
        var copy = text
        return (try? copy.withUTF8 { try parse(bytes: $0, limits: .trusted) }) ?? []
    }

    static func parse(bytes all: UnsafeBufferPointer<UInt8>, limits: TableLimits) throws -> [SheetRow] {
        var state = CSVRows.State(bytes: all)
        return try state.read(all, maxRows: .max, limits: limits)
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
