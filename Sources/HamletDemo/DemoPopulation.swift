import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletPopulation

/// An Giang's children in special circumstances in 2025, by commune and kind: the base of 588's
/// "at least 85 % supported". Fictional, and said so in their source.
package enum DemoPopulation {
    package static let groups = ["tre-mo-coi", "tre-bi-bo-roi", "tre-anh-huong-hiv", "tre-khuyet-tat-nang", "tre-bi-thien-tai"]
    package static let source = "Rà soát trẻ em có hoàn cảnh đặc biệt năm 2025 của xã (số liệu mẫu)"

    package static func load(on db: any Database) async throws {
        let communes = try await DemoData.communes(on: db)
        var figures: [PopulationFigure] = []
        for (n, commune) in communes.enumerated() {
            // A few of each kind per commune, more orphans and severely disabled children than the rest.
            for (k, group) in groups.enumerated() {
                let f = PopulationFigure()
                f.unitCode = commune.code; f.unitPath = commune.path; f.year = 2025; f.group = group
                f.value = [2 + n % 5, n % 2, n % 3 == 0 ? 1 : 0, 3 + n % 4, n % 7 == 0 ? 2 : 0][k]
                f.source = source; f.updatedBy = "system"; f.updatedOn = "2025-10-15"
                figures.append(f)
            }
        }
        try await figures.create(on: db)
    }
}
