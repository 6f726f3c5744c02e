import Vapor
import Fluent
import SQLKit
import HamletKit
import HamletWeb
import HamletDatabase
import HamletAudit
import HamletUnits
import HamletAccounts
import HamletWorkforce

package struct NeedInput: Content {
    package var personId: UUID?
    package var topic: String?
    package var wantedKind: String?
    package var wantedLevel: String?
    package var priority: String?
    package var year: Int?

    package init(personId: UUID? = nil, topic: String? = nil, wantedKind: String? = nil, wantedLevel: String? = nil,
                 priority: String? = nil, year: Int? = nil) {
        (self.personId, self.topic, self.wantedKind, self.wantedLevel) = (personId, topic, wantedKind, wantedLevel)
        (self.priority, self.year) = (priority, year)
    }
}

package struct NeedDTO: Content {
    package var id: UUID?
    package var personId: UUID
    package var fullName: String
    package var homeUnitCode: String
    package var topic: String
    package var wantedKind: String
    package var wantedKindLabel: String
    package var wantedLevel: String?
    package var priority: String
    package var priorityLabel: String
    package var year: Int

    package init(id: UUID? = nil, personId: UUID, fullName: String, homeUnitCode: String, topic: String, wantedKind: String,
                 wantedKindLabel: String, wantedLevel: String? = nil, priority: String, priorityLabel: String, year: Int) {
        (self.id, self.personId, self.fullName, self.homeUnitCode) = (id, personId, fullName, homeUnitCode)
        (self.topic, self.wantedKind, self.wantedKindLabel, self.wantedLevel) = (topic, wantedKind, wantedKindLabel, wantedLevel)
        (self.priority, self.priorityLabel, self.year) = (priority, priorityLabel, year)
    }
}

package struct NeedsSummary: Content {
    package struct Topic: Content {
        package var topic: String
        package var kind: String
        package var kindLabel: String
        package var people: Int
        package var high: Int
        package init(topic: String, kind: String, kindLabel: String, people: Int, high: Int) {
            (self.topic, self.kind, self.kindLabel, self.people) = (topic, kind, kindLabel, people)
            self.high = high
        }
    }
    package struct Child: Content {
        package var code: String
        package var name: String
        package var people: Int
        package var needs: Int
        package init(code: String, name: String, people: Int, needs: Int) {
            (self.code, self.name, self.people, self.needs) = (code, name, people, needs)
        }
    }
    package var unitCode: String
    package var unitName: String
    package var year: Int?
    package var topics: [Topic]
    package var children: [Child]

    package init(unitCode: String, unitName: String, year: Int? = nil, topics: [Topic], children: [Child]) {
        (self.unitCode, self.unitName, self.year, self.topics) = (unitCode, unitName, year, topics)
        self.children = children
    }
}

