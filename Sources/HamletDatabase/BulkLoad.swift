import Vapor
import Fluent
import SQLKit
import FluentPostgresDriver
import HamletKit

/// The fastest way each engine takes rows it does not check: PostgreSQL's `COPY … FROM STDIN`,
/// SQLite's `INSERT … SELECT` over `json_each` of the rows as one text, inside one transaction.
/// The first start, the generator and the importer load with it, and the import benchmark uses
/// it as the bar Hamlet's own import is measured against.
package enum BulkLoad {
    /// `enumText`: a value of a PostgreSQL enum column. An INSERT writes it as a literal, which
    /// PostgreSQL casts to the column's type (it refuses a text bind); COPY takes it as text.
    package enum Cell { case text(String), uuid(UUID), double(Double), int(Int), bool(Bool), date(Date), enumText(String), null }

    package static func text(_ s: String?) -> Cell { s.map(Cell.text) ?? .null }
    package static func double(_ d: Double?) -> Cell { d.map(Cell.double) ?? .null }

    package static func load(_ table: String, columns: [String], rows: [[Cell]], on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        if let pg = db as? any PostgresDatabase {
            try await copy(table, columns: columns, rows: rows, on: pg)
        } else if let sql = db as? any SQLDatabase {
            try await db.transaction { tx in
                guard let sql = tx as? any SQLDatabase else { return }
                try await insert(table, columns: columns, rows: rows, on: sql)
            }
            _ = sql
        }
    }

    /// SQLite: each 20,000 rows handed over as one JSON text that `json_each` spreads into the
    /// table in one statement; binding 13 values a row through the driver cost more than the
    /// insert itself. `conflict`: an `ON CONFLICT …` clause, for an upsert. PostgreSQL (and a
    /// chunk holding a number JSON cannot write): multi-row statements with bound values.
    package static func insert(_ table: String, columns: [String], rows: [[Cell]], conflict: String = "", on sql: any SQLDatabase) async throws {
        let sqlite = SQLText.isSQLite(sql), into = "INSERT INTO \(table) (\(columns.joined(separator: ", ")))"
        guard sqlite else { return try await bound(into, columns.count, rows: rows[...], conflict: conflict, sqlite: false, on: sql) }
        let picks = columns.indices.map { "value ->> \($0)" }.joined(separator: ", ")
        for start in stride(from: 0, to: rows.count, by: 20_000) {
            let chunk = rows[start..<min(start + 20_000, rows.count)]
            guard let json = jsonRows(chunk) else { try await bound(into, columns.count, rows: chunk, conflict: conflict, sqlite: true, on: sql); continue }
            // `WHERE true`: SQLite reads an ON CONFLICT after a bare SELECT as a join's ON.
            try await sql.raw("\(unsafeRaw: into) SELECT \(unsafeRaw: picks) FROM json_each(\(bind: json)) WHERE true \(unsafeRaw: conflict)").run()
        }
    }

    /// Multi-row statements with bound values, at most 30,000 a statement.
    private static func bound(_ into: String, _ width: Int, rows: ArraySlice<[Cell]>, conflict: String, sqlite: Bool, on sql: any SQLDatabase) async throws {
        let per = max(1, 30_000 / width)
        for start in stride(from: rows.startIndex, to: rows.endIndex, by: per) {
            let chunk = rows[start..<min(start + per, rows.endIndex)]
            let values = SQLList(chunk.map { row in SQLGroupExpression(row.map { bind($0, sqlite: sqlite) }) })
            try await sql.raw("\(unsafeRaw: into) VALUES \(values) \(unsafeRaw: conflict)").run()
        }
    }

    /// The rows as one JSON array of arrays, or nil when a number is infinite or NaN.
    /// Ids are their upper-case text and dates seconds since 1970, as SQLite stores them.
    package static func jsonRows(_ rows: ArraySlice<[Cell]>) -> String? {
        var out: [UInt8] = [0x5B]
        out.reserveCapacity(rows.count * 200)
        for (r, row) in rows.enumerated() {
            if r > 0 { out.append(0x2C) }
            out.append(0x5B)
            for (i, cell) in row.enumerated() {
                if i > 0 { out.append(0x2C) }
                switch cell {
                case .text(let s), .enumText(let s): JSONText.appendString(s, to: &out)
                case .uuid(let u): JSONText.appendString(u.upperText, to: &out)
                case .double(let d): guard JSONText.appendNumber(d, to: &out) else { return nil }
                case .int(let n): out.append(contentsOf: String(n).utf8)
                case .bool(let b): out.append(b ? 0x31 : 0x30)
                case .date(let d): guard JSONText.appendNumber(d.timeIntervalSince1970, to: &out) else { return nil }
                case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
                }
            }
            out.append(0x5D)
        }
        out.append(0x5D)
        return String(decoding: out, as: UTF8.self)
    }

    /// `sqlite`: ids bound as the text SQLite stores them as, which skips the encoder's
    /// `Codable` path and Foundation's slow formatter; PostgreSQL takes them binary.
    package static func bind(_ cell: Cell, sqlite: Bool = false) -> any SQLExpression {
        switch cell {
        case .text(let s): return SQLBind(s)
        case .uuid(let u): return sqlite ? SQLBind(u.upperText) : SQLBind(u)
        case .double(let d): return SQLBind(d)
        case .int(let i): return SQLBind(i)
        case .bool(let b): return SQLBind(b)
        case .date(let d): return SQLBind(d)
        case .enumText(let s): return SQLLiteral.string(s)
        case .null: return SQLLiteral.null
        }
    }

    package static let stamp: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss'+00'"
        return f
    }()

    /// COPY in PostgreSQL's text format, about a megabyte per message.
    package static func copy(_ table: String, columns: [String], rows: [[Cell]], on pg: any PostgresDatabase) async throws {
        let logger = Logger(label: "hamlet.copy")
        try await pg.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    // Rows of one load mostly share their time stamps: formatted once each.
                    var lastDate = Date.distantPast, lastStamp = ""
                    var buffer = ByteBuffer()
                    buffer.reserveCapacity(1 << 20)
                    for row in rows {
                        for (i, cell) in row.enumerated() {
                            if i > 0 { buffer.writeStaticString("\t") }
                            switch cell {
                            case .text(let s): buffer.writeString(escape(s))
                            case .uuid(let u): buffer.writeString(u.upperText)
                            case .double(let d): buffer.writeString(String(d))
                            case .int(let n): buffer.writeString(String(n))
                            case .bool(let b): buffer.writeStaticString(b ? "t" : "f")
                            case .enumText(let s): buffer.writeString(escape(s))
                            case .date(let d):
                                if d != lastDate { (lastDate, lastStamp) = (d, stamp.string(from: d)) }
                                buffer.writeString(lastStamp)
                            case .null: buffer.writeStaticString("\\N")
                            }
                        }
                        buffer.writeStaticString("\n")
                        if buffer.readableBytes >= 1 << 20 { try await writer.write(buffer); buffer.clear() }
                    }
                    if buffer.readableBytes > 0 { try await writer.write(buffer) }
                }
            }
        }.get()
    }

    package static func escape(_ s: String) -> String {
        // Bytes, not characters: grapheme breaking made this a third of a large COPY's time.
        guard s.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        return s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }
}

extension Array {
    /// Rows in batches, for writes that bind a parameter per column (SQLite takes 32,766 at most).
    package func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
