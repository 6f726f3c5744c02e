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
struct CoverageRule: Sendable, Codable {
    var level: UnitLevel?
    var organisationType: String?
    /// More types of agency or facility counted beside `level` and `organisationType`.
    var organisationTypes: [String]? = nil
    var allDomains: Bool? = nil
    var domains: [WorkDomain] = []
    var kinds: [EmploymentKind] = []
    var min: Int = 1
    var max: Int?

    /// Rules the seed plans name, ready to pick.
    static let presets: [(id: String, label: String, rule: CoverageRule)] = [
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
    var placeTypes: [String] {
        var seen = Set<String>()
        return ([organisationType ?? ""] + (organisationTypes ?? [])).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    var holdsAllDomains: Bool { allDomains == true }

    func validate() throws {
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

    func meets(_ count: Int) -> Bool { count >= min && (max.map { count <= $0 } ?? true) }

    var description: String {
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
struct CoverageResult: Content {
    struct Child: Sendable, Codable { var code: String; var name: String; var places: Int; var meeting: Int; var percent: Double }
    /// `within`: the unit the place sits in (a hamlet's commune, an organisation's unit), so two
    /// "Khóm 1" can be told apart.
    struct Miss: Sendable, Codable { var code: String; var name: String; var unitCode: String; var count: Int; var link: String; var within: String? = nil }

    var rule: String
    var unitCode: String
    var unitName: String
    var date: String
    var places: Int
    var meeting: Int
    var percent: Double
    var children: [Child]
    var misses: [Miss]
    /// "legacy" when counted over the units before the 2025 reform (`LegacyCoverage`).
    var map: String? = nil
    /// People holding a matching post who could not be placed in a legacy commune.
    var unplaced: Int? = nil
}
