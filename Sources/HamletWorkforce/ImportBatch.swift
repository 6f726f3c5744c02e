import Foundation
import Fluent
import SQLKit
import HamletWeb
import HamletAudit
import HamletUnits

/// What an import has checked but not yet written: the services validate each row as they do
/// for a form, but look units and titles up once and leave people, posts and audit lines here,
/// to be inserted in bulk at the end (a row at a time cost ~15 round trips).
package final class ImportBatch: @unchecked Sendable {
    private var units: [String: AdminUnit?] = [:]
    private var titles: Set<String>?
    private(set) var people: [Person] = []
    private(set) var posts: [Assignment] = []
    private(set) var audit: [AuditEntry] = []
    /// Posts already stored for the people the file matched, plus the file's own new posts.
    package var postsByPerson: [UUID: [Assignment]] = [:]

    package func unit(_ code: String, in directory: UnitDirectory) async throws -> AdminUnit? {
        if let cached = units[code] { return cached }
        let found = try await directory.find(.current, code)
        units[code] = found
        return found
    }

    package func titleExists(_ code: String, on db: any Database) async throws -> Bool {
        if titles == nil { titles = Set(try await ProfessionalTitle.query(on: db).all().map(\.code)) }
        return titles!.contains(code)
    }

    package func add(_ person: Person, _ entry: AuditEntry) {
        people.append(person)
        audit.append(entry)
    }

    package func add(_ post: Assignment, _ entry: AuditEntry) {
        posts.append(post)
        postsByPerson[post.$person.id, default: []].append(post)
        audit.append(entry)
    }

    package func write(on db: any Database) async throws {
        for chunk in people.chunks(of: 500) { try await Array(chunk).create(on: db) }
        try await PersonWords.write(people, on: db)
        for chunk in posts.chunks(of: 500) { try await Array(chunk).create(on: db) }
        try await AuditLog.append(audit, on: db)
    }
}
