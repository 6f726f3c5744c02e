/// What a course says a learner's result may be: the number of sessions (buổi), the score scale
/// (thang điểm, 10 unless the course says otherwise) and the fewest sessions a learner must attend
/// to complete it. A result that breaks them is refused; "completed" below the minimum stands only
/// with the organiser's reason written beside it (xét hoàn thành).
public struct ClassResultRules: Sendable, Equatable {
    public var sessions: Int?
    public var scoreScale: Double
    public var minimumSessions: Int?

    public init(sessions: Int? = nil, scoreScale: Double? = nil, minimumSessions: Int? = nil) {
        self.sessions = sessions
        self.scoreScale = scoreScale ?? 10
        self.minimumSessions = minimumSessions
    }

    public struct Problem: Sendable, Equatable {
        public var field: String
        public var message: String
    }

    /// Every problem of one learner's result, not only the first.
    public func problems(attended: Int?, score: Double?, completed: Bool, reason: String?) -> [Problem] {
        var found: [Problem] = []
        if let attended {
            if attended < 0 {
                found.append(.init(field: "attended", message: "Số buổi có mặt không được âm."))
            } else if let sessions, attended > sessions {
                found.append(.init(field: "attended", message: "Có mặt \(attended) buổi, nhiều hơn \(sessions) buổi của khoá học."))
            }
        }
        if let score {
            if !score.isFinite || score < 0 {
                found.append(.init(field: "score", message: "Điểm không được âm."))
            } else if score > scoreScale {
                found.append(.init(field: "score", message: "Điểm \(Self.text(score)) cao hơn thang điểm \(Self.text(scoreScale)) của khoá học."))
            }
        }
        if completed, let minimum = minimumSessions, (attended ?? 0) < minimum, (reason ?? "").allSatisfy(\.isWhitespace) {
            let had = attended.map { "có mặt \($0) buổi" } ?? "chưa ghi số buổi có mặt"
            found.append(.init(field: "completionReason",
                               message: "Hoàn thành cần có mặt ít nhất \(minimum) buổi (\(had)): ghi lý do xét hoàn thành, hoặc sửa kết quả."))
        }
        return found
    }

    /// The rules themselves must hang together: a minimum no larger than the sessions.
    public static func check(sessions: Int?, scoreScale: Double?, minimumSessions: Int?) -> Problem? {
        if let sessions, !(1...1000).contains(sessions) { return .init(field: "sessions", message: "Số buổi học từ 1 đến 1.000.") }
        if let scoreScale, !(scoreScale > 0 && scoreScale <= 1000) { return .init(field: "scoreScale", message: "Thang điểm là số dương (thường là 10 hoặc 100).") }
        if let minimumSessions {
            guard minimumSessions >= 1 else { return .init(field: "minimumSessions", message: "Số buổi tối thiểu từ 1 trở lên.") }
            guard let sessions else { return .init(field: "minimumSessions", message: "Ghi số buổi học của khoá trước khi ghi số buổi tối thiểu.") }
            if minimumSessions > sessions {
                return .init(field: "minimumSessions", message: "Số buổi tối thiểu (\(minimumSessions)) không được nhiều hơn số buổi học (\(sessions)).")
            }
        }
        return nil
    }

    static func text(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value).replacingOccurrences(of: ".", with: ",")
    }
}
