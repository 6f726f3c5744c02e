import Foundation
import Vapor
import HamletKit
import HamletWeb
import HamletUnits

/// A staffing rule of the plans, as data: which places must have between `min` and `max` active
/// people of given fields and employment kinds. Places are units of a level, agencies and
/// facilities of some types, or both together in one denominator (588: "agencies, organisations,
/// social-assistance facilities and communes"). `allDomains`: a person counts only with one post
/// holding every field named (170: a collaborator "đảm nhiệm 03 nhiệm vụ").
package struct CoverageRule: Sendable, Codable {
    package var level: UnitLevel?
    package var organisationType: String?
    /// More types of agency or facility counted beside `level` and `organisationType`.
    package var organisationTypes: [String]? = nil
    package var allDomains: Bool? = nil
    package var domains: [WorkDomain] = []
    package var kinds: [EmploymentKind] = []
    package var min: Int = 1
    package var max: Int?

    package init(level: UnitLevel? = nil, organisationType: String? = nil, organisationTypes: [String]? = nil,
                 allDomains: Bool? = nil, domains: [WorkDomain] = [], kinds: [EmploymentKind] = [], min: Int = 1, max: Int? = nil) {
        (self.level, self.organisationType, self.organisationTypes, self.allDomains) = (level, organisationType, organisationTypes, allDomains)
        (self.domains, self.kinds, self.min, self.max) = (domains, kinds, min, max)
    }

    /// Rules the seed plans name, ready to pick.
    package static let presets: [(id: String, label: String, rule: CoverageRule)] = [
        ("hamlet-population-collaborator", "Mỗi thôn/tổ dân phố có ít nhất 1 cộng tác viên dân số",
         CoverageRule(level: .hamlet, domains: [.population], kinds: [.congTacVien], min: 1)),
        ("hamlet-family-collaborator", "Mỗi thôn/tổ dân phố có ít nhất 1 cộng tác viên gia đình",
         CoverageRule(level: .hamlet, domains: [.family], kinds: [.congTacVien], min: 1)),
        ("commune-social-work-staff", "Mỗi xã có 1–2 người làm công tác xã hội",
         CoverageRule(level: .commune, domains: [.socialWork], min: 1, max: 2)),
        ("health-station-population-officer", "Mỗi trạm y tế xã có 1 viên chức dân số",
         CoverageRule(organisationType: "tram-y-te", domains: [.population], min: 1, max: 1)),
    ]

    /// Every type of agency or facility the rule counts.
    package var placeTypes: [String] {
        var seen = Set<String>()
        return ([organisationType ?? ""] + (organisationTypes ?? [])).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    package var holdsAllDomains: Bool { allDomains == true }

    package func validate() throws {
        if holdsAllDomains, domains.count < 2 {
            throw HamletError.invalid("allDomains", "Chọn ít nhất hai lĩnh vực mà cùng một người phải đảm nhiệm.")
        }
        if level == nil && placeTypes.isEmpty {
            throw HamletError.invalid("level", "Chọn cấp đơn vị (thôn, xã, tỉnh) hoặc loại cơ quan/cơ sở.")
        }
        if level == .district { throw HamletError.invalid("level", "Từ 01/07/2025 không còn cấp huyện.") }
        if min < 0 { throw HamletError.invalid("min", "Số tối thiểu không được âm.") }
        if let max, max < min { throw HamletError.invalid("max", "Số tối đa phải lớn hơn hoặc bằng số tối thiểu.") }
    }

    package func meets(_ count: Int) -> Bool { count >= min && (max.map { count <= $0 } ?? true) }

    package var description: String {
        let place = ((level.map { [$0.label(.vi)] } ?? []) + placeTypes.map { "Loại cơ sở \($0)" }).joined(separator: " + ")
        let who = (domains.isEmpty ? "mọi lĩnh vực"
                   : holdsAllDomains ? "cùng một người đảm nhiệm " + domains.map(\.label).joined(separator: " và ")
                   : domains.map(\.label).joined(separator: ", "))
            + (kinds.isEmpty ? "" : " · " + kinds.map(\.label).joined(separator: ", "))
        let range = max.map { $0 == min ? "đúng \(min)" : "\(min)–\($0)" } ?? "ít nhất \(min)"
        return "\(place): \(range) người (\(who))"
    }
}

/// The answer: how many places meet the rule, per child unit, and which miss it.
package struct CoverageResult: Content {
    package struct Child: Sendable, Codable {
        package var code: String
        package var name: String
        package var places: Int
        package var meeting: Int
        package var percent: Double
        package init(code: String, name: String, places: Int, meeting: Int, percent: Double) {
            (self.code, self.name, self.places, self.meeting) = (code, name, places, meeting)
            self.percent = percent
        }
    }
    /// `within`: the unit the place sits in (a hamlet's commune, an organisation's unit), so two
    /// "Khóm 1" can be told apart.
    package struct Miss: Sendable, Codable {
        package var code: String
        package var name: String
        package var unitCode: String
        package var count: Int
        package var link: String
        package var within: String? = nil
        package init(code: String, name: String, unitCode: String, count: Int, link: String, within: String? = nil) {
            (self.code, self.name, self.unitCode, self.count) = (code, name, unitCode, count)
            (self.link, self.within) = (link, within)
        }
    }

    package var rule: String
    package var unitCode: String
    package var unitName: String
    package var date: String
    package var places: Int
    package var meeting: Int
    package var percent: Double
    package var children: [Child]
    package var misses: [Miss]
    /// "legacy" when counted over the units before the 2025 reform (`LegacyCoverage`).
    package var map: String? = nil
    /// People holding a matching post who could not be placed in a legacy commune.
    package var unplaced: Int? = nil

    package init(rule: String, unitCode: String, unitName: String, date: String, places: Int, meeting: Int, percent: Double,
                 children: [Child], misses: [Miss], map: String? = nil, unplaced: Int? = nil) {
        (self.rule, self.unitCode, self.unitName, self.date) = (rule, unitCode, unitName, date)
        (self.places, self.meeting, self.percent, self.children) = (places, meeting, percent, children)
        (self.misses, self.map, self.unplaced) = (misses, map, unplaced)
    }
}
