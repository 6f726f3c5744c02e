import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit
import HamletAccounts
import HamletOrganisations

/// Whether someone is already a client, asked at intake. Only staff of a facility may ask, about
/// their own province, a limited number of times an hour; each ask is audited (which fields, how
/// many matches: never the values); the answer names a facility to contact and nothing about
/// the person, so the check cannot be used to learn who is a client where.
package struct IntakeCheck {
    package let db: any Database
    package let user: User
    package let ip: String?

    package var now: Date

    package init(db: any Database, user: User, ip: String? = nil, now: Date = HamletClock.shared.now) {
        (self.db, self.user, self.ip, self.now) = (db, user, ip, now)
    }

    package static let perHour = 30

    package struct PossibleMatch: Content {
        package var facility: String
        package var message: String
        package init(facility: String, message: String) {
            self.facility = facility
            self.message = message
        }
    }

    /// The facility the user works at, or 403: officers, viewers and everyone else cannot ask.
    package func facility(_ id: UUID?) async throws -> Organisation {
        let duties = try await CaseAccess(db: db, user: user).duties()
        guard !duties.isEmpty else {
            throw HamletError(status: .forbidden, code: "forbidden", message: "Chỉ nhân viên của cơ sở trợ giúp xã hội kiểm tra được khi tiếp nhận.", field: nil)
        }
        return try await ServedPeopleService(db: db, user: user, ip: ip).facility(id)
    }

    /// Counts one ask against the hourly limit and writes it to the audit log.
    package func count(_ facility: Organisation, fields person: ServedPerson, matches: Int? = nil) async throws {
        if let wait = try await RateLimit(db: db, now: now).take("intake:\(user.id!.uuidString)", limit: Self.perHour, window: 3_600) {
            var error = HamletError(status: .tooManyRequests, code: "too_many_checks",
                                    message: "Đã kiểm tra quá \(Self.perHour) lần trong một giờ. Vui lòng thử lại sau \((wait + 59) / 60) phút.", field: nil)
            error.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            throw error
        }
        var changes = AuditChanges()
        changes.add("fields", nil, [person.cccd == nil ? nil : "cccd", person.birthDate == nil ? nil : "fullName+birthDate"].compactMap { $0 }.joined(separator: ","))
        if let matches { changes.add("matches", nil, String(matches)) }
        try await Audit.record(on: db, actor: user, ip: ip, action: "check", entity: "served_person", entityID: nil, scopePath: facility.unitPath, changes: changes)
    }

    package func run(_ input: ServedPersonInput) async throws -> [PossibleMatch] {
        let facility = try await facility(input.facilityId)
        let service = ServedPeopleService(db: db, user: user, ip: ip)
        let probe = ServedPerson()
        probe.facilityID = facility.id!; probe.createdBy = user.id!
        var changes = AuditChanges()
        var checked = input
        checked.categories = []
        try await service.apply(checked, to: probe, changes: &changes)
        let found = try await service.duplicates(of: probe, among: try await service.provinceFacilities(of: facility))
        try await count(facility, fields: probe, matches: found.count)
        return Set(found.map(\.facility)).sorted().map {
            PossibleMatch(facility: $0, message: "Có thể người này đã có hồ sơ tại \($0): hãy liên hệ cơ sở đó trước khi lập hồ sơ mới.")
        }
    }
}
