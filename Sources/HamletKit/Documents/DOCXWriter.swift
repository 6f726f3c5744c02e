import Foundation
import ZIPFoundation

/// A Word document written from blocks, in the shape Decree 30/2020 gives official papers:
/// A4, margins 20/20/30/15 mm, Times New Roman 13–14 pt. It opens in Word and LibreOffice and stays
/// editable (plain paragraphs and tables, no fields or text boxes).
public struct DOCX: Sendable {
    public enum Align: String, Sendable { case left, center, right, both }

    public struct Run: Sendable {
        public var text: String; public var bold: Bool; public var italic: Bool; public var size: Int?; public var upper: Bool
        public init(_ text: String, bold: Bool = false, italic: Bool = false, size: Int? = nil, upper: Bool = false) {
            self.text = text; self.bold = bold; self.italic = italic; self.size = size; self.upper = upper
        }
    }

    public struct Paragraph: Sendable {
        public var runs: [Run]; public var align: Align; public var indent: Bool; public var spaceAfter: Int
        public init(_ runs: [Run], align: Align = .both, indent: Bool = false, spaceAfter: Int = 6) {
            self.runs = runs; self.align = align; self.indent = indent; self.spaceAfter = spaceAfter
        }
        public init(_ text: String, bold: Bool = false, italic: Bool = false, align: Align = .both, indent: Bool = false, size: Int? = nil) {
            self.init([Run(text, bold: bold, italic: italic, size: size)], align: align, indent: indent)
        }
    }

    public struct Table: Sendable {
        /// Column widths in twentieths of a point (the page's text width is about 9,070).
        public var widths: [Int]; public var rows: [[[Paragraph]]]; public var borders: Bool; public var header: Bool
        public init(widths: [Int], rows: [[[Paragraph]]], borders: Bool = true, header: Bool = true) {
            self.widths = widths; self.rows = rows; self.borders = borders; self.header = header
        }
    }

    public enum Block: Sendable { case paragraph(Paragraph), table(Table), pageBreak }

    public var blocks: [Block] = []
    public init() {}

    public mutating func add(_ p: Paragraph) { blocks.append(.paragraph(p)) }
    public mutating func add(_ t: Table) { blocks.append(.table(t)) }

    public func data() throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, text) in [("[Content_Types].xml", Self.contentTypes), ("_rels/.rels", Self.rootRels),
                             ("word/_rels/document.xml.rels", Self.documentRels), ("word/styles.xml", Self.styles), ("word/document.xml", document)] {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data ?? Data()
    }

    public var document: String {
        var body = ""
        for block in blocks {
            switch block {
            case .paragraph(let p): body += Self.xml(p)
            case .table(let t): body += Self.xml(t)
            case .pageBreak: body += #"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#
            }
        }
        // A4 portrait; top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (in twentieths of a point).
        let section = #"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>"#
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#
            + body + section + "</w:body></w:document>"
    }

    static func xml(_ p: Paragraph) -> String {
        var props = "<w:pPr><w:spacing w:before=\"0\" w:after=\"\(p.spaceAfter * 20)\"/>"
        if p.indent { props += #"<w:ind w:firstLine="567"/>"# }
        props += "<w:jc w:val=\"\(p.align.rawValue)\"/></w:pPr>"
        var out = "<w:p>" + props
        for run in p.runs {
            var rp = "<w:rPr>"
            if run.bold { rp += "<w:b/>" }
            if run.italic { rp += "<w:i/>" }
            if run.upper { rp += "<w:caps/>" }
            if let size = run.size { rp += "<w:sz w:val=\"\(size * 2)\"/><w:szCs w:val=\"\(size * 2)\"/>" }
            rp += "</w:rPr>"
            let lines = run.text.components(separatedBy: "\n")
            for (i, line) in lines.enumerated() {
                out += "<w:r>" + rp + (i > 0 ? "<w:br/>" : "") + "<w:t xml:space=\"preserve\">\(escape(line))</w:t></w:r>"
            }
        }
        return out + "</w:p>"
    }

    static func xml(_ t: Table) -> String {
        let border = t.borders ? "single" : "nil"
        var out = "<w:tbl><w:tblPr><w:tblW w:w=\"\(t.widths.reduce(0, +))\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblBorders>"
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] { out += "<w:\(side) w:val=\"\(border)\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>" }
        out += "</w:tblBorders><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>"
        for w in t.widths { out += "<w:gridCol w:w=\"\(w)\"/>" }
        out += "</w:tblGrid>"
        for (r, row) in t.rows.enumerated() {
            out += "<w:tr>" + (r == 0 && t.header && t.borders ? "<w:trPr><w:tblHeader/></w:trPr>" : "")
            for (c, cell) in row.enumerated() {
                out += "<w:tc><w:tcPr><w:tcW w:w=\"\(t.widths[min(c, t.widths.count - 1)])\" w:type=\"dxa\"/></w:tcPr>"
                out += (cell.isEmpty ? [Paragraph("")] : cell).map { var p = $0; p.spaceAfter = min(p.spaceAfter, 3); return xml(p) }.joined()
                out += "</w:tc>"
            }
            out += "</w:tr>"
        }
        return out + "</w:tbl>"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static let contentTypes = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#
    static let rootRels = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
    static let documentRels = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#
    /// Times New Roman 14 pt for the body (13 pt in tables is set per run by the writer's users).
    static let styles = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#
}
