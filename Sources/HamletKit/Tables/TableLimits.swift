/// How much an uploaded table may hold. A file from outside is read only within these, checked
/// before anything is inflated and again as it is: a one-megabyte workbook can claim a sheet of
/// a gigabyte (a "zip bomb"), a CSV can hold millions of rows. Every refusal names its limit.
public struct TableLimits: Sendable, Equatable {
    /// Files inside an XLSX (a workbook has ten or twenty).
    public var entries = 1_000
    /// One file inside an XLSX, inflated.
    public var entryBytes = 64 << 20
    /// Everything the reader inflates from one XLSX.
    public var totalBytes = 160 << 20
    /// Inflated size over compressed size, for files inflating past 1 MB (spreadsheets reach 10–30).
    public var ratio = 100
    public var rows = 100_000
    public var columns = 256
    public var cells = 3_000_000

    public init() {}
    public static let standard = TableLimits()
    /// For the server's own files (the unit lists), which are trusted and large.
    public static let trusted: TableLimits = {
        var l = TableLimits()
        l.rows = .max; l.columns = .max; l.cells = .max; l.entryBytes = .max; l.totalBytes = .max; l.ratio = .max
        return l
    }()
}

extension TableError {
    static func limit(_ what: String) -> TableError { .tooLarge(what) }
}

/// Megabytes as people write them: "64 MB".
func megabytes(_ bytes: Int) -> String { "\(bytes >> 20) MB" }
