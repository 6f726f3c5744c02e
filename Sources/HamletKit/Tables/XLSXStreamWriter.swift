import Foundation
import ZIPFoundation

/// Writes a large one-sheet workbook row by row through a temporary file, so memory stays flat
/// whatever the number of rows; `finish()` zips it and returns the .xlsx file's URL.
public final class XLSXStreamWriter {
    private let folder: URL
    private let sheetURL: URL
    private let handle: FileHandle
    private var buffer = ""
    private var row = 0
    private let sheetName: String

    public init(sheetName: String = "Sheet1") throws {
        self.sheetName = sheetName
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hamlet-xlsx-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        sheetURL = folder.appendingPathComponent("sheet1.xml")
        FileManager.default.createFile(atPath: sheetURL.path, contents: nil)
        handle = try FileHandle(forWritingTo: sheetURL)
        buffer = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
    }

    public func append(_ cells: [XLSXCell]) throws {
        row += 1
        buffer += XLSXWriter.rowXML(cells, row: row, header: row == 1)
        if buffer.utf8.count > 1 << 20 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer = ""
    }

    /// Closes the sheet and builds the workbook; the caller removes the file when done.
    public func finish() throws -> URL {
        buffer += "</sheetData></worksheet>"
        try flush()
        try handle.close()
        let output = folder.appendingPathComponent("export.xlsx")
        let archive = try Archive(url: output, accessMode: .create)
        for (path, text) in XLSXWriter.parts(sheetName: sheetName) {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", fileURL: sheetURL, compressionMethod: .deflate)
        try? FileManager.default.removeItem(at: sheetURL)
        return output
    }

    public static func cleanUp(_ url: URL) {
        try? FileManager.default.removeItem(at: url.deletingLastPathComponent())
    }
}
