import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletUnits
import HamletOrganisations
import HamletWorkforce
import HamletPlans

/// How An Giang ran its plans between reports: Social Work Day and Vietnamese Family Day events,
/// 588's launch conference, supervision visits with follow-ups (some done on time, one late, one
/// still open), monthly briefings of the collaborators in three communes, and 170's steering
/// board with its members and meetings. Fictional, like all demo data.
package enum DemoActivities {
    package static func load(on db: any Database) async throws {
        let communes = try await DemoData.communes(on: db)
        guard communes.count >= 3 else { return }
        let agencies = try await Organisation.query(on: db).filter(\.$unitCode == DemoData.province).filter(\.$kind == .agency).all()
        func agency(_ prefix: String) -> Organisation? { agencies.first { $0.name.hasPrefix(prefix) } }
        let province = DemoData.province
        var rows: [PlanActivity] = []
        func activity(_ plan: Plan, _ kind: ActivityKind, _ title: String, _ day: String, at unit: AdminUnit?, organiser: String? = nil,
                      male: Int? = nil, female: Int? = nil, reached: Int? = nil, local: Int64? = nil, outputs: String? = nil,
                      findings: String? = nil, decisions: String? = nil, board: UUID? = nil) -> PlanActivity {
            let a = PlanActivity()
            a.planID = plan.id!; a.kind = kind.rawValue; a.title = title; a.heldOn = day; a.boardID = board
            a.unitCode = unit?.code ?? province; a.unitPath = unit?.path ?? province + "."
            a.organiser = organiser; a.male = male; a.female = female; a.reached = reached; a.spentLocal = local
            a.outputs = outputs; a.findings = findings; a.decisions = decisions; a.recordedBy = "system"; a.recordedOn = day
            rows.append(a)
            return a
        }
        let health = agency("Sở Y tế")?.name
        if let p588 = try await Plan.query(on: db).filter(\.$number == "588/QĐ-UBND").first() {
            _ = activity(p588, .conference, "Hội nghị triển khai Đề án phát triển nghề công tác xã hội", "2021-04-20", at: nil,
                         organiser: agency("Sở Lao động")?.name, male: 62, female: 48, local: 35_000_000, outputs: "Tài liệu hội nghị; 1 tin truyền hình",
                         decisions: "Các sở, ngành và huyện xây dựng kế hoạch thực hiện trước 30/6/2021")
            for year in 2022...2025 {
                _ = activity(p588, .event, "Hưởng ứng Ngày Công tác xã hội Việt Nam 25/3/\(year)", "\(year)-03-25", at: nil, organiser: year >= 2025 ? health : agency("Sở Lao động")?.name,
                             male: 70 + year % 7, female: 110 + year % 11, reached: 2_000 + 150 * (year - 2021), local: 20_000_000,
                             outputs: "\(1_000 + 250 * (year - 2021)) tờ rơi; 2 phóng sự trên Đài Phát thanh và Truyền hình tỉnh")
            }
            let visits: [(Int, String, String, [(String, String, String?)])] = [
                (0, "2024-09-12", "Sổ theo dõi đối tượng chưa cập nhật; 2 ấp chưa có cộng tác viên",
                 [("Cập nhật sổ theo dõi đối tượng", "2024-10-31", "2024-10-25"), ("Đề xuất người làm cộng tác viên ở 2 ấp", "2024-12-31", "2025-01-20")]),
                (1, "2025-05-08", "Chưa lập hồ sơ cho 3 trẻ em mồ côi mới phát hiện", [("Lập hồ sơ và đề xuất trợ giúp cho 3 trẻ", "2025-06-30", "2025-06-18")]),
                (2, "2025-10-15", "Cộng tác viên chưa được tập huấn nghiệp vụ", [("Cử cộng tác viên dự lớp tập huấn của tỉnh", "2026-03-31", nil)]),
            ]
            var followUps: [(PlanActivity, String, String, String?)] = []
            for (k, day, findings, actions) in visits {
                let v = activity(p588, .supervision, "Kiểm tra, giám sát thực hiện Đề án tại \(communes[k].name)", day, at: communes[k], organiser: health,
                                 male: 2, female: 3, findings: findings)
                for (text, due, closed) in actions { followUps.append((v, text, due, closed)) }
            }
            try await rows.create(on: db)
            for (v, text, due, closed) in followUps {
                let f = ActivityFollowUp()
                f.activityID = v.id!; f.text = text; f.dueOn = due; f.closedOn = closed; f.closingNote = closed == nil ? nil : "Đã thực hiện"
                try await f.create(on: db)
            }
            rows = []
        }
        guard let p170 = try await Plan.query(on: db).filter(\.$number == "170/KH-UBND").first() else { return }
        // 170's steering board: titles at agencies, so the seats outlive the people who hold them.
        let board = SteeringBoard()
        board.planID = p170.id!; board.name = "Ban Chỉ đạo thực hiện Kế hoạch 170/KH-UBND"; board.unitCode = province; board.unitPath = province + "."
        board.decision = "Quyết định thành lập Ban Chỉ đạo (số liệu mẫu)"; board.establishedOn = "2023-04-03"
        try await board.create(on: db)
        let seats: [(String, String, BoardRole, String, String?)] = [
            ("Phó Chủ tịch", "Ủy ban nhân dân tỉnh", .head, "2023-04-03", nil),
            ("Giám đốc", "Sở Y tế", .deputy, "2023-04-03", nil),
            ("Chi cục trưởng", "Chi cục Dân số", .member, "2023-04-03", nil),
            ("Phó Giám đốc", "Sở Lao động", .member, "2023-04-03", "2025-02-28"),
            ("Phó Giám đốc", "Sở Nội vụ", .member, "2025-03-01", nil),
            ("Phó Chủ tịch", "Hội Liên hiệp Phụ nữ", .member, "2023-04-03", nil),
        ]
        for (title, at, role, from, to) in seats {
            guard let org = agency(at) else { continue }
            let m = BoardMember()
            m.boardID = board.id!; m.title = title; m.organisationID = org.id; m.role = role.rawValue; m.fromOn = from; m.toOn = to
            try await m.create(on: db)
        }
        for day in ["2023-04-20", "2024-01-15", "2024-07-10", "2025-01-14", "2025-07-08"] {
            _ = activity(p170, .meeting, "Họp Ban Chỉ đạo " + (day.hasSuffix("-01-15") || day.hasSuffix("-01-14") ? "sơ kết năm" : day.hasPrefix("2023") ? "triển khai Kế hoạch" : "6 tháng"),
                         day, at: nil, organiser: health, male: 7, female: 3, decisions: "Rà soát, bổ sung cộng tác viên dân số ở các ấp còn thiếu", board: board.id)
        }
        for year in 2023...2025 {
            _ = activity(p170, .event, "Ngày Gia đình Việt Nam 28/6/\(year)", "\(year)-06-28", at: nil, organiser: agency("Sở Văn hóa")?.name,
                         male: 90, female: 160, reached: 5_000, local: 15_000_000, outputs: "Pa-nô, áp phích; 3 tin bài")
        }
        // The collaborators' monthly briefing in three communes, through 2025, with who came.
        var briefings: [(PlanActivity, [UUID])] = []
        for commune in communes.prefix(3) {
            let collaborators = try await Assignment.query(on: db).filter(\.$unitPath >= commune.path).filter(\.$unitPath < AccessScope.upperBound(commune.path))
                .filter(\.$endDate == nil).limit(8).all().map { $0.$person.id }
            for month in 1...11 {
                let a = activity(p170, .briefing, "Giao ban cộng tác viên tháng \(month)/2025", String(format: "2025-%02d-05", month), at: commune,
                                 organiser: "Ủy ban nhân dân \(commune.name)", findings: month % 4 == 0 ? "Hai ấp nộp báo cáo chậm" : nil,
                                 decisions: month % 4 == 0 ? "Nhắc cộng tác viên nộp báo cáo trước ngày 5 hằng tháng" : nil)
                briefings.append((a, Array(Set(collaborators)).sorted { $0.uuidString < $1.uuidString }.enumerated().filter { ($0.offset + month) % 5 != 0 }.map(\.element)))
            }
        }
        try await rows.create(on: db)
        for (a, people) in briefings {
            for p in people { let row = ActivityPerson(); row.activityID = a.id!; row.personID = p; try await row.create(on: db) }
        }
    }
}
