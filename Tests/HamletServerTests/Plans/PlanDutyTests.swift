import XCTest
import XCTVapor
import ZIPFoundation
import Fluent
import HamletKit
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletUnits
@testable import HamletOrganisations
@testable import HamletWorkforce
@testable import HamletPlans

/// Issue 23, points 2 and 3: a plan's reporting duties as data, the expected reports they make,
/// each body's report (draft, sent, returned with a reason, accepted) and the tracker, by hand.
final class PlanDutyTests: XCTestCase {
    struct Scene {
        var plan: UUID; var duty: UUID; var province: UUID; var station: UUID
        var cv: String; var xa: String; var ctv: String
        var base: String { "/api/v1/plans/\(plan)/duties/\(duty)/submissions" }
    }

    /// Plan 588 (2021–2030, An Giang) names two bodies that report to the health department by 30/11
    /// each year: the education department (province) and a commune health station (30292).
    func scene(_ app: Application) async throws -> Scene {
        let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
        let xa = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30292"))
        let ctv = try await app.token(for: try await app.makeUser("ctv", role: .collaborator, scope: "30292"))
        let plan = try await app.makePlan(cv)
        let health = try await app.makeAgency(cv, "Sở Y tế")
        let education = try await app.makeAgency(cv, "Sở Giáo dục và Đào tạo")
        let station = try await app.makeAgency(cv, "Trạm Y tế Phường Bình Đức", unit: "30292")
        var duty: UUID?
        try await app.api(.POST, "/api/v1/plans/\(plan)/duties", token: cv, json: DutyInput(title: "Báo cáo kết quả thực hiện Đề án", reporters: "organisations",
                                                                                           reporterIds: [education, station], recipientId: health, frequency: "yearly", due: "30/11")) { res in
            XCTAssertEqual(res.status, .created, res.body.string)
            duty = try res.json(DutyDTO.self).id
        }
        return Scene(plan: plan, duty: duty!, province: education, station: station, cv: cv, xa: xa, ctv: ctv)
    }

