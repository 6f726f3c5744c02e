import Vapor
import Fluent
import FluentSQL
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletUnits

/// Finding people, with the scope rule in one place: a person belongs to an account's subtree
/// when their home unit, or any post they ever held, lies in it.
package struct PeopleQuery {
    package let db: any Database
    package let scope: AccessScope

    package init(db: any Database, scope: AccessScope) { self.db = db; self.scope = scope }

    package struct Filter {
        package var q: String?
        package var unit: AdminUnit?
        package var domain: WorkDomain?
        package var kind: EmploymentKind?
        package var activeOn: String?
        package var qualification: QualificationLevel?
        package var title: String?
        /// Trained (yes) or not by `activeOn` or today, by Training's criteria (`PeopleTraining`).
        package var trained: (yes: Bool, criteria: any PersonCondition)?
        /// The words of `q` in driving order, once found (`list` finds them for its two statements).
        var words: [String]?

        package init(q: String? = nil, unit: AdminUnit? = nil, domain: WorkDomain? = nil, kind: EmploymentKind? = nil, activeOn: String? = nil,
                     qualification: QualificationLevel? = nil, title: String? = nil, trained: (yes: Bool, criteria: any PersonCondition)? = nil) {
            (self.q, self.unit, self.domain, self.kind, self.activeOn) = (q, unit, domain, kind, activeOn)
            (self.qualification, self.title, self.trained) = (qualification, title, trained)
        }
    }

    package func visible(correlated: Bool = false) -> QueryBuilder<Person> {
        let query = Person.query(on: db)
        if !scope.isNation {
            query.filter(.sql(embed: Self.inSubtree(scope.path, correlated: correlated)))
        }
        return query
    }

    package func find(_ id: UUID?) async throws -> Person {
        guard let id, let person = try await visible().filter(\.$id == id).first() else { throw HamletError.notFound }
        return person
    }

    /// The person in reach with this CCCD (twelve digits), if any.
    package func person(cccd: String) async throws -> Person? {
        try await visible().filter(\.$cccd == cccd).first()
    }

    /// Up to `limit` people in reach with this name (any case and accents), born on `birth` when given.
    package func people(named name: String, born birth: String?, limit: Int) async throws -> [Person] {
        let query = visible().filter(\.$searchName == VietnameseText.folded(name))
        if let birth { query.filter(\.$birthDate == birth) }
        return try await query.limit(limit).all()
    }

    /// Every post the person holds or held, wherever it is: a person's page lists them all and
    /// lets the account change only those inside its subtree.
    package func posts(of person: Person) async throws -> [Assignment] {
        try await Assignment.query(on: db).filter(\.$person.$id == person.requireID()).all()
    }

    /// Home unit or any assignment inside the subtree at `path`. `IN (subquery)` lets both
    /// engines start from the assignments' path index instead of testing every person;
    /// `correlated` asks instead, person by person, whether such a post exists (see `list`).
    package static func inSubtree(_ path: String, correlated: Bool = false) -> SQLQueryString {
        let upper = AccessScope.upperBound(path)
        let posts: SQLQueryString = "sa.unit_path >= \(bind: path) AND sa.unit_path < \(bind: upper)"
        let test: SQLQueryString = correlated
            ? "EXISTS (SELECT 1 FROM assignments sa WHERE sa.person_id = people.id AND " + posts + ")"
            : "people.id IN (SELECT sa.person_id FROM assignments sa WHERE " + posts + ")"
        return "(people.home_unit_path >= \(bind: path) AND people.home_unit_path < \(bind: upper) OR " + test + ")"
    }

    package func list(_ filter: Filter, paging: Paging, counting: Bool = true) async throws -> ([Person], Int) {
        let (page, total) = try await pageQuery(filter, paging: paging, counting: counting)
        return (try await page.all(), total)
    }

    /// The same page for the API's list, read as text rows into the DTO it sends, each with its
    /// home unit's name joined in: Fluent decoding the twenty fields of fifty models was 13 % of
    /// the server's CPU under the load test on PostgreSQL (21 % of a search on SQLite), and the
    /// names were one more statement a page.
    package func listed(_ filter: Filter, paging: Paging) async throws -> ([PersonDTO], Int) {
        let (page, total) = try await pageQuery(filter, paging: paging, counting: true)
        guard db is any SQLDatabase, var select = SQLQueryConverter(delegate: PlainTypes()).convert(page.query) as? SQLSelect else {
            let people = try await page.all()
            let names = try await AssignmentViews(db: db).names(ofUnits: people.map(\.homeUnitCode))
            return (people.map { PersonDTO($0, unitNames: names) }, total)
        }
        select.columns = PersonDTO.columns.select(from: "people", db).map { SQLRaw($0) } + [SQLRaw("home_unit.name AS home_unit_name")]
        // A unit's (structure, code) is unique: the join keeps one row a person and the people's order.
        select.joins.append(SQLJoin(method: SQLJoinMethod.left, table: SQLAlias(SQLIdentifier(AdminUnit.schema), as: SQLIdentifier("home_unit")),
                                    expression: SQLQueryString("home_unit.structure = \(bind: UnitStructure.current.rawValue) AND home_unit.code = people.home_unit_code")))
        let rows = try await TextRows.query(db, select, columns: PersonDTO.columns.keys + ["home_unit_name"])
        return (rows.compactMap { row in
            var person = PersonDTO(row: Array(row.dropLast()))
            person?.homeUnitName = row.last ?? nil
            return person
        }, total)
    }

    /// Fluent's query to SQL; people have no type of their own to translate.
    private struct PlainTypes: SQLConverterDelegate {
        func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
    }

    private func pageQuery(_ filter: Filter, paging: Paging, counting: Bool) async throws -> (QueryBuilder<Person>, Int) {
        // The words' driving order is found once, for the count and the page alike.
        var filter = filter
        if let q = filter.q, filter.words == nil, case .name = Self.search(q) { filter.words = try await PersonWords.order(q, on: db) }
        let total = counting ? try await count(filter) : 0
        // SQLite cannot guess how many people a post filter keeps. When many match (a province's
        // 40,000 collaborators), walking the name-order index and testing each person finds a page
        // after a few hundred rows, where gathering and sorting every match costs 100+ ms; when few
        // match, gathering them first is what is fast. PostgreSQL estimates this itself.
        let postgres = SQLText.isPostgres(db)
        let walk = counting && total > 2000 && !postgres
        // The id breaks ties between identical names, so pages never overlap.
        let page = try await filtered(filter, correlated: walk, fenced: postgres && counting && total <= 2000).sort(\.$sortKey).sort(\.$id)
            .offset(paging.offset).limit(paging.per)
        return (page, total)
    }

    /// With only post filters, inside the account's subtree, the number of people is the number of
    /// distinct people among the matching posts, counted from the posts' index alone.
    package func count(_ filter: Filter) async throws -> Int {
        guard let sql = db as? any SQLDatabase, let unit = filter.unit, scope.contains(path: unit.path),
              filter.q?.trimmingCharacters(in: .whitespaces).isEmpty ?? true, filter.qualification == nil, filter.title?.isEmpty ?? true, filter.trained == nil,
              filter.activeOn != nil || filter.domain != nil || filter.kind != nil
        else { return try await filtered(filter).count() }
        let row = try await sql.raw("SELECT COUNT(DISTINCT a.person_id) AS n FROM assignments a WHERE " + postConditions(filter)).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The next `limit` people after a (sort key, id) position: keyset paging for long exports,
    /// so every page costs the same however deep into the list it is.
    package func page(_ filter: Filter, after: (String, UUID)?, limit: Int) async throws -> [Person] {
        let query = try await filtered(filter)
        if let (key, id) = after {
            query.filter(.sql(embed: "(people.sort_key > \(bind: key) OR (people.sort_key = \(bind: key) AND people.id > \(bind: id)))"))
        }
        return try await query.sort(\.$sortKey).sort(\.$id).limit(limit).all()
    }

    enum Search { case cccd(String), phone(String), name }

    /// What the search box holds: twelve digits are a CCCD, a phone number is one, the rest are words of a name.
    static func search(_ text: String) -> Search? {
        let q = text.trimmingCharacters(in: .whitespaces)
        guard !q.isEmpty else { return nil }
        let digits = q.filter(\.isNumber)
        if digits.count == 12, digits.count == q.filter({ !$0.isWhitespace }).count { return .cccd(digits) }
        if let phone = PhoneNumber.normalized(q) { return .phone(phone) }
        return .name
    }

    private func filtered(_ filter: Filter, correlated: Bool = false, fenced: Bool = false) async throws -> QueryBuilder<Person> {
        let query = visible(correlated: correlated)
        if let q = filter.q {
            switch Self.search(q) {
            case .cccd(let digits): query.filter(\.$cccd == digits)
            case .phone(let phone): query.filter(\.$phone == phone)
            case .name:
                var words = filter.words ?? []
                if filter.words == nil { words = try await PersonWords.order(q, on: db) }
                query.filter(.sql(embed: PersonWords.matching(words, fenced: fenced) ?? "1 = 0"))
            case nil: break
            }
        }
        if let level = filter.qualification { query.filter(\.$qualificationLevel == level) }
        if let title = filter.title, !title.isEmpty { query.filter(\.$titleCode == title) }
        if let (trained, criteria) = filter.trained {
            let test = criteria.exists("people.id", by: filter.activeOn ?? DayDate.today().iso)
            query.filter(.sql(embed: trained ? test : "NOT " + test))
        }
        // Filters about posts: one assignment must meet all of them at once.
        guard filter.unit != nil || filter.domain != nil || filter.kind != nil || filter.activeOn != nil else { return query }
        let sql: SQLQueryString = correlated
            ? "EXISTS (SELECT 1 FROM assignments a WHERE a.person_id = people.id AND " + postConditions(filter) + ")"
            : "people.id IN (SELECT a.person_id FROM assignments a WHERE " + postConditions(filter) + ")"
        if let unit = filter.unit, filter.activeOn == nil, filter.domain == nil, filter.kind == nil {
            // A unit alone also finds the people who live there.
            query.group(.or) { or in
                or.filter(.sql(embed: sql))
                or.group(.and) { $0.filter(\.$homeUnitPath >= unit.path).filter(\.$homeUnitPath < AccessScope.upperBound(unit.path)) }
            }
        } else {
            query.filter(.sql(embed: sql))
        }
        return query
    }

    private func postConditions(_ filter: Filter) -> SQLQueryString {
        var sql: SQLQueryString = "1 = 1"
        if let unit = filter.unit {
            sql += " AND a.unit_path >= \(bind: unit.path) AND a.unit_path < \(bind: AccessScope.upperBound(unit.path))"
        }
        if let domain = filter.domain { sql += " AND a.\(unsafeRaw: domain.column) = \(true)" }
        if let kind = filter.kind { sql += " AND CAST(a.employment_kind AS TEXT) = \(bind: kind.rawValue)" }
        if let day = filter.activeOn {
            sql += " AND a.start_date <= \(bind: day) AND (a.end_date IS NULL OR a.end_date >= \(bind: day))"
        }
        return sql
    }
}
