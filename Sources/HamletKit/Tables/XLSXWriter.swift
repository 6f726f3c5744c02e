import Foundation
import ZIPFoundation

/// A cell of a worksheet to write: text stays text, numbers and dates are real cells.
public enum XLSXCell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case date(year: Int, month: Int, day: Int)
    case empty

    /// The cell as a CSV field: whole numbers without a decimal point, dates as dd/MM/yyyy.
    public var csvText: String {
        switch self {
        case .text(let s): return s
        case .number(let n): return n == n.rounded() ? String(Int64(n)) : String(n)
        case .date(let y, let m, let d): return String(format: "%02d/%02d/%04d", d, m, y)
        case .empty: return ""
        }
    }
}

/// Writes a one-sheet XLSX workbook that Excel and LibreOffice open: inline strings, real number
/// and date cells (dates shown dd/mm/yyyy), a bold header row.
public enum XLSXWriter {
    public static func write(sheetName: String = "Sheet1", rows: [[XLSXCell]]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts(sheetName: sheetName) + [("xl/worksheets/sheet1.xml", sheet(rows))] {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data ?? Data()
    }

    /// Everything of the workbook but the sheet itself.
    static func parts(sheetName: String) -> [(String, String)] {
        [("[Content_Types].xml", contentTypes), ("_rels/.rels", rootRels), ("xl/workbook.xml", workbook(sheetName)),
         ("xl/_rels/workbook.xml.rels", workbookRels), ("xl/styles.xml", styles)]
    }

    static func sheet(_ rows: [[XLSXCell]]) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
        for (r, row) in rows.enumerated() { xml += rowXML(row, row: r + 1, header: r == 0) }
        return xml + "</sheetData></worksheet>"
    }

    /// One `<row>`; the header row is bold.
    static func rowXML(_ cells: [XLSXCell], row: Int, header: Bool) -> String {
        var xml = "<row r=\"\(row)\">"
        for (c, cell) in cells.enumerated() {
            let ref = columnName(c) + String(row)
            let style = header ? " s=\"1\"" : ""
            switch cell {
            case .text(let s): xml += "<c r=\"\(ref)\" t=\"inlineStr\"\(style)><is><t xml:space=\"preserve\">\(escape(s))</t></is></c>"
            case .number(let n): xml += "<c r=\"\(ref)\"\(style)><v>\(format(n))</v></c>"
            case .date(let y, let m, let d): xml += "<c r=\"\(ref)\" s=\"2\"><v>\(excelSerial(year: y, month: m, day: d))</v></c>"
            case .empty: break
            }
        }
        return xml + "</row>"
    }

    static func format(_ n: Double) -> String {
        n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
    }

    /// Excel's day number (1900 system) for a date.
    public static func excelSerial(year: Int, month: Int, day: Int) -> Int {
        let a = (14 - month) / 12, y = year + 4800 - a, m = month + 12 * a - 3
        let julian = day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
        return julian - 2415019
    }

    public static func columnName(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 { let r = (n - 1) % 26; name = String(UnicodeScalar(UInt8(65 + r))) + name; n = (n - 1) / 26 }
        return name
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func workbook(_ name: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name=""# + escape(name) + #"" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    }

    static let contentTypes = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#
    static let rootRels = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    static let workbookRels = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
    static let styles = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Times New Roman"/></font><font><b/><sz val="11"/><name val="Times New Roman"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="3"><xf fontId="0" xfId="0"/><xf fontId="1" xfId="0" applyFont="1"/><xf fontId="0" xfId="0" numFmtId="164" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#
}