    func testADutyWithoutBodiesOrDueDayIsRefusedByNameAndNothingStored() async throws {
        try await withApp { app in
            let cv = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let plan = try await app.makePlan(cv)
            let health = try await app.makeAgency(cv, "Sở Y tế")
            let outside = try await app.makeAgency(try await app.token(for: try await app.makeUser("th", role: .provinceOfficer, scope: "38")), "Sở Y tế Thanh Hóa", unit: "38")
            let cases: [(DutyInput, String)] = [
                (DutyInput(title: "Báo cáo", reporters: nil, recipientId: health, frequency: "yearly", due: "30/11"), "reporters"),
                (DutyInput(title: "Báo cáo", reporters: "organisations", reporterIds: [], recipientId: health, frequency: "yearly", due: "30/11"), "reporterIds"),
                (DutyInput(title: "Báo cáo", reporters: "communes", recipientId: health, frequency: "yearly", due: ""), "due"),
                (DutyInput(title: "Báo cáo", reporters: "communes", recipientId: health, frequency: "six-monthly", due: "15/6"), "due"),
                (DutyInput(title: "Báo cáo", reporters: "communes", recipientId: health, frequency: "yearly", due: "31/2"), "due"),
                (DutyInput(title: "Báo cáo", reporters: "communes", recipientId: outside, frequency: "yearly", due: "30/11"), "recipientId"),
                (DutyInput(title: "", reporters: "communes", recipientId: health, frequency: "yearly", due: "30/11"), "title"),
            ]
            for (input, field) in cases {
                try await app.api(.POST, "/api/v1/plans/\(plan)/duties", token: cv, json: input) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, field)
                    XCTAssertEqual(res.errorField, field)
                }
            }
            let stored = try await PlanDuty.query(on: app.db).count()
            XCTAssertEqual(stored, 0)
            // The six-monthly duty with its two days makes two periods a year, each with its day.
            try await app.api(.POST, "/api/v1/plans/\(plan)/duties", token: cv, json: DutyInput(title: "Báo cáo 6 tháng", reporters: "communes", recipientId: health,
                                                                                               frequency: "six-monthly", due: "15/6; 15/12")) { XCTAssertEqual($0.status, .created) }
            let communes = try await AdminUnit.query(on: app.db).filter(\.$structure == "2025").filter(\.$level == .commune)
                .filter(\.$parentCode == "91").filter(\.$closedOn == nil).count()
            try await app.api(.GET, "/api/v1/plans/\(plan)/tracker?date=05/07/2021", token: cv) { res in
                let items = try res.json(TrackerDTO.self).items
                XCTAssertEqual(items.count, 2 * communes, "2021S1 and 2021S2 for every commune of the province")
                XCTAssertEqual(Set(items.map(\.due)), ["2021-06-15", "2021-12-15"])
                XCTAssertEqual(Set(items.filter { $0.state == "missing" }.map(\.period)), ["2021S1"])
                XCTAssertEqual(Set(items.filter { $0.state == "due" }.map(\.period)), ["2021S2"])
            }
        }
    }

    /// Each step by hand: a late report, one returned (not without a reason) and accepted, the
    /// rest missing; the tracker's counts are those of its own list, and each side sees its part.
    func testSubmissionsAndTheTracker() async throws {
        try await withApp { app in
            let s = try await scene(app)
            let body = SubmissionInput(results: "Đã tập huấn cho 40 cộng tác viên.", limits: "Thiếu kinh phí.", submit: true)
            // The commune's station sends its 2026 report after the due day: late.
            try await app.api(.PUT, "\(s.base)/2026/\(s.station)", token: s.xa, json: body) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let dto = try res.json(SubmissionDTO.self)
                XCTAssertEqual(dto.status, "submitted"); XCTAssertTrue(dto.late); XCTAssertEqual(dto.firstSubmittedOn, "2026-12-05")
            }
            // Sent, it cannot be changed; the commune cannot accept it; a collaborator cannot write.
            try await app.api(.PUT, "\(s.base)/2026/\(s.station)", token: s.xa, json: body) { XCTAssertEqual($0.status, .conflict) }
            try await app.api(.POST, "\(s.base)/2026/\(s.station)/accept", token: s.xa) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.PUT, "\(s.base)/2025/\(s.station)", token: s.ctv, json: body) { XCTAssertEqual($0.status, .forbidden) }
            // The commune cannot write the province department's report, nor see it.
            try await app.api(.PUT, "\(s.base)/2025/\(s.province)", token: s.xa, json: body) { XCTAssertEqual($0.status, .notFound) }
            // A body or period the duty does not name is refused by name.
            try await app.api(.PUT, "\(s.base)/2025/30280", token: s.cv, json: body) { XCTAssertEqual($0.errorField, "body") }
            try await app.api(.PUT, "\(s.base)/2031/\(s.province)", token: s.cv, json: body) { XCTAssertEqual($0.errorField, "period") }
            // The department sends its 2025 report on 20/11/2025, on time.
            HamletClock.shared.set(DayDate(year: 2025, month: 11, day: 20)!.noon)
            try await app.api(.PUT, "\(s.base)/2025/\(s.province)", token: s.cv, json: body) { XCTAssertEqual(try $0.json(SubmissionDTO.self).late, false) }
            // Returned: never without a reason, and nothing changes when refused.
            try await app.api(.POST, "\(s.base)/2025/\(s.province)/return", token: s.cv, json: ReasonInput(reason: " ")) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "reason")
            }
            try await app.api(.POST, "\(s.base)/2025/\(s.province)/return", token: s.cv, json: ReasonInput(reason: "Thiếu số liệu kinh phí")) { res in
                XCTAssertEqual(try res.json(SubmissionDTO.self).status, "returned")
            }
            HamletClock.shared.set(testMoment)
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/tracker?period=2025", token: s.cv) { res in
                let row = try res.json(TrackerDTO.self).items.first { $0.body == s.province.uuidString }
                XCTAssertEqual(row?.state, "returned"); XCTAssertEqual(row?.returnReason, "Thiếu số liệu kinh phí")
            }
            // Sent again and accepted: on time still, since the first sending was.
            try await app.api(.PUT, "\(s.base)/2025/\(s.province)", token: s.cv, json: SubmissionInput(results: "Bổ sung số liệu kinh phí.", submit: true)) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
            }
            try await app.api(.POST, "\(s.base)/2025/\(s.province)/accept", token: s.cv) { XCTAssertEqual(try $0.json(SubmissionDTO.self).status, "accepted") }
            // The province's tracker on 05/12/2026: years 2021–2026 for two bodies, twelve reports.
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/tracker", token: s.cv) { res in
                let t = try res.json(TrackerDTO.self)
                XCTAssertEqual(t.items.count, 12)
                for state in TrackState.allCases { XCTAssertEqual(t.counts[state.rawValue], t.items.filter { $0.state == state.rawValue }.count, state.rawValue) }
                XCTAssertEqual(t.counts["accepted"], 1); XCTAssertEqual(t.counts["late"], 1); XCTAssertEqual(t.counts["missing"], 10); XCTAssertEqual(t.counts["due"], 0)
            }
            // The commune sees its station's six rows only.
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/tracker", token: s.xa) { res in
                let t = try res.json(TrackerDTO.self)
                XCTAssertEqual(Set(t.items.map(\.body)), [s.station.uuidString]); XCTAssertEqual(t.items.count, 6)
            }
            // The start pages: the commune is told its 2025 report is overdue (its 2026 one was sent);
            // the province sees one report waiting and one department missing for 2026.
            let communeWork = try await app.myWork(s.xa).filter { $0.kind == "plan-report" }
            XCTAssertEqual(communeWork.map(\.state), ["missing"])
            XCTAssertTrue(communeWork.first?.title.hasSuffix("— Năm 2025") ?? false, "\(communeWork)")
            let provinceWork = try await app.myWork(s.cv).filter { $0.kind.hasPrefix("plan-") && $0.detail.hasSuffix("Năm 2026") }
            XCTAssertEqual(Set(provinceWork.map(\.title)), ["1 báo cáo chờ tiếp nhận — 588/QĐ-UBND", "1 đơn vị chưa gửi — 588/QĐ-UBND"])
            // The province's 2025 report gathers them: who sent and when, and the accepted report's text.
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/report?year=2025", token: s.cv) { res in
                XCTAssertEqual(res.status, .ok)
                let archive = try Archive(data: Data(buffer: res.body), accessMode: .read)
                var data = Data()
                _ = try archive.extract(archive["word/document.xml"]!) { data.append($0) }
                let xml = String(decoding: data, as: UTF8.self)
                for text in ["III. TỔNG HỢP BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ", "Có 2 báo cáo phải gửi: 1 quá hạn, chưa gửi, 1 đã tiếp nhận.",
                             "Trạm Y tế Phường Bình Đức", "20/11/2025", "1. Kết quả thực hiện", "Sở Giáo dục và Đào tạo: ", "Bổ sung số liệu kinh phí.",
                             "IV. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ"] {
                    XCTAssertTrue(xml.contains(text), text)
                }
                XCTAssertFalse(xml.contains("Thiếu kinh phí."), "a returned report's first text is not gathered")
            }
            // Every step is in the audit log.
            let actions = try await AuditEntry.query(on: app.db).filter(\.$entity == "plan_submission").all().map(\.action)
            XCTAssertEqual(actions.sorted(), ["accept", "return", "submit", "submit", "submit"])
        }
    }

    /// The pages: a duty added (a bad day refused beside its field), the commune writing and
    /// sending its report, the province returning it (not without a reason), the tracker's counts.
    func testThePages() async throws {
        try await withApp { app in
            let s = try await scene(app)
            var province = try await app.login("cv")
            try await app.page(.POST, "/plans/\(s.plan)/duties", as: &province, form: ["title": "Báo cáo 6 tháng", "reporters": "communes",
                                                                                   "recipientId": s.province.uuidString, "frequency": "six-monthly", "due": "15/6"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"id="due" name="due" value="15/6" placeholder="30/11" required aria-invalid="true""#), res.body.string)
                XCTAssertTrue(res.body.string.contains("Cần đúng 2 hạn, cách nhau bởi dấu chấm phẩy"))
            }
            let duties = try await PlanDuty.query(on: app.db).count()
            XCTAssertEqual(duties, 1)
            var commune = try await app.login("xa")
            let page = "/plans/\(s.plan)/duties/\(s.duty)/2026/\(s.station)"
            try await app.page(.GET, page, as: &commune) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(res.page.text(id: "sub-body"), "Trạm Y tế Phường Bình Đức")
                XCTAssertTrue(res.body.string.contains(#"id="send""#), "the commune may send it")
            }
            try await app.page(.POST, page, as: &commune, form: ["results": "", "version": "0", "action": "submit"]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"data-field="results">Cần phần kết quả thực hiện trước khi gửi.</p>"#), res.body.string)
            }
            try await app.page(.POST, page, as: &commune, form: ["results": "Đã họp giao ban 12 lần.", "version": "0", "action": "submit"]) { res in
                XCTAssertEqual(res.status, .seeOther)
            }
            try await app.page(.GET, page, as: &commune) { res in
                XCTAssertTrue(res.body.string.contains(#"id="sub-status">Đã gửi</span> · gửi muộn"#), res.body.string)
                XCTAssertFalse(res.body.string.contains(#"id="send""#), "sent, it is read only")
            }
            try await app.page(.POST, page + "/decide", as: &province, form: ["action": "return", "reason": ""]) { res in
                XCTAssertEqual(res.status, .unprocessableEntity)
                XCTAssertTrue(res.body.string.contains(#"name="reason" rows="2" maxlength="1000" aria-invalid="true""#))
            }
            try await app.page(.POST, page + "/decide", as: &province, form: ["action": "return", "reason": "Thiếu số liệu"]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.GET, "/plans/\(s.plan)/duties?period=2026", as: &province) { res in
                let counts = res.page.texts("li")
                XCTAssertTrue(counts.contains("Bị trả lại: 1"), res.body.string)
                XCTAssertTrue(counts.contains("Quá hạn, chưa gửi: 1"), "\(counts)")
                XCTAssertTrue(res.page.texts("small").contains("Thiếu số liệu"))
            }
        }
    }

    /// A signed scan on the report: a PDF attached through the API and a page's form, read back
    /// byte for byte by those who see the report; a file that is not one is refused; nothing is
    /// added or removed once the report is sent; another province sees nothing.
    func testAttachments() async throws {
        try await withApp { app in
            let s = try await scene(app)
            let th = try await app.token(for: try await app.makeUser("th", role: .provinceOfficer, scope: "38"))
            let pdf = Data("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)
            func send(_ data: Data, _ name: String, token: String, _ check: (XCTHTTPResponse) async throws -> Void) async throws {
                try await app.test(.POST, "\(s.base)/2026/\(s.station)/attachments?name=\(name)", beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: token)
                    req.headers.contentType = HTTPMediaType(type: "application", subType: "octet-stream")
                    req.body = ByteBuffer(data: data)
                }, afterResponse: { res async throws in try await check(res) })
            }
            try await send(Data("xin chào".utf8), "ghi-chu.txt", token: s.xa) { res in
                XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, "file")
            }
            try await send(pdf, "bao-cao.pdf", token: s.ctv) { XCTAssertEqual($0.status, .forbidden) }
            var id: UUID?
            try await send(pdf, "bao-cao-ky.pdf", token: s.xa) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                id = try res.json(AttachmentDTO.self).id
            }
            // The page's form, with its token among the parts.
            var commune = try await app.login("xa")
            let page = "/plans/\(s.plan)/duties/\(s.duty)/2026/\(s.station)"
            try await app.page(.GET, page, as: &commune) { XCTAssertTrue($0.body.string.contains(#"id="file-form""#)) }
            try await app.pageUpload(page + "/attachments", as: &commune, filename: "ban-ky.pdf", contentType: "application/pdf", data: pdf) {
                XCTAssertEqual($0.status, .seeOther, $0.body.string)
            }
            try await app.page(.GET, page, as: &commune) { res in
                XCTAssertTrue(res.body.string.contains(">bao-cao-ky.pdf</a>"), res.body.string)
                XCTAssertTrue(res.body.string.contains(">ban-ky.pdf</a>"))
            }
            // Read back as sent, by the province; not by Thanh Hóa.
            try await app.api(.GET, "\(s.base)/2026/\(s.station)/attachments/\(id!)", token: s.cv) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertEqual(Data(buffer: res.body), pdf)
                XCTAssertEqual(res.headers.contentType?.description, "application/pdf")
            }
            try await app.api(.GET, "\(s.base)/2026/\(s.station)/attachments/\(id!)", token: th) { XCTAssertEqual($0.status, .notFound) }
            // Sent: the files stay as they are.
            try await app.api(.PUT, "\(s.base)/2026/\(s.station)", token: s.xa, json: SubmissionInput(results: "Kết quả", submit: true)) { XCTAssertEqual($0.status, .ok) }
            try await send(pdf, "them.pdf", token: s.xa) { XCTAssertEqual($0.status, .conflict) }
            try await app.api(.DELETE, "\(s.base)/2026/\(s.station)/attachments/\(id!)", token: s.xa) { XCTAssertEqual($0.status, .conflict) }
            try await app.api(.GET, "\(s.base)/2026/\(s.station)", token: s.cv) { res in
                XCTAssertEqual(try res.json(SubmissionDTO.self).files.map(\.filename), ["ban-ky.pdf", "bao-cao-ky.pdf"])
            }
        }
    }

    /// The figures a report carries are the plan's targets at the body's own unit on the period's
    /// last day, as a hand count from the register gives them; a note sits beside, the number stays.
    func testFiguresArePrefilledFromTheRegisterAtThePeriodsEnd() async throws {
        try await withApp { app in
            let s = try await scene(app)
            _ = try await app.seedPeople(4, unit: "30292", start: "2020-01-01")
            _ = try await app.seedPeople(2, unit: "30292", start: "2026-03-01", prefix: "Người Mới")
            let other = try await app.communes(of: "91", count: 3).first { $0 != "30292" }!
            _ = try await app.seedPeople(3, unit: other, start: "2020-01-01", prefix: "Xã Khác")
            let indicator = try await app.makeIndicator(s.cv, "AG-DT", IndicatorDefinition(kind: .trainedShare))
            try await app.api(.POST, "/api/v1/plans/\(s.plan)/targets", token: s.cv,
                              json: TargetInput(indicatorId: indicator, unitCode: "91", stages: [.init(deadline: "31/12/2030", value: 60)])) { XCTAssertEqual($0.status, .created) }
            // By hand: at work in the commune on 31/12/2025, from the register's own list.
            var atWork = 0
            try await app.api(.GET, "/api/v1/people?unit=30292&activeOn=31/12/2025", token: s.cv) { atWork = try $0.json(ListBody<PersonDTO>.self).total }
            XCTAssertEqual(atWork, 4)
            let input = SubmissionInput(results: "Kết quả", notes: ["AG-DT": "Chưa mở được lớp trong năm."], submit: false)
            try await app.api(.PUT, "\(s.base)/2025/\(s.station)", token: s.xa, json: input) { res in
                let dto = try res.json(SubmissionDTO.self)
                XCTAssertEqual(dto.figuresAsOf, "2025-12-31")
                XCTAssertEqual(dto.figures.map(\.code), ["AG-DT"])
                XCTAssertEqual(dto.figures.first?.denominator, Double(atWork))
                XCTAssertEqual(dto.figures.first?.numerator, 0)
                XCTAssertEqual(dto.figures.first?.value, "0,0%")
                XCTAssertEqual(dto.figures.first?.note, "Chưa mở được lớp trong năm.")
                XCTAssertEqual(dto.status, "draft")
            }
            // What the commune did of the plan's activities in 2025 joins the figures, as its list counts it.
            func record(_ input: ActivityInput) async throws {
                try await app.api(.POST, "/api/v1/plans/\(s.plan)/activities", token: s.cv, json: input) { XCTAssertEqual($0.status, .created, $0.body.string) }
            }
            try await record(ActivityInput(kind: "event", title: "Ngày Công tác xã hội", heldOn: "25/03/2025", unitCode: "30292", male: 10, female: 15))
            try await record(ActivityInput(kind: "supervision", title: "Giám sát", heldOn: "10/05/2025", unitCode: "30292", male: 1, female: 2,
                                           followUps: [FollowUpInput(text: "Cập nhật sổ", dueOn: "30/06/2025"), FollowUpInput(text: "Bổ sung", dueOn: "15/01/2026")]))
            try await record(ActivityInput(kind: "event", title: "Năm sau", heldOn: "25/03/2026", unitCode: "30292", male: 5))
            try await record(ActivityInput(kind: "event", title: "Xã khác", heldOn: "25/03/2025", unitCode: other, male: 7))
            var listed: [ActivityDTO] = []
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/activities?year=2025", token: s.xa) { listed = try $0.json([ActivityDTO].self) }
            try await app.api(.PUT, "\(s.base)/2025/\(s.station)", token: s.xa, json: SubmissionInput(results: "Kết quả", notes: ["HD-event": "Kết hợp Ngày Gia đình"])) { res in
                let figures = try res.json(SubmissionDTO.self).figures
                XCTAssertEqual(figures.map(\.code), ["AG-DT", "HD-event", "HD-supervision", "HD-NGUOI", "HD-VIEC"])
                XCTAssertEqual(figures[1].numerator, Double(listed.filter { $0.kind == "event" }.count))
                XCTAssertEqual(figures[1].note, "Kết hợp Ngày Gia đình")
                XCTAssertEqual(figures[3].numerator, Double(listed.reduce(0) { $0 + $1.participants }))
                XCTAssertEqual(figures[3].value, "28")
                XCTAssertEqual(figures[4].value, "0/1", "one follow-up due in 2025, not closed")
            }
        }
    }
    /// The tracker across plans counts what each plan's tracker lists, for the period that last fell due.
    func testTheTrackerAcrossPlans() async throws {
        try await withApp { app in
            let s = try await scene(app)
            try await app.api(.PUT, "\(s.base)/2026/\(s.station)", token: s.xa, json: SubmissionInput(results: "Đã tập huấn.", submit: true)) { XCTAssertEqual($0.status, .ok) }
            var plan: TrackerDTO?
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/tracker?period=2026", token: s.cv) { plan = try $0.json(TrackerDTO.self) }
            try await app.api(.GET, "/api/v1/tracker", token: s.cv) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let t = try res.json(PlansTracker.Result.self)
                XCTAssertEqual(t.lines.map(\.period), ["2026"], "30/11/2026 fell due; nothing else falls due within a month")
                for state in TrackState.allCases {
                    XCTAssertEqual(t.lines[0].counts[state.rawValue], plan!.items.filter { $0.state == state.rawValue }.count, state.rawValue)
                    XCTAssertEqual(t.counts[state.rawValue], t.lines.reduce(0) { $0 + ($1.counts[state.rawValue] ?? 0) })
                }
                XCTAssertEqual([t.counts["late"], t.counts["missing"]], [1, 1])
                XCTAssertEqual(t.items.count, 0, "no state asked, no list")
            }
            try await app.api(.GET, "/api/v1/tracker?state=missing", token: s.cv) { res in
                XCTAssertEqual(try res.json(PlansTracker.Result.self).items.map(\.body), [s.province.uuidString])
            }
            try await app.api(.GET, "/api/v1/tracker?date=01/12/2025", token: s.xa) { res in
                let t = try res.json(PlansTracker.Result.self)
                XCTAssertEqual(t.lines.map(\.period), ["2025"])
                XCTAssertEqual(t.counts["missing"], 1, "the commune sees its own station only")
            }
            try await app.api(.GET, "/api/v1/tracker?state=lost", token: s.cv) { XCTAssertEqual($0.errorField, "state") }
            var browser = try await app.login("cv")
            try await app.page(.GET, "/plans/tracker?state=missing", as: &browser) { res in
                XCTAssertEqual(res.status, .ok)
                XCTAssertTrue(res.body.string.contains("id=\"tracker-lines\""))
                XCTAssertTrue(res.body.string.contains("Sở Giáo dục và Đào tạo"), res.body.string)
            }
        }
    }

    /// Point 5: the province's report assembled from the accepted reports, edited on the page, exported as edited.
    func testTheProvinceEditsTheAssembledReport() async throws {
        try await withApp { app in
            let s = try await scene(app)
            HamletClock.shared.set(DayDate(year: 2025, month: 11, day: 20)!.noon)
            try await app.api(.PUT, "\(s.base)/2025/\(s.province)", token: s.cv, json: SubmissionInput(results: "Đã tập huấn 40 cộng tác viên.", submit: true)) { XCTAssertEqual($0.status, .ok) }
            try await app.api(.POST, "\(s.base)/2025/\(s.province)/accept", token: s.cv) { XCTAssertEqual($0.status, .ok) }
            HamletClock.shared.set(testMoment)
            let path = "/api/v1/plans/\(s.plan)/report-text?year=2025"
            try await app.api(.GET, path, token: s.cv) { res in
                let t = try res.json(ReportTextDTO.self)
                XCTAssertEqual(t.sections.first { $0.key == "results" }?.text, "Sở Giáo dục và Đào tạo: Đã tập huấn 40 cộng tác viên.")
                XCTAssertEqual([t.version, t.edited ? 1 : 0, t.mayEdit ? 1 : 0], [0, 0, 1])
            }
            try await app.api(.GET, path, token: s.xa) { XCTAssertEqual(try $0.json(ReportTextDTO.self).mayEdit, false) }
            let edit = ReportTextInput(results: "Toàn tỉnh đã tập huấn 40 cộng tác viên.\nCác xã đều có cộng tác viên.", assessment: "Đạt kế hoạch năm.", version: 0)
            try await app.api(.PUT, path, token: s.xa, json: edit) { XCTAssertEqual($0.status, .forbidden) }
            try await app.api(.PUT, path, token: s.cv, json: edit) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(ReportTextDTO.self).version, 1)
            }
            // Saved over a newer version: refused, nothing changed.
            try await app.api(.PUT, path, token: s.cv, json: ReportTextInput(results: "Cũ", version: 0)) { res in
                XCTAssertEqual(res.status, .conflict); XCTAssertEqual(res.errorField, "version")
            }
            try await app.api(.GET, "/api/v1/plans/\(s.plan)/report?year=2025", token: s.cv) { res in
                let archive = try Archive(data: Data(buffer: res.body), accessMode: .read)
                var data = Data()
                _ = try archive.extract(archive["word/document.xml"]!) { data.append($0) }
                let xml = String(decoding: data, as: UTF8.self)
                for text in ["Toàn tỉnh đã tập huấn 40 cộng tác viên.", "Các xã đều có cộng tác viên.", "Đạt kế hoạch năm."] { XCTAssertTrue(xml.contains(text), text) }
                XCTAssertFalse(xml.contains("Sở Giáo dục và Đào tạo: "), "the gathered wording gives way to the edited one")
                XCTAssertFalse(xml.contains("Đơn vị bổ sung đánh giá"), "the assessment replaces the placeholder")
            }
            // The page: a stale save keeps what was typed; going back to the gathered texts.
            var browser = try await app.login("cv")
            try await app.page(.POST, "/plans/\(s.plan)/report-text?year=2025&kind=annual", as: &browser, form: ["results": "Bản của tôi", "version": "0"]) { res in
                XCTAssertEqual(res.status, .conflict)
                XCTAssertTrue(res.body.string.contains(">Bản của tôi</textarea>"), res.body.string)
            }
            try await app.page(.POST, "/plans/\(s.plan)/report-text/reset?year=2025&kind=annual", as: &browser, form: [:]) { XCTAssertEqual($0.status, .seeOther) }
            try await app.page(.GET, "/plans/\(s.plan)/report-text?year=2025", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("Sở Giáo dục và Đào tạo: Đã tập huấn 40 cộng tác viên."), res.body.string)
                XCTAssertTrue(res.body.string.contains("id=\"sender-rows\""))
            }
            let actions = try await AuditEntry.query(on: app.db).filter(\.$entity == "plan-report-text").all().map(\.action).sorted()
            XCTAssertEqual(actions, ["create", "delete"])
        }
    }

    /// Point 2: a duty's template names the sections and the targets' figures its reports hold.
    func testADutysTemplateShapesItsReports() async throws {
        try await withApp { app in
            let s = try await scene(app)
            let health = try await Organisation.query(on: app.db).filter(\.$name == "Sở Y tế").first()!.requireID()
            for code in ["AG-DT", "AG-SL"] {
                let indicator = try await app.makeIndicator(s.cv, code, IndicatorDefinition(kind: .trainedShare))
                try await app.api(.POST, "/api/v1/plans/\(s.plan)/targets", token: s.cv,
                                  json: TargetInput(indicatorId: indicator, unitCode: "91", stages: [.init(deadline: "31/12/2030", value: 60)])) { XCTAssertEqual($0.status, .created) }
            }
            func duty(_ sections: [String]?, _ figures: [String]?) -> DutyInput {
                DutyInput(title: "Báo cáo nhanh", reporters: "communes", recipientId: health, frequency: "yearly", due: "15/12", sections: sections, figures: figures)
            }
            for (input, field) in [(duty(["limits"], nil), "sections"), (duty(["results", "hocTap"], nil), "sections"), (duty(nil, ["AG-DT", "KHONG-CO"]), "figures")] {
                try await app.api(.POST, "/api/v1/plans/\(s.plan)/duties", token: s.cv, json: input) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity); XCTAssertEqual(res.errorField, field, res.body.string)
                }
            }
            let stored = try await PlanDuty.query(on: app.db).count()
            XCTAssertEqual(stored, 1, "only the scene's duty")
            var id: UUID?
            try await app.api(.POST, "/api/v1/plans/\(s.plan)/duties", token: s.cv, json: duty(["proposals", "results"], ["AG-DT"])) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
                let d = try res.json(DutyDTO.self)
                XCTAssertEqual(d.sections, ["results", "proposals"]); XCTAssertEqual(d.figures, ["AG-DT"])
                id = d.id
            }
            let path = "/api/v1/plans/\(s.plan)/duties/\(id!)/submissions/2025/30292"
            try await app.api(.PUT, path, token: s.xa, json: SubmissionInput(results: "Đã làm", limits: "Không hỏi phần này", proposals: "Đề nghị thêm kinh phí")) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let dto = try res.json(SubmissionDTO.self)
                XCTAssertEqual(dto.figures.map(\.code), ["AG-DT"], "the figures the template asks for only")
                XCTAssertEqual([dto.results, dto.limits, dto.proposals], ["Đã làm", "", "Đề nghị thêm kinh phí"])
            }
            var browser = try await app.login("xa")
            try await app.page(.GET, "/plans/\(s.plan)/duties/\(id!)/2025/30292", as: &browser) { res in
                XCTAssertTrue(res.body.string.contains("id=\"f-proposals\""))
                XCTAssertFalse(res.body.string.contains("id=\"f-limits\""), "a section not asked is not offered")
            }
        }
    }
}

extension DayDate {
    /// Midday in Việt Nam on this day, for moving the one clock.
    var noon: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = VietnameseFormat.vietnam
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }

}
