import Foundation
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase

/// Each word of each person's folded name, so a name search finds people through an index
/// (a prefix range per typed word) instead of reading every name with `LIKE '%…%'`.
package enum PersonWords {
    package static let table = "person_words"

    /// Writes the words of `people`; `replacing` first removes their old words (a renamed person).
    package static func write(_ people: [Person], replacing: Bool = false, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, !people.isEmpty else { return }
        if replacing {
            for chunk in people.compactMap(\.id).chunks(of: 500) {
                try await sql.delete(from: table).where("person_id", .in, Array(chunk)).run()
            }
        }
        var rows: [[any SQLExpression]] = []
        for person in people {
            guard let id = person.id else { continue }
            for word in Set(words(person.searchName)) { rows.append([SQLBind(id), SQLBind(word)]) }
        }
        // Two binds a row; well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
        for chunk in rows.chunks(of: 5000) {
            let insert = sql.insert(into: table).columns("person_id", "word")
            for row in chunk { insert.values(row) }
            try await insert.run()
        }
    }

    package static func words(_ folded: String) -> [String] {
        folded.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// People having, for every typed word, a name word that starts with it. The rarest typed word
    /// drives the search (counted, up to a cap, from the index: "nguyen" is long but common, "thu"
    /// short but rarer); the others are index probes for each person it finds.
    /// `fenced` (PostgreSQL, few matches): the word subquery is run first, by itself. PostgreSQL
    /// multiplies the words' selectivities as if independent, expects thousands of matches, and
    /// would otherwise walk the whole name-order index looking for a hundred.
    /// (`order` finds the driving order, once per list; `matching` writes the SQL.)
    ///
    /// The typed words in driving order: the rarest first, found by a bounded count of each.
    package static func order(_ query: String, on db: any Database) async throws -> [String] {
        var typed = Array(Set(words(VietnameseText.folded(query)))).sorted()
        guard !typed.isEmpty else { return [] }
        if typed.count > 1, let sql = db as? any SQLDatabase {
            var counts: [String: Int] = [:]
            for word in typed {
                let row = try await sql.raw("""
                    SELECT COUNT(*) AS n FROM (SELECT 1 FROM person_words WHERE word >= \(bind: word) AND word < \(bind: word + "~") LIMIT 5000) x
                    """).first()
                counts[word] = try row?.decode(column: "n", as: Int.self) ?? 0
            }
            typed.sort { (counts[$0] ?? 0, -$0.count, $0) < (counts[$1] ?? 0, -$1.count, $1) }
        }
        return typed
    }

    /// The SQL for words already in driving order (the first drives).
    package static func matching(_ typed: [String], fenced: Bool = false) -> SQLQueryString? {
        guard let first = typed.first else { return nil }
        var sql: SQLQueryString = """
            people.id IN (SELECT w0.person_id FROM person_words w0 \
            WHERE w0.word >= \(bind: first) AND w0.word < \(bind: first + "~")
            """
        for (n, word) in typed.dropFirst().enumerated() {
            let w = "w\(n + 1)"
            sql += """
                 AND EXISTS (SELECT 1 FROM person_words \(unsafeRaw: w) WHERE \(unsafeRaw: w).person_id = w0.person_id \
                AND \(unsafeRaw: w).word >= \(bind: word) AND \(unsafeRaw: w).word < \(bind: word + "~"))
                """
        }
        return sql + (fenced ? " OFFSET 0)" : ")")
    }
}

package struct CreatePersonWords: AsyncMigration {
    package init() {}
    package func prepare(on database: any Database) async throws {
        try await database.schema(PersonWords.table)
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("word", .sql(unsafeRaw: SQLText.byteOrdered(database)), .required)
            .compositeIdentifier(over: "word", "person_id")
            .create()
        try await SQLText.index(database, "person_words_person", on: PersonWords.table, ["person_id", "word"])
        // People saved before this table existed.
        var after: UUID?
        while true {
            let query = Person.query(on: database).sort(\.$id).limit(5000)
            if let after { query.filter(\.$id > after) }
            let page = try await query.all()
            guard let last = page.last else { break }
            try await PersonWords.write(page, on: database)
            after = last.id
        }
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(PersonWords.table).delete()
    }
}
