import XCTest
import XCTVapor
import Fluent
@testable import HamletServer
@testable import HamletWeb
@testable import HamletAudit
@testable import HamletWorkforce
@testable import HamletTraining

/// Courses, classes, enrolment, results and certificates, through the API.
final class TrainingTests: XCTestCase {
    func testBadCoursesAndClassesAreRefusedByFieldAndNothingStored() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            for (body, field) in [(CourseInput(name: "", kind: "tap-huan", domains: ["population"], hours: 8), "name"),
                                  (CourseInput(name: "Kỹ năng", kind: "hoc-vui", domains: ["population"], hours: 8), "kind"),
                                  (CourseInput(name: "Cử nhân CTXH", kind: "dao-tao", domains: ["social-work"], hours: 8), "level"),
                                  (CourseInput(name: "Kỹ năng", kind: "tap-huan", level: "dai-hoc", domains: ["population"], hours: 8), "level"),
                                  (CourseInput(name: "Kỹ năng", kind: "tap-huan", domains: ["thien-van"], hours: 8), "domains"),
                                  (CourseInput(name: "Kỹ năng", kind: "tap-huan", domains: ["population"], hours: 0), "hours")] {
                try await app.api(.POST, "/api/v1/courses", token: token, json: body) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, "\(field): \(res.body.string)")
                    XCTAssertEqual(res.errorField, field)
                }
            }
            let courseCount = try await Course.query(on: app.db).count()
            XCTAssertEqual(courseCount, 0)
            let course = try await app.makeCourse(token, "Kỹ năng tư vấn", kind: "tap-huan")
            let organiser = try await app.makeAgency(token, "Sở Y tế An Giang")
            let good = ClassBody(courseId: course, organiserId: organiser, unitCode: "91", startDate: "01/03/2025", endDate: "05/03/2025")
            var cases: [(ClassBody, String)] = []
            var b = good; b.endDate = "28/02/2025"; cases.append((b, "endDate"))
            b = good; b.budget = [BudgetInput(source: "central", planned: -5, spent: 0)]; cases.append((b, "budget.central.planned"))
            b = good; b.budget = [BudgetInput(source: "quy-rieng", planned: 5, spent: 0)]; cases.append((b, "budget"))
            b = good; b.organiserId = UUID(); cases.append((b, "organiserId"))
            b = good; b.courseId = UUID(); cases.append((b, "courseId"))
            b = good; b.unitCode = "01"; cases.append((b, "unitCode"))
            b = good; b.status = "finished"; b.startDate = "01/03/2099"; b.endDate = "02/03/2099"; cases.append((b, "status"))
            for (body, field) in cases {
                try await app.api(.POST, "/api/v1/classes", token: token, json: body) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, "\(field): \(res.body.string)")
                    XCTAssertEqual(res.errorField, field)
                }
            }
            // A budget that is not a number at all is refused by field as well.
            try await app.api(.POST, "/api/v1/classes", token: token,
                              json: RawBudgetBody(courseId: course, organiserId: organiser, unitCode: "91", startDate: "01/03/2025", endDate: "05/03/2025",
                                                  budget: [["source": "local", "planned": "bảy trăm triệu"]])) { res in
                XCTAssertEqual(res.status, .badRequest)
                XCTAssertEqual(res.errorField, "planned")
            }
            let classCount = try await TrainingClass.query(on: app.db).count()
            let lineCount = try await ClassBudgetLine.query(on: app.db).count()
            XCTAssertEqual(classCount + lineCount, 0)
            // A good one, with its budget.
            var ok = good; ok.budget = [BudgetInput(source: "local", planned: 50_000_000, spent: 48_500_000)]
            let id = try await app.makeClass(token, ok)
            try await app.api(.GET, "/api/v1/classes/\(id)", token: token) { res in
                let c = try res.json(ClassDTO.self)
                XCTAssertEqual(c.course.name, "Kỹ năng tư vấn")
                XCTAssertEqual(c.organiserName, "Sở Y tế An Giang")
                XCTAssertEqual(c.budget.map(\.spent), [48_500_000])
            }
        }
    }

    func testEnrolmentResultsAndCertificates() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let course = try await app.makeCourse(token, "Kỹ năng tư vấn", kind: "tap-huan")
            let organiser = try await app.makeAgency(token, "Sở Y tế An Giang")
            try await app.api(.PUT, "/api/v1/certificate-series/\(organiser)", token: token, json: JSON(["pattern": "{n}/{year}/GCN-SYT"])) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                XCTAssertEqual(try res.json(TrainingAPI.SeriesDTO.self).example, "0001/2026/GCN-SYT")
            }
            let klass = try await app.makeClass(token, ClassBody(courseId: course, organiserId: organiser, unitCode: "91",
                                                                 startDate: "01/03/2025", endDate: "05/03/2025", capacity: 4))
            let active = try await app.seedPeople(3, unit: "30292")
            let left = try await app.seedPeople(1, unit: "30292", start: "2010-01-01", end: "2024-12-31", prefix: "Đã Nghỉ")
            let family = try await app.seedPeople(2, unit: "30313", domains: [.family], prefix: "Gia Đình")
            let elsewhere = try await app.seedPeople(1, unit: "00004", prefix: "Hà Nội")
            try await app.api(.POST, "/api/v1/classes/\(klass)/participants", token: token, json: TrainingAPI.EnrolInput(personId: active[0])) { res in
                XCTAssertEqual(res.status, .created, res.body.string)
            }
            for (person, why) in [(active[0], "twice"), (left[0], "left before the class"), (elsewhere[0], "outside the scope"), (UUID(), "unknown")] {
                try await app.api(.POST, "/api/v1/classes/\(klass)/participants", token: token, json: TrainingAPI.EnrolInput(personId: person)) { res in
                    XCTAssertEqual(res.status, .unprocessableEntity, why)
                    XCTAssertEqual(res.errorField, "personId", why)
                }
            }
            // Everyone active in the commune doing population work: two more; the one who left is not taken.
            try await app.api(.POST, "/api/v1/classes/\(klass)/participants/bulk", token: token,
                              json: BulkEnrolInput(unitCode: "30292", domains: ["population"], kinds: ["cong-tac-vien"])) { res in
                XCTAssertEqual(try res.json(TrainingAPI.BulkResult.self).enrolled, 2)
                XCTAssertEqual(try res.json(TrainingAPI.BulkResult.self).alreadyEnrolled, 1)
            }
            // Capacity 4: two more family workers would make 5.
            try await app.api(.POST, "/api/v1/classes/\(klass)/participants/bulk", token: token,
                              json: BulkEnrolInput(unitCode: "30313", domains: ["family"])) { res in
                XCTAssertEqual(res.errorField, "capacity")
            }
            try await app.api(.POST, "/api/v1/classes/\(klass)/participants", token: token, json: TrainingAPI.EnrolInput(personId: family[0])) { res in
                XCTAssertEqual(res.status, .created)
            }
            // Results: all stored or none. A result for someone not enrolled spoils the batch.
            try await app.api(.POST, "/api/v1/classes/\(klass)/results", token: token,
                              json: [ResultInput(personId: active[0], result: "completed", score: 8.5), ResultInput(personId: family[1], result: "completed")]) { res in
                XCTAssertEqual(res.errorField, "personId")
            }
            let noResults = try await Participation.query(on: app.db).filter(\.$result != nil).count()
            XCTAssertEqual(noResults, 0)
            try await app.api(.POST, "/api/v1/classes/\(klass)/results", token: token,
                              json: [ResultInput(personId: active[0], result: "completed", score: 11)]) { XCTAssertEqual($0.errorField, "score") }
            try await app.api(.POST, "/api/v1/classes/\(klass)/results", token: token,
                              json: [ResultInput(personId: active[1], result: "absent", certificateNumber: "X-1")]) { XCTAssertEqual($0.errorField, "certificateNumber") }
            try await app.api(.POST, "/api/v1/classes/\(klass)/results", token: token,
                              json: [ResultInput(personId: active[0], attended: 5, result: "completed", score: 8.5, issueCertificate: true),
                                     ResultInput(personId: active[1], result: "completed", issueCertificate: true),
                                     ResultInput(personId: active[2], result: "not-completed"),
                                     ResultInput(personId: family[0], result: "completed", certificateNumber: "0002/2025/GCN-SYT")]) { res in
                XCTAssertEqual(res.status, .ok, res.body.string)
                let rows = try res.json(ListBody<ParticipantDTO>.self).items
                let numbers = Dictionary(uniqueKeysWithValues: rows.map { ($0.personId, $0.certificateNumber) })
                XCTAssertEqual(numbers[family[0]], "0002/2025/GCN-SYT")
                // The series skips the number already used by hand.
                XCTAssertEqual(Set([numbers[active[0]], numbers[active[1]]]), ["0001/2025/GCN-SYT", "0003/2025/GCN-SYT"])
                XCTAssertNil(numbers[active[2]] ?? nil)
            }
            // The same number for another learner of the same organiser is refused.
            try await app.api(.POST, "/api/v1/classes/\(klass)/results", token: token,
                              json: [ResultInput(personId: active[2], result: "completed", certificateNumber: "0002/2025/GCN-SYT")]) { res in
                XCTAssertEqual(res.errorField, "certificateNumber")
            }
            try await app.api(.GET, "/api/v1/people/\(active[0])/training", token: token) { res in
                let items = try res.json(ListBody<HistoryDTO>.self).items
                XCTAssertEqual(items.map(\.course), ["Kỹ năng tư vấn"])
                XCTAssertEqual(items.first?.resultLabel, "Hoàn thành")
            }
            // The registry filters by "trained".
            try await app.api(.GET, "/api/v1/people?trained=yes&unit=30292", token: token) { res in
                XCTAssertEqual(Set(try res.json(ListBody<PersonDTO>.self).items.compactMap(\.id)), [active[0], active[1]])
            }
            try await app.api(.GET, "/api/v1/people?trained=no&unit=30292&activeOn=01/06/2025", token: token) { res in
                XCTAssertEqual(try res.json(ListBody<PersonDTO>.self).items.compactMap(\.id), [active[2]])
            }
            let audits = try await AuditEntry.query(on: app.db).filter(\.$entity == "participation").count()
            XCTAssertGreaterThanOrEqual(audits, 6)
        }
    }

    /// A commune officer sees a provincial class that enrolled their people, and only those.
    func testScopeOnEveryTrainingRoute() async throws {
        try await withApp { app in
            let province = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let commune = try await app.token(for: try await app.makeUser("xa", role: .communeOfficer, scope: "30292"))
            let other = try await app.token(for: try await app.makeUser("hn", role: .provinceOfficer, scope: "01"))
            let course = try await app.makeCourse(province, "Kỹ năng tư vấn", kind: "tap-huan")
            let organiser = try await app.makeAgency(province, "Sở Y tế An Giang")
            let klass = try await app.makeClass(province, ClassBody(courseId: course, organiserId: organiser, unitCode: "91", startDate: "01/03/2025", endDate: "05/03/2025"))
            let mine = try await app.seedPeople(2, unit: "30292")
            let theirs = try await app.seedPeople(3, unit: "30313", prefix: "Xã Khác")
            try await app.api(.POST, "/api/v1/classes/\(klass)/participants/bulk", token: province, json: BulkEnrolInput(unitCode: "91")) { res in
                XCTAssertEqual(try res.json(TrainingAPI.BulkResult.self).enrolled, 5)
            }
            try await app.api(.GET, "/api/v1/classes", token: commune) { res in
                let items = try res.json(ListBody<ClassDTO>.self).items
                XCTAssertEqual(items.map(\.id), [klass])
                XCTAssertEqual(items.first?.participants, 2, "only the commune's own learners are counted")
            }
            try await app.api(.GET, "/api/v1/classes/\(klass)/participants", token: commune) { res in
                XCTAssertEqual(Set(try res.json(ListBody<ParticipantDTO>.self).items.map(\.personId)), Set(mine))
            }
            try await app.api(.GET, "/api/v1/classes/\(klass)/roster?format=csv", token: commune) { res in
                XCTAssertFalse(res.body.string.contains("Xã Khác"))
            }
            // Seeing is not changing: the class belongs to the province.
            try await app.api(.POST, "/api/v1/classes/\(klass)/results", token: commune, json: [ResultInput(personId: mine[0], result: "completed")]) { res in
                XCTAssertEqual(res.status, .forbidden)
            }
            try await app.api(.GET, "/api/v1/people/\(theirs[0])/training", token: commune) { XCTAssertEqual($0.status, .notFound) }
            for path in ["/api/v1/classes/\(klass)", "/api/v1/classes/\(klass)/participants", "/api/v1/classes/\(klass)/roster",
                         "/api/v1/training/figures/share?unit=30292", "/api/v1/training/figures/years?unit=91", "/api/v1/training-needs/summary?unit=91"] {
                try await app.api(.GET, path, token: other) { XCTAssertEqual($0.status, .notFound, path) }
            }
            try await app.api(.GET, "/api/v1/training/figures/share?unit=91", token: commune) { XCTAssertEqual($0.status, .notFound, "an ancestor's figures") }
            try await app.api(.GET, "/api/v1/classes", token: other) { res in
                XCTAssertEqual(try res.json(ListBody<ClassDTO>.self).total, 0)
            }
            try await app.api(.POST, "/api/v1/classes/\(klass)/participants", token: other, json: TrainingAPI.EnrolInput(personId: mine[0])) { XCTAssertEqual($0.status, .notFound) }
            // Every changing route of the class is 404 from another province, and nothing changes.
            try await app.api(.PATCH, "/api/v1/classes/\(klass)", token: other, json: JSON(["status": "cancelled"])) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.POST, "/api/v1/classes/\(klass)/participants/bulk", token: other, json: BulkEnrolInput(unitCode: "01")) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.POST, "/api/v1/classes/\(klass)/results", token: other, json: [ResultInput(personId: mine[0], result: "completed")]) {
                XCTAssertEqual($0.status, .notFound)
            }
            try await app.api(.DELETE, "/api/v1/classes/\(klass)/participants/\(mine[0])", token: other) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.POST, "/api/v1/classes/\(klass)/roster", token: other) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.PUT, "/api/v1/certificate-series/\(organiser)", token: other, json: JSON(["pattern": "{n}/X"])) { XCTAssertEqual($0.status, .notFound) }
            try await app.api(.POST, "/api/v1/training-needs", token: other,
                              json: NeedInput(personId: mine[0], topic: "Kỹ năng", wantedKind: "tap-huan", year: 2026)) { XCTAssertEqual($0.errorField, "personId") }
            try await app.api(.GET, "/api/v1/training-needs", token: other) { XCTAssertEqual(try $0.json(ListBody<NeedDTO>.self).total, 0) }
            let unchanged = try await TrainingClass.find(klass, on: app.db)
            XCTAssertEqual(unchanged?.status, "planned")
            let stillEnrolled = try await Participation.query(on: app.db).count()
            XCTAssertEqual(stillEnrolled, 5)
            // The pages follow the same rule.
            try await app.makeUser("hn-web", role: .provinceOfficer, scope: "01")
            var browser = try await app.login("hn-web")
            for path in ["/training/classes/\(klass)", "/training/classes/\(klass)/edit", "/training/classes/\(klass)/roster?format=csv"] {
                try await app.page(.GET, path, as: &browser) { XCTAssertEqual($0.status, .notFound, path) }
            }
            let row = try await Participation.query(on: app.db).first()!
            try await app.page(.GET, "/training/certificates/\(row.id!)", as: &browser) { XCTAssertEqual($0.status, .notFound) }
            try await app.page(.POST, "/training/classes/\(klass)/enrol-all", as: &browser, form: ["unitCode": "01"]) { XCTAssertEqual($0.status, .notFound) }
        }
    }

    func testNeedsSurveyIsRecordedAndSummarised() async throws {
        try await withApp { app in
            let token = try await app.token(for: try await app.makeUser("cv", role: .provinceOfficer, scope: "91"))
            let a = try await app.seedPeople(3, unit: "30292"), b = try await app.seedPeople(1, unit: "30313", prefix: "Xã Khác")
            for (person, topic, priority) in [(a[0], "Kỹ năng tư vấn", "high"), (a[1], "Kỹ năng  tư vấn", "medium"), (b[0], "kỹ năng tư vấn", "high"),
                                              (a[2], "Quản lý ca", "low")] {
                try await app.api(.POST, "/api/v1/training-needs", token: token,
                                  json: NeedInput(personId: person, topic: topic, wantedKind: "tap-huan", priority: priority, year: 2026)) { res in
                    XCTAssertEqual(res.status, .created, res.body.string)
                }
            }
            try await app.api(.POST, "/api/v1/training-needs", token: token,
                              json: NeedInput(personId: a[0], topic: "KỸ NĂNG TƯ VẤN", wantedKind: "tap-huan", year: 2026)) { XCTAssertEqual($0.errorField, "topic") }
            try await app.api(.POST, "/api/v1/training-needs", token: token,
                              json: NeedInput(personId: a[0], topic: "Cử nhân", wantedKind: "tap-huan", wantedLevel: "dai-hoc", year: 2026)) { XCTAssertEqual($0.errorField, "wantedLevel") }
            try await app.api(.GET, "/api/v1/training-needs/summary?unit=91&year=2026", token: token) { res in
                let s = try res.json(NeedsSummary.self)
                XCTAssertEqual(s.topics.first?.people, 3)
                XCTAssertEqual(s.topics.first?.high, 2)
                XCTAssertEqual(s.children.map(\.code), ["30292", "30313"])
                XCTAssertEqual(s.children.map(\.people), [3, 1])
            }
        }
    }
}

struct RawBudgetBody: Content {
    var courseId: UUID; var organiserId: UUID; var unitCode: String; var startDate: String; var endDate: String
    var budget: [[String: String]]
}
