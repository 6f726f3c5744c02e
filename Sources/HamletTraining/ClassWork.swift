import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletWorkforce

extension MyWork {
    /// Classes starting within 30 days that enrol people of the unit, or are held in it: the
    /// commune officer sees who will be away and which learners to tell. The unit's people are
    /// those living in it and those holding a post in it today (a collaborator may live next door).
    package func classesSoon(_ unit: AdminUnit) async throws -> [WorkItem] {
        let until = today.adding(days: 30).iso
        let classes = try await TrainingClass.query(on: db).filter(\.$startDate >= today.iso).filter(\.$startDate <= until)
            .filter(\.$status != ClassStatus.cancelled.rawValue).with(\.$course).sort(\.$startDate).limit(200).all()
        guard !classes.isEmpty else { return [] }
        let upper = AccessScope.upperBound(unit.path)
        var learners: [UUID: Int] = [:]
        let enrolled = try await Participation.query(on: db).filter(\.$classID ~~ classes.compactMap(\.id)).all()
        let ids = Array(Set(enrolled.map(\.personID)))
        guard !ids.isEmpty else { return soon(classes, unit, learners) }
        var people = Set(try await Person.query(on: db).filter(\.$id ~~ ids)
            .filter(\.$homeUnitPath >= unit.path).filter(\.$homeUnitPath < upper).all().compactMap(\.id))
        let working = try await Assignment.query(on: db).filter(\.$person.$id ~~ ids)
            .filter(\.$unitPath >= unit.path).filter(\.$unitPath < upper).filter(\.$startDate <= today.iso)
            .group(.or) { $0.filter(\.$endDate == nil).filter(\.$endDate >= today.iso) }.all()
        people.formUnion(working.map(\.$person.id))
        for p in enrolled where people.contains(p.personID) { learners[p.classID, default: 0] += 1 }
        return soon(classes, unit, learners)
    }

    private func soon(_ classes: [TrainingClass], _ unit: AdminUnit, _ learners: [UUID: Int]) -> [WorkItem] {
        let upper = AccessScope.upperBound(unit.path)
        return classes.compactMap { c in
            let here = c.unitPath >= unit.path && c.unitPath < upper
            let count = learners[c.id!] ?? 0
            guard here || count > 0 else { return nil }
            let start = DayDate(c.startDate) ?? today
            return WorkItem(kind: "class", title: say("Lớp sắp mở: ", "Class soon: ") + c.course.name,
                            detail: say("từ \(start.vietnamese) · \(count) học viên của \(unit.name)", "from \(start.vietnamese) · \(count) learners of \(unit.name)"),
                            due: start.iso, state: "planned", stateLabel: say("Sắp học", "Planned"), link: "/training/classes/\(c.id!.uuidString)", urgent: false)
        }
    }
}
