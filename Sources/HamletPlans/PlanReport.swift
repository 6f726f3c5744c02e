import Vapor
import Fluent
import HamletKit
import HamletWeb
import HamletAudit
import HamletUnits

/// The plan implementation report (báo cáo kết quả thực hiện kế hoạch) for a year, or the
/// interim (sơ kết) or final (tổng kết) review, as an editable DOCX in the Decree 30/2020 layout:
/// the two-column heading, the title, the targets against their results, the tasks, the money,
/// a summary, the recipients and the signature block.
package struct PlanReport {
    package enum Kind: String { case annual, interim, final }

    package let db: any Database
    package let scope: AccessScope

    package init(db: any Database, scope: AccessScope) {
        self.db = db
        self.scope = scope
    }

    /// `today`: the app's day; figures are cut off at the end of `year` (or today, for this year).
    /// `issuedOn`: the date printed under the motto; without it the line is left for the officer
    /// to fill in by hand ("…, ngày … tháng … năm …"), as a report is signed later than it is drawn.
    package func docx(_ plan: Plan, year: Int, kind: Kind, today: DayDate, issuedOn: DayDate? = nil) async throws -> Data {
        let day = year >= today.year ? today : DayDate(year: year, month: 12, day: 31)!
        let board = try await PlanDashboard(db: db, scope: scope).build(plan, date: day.iso, withTrend: false)
        let full = try await PlanDTO.full(plan, asOf: day, on: db)
        let province = try await AdminUnit.query(on: db).filter(\.$structure == UnitStructure.current.rawValue)
            .filter(\.$path == String(plan.scopePath.prefix(3))).first()
        let place = province?.shortName ?? ""
        let issuer = plan.issuer.uppercased()
        typealias P = DOCX.Paragraph
        typealias R = DOCX.Run
        var doc = DOCX()
        // Heading: the issuing body and number on the left, the national motto and date on the right.
        let left: [P] = [P([R(issuer.replacingOccurrences(of: " TỈNH ", with: "\nTỈNH "), bold: true, size: 13)], align: .center, spaceAfter: 0),
                         P([R("-------", size: 13)], align: .center, spaceAfter: 0),
                         P([R("Số:        /BC-UBND", size: 13)], align: .center, spaceAfter: 0)]
        let right: [P] = [P([R("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 12)], align: .center, spaceAfter: 0),
                          P([R("Độc lập - Tự do - Hạnh phúc", bold: true, size: 13)], align: .center, spaceAfter: 0),
                          P([R("---------------", size: 13)], align: .center, spaceAfter: 0),
                          P([R("\(place), " + (issuedOn.map { VietnameseFormat.officialDate(day: $0.day, month: $0.month, year: $0.year) } ?? "ngày      tháng      năm \(today.year)"), italic: true, size: 13)], align: .center, spaceAfter: 0)]
        doc.add(DOCX.Table(widths: [3600, 5470], rows: [[left, right]], borders: false, header: false))
        doc.add(P(""))
        doc.add(P([R("BÁO CÁO", bold: true)], align: .center, spaceAfter: 0))
        let what: String
        switch kind {
        case .annual: what = "Kết quả thực hiện \(PlanKind(rawValue: plan.kind)?.label ?? "Kế hoạch") số \(plan.number) năm \(year)"
        case .interim: what = "Sơ kết thực hiện \(PlanKind(rawValue: plan.kind)?.label ?? "Kế hoạch") số \(plan.number), giai đoạn \(plan.fromYear) - \(year)"
        case .final: what = "Tổng kết thực hiện \(PlanKind(rawValue: plan.kind)?.label ?? "Kế hoạch") số \(plan.number), giai đoạn \(plan.fromYear) - \(plan.toYear)"
        }
        doc.add(P([R(what, bold: true)], align: .center, spaceAfter: 0))
        doc.add(P([R(plan.title, bold: true)], align: .center, spaceAfter: 12))
        doc.add(P("Thực hiện \(PlanKind(rawValue: plan.kind)?.label ?? "Kế hoạch") số \(plan.number) ngày \(DayDate(plan.issuedOn)?.vietnamese ?? plan.issuedOn) của \(plan.issuer), số liệu tính đến \(VietnameseFormat.officialDate(day: day.day, month: day.month, year: day.year)) trên địa bàn \(board.unitName), kết quả như sau:", indent: true))

        doc.add(P("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", bold: true))
        var rows: [[[P]]] = [["STT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Đánh giá"].map { [P([R($0, bold: true, size: 12)], align: .center)] }]
        for (i, t) in board.targets.enumerated() {
            let percent = t.measure == "%"
            let direction = TargetDirection(rawValue: t.direction) ?? .atLeast
            let goal = t.stages.map { "\(FigureText.goal($0.value, percent: percent, direction: direction)) đến \(DayDate($0.deadline)?.vietnamese ?? $0.deadline)" }.joined(separator: "; ")
            let counts = FigureText.counts(numerator: t.numerator, denominator: t.denominator, changeAgainst: t.changeAgainst, year: day.year)
            var result = t.hidden == true ? SmallCounts.shown : t.text(t.current, computable: t.computable) + (counts.isEmpty ? "" : " (" + counts + ")")
            if let on = t.judgedOn.flatMap(DayDate.init), on != day {
                result += "; ngày \(on.vietnamese): " + t.text(t.judgedValue, computable: t.status == TargetStatus.notComputable.rawValue ? false : nil)
            }
            rows.append([[P([R(String(i + 1), size: 12)], align: .center)], [P([R(t.name, size: 12)], align: .left)], [P([R(goal, size: 12)], align: .left)],
                         [P([R(result, size: 12)], align: .center)], [P([R(t.statusLabel, size: 12)], align: .left)]])
        }
        doc.add(DOCX.Table(widths: [750, 3000, 1950, 1700, 1670], rows: rows))
        doc.add(P(""))

        doc.add(P("II. TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ", bold: true))
        var tasks: [[[P]]] = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian", "Tình hình"].map { [P([R($0, bold: true, size: 12)], align: .center)] }]
        for (i, k) in (full.tasks ?? []).enumerated() {
            let latest = k.progress.last.map { " " + $0.text } ?? ""
            tasks.append([[P([R(String(i + 1), size: 12)], align: .center)], [P([R(k.title, size: 12)], align: .left)], [P([R(k.leadAgency, size: 12)], align: .left)],
                          [P([R(k.timeFrame, size: 12)], align: .center)], [P([R(k.statusLabel + "." + latest, size: 12)], align: .left)]])
        }
        doc.add(DOCX.Table(widths: [750, 3200, 1950, 1300, 1870], rows: tasks))
        doc.add(P(""))

        let lines = (full.budget ?? []).filter { kind == .annual ? $0.year == year : $0.year <= year }
        if !lines.isEmpty {
            doc.add(P("III. KINH PHÍ THỰC HIỆN", bold: true))
            var money: [[[P]]] = [["Năm", "Nguồn", "Dự kiến (đồng)", "Đã chi (đồng)"].map { [P([R($0, bold: true, size: 12)], align: .center)] }]
            for b in lines {
                money.append([[P([R(String(b.year), size: 12)], align: .center)], [P([R(b.sourceLabel, size: 12)], align: .left)],
                              [P([R(VietnameseFormat.integer(Int(b.planned)), size: 12)], align: .right)], [P([R(VietnameseFormat.integer(Int(b.spent)), size: 12)], align: .right)]])
            }
            let planned = lines.reduce(Int64(0)) { $0 + $1.planned }, spent = lines.reduce(Int64(0)) { $0 + $1.spent }
            money.append([[P([R("Cộng", bold: true, size: 12)], align: .center)], [], [P([R(VietnameseFormat.integer(Int(planned)), bold: true, size: 12)], align: .right)],
                          [P([R(VietnameseFormat.integer(Int(spent)), bold: true, size: 12)], align: .right)]])
            doc.add(DOCX.Table(widths: [1000, 3470, 2300, 2300], rows: money))
            doc.add(P(""))
        }

        // What the bodies the plan's duties name reported for this period, when it names any.
        var numerals = ["III", "IV", "V"].dropFirst(lines.isEmpty ? 0 : 1)
        let period = SubmissionDigest.periodID(kind: kind, year: kind == .final ? plan.toYear : year)
        let edited = try await PlanReportText.query(on: db).filter(\.$planID == plan.requireID()).filter(\.$period == period).first()
        if let digest = try await SubmissionDigest.make(plan, period: period, day: today, db: db, scope: scope) {
            digest.add(to: &doc, number: numerals.removeFirst(), edited: edited)
        }
        doc.add(P(numerals.removeFirst() + ". ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ", bold: true))
        let counts = Dictionary(grouping: board.targets, by: \.status).mapValues(\.count)
        let told = [(TargetStatus.achieved, "đạt"), (.missed, "không đạt"), (.onTrack, "đúng tiến độ"), (.atRisk, "có nguy cơ không đạt"), (.notComputable, "không tính được")]
            .compactMap { status, words in counts[status.rawValue].map { "\($0) chỉ tiêu \(words)" } }
        doc.add(P("Trong \(board.targets.count) chỉ tiêu: \(told.isEmpty ? "chưa có chỉ tiêu nào được đánh giá" : told.joined(separator: ", ")). Kế hoạch: \(full.statusLabel.prefix(1).lowercased() + full.statusLabel.dropFirst()) (ngày \(day.vietnamese)).", indent: true))
        if let words = edited?.assessment, !words.isEmpty {
            for line in words.split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty { doc.add(P(String(line), indent: true)) }
        } else {
            doc.add(P([R("(Đơn vị bổ sung đánh giá, khó khăn, vướng mắc và kiến nghị.)", italic: true)], indent: true))
        }
        doc.add(P(""))
        // Recipients on the left, signature on the right.
        let recipients: [P] = [P([R("Nơi nhận:", bold: true, italic: true, size: 12)], align: .left, spaceAfter: 0),
                               P([R("- \(plan.reportTo ?? "Như trên");\n- Lưu: VT.", size: 11)], align: .left, spaceAfter: 0)]
        let signature: [P] = [P([R("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", bold: true, size: 13)], align: .center, spaceAfter: 0),
                              P([R("\n\n\n\n" + (plan.signer ?? ""), bold: true, size: 13)], align: .center, spaceAfter: 0)]
        doc.add(DOCX.Table(widths: [4535, 4535], rows: [[recipients, signature]], borders: false, header: false))
        return try doc.data()
    }

    package static func respond(_ req: Request) async throws -> Response {
        let plan = try await req.plans().find(req.parameters.get("id", as: UUID.self))
        let year = (req.query["year"] as String?).flatMap { Int($0) } ?? min(req.today.year, plan.toYear)
        guard (plan.fromYear...plan.toYear).contains(year) else {
            throw HamletError.invalid("year", "Năm báo cáo phải trong thời gian của kế hoạch (\(plan.fromYear)–\(plan.toYear)).")
        }
        guard let kind = Kind(rawValue: req.query["kind"] ?? "annual") else { throw HamletError.invalid("kind", "Loại báo cáo: annual, interim hoặc final.") }
        var issued: DayDate?
        if let raw: String = req.query["issuedOn"], !raw.isEmpty {
            guard let day = DayDate(raw) else { throw HamletError.invalid("issuedOn", "Ngày ban hành báo cáo không hợp lệ (dd/MM/yyyy).") }
            issued = day
        }
        let data = try await PlanReport(db: req.db, scope: req.scope).docx(plan, year: year, kind: kind, today: req.today, issuedOn: issued)
        var changes = AuditChanges()
        changes.add("report", nil, "\(kind.rawValue) \(year)")
        try await Audit.record(on: req, action: "export", entity: "plan", entityID: plan.id?.uuidString, scopePath: req.scope.path, changes: changes)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        let name = "bao-cao-" + plan.number.folding(options: .diacriticInsensitive, locale: nil).lowercased()
            .map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined() + "-\(year).docx"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return response
    }
}
