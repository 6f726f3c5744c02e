import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletAccounts

/// Personal data is kept no longer than needed: cases closed more than the retention period ago
/// lose their free text (summaries, notes, assessments' needs, referral reasons), and a person
/// whose every case is so lose their identity (name, birth date, CCCD, phones, address, guardian).
/// What the figures count stays: dates, stages, service types, categories, sex, commune.
package struct Anonymiser {
    package let db: any Database
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.actor, self.ip) = (db, actor, ip)
    }

    /// HAMLET_CASE_RETENTION_YEARS, else 5 years after closing.
    package static var defaultYears: Int { Int(Environment.get("HAMLET_CASE_RETENTION_YEARS") ?? "") ?? 5 }
    package static let mark = "(đã ẩn danh)"

    package struct Summary: Content {
        package var cases: Int
        package var people: Int
        package var closedBefore: String
        package var dryRun: Bool
        package init(cases: Int, people: Int, closedBefore: String, dryRun: Bool) {
            (self.cases, self.people, self.closedBefore, self.dryRun) = (cases, people, closedBefore, dryRun)
        }
    }

    package func run(retentionYears years: Int, within scope: AccessScope, dryRun: Bool, today: DayDate = .today()) async throws -> Summary {
        let cutoff = DayDate(year: today.year - years, month: today.month, day: min(today.day, DayDate.days(today.year - years, today.month)))!.iso
        let cases = try await CaseFile.query(on: db).filter(\.$closedOn != nil).filter(\.$closedOn < cutoff).filter(\.$anonymisedAt == nil)
            .filter(\.$facilityPath >= scope.path).filter(\.$facilityPath < AccessScope.upperBound(scope.path)).all()
        var people = Set(cases.map(\.personID))
        // A person keeps their identity while any case of theirs is open or recent.
        for c in try await CaseFile.query(on: db).filter(\.$personID ~~ Array(people)).all() where !cases.contains(where: { $0.id == c.id }) && c.anonymisedAt == nil {
            people.remove(c.personID)
        }
        guard !dryRun, !cases.isEmpty else { return Summary(cases: cases.count, people: people.count, closedBefore: cutoff, dryRun: dryRun) }
        let actor = actor, ip = ip, ids = cases.compactMap(\.id), personIDs = Array(people)
        try await db.writeTransaction { tx in
            let now = HamletClock.shared.now
            for c in cases {
                c.summary = nil; c.closeReason = Self.mark; c.anonymisedAt = now
                try await c.save(on: tx)
            }
            try await CaseEntry.query(on: tx).filter(\.$caseID ~~ ids).set(\.$text, to: nil).set(\.$detail, to: nil).update()
            try await CaseReferral.query(on: tx).filter(\.$caseID ~~ ids).set(\.$reason, to: Self.mark).set(\.$feedback, to: nil).update()
            for p in try await ServedPerson.query(on: tx).filter(\.$id ~~ personIDs).all() {
                p.fullName = "Đã ẩn danh"; p.searchName = ""; p.sortKey = ""; p.birthDate = nil; p.cccd = nil; p.phone = nil; p.address = nil
                p.guardianName = nil; p.guardianRelation = nil; p.guardianPhone = nil; p.anonymisedAt = now
                try await p.save(on: tx)
            }
            try await Consent.query(on: tx).filter(\.$personID ~~ personIDs).set(\.$givenBy, to: Self.mark).update()
            var changes = AuditChanges()
            changes.add("cases", nil, String(ids.count)); changes.add("people", nil, String(personIDs.count)); changes.add("closed_before", nil, cutoff)
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "anonymise", entity: "case", entityID: nil, scopePath: scope.path, changes: changes)
        }
        return Summary(cases: cases.count, people: people.count, closedBefore: cutoff, dryRun: false)
    }
}
