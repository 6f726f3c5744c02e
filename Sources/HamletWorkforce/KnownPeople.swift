import Foundation
import Fluent
import HamletKit
import HamletWeb
import HamletUnits

/// The people an import may refer to: those already in the register with a CCCD or a name found
/// in the file (loaded in a few queries), and those the file itself adds. The same person is the
/// same CCCD, or else the same name, birth date and commune when one of the two has no CCCD.
package struct KnownPeople {
    package init() {}
    private var byCCCD: [String: Person] = [:]
    private var byName: [String: [Person]] = [:]

    package static func load(_ rows: ArraySlice<SheetRow>, mapping: ImportMapping, batch: ImportBatch, on db: any Database) async throws -> KnownPeople {
        // A row with a CCCD can only match by name someone stored without one.
        var cccds = Set<String>(), names = Set<String>(), namesWithCCCD = Set<String>()
        for row in rows where !row.isBlank {
            let cccd = mapping.columns[.cccd].flatMap { PeopleImporter.cccd(VietnameseText.normalized(row[$0])) }
            if let cccd { cccds.insert(cccd) }
            if let column = mapping.columns[.fullName] {
                let name = VietnameseText.folded(row[column])
                if cccd == nil { names.insert(name) } else { namesWithCCCD.insert(name) }
            }
        }
        namesWithCCCD.subtract(names)
        var known = KnownPeople()
        var found: [Person] = []
        for chunk in Array(cccds).chunks(of: 500) { found += try await Person.query(on: db).filter(\.$cccd ~~ Array(chunk)).all() }
        for chunk in Array(names).chunks(of: 500) { found += try await Person.query(on: db).filter(\.$searchName ~~ Array(chunk)).all() }
        for chunk in Array(namesWithCCCD).chunks(of: 500) {
            found += try await Person.query(on: db).filter(\.$searchName ~~ Array(chunk)).filter(\.$cccd == nil).all()
        }
        var seen = Set<UUID>()
        for person in found where seen.insert(try person.requireID()).inserted { known.add(person) }
        for chunk in Array(seen).chunks(of: 500) {
            for post in try await Assignment.query(on: db).filter(\.$person.$id ~~ Array(chunk)).all() {
                batch.postsByPerson[post.$person.id, default: []].append(post)
            }
        }
        return known
    }

    package mutating func add(_ person: Person) {
        if let cccd = person.cccd { byCCCD[cccd] = person }
        byName[person.searchName, default: []].append(person)
    }

    package func match(_ input: PersonInput, batch: ImportBatch, directory: UnitDirectory) async throws -> Person? {
        if let cccd = input.cccd, let person = byCCCD[cccd] { return person }
        guard let birth = input.birthDate, let home = input.homeUnitCode,
              let unit = try await batch.unit(home, in: directory) else { return nil }
        let commune = PersonService.communePath(unit.path)
        return byName[VietnameseText.folded(input.fullName ?? "")]?.first {
            // Two different CCCDs are two people, whatever their names.
            ($0.cccd == nil || input.cccd == nil) && $0.birthDate == birth && $0.homeUnitPath >= commune && $0.homeUnitPath < AccessScope.upperBound(commune)
        }
    }
}
