import Vapor
import Fluent
import FluentSQL
import SQLKit
import HamletKit

/// Finding people, with the scope rule in one place: a person belongs to an account's subtree
/// when their home unit, or any post they ever held, lies in it.
struct PeopleQuery {
    let db: any Database
    let scope: AccessScope

    struct Filter {
        var q: String?
        var unit: AdminUnit?
        var domain: WorkDomain?
        var kind: EmploymentKind?
        var activeOn: String?
        var qualification: QualificationLevel?
        var title: String?
    }

    func visible() -> QueryBuilder<Person> {
        let query = Person.query(on: db)
        if !scope.isNation {
            query.filter(.sql(embed: Self.inSubtree(scope.path)))
        }
        return query
    }

    func find(_ id: UUID?) async throws -> Person {
        guard let id, let person = try await visible().filter(\.$id == id).first() else { throw HamletError.notFound }
        return person
    }

    /// Home unit or any assignment inside the subtree at `path`. `IN (subquery)` lets both
    /// engines start from the assignments' path index instead of testing every person.
    static func inSubtree(_ path: String) -> SQLQueryString {
        let upper = AccessScope.upperBound(path)
        return """
            (people.home_unit_path >= \(bind: path) AND people.home_unit_path < \(bind: upper)
             OR people.id IN (SELECT sa.person_id FROM assignments sa
                              WHERE sa.unit_path >= \(bind: path) AND sa.unit_path < \(bind: upper)))
            """
    }

    func list(_ filter: Filter, paging: Paging, counting: Bool = true) async throws -> ([Person], Int) {
        let query = filtered(filter)
        let total = counting ? try await query.copy().count() : 0
        // The id breaks ties between identical names, so pages never overlap.
        let people = try await query.sort(\.$sortKey).sort(\.$id).offset(paging.offset).limit(paging.per).all()
        return (people, total)
    }

    /// The next `limit` people after a (sort key, id) position: keyset paging for long exports,
    /// so every page costs the same however deep into the list it is.
    func page(_ filter: Filter, after: (String, UUID)?, limit: Int) async throws -> [Person] {
        let query = filtered(filter)
        if let (key, id) = after {
            query.filter(.sql(embed: "(people.sort_key > \(bind: key) OR (people.sort_key = \(bind: key) AND people.id > \(bind: id)))"))
        }
        return try await query.sort(\.$sortKey).sort(\.$id).limit(limit).all()
    }

    private func filtered(_ filter: Filter) -> QueryBuilder<Person> {
        let query = visible()
        if let q = filter.q?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            let digits = q.filter(\.isNumber)
            if digits.count == 12, digits.count == q.filter({ !$0.isWhitespace }).count {
                query.filter(\.$cccd == digits)
            } else if let phone = PhoneNumber.normalized(q) {
                query.filter(\.$phone == phone)
            } else {
                query.filter(\.$searchName, .custom("LIKE"), "%" + UnitDirectory.escapeLike(VietnameseText.folded(q)) + "%")
            }
        }
        if let level = filter.qualification { query.filter(\.$qualificationLevel == level) }
        if let title = filter.title, !title.isEmpty { query.filter(\.$titleCode == title) }
        // Filters about posts: one assignment must meet all of them at once.
        var conditions: [SQLQueryString] = []
        if let unit = filter.unit {
            conditions.append("a.unit_path >= \(bind: unit.path) AND a.unit_path < \(bind: AccessScope.upperBound(unit.path))")
        }
        if let domain = filter.domain { conditions.append("a.\(unsafeRaw: domain.column) = \(true)") }
        if let kind = filter.kind { conditions.append("CAST(a.employment_kind AS TEXT) = \(bind: kind.rawValue)") }
        if let day = filter.activeOn {
            conditions.append("a.start_date <= \(bind: day) AND (a.end_date IS NULL OR a.end_date >= \(bind: day))")
        }
        if !conditions.isEmpty {
            var sql: SQLQueryString = "people.id IN (SELECT a.person_id FROM assignments a WHERE 1 = 1"
            for condition in conditions { sql += " AND " + condition }
            sql += ")"
            if filter.unit != nil, filter.activeOn == nil, filter.domain == nil, filter.kind == nil {
                // A unit alone also finds the people who live there.
                let unit = filter.unit!
                query.group(.or) { or in
                    or.filter(.sql(embed: sql))
                    or.group(.and) { $0.filter(\.$homeUnitPath >= unit.path).filter(\.$homeUnitPath < AccessScope.upperBound(unit.path)) }
                }
            } else {
                query.filter(.sql(embed: sql))
            }
        }
        return query
    }
}