/// The training-needs survey (điều tra nhu cầu đào tạo): one line per person, topic and year.
/// Summaries count people by topic, and by the child unit of where they live.
package struct NeedsService {
    package let db: any Database
    package let scope: AccessScope
    package let actor: (any ActingAccount)?
    package let ip: String?

    package init(db: any Database, scope: AccessScope, actor: (any ActingAccount)? = nil, ip: String? = nil) {
        (self.db, self.scope, self.actor, self.ip) = (db, scope, actor, ip)
    }

    package func create(_ input: NeedInput) async throws -> NeedDTO {
        guard let personID = input.personId, let person = try await PeopleQuery(db: db, scope: scope).visible().filter(\.$id == personID).first() else {
            throw HamletError.invalid("personId", "Người này không có trong sổ hoặc nằm ngoài phạm vi của bạn.")
        }
        let topic = VietnameseText.normalized(input.topic ?? "")
        guard !topic.isEmpty, topic.count <= 200 else { throw HamletError.invalid("topic", "Cần ghi nội dung cần học (tối đa 200 ký tự).") }
        guard let kind = input.wantedKind.flatMap(CourseKind.init(rawValue:)) else {
            throw HamletError.invalid("wantedKind", "Hình thức không hợp lệ: \(CourseKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var level: String?
        if let raw = input.wantedLevel, !raw.isEmpty {
            guard kind.isFormal, let l = QualificationLevel(rawValue: raw), l != .none else {
                throw HamletError.invalid("wantedLevel", "Trình độ chỉ ghi cho đào tạo: sơ cấp … tiến sĩ.")
            }
            level = l.rawValue
        }
        guard let priority = NeedPriority(rawValue: input.priority ?? "medium") else {
            throw HamletError.invalid("priority", "Mức ưu tiên là high, medium hoặc low.")
        }
        guard let year = input.year, (2000...2100).contains(year) else { throw HamletError.invalid("year", "Năm khảo sát không hợp lệ.") }
        let key = VietnameseText.folded(topic)
        if try await TrainingNeed.query(on: db).filter(\.$personID == personID).filter(\.$topicKey == key).filter(\.$year == year).count() > 0 {
            throw HamletError.invalid("topic", "\(person.fullName) đã có nhu cầu «\(topic)» trong năm \(year).")
        }
        let need = TrainingNeed()
        need.personID = personID; need.topic = topic; need.topicKey = key; need.wantedKind = kind.rawValue
        need.wantedLevel = level; need.priority = priority.rawValue; need.year = year
        try await db.writeTransaction { tx in
            try await need.create(on: tx)
            var changes = AuditChanges()
            changes.add("topic", nil, topic)
            changes.add("year", nil, String(year))
            try await Audit.record(on: tx, actor: actor, ip: ip, action: "create", entity: "training_need", entityID: need.id?.uuidString,
                                   scopePath: person.homeUnitPath, changes: changes)
        }
        return dto(need, person)
    }

    package func list(year: Int?, paging: Paging) async throws -> ([NeedDTO], Int) {
        let query = TrainingNeed.query(on: db)
        if !scope.isNation {
            query.filter(.sql(embed: "training_needs.person_id IN (SELECT people.id FROM people WHERE " + PeopleQuery.inSubtree(scope.path) + ")"))
        }
        if let year { query.filter(\.$year == year) }
        let total = try await query.copy().count()
        let needs = try await query.sort(\.$year, .descending).sort(\.$topicKey).sort(\.$id).offset(paging.offset).limit(paging.per).all()
        let people = try await Person.query(on: db).filter(\.$id ~~ needs.map(\.personID)).all()
        let byID = Dictionary(uniqueKeysWithValues: people.compactMap { p in p.id.map { ($0, p) } })
        return (needs.compactMap { n in byID[n.personID].map { dto(n, $0) } }, total)
    }

    package func summary(unit: AdminUnit?, year: Int?) async throws -> NeedsSummary {
        guard let sql = db as? any SQLDatabase else { throw HamletError.notFound }
        let path = unit?.path ?? ""
        var filter: SQLQueryString = " FROM training_needs n JOIN people ON people.id = n.person_id WHERE " + PeopleQuery.inSubtree(path)
        if let year { filter += " AND n.year = \(bind: year)" }
        let topics = try await sql.raw("SELECT MIN(n.topic) AS topic, n.wanted_kind AS kind, COUNT(DISTINCT n.person_id) AS people,"
            + " COUNT(DISTINCT CASE WHEN n.priority = 'high' THEN n.person_id END) AS high" + filter
            + " GROUP BY n.topic_key, n.wanted_kind ORDER BY people DESC, topic").all().map { r in
                let kind = try r.decode(column: "kind", as: String.self)
                return NeedsSummary.Topic(topic: try r.decode(column: "topic", as: String.self), kind: kind,
                                          kindLabel: CourseKind(rawValue: kind)?.label ?? kind,
                                          people: try r.decode(column: "people", as: Int.self), high: try r.decode(column: "high", as: Int.self))
            }
        let child = UnitTree.child("people.home_unit_path", under: path)
        let rows = try await sql.raw("SELECT " + child + " AS child, COUNT(DISTINCT n.person_id) AS people, COUNT(*) AS needs" + filter
            + " GROUP BY " + child).all()
        var byChild: [String: (Int, Int)] = [:]
        for r in rows { byChild[try r.decode(column: "child", as: String.self)] = (try r.decode(column: "people", as: Int.self), try r.decode(column: "needs", as: Int.self)) }
        let names = try await UnitTree.units(atPaths: Array(byChild.keys), on: db)
        return NeedsSummary(unitCode: unit?.code ?? AccessScope.nationCode, unitName: unit?.name ?? "Cả nước", year: year, topics: topics,
                            children: byChild.sorted { $0.key < $1.key }.map { .init(code: names[$0.key]?.code ?? $0.key, name: names[$0.key]?.name ?? $0.key,
                                                                                       people: $0.value.0, needs: $0.value.1) })
    }

    package func dto(_ n: TrainingNeed, _ p: Person) -> NeedDTO {
        NeedDTO(id: n.id, personId: n.personID, fullName: p.fullName, homeUnitCode: p.homeUnitCode, topic: n.topic, wantedKind: n.wantedKind,
                wantedKindLabel: CourseKind(rawValue: n.wantedKind)?.label ?? n.wantedKind, wantedLevel: n.wantedLevel,
                priority: n.priority, priorityLabel: NeedPriority(rawValue: n.priority)?.label ?? n.priority, year: n.year)
    }
}
