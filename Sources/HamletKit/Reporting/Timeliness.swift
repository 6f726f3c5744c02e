import Foundation

/// Where one unit's report for one period stands.
public enum ReportStatus: String, Sendable, Codable, CaseIterable {
    case draft, submitted, approved, returned

    public var label: String {
        switch self {
        case .draft: "Đang nhập"
        case .submitted: "Đã gửi"
        case .approved: "Đã duyệt"
        case .returned: "Bị trả lại"
        }
    }

    /// The steps a report may take. Approved data is locked until the approver unlocks it
    /// (back to submitted); a returned report is corrected and submitted again.
    public func allows(_ next: ReportStatus) -> Bool {
        switch (self, next) {
        case (.draft, .submitted), (.returned, .submitted), (.submitted, .approved), (.submitted, .returned), (.approved, .submitted): true
        default: false
        }
    }

    /// Only approved data is locked; a sent report can still be corrected until it is approved.
    public var isEditable: Bool { self != .approved }
}

/// A cell of the completeness matrix: what the leader asks ("who has not reported, who was late").
public enum Timeliness: String, Sendable, Codable, CaseIterable {
    case approved, onTime = "on-time", late, returned, missing, notDue = "not-due"
    /// Data of a period before the 2025 reform, brought in from another system: it came, but
    /// nobody knows when it was sent, so it is neither on time nor late.
    case kept

    public var label: String {
        switch self {
        case .approved: "Đã duyệt"
        case .onTime: "Đúng hạn"
        case .late: "Muộn"
        case .returned: "Bị trả lại"
        case .missing: "Chưa báo cáo (quá hạn)"
        case .notDue: "Chưa đến hạn"
        case .kept: "Có số liệu (không rõ ngày gửi)"
        }
    }

    /// Whether the report counts as sent for completeness (approved, on time or late).
    public var isReported: Bool { self == .approved || self == .onTime || self == .late || self == .kept }

    /// `submittedOn`: the day of the first submission, which is what timeliness judges (a report
    /// returned and sent again keeps its first day). A draft is not a report.
    public static func of(status: ReportStatus?, submittedOn: DayDate?, due: DayDate, today: DayDate) -> Timeliness {
        of(status: status, submittedOn: submittedOn?.iso, due: due.iso, pastDue: today > due)
    }

    /// The same on ISO days as stored ("2026-11-05" sorts as it reads): a matrix judges tens of
    /// thousands of cells.
    public static func of(status: ReportStatus?, submittedOn: String?, due: String, pastDue: Bool) -> Timeliness {
        switch status {
        case .approved?: return .approved
        case .returned?: return .returned
        case .submitted?:
            guard let day = submittedOn else { return .onTime }
            return day <= due ? .onTime : .late
        case .draft?, nil:
            return pastDue ? .missing : .notDue
        }
    }
}
