import Vapor
import Fluent
import HamletKit
import HamletWeb

/// What the bodies reported on a plan for one period, gathered for the province's report: who
/// sent on time, late or not at all, and each section's text from the accepted reports, by body.
package struct SubmissionDigest {
    package struct Line {
        package var body: String
        package var state: TrackState
        package var sentOn: String?
        package init(body: String, state: TrackState, sentOn: String? = nil) {
            (self.body, self.state, self.sentOn) = (body, state, sentOn)
        }
    }
    package var period: String
    package var lines: [Line]
    /// Section title → (body, text), accepted reports only, in body order.
    package var sections: [(String, [(String, String)])]

    package init(period: String, lines: [Line], sections: [(String, [(String, String)])]) {
        (self.period, self.lines, self.sections) = (period, lines, sections)
    }

    package static let sectionTitles = [("results", "Kết quả thực hiện"), ("limits", "Tồn tại, hạn chế và nguyên nhân"), ("lessons", "Bài học kinh nghiệm"),
                                ("nextTasks", "Nhiệm vụ, giải pháp kỳ tới"), ("proposals", "Đề xuất, kiến nghị")]

    /// The period a report covers: the year for a yearly report, the review for an interim or final one.
    package static func periodID(kind: PlanReport.Kind, year: Int) -> String {
        switch kind {
        case .annual: String(year)
        case .interim: "SK\(year)"
        case .final: "TK\(year)"
        }
    }

    /// The digest of every duty's reports for that period, as the tracker counts them on `day`;
    /// nil when no duty asks for that period.
    package static func make(_ plan: Plan, period: String, day: DayDate, db: any Database, scope: AccessScope) async throws -> SubmissionDigest? {
        let rows = try await DutyTracker(db: db, scope: scope).rows(plan, asOf: day, period: period)
        guard !rows.isEmpty else { return nil }
        let accepted = try await PlanSubmission.query(on: db).filter(\.$planID == plan.requireID()).filter(\.$period == period)
            .filter(\.$status ~~ SubmissionStatus.received).sort(\.$bodyName).all()
            .filter { s in rows.contains { $0.dutyId == s.dutyID && $0.body == s.body } }
        let sections = sectionTitles.map { key, title in
            (title, accepted.compactMap { s -> (String, String)? in
                let text = switch key {
                case "results": s.results
                case "limits": s.limits
                case "lessons": s.lessons
                case "nextTasks": s.nextTasks
                default: s.proposals
                }
                return text.isEmpty ? nil : (s.bodyName, text)
            })
        }
        return SubmissionDigest(period: period, lines: rows.map { Line(body: $0.bodyName, state: TrackState(rawValue: $0.state) ?? .missing, sentOn: $0.submittedOn) },
                                sections: sections)
    }

    /// "Có 20 đơn vị phải báo cáo: 12 đã tiếp nhận, 3 gửi muộn, 1 bị trả lại, 4 quá hạn, chưa gửi."
    package var summary: String {
        let counts = Dictionary(grouping: lines, by: \.state).mapValues(\.count)
        let parts = TrackState.allCases.compactMap { s in counts[s].map { "\($0) \(s.label.prefix(1).lowercased() + s.label.dropFirst())" } }
        return "Có \(lines.count) báo cáo phải gửi: " + parts.joined(separator: ", ") + "."
    }

    /// The section in the DOCX: the sending table, then each part's text by body, or as the
    /// province worded it (`edited`), a paragraph per line.
    package func add(to doc: inout DOCX, number: String, edited: PlanReportText? = nil) {
        typealias P = DOCX.Paragraph
        typealias R = DOCX.Run
        doc.add(P("\(number). TỔNG HỢP BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ", bold: true))
        doc.add(P(summary, indent: true))
        var rows: [[[P]]] = [["STT", "Cơ quan, đơn vị", "Ngày gửi", "Tình trạng"].map { [P([R($0, bold: true, size: 12)], align: .center)] }]
        for (i, l) in lines.enumerated() {
            rows.append([[P([R(String(i + 1), size: 12)], align: .center)], [P([R(l.body, size: 12)], align: .left)],
                         [P([R(l.sentOn.flatMap(DayDate.init)?.vietnamese ?? "", size: 12)], align: .center)], [P([R(l.state.label, size: 12)], align: .left)]])
        }
        doc.add(DOCX.Table(widths: [750, 4320, 1600, 2400], rows: rows))
        if let edited {
            let parts = Self.sectionTitles.map { ($0.1, edited.text($0.0)) }.filter { !$0.1.isEmpty }
            for (i, (title, text)) in parts.enumerated() {
                doc.add(P("\(i + 1). \(title)", bold: true))
                for line in text.split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    doc.add(P(String(line), indent: true))
                }
            }
        } else {
            for (i, (title, texts)) in sections.filter({ !$0.1.isEmpty }).enumerated() {
                doc.add(P("\(i + 1). \(title)", bold: true))
                for (body, text) in texts { doc.add(P([R(body + ": ", bold: true), R(text)], indent: true)) }
            }
        }
        doc.add(P(""))
    }
}
