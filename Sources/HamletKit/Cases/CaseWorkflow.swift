import Foundation

/// Where a case stands: intake → assessment → plan → in service → review → closed.
public enum CaseStage: String, Sendable, Codable, CaseIterable {
    case intake, assessment, plan, service = "in-service", review, closed

    public var label: String {
        switch self {
        case .intake: "Tiếp nhận"
        case .assessment: "Đánh giá nhu cầu"
        case .plan: "Lập kế hoạch"
        case .service: "Đang cung cấp dịch vụ"
        case .review: "Rà soát"
        case .closed: "Đã đóng"
        }
    }

    /// The steps a case may take from here. A case is closed only once assessed (after an
    /// assessment, a plan, a service or a review); a review goes back to service or closes.
    public var next: [CaseStage] {
        switch self {
        case .intake: [.assessment]
        case .assessment: [.plan, .closed]
        case .plan: [.service, .closed]
        case .service: [.review, .closed]
        case .review: [.service, .closed]
        case .closed: []
        }
    }

    public func allows(_ step: CaseStage) -> Bool { next.contains(step) }
}

/// The needs an assessment looks at, each judged none / some / urgent, and the overall risk.
public enum NeedDomain: String, Sendable, Codable, CaseIterable {
    case safety, health, mentalHealth = "mental-health", education, livelihood, shelter, legal, family

    public var label: String {
        switch self {
        case .safety: "An toàn"
        case .health: "Sức khỏe"
        case .mentalHealth: "Sức khỏe tâm thần"
        case .education: "Học tập"
        case .livelihood: "Sinh kế, việc làm"
        case .shelter: "Chỗ ở"
        case .legal: "Pháp lý"
        case .family: "Quan hệ gia đình"
        }
    }
}

public enum RiskLevel: String, Sendable, Codable, CaseIterable {
    case low, medium, high
    public var label: String {
        switch self {
        case .low: "Thấp"
        case .medium: "Trung bình"
        case .high: "Cao"
        }
    }
}

/// Whose consent a person's data needs (Decree 13/2023, Article 20): an adult's own; for a
/// child, a parent's or guardian's, and from the age of 7 the child's own as well.
public enum ConsentRule {
    public static let adultAge = 18
    public static let childVoiceAge = 7

    public static func age(born: DayDate, on day: DayDate) -> Int {
        var years = day.year - born.year
        if (day.month, day.day) < (born.month, born.day) { years -= 1 }
        return years
    }

    public struct Need: Equatable, Sendable {
        public var guardian: Bool
        public var child: Bool
    }

    /// With no birth date the person is taken as an adult.
    public static func needed(born: DayDate?, on day: DayDate) -> Need {
        guard let born else { return Need(guardian: false, child: false) }
        let age = age(born: born, on: day)
        return Need(guardian: age < adultAge, child: age < adultAge && age >= childVoiceAge)
    }
}
