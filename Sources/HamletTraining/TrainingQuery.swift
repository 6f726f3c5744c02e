import Vapor
import Fluent
import SQLKit
import HamletWeb
import HamletAccounts
import HamletWorkforce

/// Which classes and participants an account sees. A class is visible when it takes place in the
/// account's subtree or enrolled someone of it; inside a class, only the account's own people are
/// listed (a commune officer sees a provincial class, and only their commune's learners).
package struct TrainingQuery {
    package let db: any Database
    package let scope: AccessScope

    package init(db: any Database, scope: AccessScope) { self.db = db; self.scope = scope }

    /// What the class list may be narrowed to: a status, classes running in a year, one course.
    package struct ClassFilter: Sendable {
        package var status: ClassStatus?
        package var year: Int?
        package var course: UUID?
        package init(status: ClassStatus? = nil, year: Int? = nil, course: UUID? = nil) { (self.status, self.year, self.course) = (status, year, course) }
    }

    /// A page of the classes in reach, latest start first, with their courses, and how many there are.
    package func classes(_ filter: ClassFilter, paging: Paging) async throws -> ([TrainingClass], Int) {
        let query = classes().with(\.$course)
        if let status = filter.status { query.filter(\.$status == status.rawValue) }
        if let year = filter.year {
            query.filter(\.$startDate <= String(format: "%04d-12-31", year)).filter(\.$endDate >= String(format: "%04d-01-01", year))
        }
        if let course = filter.course { query.filter(\.$course.$id == course) }
        let total = try await query.copy().count()
        let rows = try await query.sort(\.$startDate, .descending).sort(\.$id).offset(paging.offset).limit(paging.per).all()
        return (rows, total)
    }

    package func classes() -> QueryBuilder<TrainingClass> {
        let query = TrainingClass.query(on: db)
        if !scope.isNation {
            let upper = AccessScope.upperBound(scope.path)
            query.filter(.sql(embed: """
                (training_classes.unit_path >= \(bind: scope.path) AND training_classes.unit_path < \(bind: upper)
                 OR training_classes.id IN (SELECT tp.class_id FROM participations tp JOIN people ON people.id = tp.person_id
                                            WHERE \(PeopleQuery.inSubtree(scope.path))))
                """))
        }
        return query
    }

    package func findClass(_ id: UUID?) async throws -> TrainingClass {
        guard let id, let klass = try await classes().filter(\.$id == id).with(\.$course).first() else { throw HamletError.notFound }
        return klass
    }

    /// Changing a class (its details, enrolments, results) needs its place inside the scope.
    package func canEdit(_ klass: TrainingClass, user: User?) -> Bool {
        guard let user, user.role.canEditWorkforce else { return false }
        return scope.contains(path: klass.unitPath)
    }

    package func requireEditable(_ id: UUID?, user: User?) async throws -> TrainingClass {
        let klass = try await findClass(id)
        guard canEdit(klass, user: user) else { throw HamletError.forbidden }
        return klass
    }

    /// The class's participants the account may see, in the official name order.
    package func participants(of klass: TrainingClass) async throws -> [(Participation, Person)] {
        let rows = try await Participation.query(on: db).filter(\.$classID == klass.requireID()).all()
        let people = try await PeopleQuery(db: db, scope: scope).visible().filter(\.$id ~~ rows.map(\.personID)).all()
        let byID = Dictionary(uniqueKeysWithValues: people.compactMap { p in p.id.map { ($0, p) } })
        return rows.compactMap { row in byID[row.personID].map { (row, $0) } }.sorted { ($0.1.sortKey, $0.1.id!.uuidString) < ($1.1.sortKey, $1.1.id!.uuidString) }
    }

    /// A person's classes, newest first (the person page's training history).
    package func history(of person: Person) async throws -> [(Participation, TrainingClass)] {
        let rows = try await Participation.query(on: db).filter(\.$personID == person.requireID()).all()
        let classes = try await TrainingClass.query(on: db).filter(\.$id ~~ rows.map(\.classID)).with(\.$course).all()
        let byID = Dictionary(uniqueKeysWithValues: classes.compactMap { c in c.id.map { ($0, c) } })
        return rows.compactMap { row in byID[row.classID].map { (row, $0) } }.sorted { $0.1.startDate > $1.1.startDate }
    }
}
