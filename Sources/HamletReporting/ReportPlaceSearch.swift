import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations

extension ReportService {
    /// A place that reports, as an officer picks it: its name and the unit it sits in.
    package struct PlaceChoice: Sendable {
        package var place: ReportPlace
        package var within: String
        package init(place: ReportPlace, within: String) {
            self.place = place
            self.within = within
        }
    }

    /// How many matches a page lists; one more is read to tell that there are more.
    package static let placeChoices = 30

    /// Units of the form's levels and facilities of its types, open and inside the account's
    /// subtree, whose name holds the typed words (accents and case ignored); at most `limit` + 1, so
    /// the caller can tell there are more.
    /// Officers know their communes and hamlets by name, not by GSO code.
    package func places(named text: String, for set: DataSet, limit: Int = placeChoices) async throws -> [PlaceChoice] {
        let words = VietnameseText.folded(text)
        guard !words.isEmpty else { return [] }
        let like = "%" + UnitDirectory.escapeLike(words) + "%"
        let upper = AccessScope.upperBound(scope.path)
        var found: [ReportPlace] = []
        if !set.levels.isEmpty {
            let units = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue).filter(\.$level ~~ set.levels)
                .filter(\.$path >= scope.path).filter(\.$path < upper).filter(\.$closedOn == nil)
                .filter(\.$searchName, .custom("LIKE"), like).sort(\.$path).limit(limit + 1).all()
            found += units.map { ReportPlace(kind: "unit", code: $0.code, path: $0.path, name: $0.name, level: $0.level, facilityType: nil) }
        }
        if !set.facilityTypes.isEmpty {
            let facilities = try await Organisation.query(on: db).filter(\.$kind == .facility)
                .join(OrganisationType.self, on: \Organisation.$type.$id == \OrganisationType.$id)
                .filter(OrganisationType.self, \.$code ~~ set.facilityTypes)
                .filter(\.$unitPath >= scope.path).filter(\.$unitPath < upper)
                .filter(\.$searchName, .custom("LIKE"), like).sort(\.$unitPath).limit(limit + 1).all()
            found += try facilities.map { o in
                ReportPlace(kind: "facility", code: o.id!.uuidString, path: o.unitPath, name: o.name, level: nil,
                            facilityType: try o.joined(OrganisationType.self).code)
            }
        }
        let shown = Array(found.prefix(limit + 1))
        // The units each place sits in, so two "Khóm 1" can be told apart.
        let within = try await UnitDirectory(db: db, scope: scope).within(shown.map { place in
            UnitDirectory.ancestorPaths(of: place.path) + (place.kind == "facility" ? [place.path] : [])
        })
        return zip(shown, within).map { PlaceChoice(place: $0, within: $1) }
    }
}
